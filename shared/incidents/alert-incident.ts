import { z } from 'zod';
import { safeHttpUrl } from '../alerts/links';
import { consoleRoute } from '../links/console';
export { alertInstanceOf } from '../alerts/links';

// An alert (from Alertmanager, Prometheus's ALERTS, or a burning SLO) as a ServiceNow incident, the way a TOC's
// alert-to-incident webhook writes it: u_alert_name + u_alert_instance identify the alert (and are what the
// duplicate guard looks up), severity sets impact and urgency (ServiceNow derives priority from them), and the
// description carries what an engineer needs first — summary, description, runbook and dashboard.

export const AlertForIncident = z
  .object({
    /** The alert's name (its `alertname` label). */
    name: z.string().trim().min(1, 'the alert has no name').max(200),
    /** What the alert fires on: its `instance` label, else its `slo`, else its `service` ("" when none). */
    instance: z.string().trim().max(300),
    severity: z.string().trim().max(40).optional(),
    summary: z.string().max(2000).optional(),
    description: z.string().max(8000).optional(),
    runbookUrl: z.string().max(2000).optional(),
    dashboardUrl: z.string().max(2000).optional(),
    /** The console runbook that matches the alert, named in the description. */
    runbookTitle: z.string().max(200).optional(),
    service: z.string().max(200).optional(),
    labels: z.record(z.string().max(200), z.string().max(2000)).optional(),
    startsAt: z.string().max(40).optional(),
    /** Where the alert was seen; written to u_alert_source. */
    source: z.enum(['alertmanager', 'prometheus', 'slo']),
  })
  .strict();
export type AlertForIncident = z.infer<typeof AlertForIncident>;

const DEFAULT_PRIORITIES: Readonly<Record<string, string>> = {
  critical: '1',
  page: '1',
  error: '2',
  warning: '3',
  ticket: '3',
  info: '5',
  none: '5',
};

/** Severity → priority: the workspace's map first (case-insensitive), then critical 1, warning 3, info 5; else 3. */
export function priorityForSeverity(severity: string | undefined, map: Readonly<Record<string, string>> = {}): string {
  const s = (severity ?? '').trim().toLowerCase();
  const own = Object.entries(map).find(([k]) => k.toLowerCase() === s)?.[1];
  return own ?? DEFAULT_PRIORITIES[s] ?? '3';
}

/**
 * Impact and urgency that give a priority under ServiceNow's out-of-the-box lookup (research: priority matrix):
 * a console writes these two and lets the instance compute priority.
 */
export function impactUrgencyFor(priority: string): { impact: string; urgency: string } {
  switch (priority) {
    case '1':
      return { impact: '1', urgency: '1' };
    case '2':
      return { impact: '1', urgency: '2' };
    case '4':
      return { impact: '2', urgency: '3' };
    case '5':
      return { impact: '3', urgency: '3' };
    default:
      return { impact: '2', urgency: '2' };
  }
}

const SOURCE_WORDS: Record<AlertForIncident['source'], string> = {
  alertmanager: 'Alertmanager',
  prometheus: 'Prometheus',
  slo: 'SLO burn rate',
};

/** The incident fields for a new incident from the alert (without assignment group and category, set by config). */
export function incidentFields(
  a: AlertForIncident,
  opts: { priorities?: Readonly<Record<string, string>>; operator: string },
): Record<string, string> {
  const priority = priorityForSeverity(a.severity, opts.priorities);
  const what = a.summary?.trim() || [a.service, a.instance].filter(Boolean).join(' on ') || 'firing';
  const short = `[${SOURCE_WORDS[a.source]}] ${a.name}: ${what}`.replace(/\s+/g, ' ');
  // http(s) links, or toc:// links into the console (they open the console on an engineer's desk).
  const linkable = (u: string | undefined): string | undefined => safeHttpUrl(u) ?? (consoleRoute(u) ? u?.trim() : undefined);
  const runbook = linkable(a.runbookUrl);
  const dashboard = linkable(a.dashboardUrl);
  const lines = [
    a.summary?.trim() ? `Summary: ${a.summary.trim()}` : '',
    a.description?.trim() ? `Description: ${a.description.trim()}` : '',
    `Alert: ${a.name}${a.instance ? ` on ${a.instance}` : ''}${a.severity ? ` (severity ${a.severity})` : ''}`,
    a.service ? `Service: ${a.service}` : '',
    a.startsAt ? `Firing since: ${a.startsAt}` : '',
    runbook ? `Runbook: ${runbook}` : '',
    a.runbookTitle ? `Console runbook: ${a.runbookTitle}` : '',
    dashboard ? `Dashboard: ${dashboard}` : '',
    a.labels && Object.keys(a.labels).length
      ? `Labels: ${Object.keys(a.labels)
          .sort()
          .map((k) => `${k}=${a.labels?.[k] ?? ''}`)
          .join(', ')}`
      : '',
    `Opened from ${SOURCE_WORDS[a.source]} by ${opts.operator} via TOC Console.`,
  ].filter(Boolean);
  return {
    short_description: short.length > 160 ? `${short.slice(0, 159)}…` : short,
    description: lines.join('\n'),
    ...impactUrgencyFor(priority),
    u_alert_name: a.name,
    u_alert_instance: a.instance,
    u_alert_source: SOURCE_WORDS[a.source],
    contact_type: 'monitoring',
  };
}

/** Open incidents that carry the same alert, in groups of two or more (oldest first in each). */
export function sameAlertGroups<R extends { sys_id: string; opened_at: string; u_alert_name: string; u_alert_instance: string }>(
  rows: readonly R[],
): { key: string; alertName: string; instance: string; rows: R[] }[] {
  const by = new Map<string, R[]>();
  for (const r of rows) {
    if (r.u_alert_name === '') continue;
    const key = `${r.u_alert_name}\u0000${r.u_alert_instance}`;
    const list = by.get(key) ?? [];
    list.push(r);
    by.set(key, list);
  }
  return [...by.entries()]
    .filter(([, list]) => list.length > 1)
    .map(([key, list]) => {
      const sorted = [...list].sort((a, b) => a.opened_at.localeCompare(b.opened_at) || a.sys_id.localeCompare(b.sys_id));
      return { key, alertName: sorted[0]?.u_alert_name ?? '', instance: sorted[0]?.u_alert_instance ?? '', rows: sorted };
    })
    .sort((a, b) => b.rows.length - a.rows.length || a.key.localeCompare(b.key));
}
