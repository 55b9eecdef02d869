import { useState } from 'react';
import type { ReactNode } from 'react';
import type { ConnectionHealth, ConnectionView } from '@shared/connections/model';
import { useAction } from '../../app/api/hooks';
import { StatusBadge } from '../../app/components/StatusBadge';
import { LockIcon } from '../../app/components/icons';
import { describeHealth } from '../../app/format/health';
import { AUTH_LABELS, KIND_LABELS } from '../../app/format/labels';
import { useNow } from '../../app/state/clock';
import { hrefOf } from '../../app/state/route';
import { SecretPresence } from './SecretPresence';
import { TestConnection } from './TestConnection';

function HealthCell(props: { health: ConnectionHealth | undefined }): ReactNode {
  const now = useNow();
  if (!props.health) return <span className="muted">—</span>;
  const v = describeHealth(props.health, now);
  return (
    <span title={props.health.message ?? ''}>
      <StatusBadge tone={v.tone}>{v.word}</StatusBadge>
      {v.age ? <span className="muted small"> {props.health.state === 'error' ? `last good ${v.age}` : v.age}</span> : null}
      {props.health.state === 'error' && props.health.message ? (
        <div className="muted small cell-message">{props.health.message}</div>
      ) : null}
    </span>
  );
}

function RemoveControl(props: { view: ConnectionView }): ReactNode {
  const [confirming, setConfirming] = useState(false);
  const id = props.view.spec.id;
  const remove = useAction('connections.remove', { invalidates: ['connections.list', 'connections.health'] });
  if (!confirming) {
    return (
      <button type="button" className="btn" onClick={() => setConfirming(true)} data-testid={`connection-remove-${id}`}>
        Remove
      </button>
    );
  }
  return (
    <span
      className="confirm"
      role="group"
      aria-label={`Confirm removing ${props.view.spec.name}`}
      data-testid={`connection-remove-confirm-${id}`}
    >
      Remove “{props.view.spec.name}” and its stored secrets?{' '}
      <button
        type="button"
        className="btn btn-danger"
        onClick={() => remove.mutate({ id })}
        disabled={remove.isPending}
        data-testid="connection-remove-confirm"
      >
        {remove.isPending ? 'Removing…' : 'Remove'}
      </button>{' '}
      <button type="button" className="btn" onClick={() => setConfirming(false)} data-testid="connection-remove-cancel">
        Keep
      </button>
      {remove.isError ? (
        <span className="field-error" role="alert">
          {' '}
          {remove.error.message}
        </span>
      ) : null}
    </span>
  );
}

function ConnectionRow(props: { view: ConnectionView; health: ConnectionHealth | undefined }): ReactNode {
  const { view } = props;
  const { spec } = view;
  return (
    <tr data-testid={`connection-row-${spec.id}`} data-provisioned={view.provisioned}>
      <td>{KIND_LABELS[spec.kind]}</td>
      <td>
        <a href={hrefOf('settings', 'connections', spec.id)} data-testid={`connection-open-${spec.id}`}>
          {spec.name}
        </a>
        <div className="muted small">
          <code>{spec.id}</code>
          {spec.environment ? ` · ${spec.environment}` : ''}
        </div>
      </td>
      <td className="url-cell">
        <code>{spec.url}</code>
      </td>
      <td>{AUTH_LABELS[spec.auth.type]}</td>
      <td>
        {view.provisioned ? (
          <span
            className="tag tag-readonly"
            data-testid={`connection-provisioned-${spec.id}`}
            title="Provisioned by the workspace file: read-only here"
          >
            <LockIcon /> provisioned
          </span>
        ) : (
          <span className="muted">added here</span>
        )}
      </td>
      <td>
        <SecretPresence view={view} />
      </td>
      <td>
        <HealthCell health={props.health} />
      </td>
      <td className="actions-cell">
        <a className="btn" href={hrefOf('settings', 'connections', spec.id)} data-testid={`connection-edit-${spec.id}`}>
          {view.provisioned ? 'View' : 'Edit'}
        </a>{' '}
        <TestConnection id={spec.id} compact />
        {view.provisioned ? null : <RemoveControl view={view} />}
      </td>
    </tr>
  );
}

export function ConnectionList(props: { connections: ConnectionView[]; health: ConnectionHealth[] }): ReactNode {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="connections-list">
        <caption className="visually-hidden">Connections</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Name</th>
            <th scope="col">URL</th>
            <th scope="col">Auth</th>
            <th scope="col">Source</th>
            <th scope="col">Secrets</th>
            <th scope="col">Health</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.connections.map((c) => (
            <ConnectionRow key={c.spec.id} view={c} health={props.health.find((h) => h.id === c.spec.id)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
