import type { ReactNode } from 'react';
import type { ProbeResult } from '@shared/connections/model';
import { StatusBadge } from '../../app/components/StatusBadge';
import './connections.css';

/** Each check the probe made, in order, with the system's own message: the first failing step says what to fix. */
export function ProbeResultPanel(props: { result: ProbeResult }): ReactNode {
  const r = props.result;
  return (
    <div className={`panel ${r.ok ? 'panel-ok' : 'panel-error'}`} data-testid="probe-result" data-ok={r.ok}>
      <div className="panel-title">
        <StatusBadge tone={r.ok ? 'ok' : 'error'}>{r.ok ? 'The connection works' : 'The connection failed'}</StatusBadge>
        <span className="muted small">{Math.round(r.elapsedMs)} ms</span>
      </div>
      {r.version || r.user ? (
        <p className="probe-meta">
          {r.version ? (
            <span data-testid="probe-version">
              Version <code>{r.version}</code>
            </span>
          ) : null}
          {r.version && r.user ? ' · ' : null}
          {r.user ? (
            <span data-testid="probe-user">
              Signed in as <code>{r.user}</code>
            </span>
          ) : null}
        </p>
      ) : null}
      <ol className="probe-steps">
        {r.steps.map((s, i) => (
          <li key={i} data-testid="probe-step" data-ok={s.ok}>
            <StatusBadge tone={s.ok ? 'ok' : 'error'}>{s.ok ? 'ok' : 'failed'}</StatusBadge> <strong>{s.name}</strong>
            {s.message ? <span className="probe-message"> — {s.message}</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
