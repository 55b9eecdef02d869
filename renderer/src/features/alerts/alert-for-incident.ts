import type { Alert } from '@shared/alerts/model';
import { alertInstanceOf } from '@shared/alerts/links';
import type { AlertForIncident } from '@shared/incidents/alert-incident';

// An Alertmanager alert as "open an incident" sends it: name and instance (what the duplicate guard looks up),
// severity, summary, description, runbook and dashboard links, service and labels. Cut to the contract's
// limits, so a long annotation never turns the button into a refused call.

const cut = (s: string | undefined, max: number): string | undefined => (s === undefined || s === '' ? undefined : s.slice(0, max));

export function alertForIncident(a: Alert, runbookTitle?: string): AlertForIncident | null {
  const name = (a.labels.alertname ?? '').trim();
  if (name === '') return null;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.labels)) if (k !== 'alertname' && k.length <= 200) labels[k] = v.slice(0, 2000);
  const out: AlertForIncident = {
    name: name.slice(0, 200),
    instance: alertInstanceOf(a.labels).slice(0, 300),
    source: 'alertmanager',
    labels,
  };
  const severity = cut(a.labels.severity?.trim(), 40);
  const summary = cut(a.annotations.summary ?? a.annotations.message, 2000);
  const description = cut(a.annotations.description, 8000);
  const runbookUrl = cut(a.links.runbookUrl, 2000);
  const dashboardUrl = cut(a.links.dashboardUrl, 2000);
  const service = cut(a.labels.service, 200);
  const title = cut(runbookTitle ?? a.links.runbooks[0]?.title, 200);
  if (severity) out.severity = severity;
  if (summary) out.summary = summary;
  if (description) out.description = description;
  if (runbookUrl) out.runbookUrl = runbookUrl;
  if (dashboardUrl) out.dashboardUrl = dashboardUrl;
  if (service) out.service = service;
  if (title) out.runbookTitle = title;
  if (a.startsAt) out.startsAt = a.startsAt.slice(0, 40);
  return out;
}
