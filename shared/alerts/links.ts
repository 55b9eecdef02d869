import type { AlertLinks, ConsoleRunbookLink, IncidentLink } from './model';

// From an alert to where an engineer goes next: its dashboard, its runbook (the rule's `runbook_url` and the
// console's own runbooks that name the alert), and the ServiceNow incident the alert opened. Pure: the core
// feeds in the workspace's Grafana URL, the runbook index and the incident queue.

type Labels = Readonly<Record<string, string>>;

/** Only absolute http(s) links leave the console; anything else in an annotation is shown as text. */
export function safeHttpUrl(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = s.trim();
  return /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(t) ? t : undefined;
}

/**
 * A Grafana dashboard URL with the alert's labels as template variables (`var-instance=web-1`), and a time
 * range from an hour before the alert started to now unless the base URL fixes one. Labels the base URL
 * already sets win (a provisioned `var-env=prod` stays).
 */
export function grafanaDashboardUrl(base: string, labels: Labels, opts: { startsAt?: string } = {}): string {
  const hashAt = base.indexOf('#');
  const hash = hashAt === -1 ? '' : base.slice(hashAt);
  const noHash = hashAt === -1 ? base : base.slice(0, hashAt);
  const qAt = noHash.indexOf('?');
  const path = qAt === -1 ? noHash : noHash.slice(0, qAt);
  const query = qAt === -1 ? '' : noHash.slice(qAt + 1);
  const existing = query.split('&').filter((p) => p.length > 0);
  const has = (key: string): boolean => existing.some((p) => safeDecode(p.split('=')[0] ?? '') === key);
  const params = [...existing];
  for (const name of Object.keys(labels).sort()) {
    const key = `var-${name}`;
    if (has(key)) continue;
    params.push(`${encodeURIComponent(key)}=${encodeURIComponent(labels[name] ?? '')}`);
  }
  const started = opts.startsAt ? Date.parse(opts.startsAt) : Number.NaN;
  if (Number.isFinite(started) && !has('from') && !has('to')) {
    params.push(`from=${started - 3_600_000}`, 'to=now');
  }
  return `${path}${params.length ? `?${params.join('&')}` : ''}${hash}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A runbook as the runbook index describes it: the alert names its front matter lists. */
export interface RunbookRef {
  id: string;
  title: string;
  alerts: readonly string[];
}

export function runbooksForAlert(alertName: string | undefined, runbooks: readonly RunbookRef[]): ConsoleRunbookLink[] {
  if (!alertName) return [];
  return runbooks.filter((r) => r.alerts.includes(alertName)).map((r) => ({ id: r.id, title: r.title }));
}

/** An open incident as the incident queue has it, with where it lives. */
export interface IncidentRef {
  connectionId: string;
  sys_id: string;
  number: string;
  short_description: string;
  state: { label: string };
  u_alert_name: string;
  u_alert_instance: string;
  link: string;
}

const withoutPort = (s: string): string => s.replace(/:\d+$/, '');

/**
 * The incident that carries an alert: same `u_alert_name` and `u_alert_instance` (with or without the port
 * `instance` labels usually carry), else an incident for the alert name that names no instance.
 */
export function incidentForAlert(labels: Labels, incidents: readonly IncidentRef[]): IncidentLink | undefined {
  const name = labels.alertname;
  if (!name) return undefined;
  const instance = labels.instance ?? '';
  const named = incidents.filter((i) => i.u_alert_name === name);
  const exact =
    named.find((i) => i.u_alert_instance !== '' && i.u_alert_instance === instance) ??
    named.find((i) => i.u_alert_instance !== '' && instance !== '' && withoutPort(i.u_alert_instance) === withoutPort(instance));
  const hit = exact ?? named.find((i) => i.u_alert_instance === '');
  if (!hit) return undefined;
  return {
    connectionId: hit.connectionId,
    sysId: hit.sys_id,
    number: hit.number,
    shortDescription: hit.short_description,
    state: hit.state.label,
    link: hit.link,
    match: exact ? 'instance' : 'name',
  };
}

export interface LinkSources {
  grafanaUrl?: string | undefined;
  runbooks: readonly RunbookRef[];
  incidents: readonly IncidentRef[];
}

export function alertLinks(
  alert: { labels: Labels; annotations: Labels; startsAt?: string; generatorURL?: string | undefined },
  sources: LinkSources,
): AlertLinks {
  const runbookUrl = safeHttpUrl(alert.annotations.runbook_url);
  const annotated = safeHttpUrl(alert.annotations.dashboard_url);
  const grafana = !annotated && sources.grafanaUrl ? safeHttpUrl(sources.grafanaUrl) : undefined;
  const dashboardUrl =
    annotated ?? (grafana ? grafanaDashboardUrl(grafana, alert.labels, alert.startsAt ? { startsAt: alert.startsAt } : {}) : undefined);
  const generatorUrl = safeHttpUrl(alert.generatorURL);
  const incident = incidentForAlert(alert.labels, sources.incidents);
  return {
    ...(runbookUrl ? { runbookUrl } : {}),
    ...(dashboardUrl ? { dashboardUrl, dashboardSource: annotated ? ('annotation' as const) : ('grafana' as const) } : {}),
    ...(generatorUrl ? { generatorUrl } : {}),
    runbooks: runbooksForAlert(alert.labels.alertname, sources.runbooks),
    ...(incident ? { incident } : {}),
  };
}
