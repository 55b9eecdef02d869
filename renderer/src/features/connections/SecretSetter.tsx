import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { ConnectionView } from '@shared/connections/model';
import { useAction } from '../../app/api/hooks';
import { StatusBadge } from '../../app/components/StatusBadge';
import './connections.css';

/**
 * Sets or deletes one keychain secret of a connection without touching its definition: how a provisioned
 * (read-only) connection gets its password on a new desk.
 */
export function SecretSetter(props: { view: ConnectionView; field: string }): ReactNode {
  const { view, field } = props;
  const entry = view.secrets.find((s) => s.field === field);
  const [value, setValue] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const id = view.spec.id;
  const setSecret = useAction('connections.setSecret', { invalidates: ['connections.list'], onSuccess: () => setValue('') });
  const del = useAction('connections.deleteSecret', { invalidates: ['connections.list'], onSuccess: () => setConfirmDelete(false) });
  if (!entry) return null;
  if ('env' in entry.ref.secret) {
    return (
      <div className="secret-setter" data-testid={`secret-setter-${field}`}>
        <StatusBadge tone={entry.present ? 'ok' : 'warn'}>
          {field}: {entry.present ? 'set ✓' : 'missing'}
        </StatusBadge>{' '}
        <span className="muted">read from the environment variable {entry.ref.secret.env}; set it where the console starts.</span>
      </div>
    );
  }
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    if (value !== '') setSecret.mutate({ connectionId: id, field, value });
  };
  const inputId = `secret-${id}-${field}`;
  return (
    <form className="secret-setter" onSubmit={onSubmit} data-testid={`secret-setter-${field}`}>
      <label htmlFor={inputId}>
        {field}{' '}
        <StatusBadge tone={entry.present ? 'ok' : 'warn'} testId={`secret-setter-${field}-presence`}>
          {entry.present ? 'stored ✓' : 'missing'}
        </StatusBadge>
      </label>
      <div className="field-row">
        <input
          id={inputId}
          type="password"
          autoComplete="new-password"
          value={value}
          placeholder={entry.present ? 'type to replace' : 'type to store'}
          onChange={(e) => setValue(e.target.value)}
          data-testid={`secret-setter-${field}-input`}
        />
        <button type="submit" className="btn" disabled={value === '' || setSecret.isPending} data-testid={`secret-setter-${field}-save`}>
          {setSecret.isPending ? 'Storing…' : entry.present ? 'Replace' : 'Store'}
        </button>
        {entry.present && !confirmDelete ? (
          <button type="button" className="btn" onClick={() => setConfirmDelete(true)} data-testid={`secret-setter-${field}-delete`}>
            Delete
          </button>
        ) : null}
        {confirmDelete ? (
          <span className="confirm" role="group" aria-label="Confirm delete">
            Delete the stored {field}?{' '}
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => del.mutate({ connectionId: id, field })}
              disabled={del.isPending}
              data-testid={`secret-setter-${field}-delete-confirm`}
            >
              Delete
            </button>{' '}
            <button type="button" className="btn" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </span>
        ) : null}
      </div>
      {setSecret.isError ? (
        <p className="field-error" role="alert">
          {setSecret.error.message}
        </p>
      ) : null}
      {del.isError ? (
        <p className="field-error" role="alert">
          {del.error.message}
        </p>
      ) : null}
    </form>
  );
}
