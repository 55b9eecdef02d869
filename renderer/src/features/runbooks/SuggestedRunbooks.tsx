import type { ReactNode } from 'react';
import { useCall } from '../../app/api/hooks';
import { hrefOf } from '../../app/state/route';

/**
 * For the incident view: the runbooks whose alert names or CIs match this incident, each a link to the runbook
 * pre-filled from the incident (and its production confirmation, launch and work notes). Light on purpose: it
 * reads the local runbook files only, not ServiceNow again.
 */
export function SuggestedRunbooks(props: {
  connectionId: string;
  sysId: string;
  alertName?: string | undefined;
  alertInstance?: string | undefined;
  ci?: string | undefined;
}): ReactNode {
  const args = {
    ...(props.alertName ? { alertName: props.alertName } : {}),
    ...(props.alertInstance ? { alertInstance: props.alertInstance } : {}),
    ...(props.ci ? { ci: props.ci } : {}),
  };
  const s = useCall('runbooks.suggest', args, { staleTime: 60_000, enabled: Object.keys(args).length > 0 });
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
