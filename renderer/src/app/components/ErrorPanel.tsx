import type { ReactNode } from 'react';
import type { ContractError } from '@shared/kernel/result';
import { ErrorIcon } from './icons';

/** Says what failed in the system's own words: our message, then the remote's message quoted as it said it. */
export function ErrorPanel(props: {
  error: ContractError;
  onRetry?: () => void;
  retrying?: boolean;
  title?: string;
  testId?: string;
}): ReactNode {
  const { error } = props;
  const remote = error.detail?.remoteMessage;
  const status = error.detail?.status;
  return (
    <div className="panel panel-error" role="alert" data-testid={props.testId ?? 'state-error'} data-code={error.code}>
      <div className="panel-title">
        <ErrorIcon className="icon tone-error-fg" />
        <span>{props.title ?? 'This could not be loaded'}</span>
      </div>
      <p className="error-message" data-testid="error-message">
        {error.message}
      </p>
      {remote ? (
        <blockquote className="remote-message" data-testid="error-remote-message">
          {remote}
        </blockquote>
      ) : null}
      <p className="muted small">
        <code>{error.code}</code>
        {status !== undefined ? ` · HTTP ${status}` : ''}
        {error.detail?.retryAfter !== undefined ? ` · retry after ${error.detail.retryAfter} s` : ''}
      </p>
      {error.detail?.fields?.length ? (
        <ul className="field-problems">
          {error.detail.fields.map((f, i) => (
            <li key={`${f.path}-${i}`}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {props.onRetry ? (
        <button type="button" className="btn" onClick={props.onRetry} disabled={props.retrying} data-testid="state-error-retry">
          {props.retrying ? 'Retrying…' : 'Retry'}
        </button>
      ) : null}
    </div>
  );
}
