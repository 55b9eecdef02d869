import { useState } from 'react';
import type { ReactNode } from 'react';
import { ErrorIcon, InfoIcon, WarnIcon } from '../../components/icons';

const ICON = { info: InfoIcon, warn: WarnIcon, error: ErrorIcon } as const;

/**
 * One notice in the banner area. Long-lived conditions (a missing keychain on a wall PC) can be folded to their
 * title line so they stop eating the screen, but never hidden entirely while the condition lasts.
 */
export function Banner(props: {
  tone: 'info' | 'warn' | 'error';
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  testId: string;
  foldable?: boolean;
}): ReactNode {
  const [folded, setFolded] = useState(false);
  const Icon = ICON[props.tone];
  const bodyId = `${props.testId}-body`;
  return (
    <section
      className={`banner banner-${props.tone}`}
      role={props.tone === 'info' ? 'status' : 'alert'}
      data-testid={props.testId}
      data-tone={props.tone}
      data-folded={folded}
    >
      <Icon className="icon banner-icon" />
      <div className="banner-body">
        <strong className="banner-title">{props.title}</strong>
        {folded ? null : <div id={bodyId}>{props.children}</div>}
      </div>
      <div className="banner-actions">
        {props.actions}
        {props.foldable ? (
          <button
            type="button"
            className="btn btn-small"
            aria-expanded={!folded}
            aria-controls={bodyId}
            onClick={() => setFolded(!folded)}
            data-testid={`${props.testId}-fold`}
          >
            {folded ? 'Details' : 'Less'}
          </button>
        ) : null}
      </div>
    </section>
  );
}
