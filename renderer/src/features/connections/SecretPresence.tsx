import type { ReactNode } from 'react';
import type { ConnectionView } from '@shared/connections/model';
import { StatusBadge } from '../../app/components/StatusBadge';

/** Which secrets a connection uses and whether each is there — never the value. */
export function SecretPresence(props: { view: ConnectionView }): ReactNode {
  const { view } = props;
  if (view.secrets.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="plain-list">
      {view.secrets.map((s) => (
        <li key={s.field} data-testid={`secret-${view.spec.id}-${s.field}`} data-present={s.present}>
          <StatusBadge
            tone={s.present ? 'ok' : 'warn'}
            title={'env' in s.ref.secret ? `environment variable ${s.ref.secret.env}` : 'OS keychain'}
          >
            {s.field}: {s.present ? 'stored ✓' : 'missing'}
          </StatusBadge>
          {'env' in s.ref.secret ? <span className="muted small"> (env {s.ref.secret.env})</span> : null}
        </li>
      ))}
    </ul>
  );
}
