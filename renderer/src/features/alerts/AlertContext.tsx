import type { ReactNode } from 'react';
import type { Alert } from '@shared/alerts/model';
import { alertInstanceOf } from '@shared/alerts/links';
import { useCall } from '../../app/api/hooks';
import { ContextPanel, OpenIncidentButton } from '../context';
import { alertForIncident } from './alert-for-incident';

// One alert's context, shown when its row is expanded: its SLO, the open incident that carries it — or "Open
// incident", which links an open incident with the same alert instead of making a duplicate — its runbooks,
// recent jobs, and the Grafana and Prometheus links. While shown, the palette offers the same items.

export function AlertContext(props: { alert: Alert; id: string }): ReactNode {
  const a = props.alert;
  const name = a.labels.alertname ?? '';
  const subject = { kind: 'alert' as const, name, instance: alertInstanceOf(a.labels), labels: a.labels };
  const ctx = useCall('context.of', { subject }, { staleTime: 15_000 });
  const request = alertForIncident(a, ctx.data?.runbooks[0]?.title);
  const carried = a.links.incident !== undefined || (ctx.data?.incidents.some((i) => i.alertName === name) ?? false);
  return (
    <div className="am-alert-context" id={props.id} data-testid="alert-context-area">
      {request && ctx.data && !carried ? <OpenIncidentButton alert={request} testId="alert-open-incident" /> : null}
      <ContextPanel subject={subject} title="Related to this alert" testId="alert-context" />
    </div>
  );
}
