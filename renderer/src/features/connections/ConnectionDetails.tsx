import type { ReactNode } from 'react';
import type { ConnectionView } from '@shared/connections/model';
import { AUTH_LABELS, KIND_LABELS } from '../../app/format/labels';
import { LockIcon } from '../../app/components/icons';
import { SecretSetter } from './SecretSetter';
import { TestConnection } from './TestConnection';

function Row(props: { label: string; value: ReactNode; testId?: string }): ReactNode {
  return (
    <>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.value ?? <span className="muted">—</span>}</dd>
    </>
  );
}

/** A provisioned connection: its definition belongs to the workspace file, so it is shown, not edited. */
export function ConnectionDetails(props: { view: ConnectionView }): ReactNode {
  const { spec } = props.view;
  const a = spec.auth;
  return (
    <div className="connection-details" data-testid="connection-details" data-provisioned="true">
      <h2>
        {spec.name}{' '}
        <span className="tag tag-readonly" data-testid="provisioned-badge">
          <LockIcon /> provisioned · read-only
        </span>
      </h2>
      <p className="muted">Defined in the workspace file. To change it, edit the file and reload it; secrets can still be stored here.</p>
      <dl className="details">
        <Row label="Id" value={<code>{spec.id}</code>} />
        <Row label="Kind" value={KIND_LABELS[spec.kind]} />
        <Row label="URL" value={<code>{spec.url}</code>} testId="details-url" />
        <Row label="Environment" value={spec.environment} />
        <Row label="Authentication" value={AUTH_LABELS[a.type]} />
        {a.type === 'basic' || a.type === 'oauth' ? <Row label="User name" value={a.username} /> : null}
        {a.type === 'oauth' ? <Row label="Client id" value={a.clientId} /> : null}
        {a.type === 'mtls' ? <Row label="Certificate / key" value={`${a.certFile} / ${a.keyFile}`} /> : null}
        <Row label="CA file" value={spec.caFile} />
        <Row label="Proxy" value={spec.proxy} />
        {spec.kind === 'awx' ? <Row label="API base path" value={spec.apiBasePath ?? '/api/v2/'} /> : null}
        <Row label="Timeout" value={spec.timeoutMs !== undefined ? `${spec.timeoutMs / 1000} s` : undefined} />
        <Row
          label="Extra headers"
          value={spec.headers && Object.keys(spec.headers).length ? Object.keys(spec.headers).join(', ') : undefined}
        />
      </dl>
      {props.view.secrets.length ? (
        <section className="fieldset">
          <h3>Secrets</h3>
          {props.view.secrets.map((s) => (
            <SecretSetter key={s.field} view={props.view} field={s.field} />
          ))}
        </section>
      ) : null}
      <TestConnection id={spec.id} />
    </div>
  );
}
