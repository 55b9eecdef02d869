import type { ReactNode } from 'react';
import { useCall } from '../../app/api/hooks';
import { hrefOf } from '../../app/state/route';

/**
 * For the incident view: the runbooks that match this incident, each a link to the runbook pre-filled from the
 * incident. The core matches from the incident itself (alert name, instance, CI, service) — the same rule the
 * runbooks page and the service context use, so all three always agree.
 */
export function SuggestedRunbooks(props: { connectionId: string; sysId: string }): ReactNode {
  const s = useCall('runbooks.suggest', { connectionId: props.connectionId, sysId: props.sysId }, { staleTime: 30_000 });
  const list = s.data?.suggestions ?? [];
  if (list.length === 0) return null;
  return (
    <div className="panel suggested-runbooks" data-testid="incident-suggested-runbooks">
      <strong>Runbooks for this incident:</strong>{' '}
      {list.map((x, i) => (
        <span key={x.runbook.id}>
          {i > 0 ? ' · ' : ''}
          <a
            href={hrefOf('runbooks', 'incident', props.connectionId, props.sysId, x.runbook.id)}
            data-testid="incident-runbook-link"
            data-id={x.runbook.id}
          >
            {x.runbook.title}
          </a>{' '}
          <span className="muted small">
            ({x.reasons.join(', ')}
            {x.runbook.production ? ', production' : ''})
          </span>
        </span>
      ))}
    </div>
  );
}
