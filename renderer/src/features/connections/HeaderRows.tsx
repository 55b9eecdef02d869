import type { ReactNode } from 'react';
import type { HeaderRow } from './connection-draft';
import { newHeaderRow } from './connection-draft';
import { PlusIcon, CloseIcon } from '../../app/components/icons';
import './connections.css';

/** Extra HTTP headers as key/value rows (a tenant header, a gateway's routing key). */
export function HeaderRows(props: {
  rows: HeaderRow[];
  errors: Partial<Record<string, string>>;
  onChange: (rows: HeaderRow[]) => void;
}): ReactNode {
  const { rows } = props;
  const set = (rowId: number, patch: Partial<HeaderRow>): void =>
    props.onChange(rows.map((r) => (r.rowId === rowId ? { ...r, ...patch } : r)));
  return (
    <fieldset className="fieldset" data-testid="conn-headers">
      <legend>Extra headers</legend>
      {rows.length === 0 ? <p className="muted small">None.</p> : null}
      {rows.map((r, i) => {
        const error = props.errors[`header.${r.rowId}`];
        const errorId = error ? `conn-header-${r.rowId}-error` : undefined;
        return (
          <div key={r.rowId} className={`header-row${error ? ' has-error' : ''}`}>
            <input
              type="text"
              aria-label={`Header ${i + 1} name`}
              placeholder="X-Header-Name"
              spellCheck={false}
              value={r.key}
              aria-invalid={!!error}
              aria-describedby={errorId}
              onChange={(e) => set(r.rowId, { key: e.target.value })}
              data-testid={`conn-header-key-${i}`}
            />
            <input
              type="text"
              aria-label={`Header ${i + 1} value`}
              placeholder="value"
              spellCheck={false}
              value={r.value}
              onChange={(e) => set(r.rowId, { value: e.target.value })}
              data-testid={`conn-header-value-${i}`}
            />
            <button
              type="button"
              className="btn btn-icon"
              aria-label={`Remove header ${i + 1}`}
              onClick={() => props.onChange(rows.filter((x) => x.rowId !== r.rowId))}
              data-testid={`conn-header-remove-${i}`}
            >
              <CloseIcon />
            </button>
            {error ? (
              <p className="field-error" id={errorId} data-testid={`conn-error-header-${i}`}>
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => props.onChange([...rows, newHeaderRow()])}
        data-testid="conn-header-add"
      >
        <PlusIcon /> Add header
      </button>
    </fieldset>
  );
}
