import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import type { Figure, RecordRef } from '@shared/insights/types';
import { hrefOf } from '../../app/state/route';
import { CloseIcon } from '../../app/components/icons';
import { formatDateTime } from '../../app/format/time';

// The records behind one figure: how it was computed, then each incident, job or change with a link to its
// view. Escape or the close button returns focus to the figure that opened it.

function linkOf(r: RecordRef): string | null {
  if (r.kind === 'incident') return hrefOf('incidents', r.sysId);
  if (r.kind === 'job') return hrefOf('jobs', r.connectionId, r.sysId);
  return null;
}

export function RecordsPanel(props: { figure: Figure; records: Record<string, RecordRef>; onClose: () => void }): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [props.figure]);
  const refs = props.figure.records;
  const shown = refs.slice(0, 500);
  return (
    <div
      className="insights-records"
      role="dialog"
      aria-label={`Records behind ${props.figure.label}`}
      tabIndex={-1}
      ref={ref}
      data-testid="insights-records"
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onClose();
      }}
    >
      <header>
        <h3>{props.figure.label}</h3>
        <button type="button" className="btn btn-icon" onClick={props.onClose} aria-label="Close" data-testid="insights-records-close">
          <CloseIcon className="icon" />
        </button>
      </header>
      <p className="how" data-testid="insights-records-how">
        {props.figure.how}
      </p>
      <p className="muted small">
        {refs.length === 0
          ? 'No records: the number comes from a count on the remote system, or nothing matched.'
          : `${refs.length} record${refs.length === 1 ? '' : 's'}${refs.length > shown.length ? `, the first ${shown.length} listed` : ''}.`}
      </p>
      <ul className="insights-record-list">
        {shown.map((id) => {
          const r = props.records[id];
          const href = r ? linkOf(r) : null;
          return (
            <li key={id} data-testid="insights-record" data-ref={id}>
              {href ? <a href={href}>{id}</a> : <strong>{id}</strong>}
              {r ? (
                <>
                  {' '}
                  <span>{r.title}</span>
                  <div className="muted small">
                    {formatDateTime(r.at)} · {r.detail}
                  </div>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
