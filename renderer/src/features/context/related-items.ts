import type { ContextSubject, ServiceContext } from '@shared/context/model';
import type { Route } from '../../app/state/route';

// The service context as a flat list of places to go — for the command palette, and anything else that lists
// related items one per line. Pure: the order, the targets and what is left out are unit-tested.

export type RelatedKind = 'slo' | 'alert' | 'incident' | 'runbook' | 'job' | 'change' | 'link';

export interface RelatedItem {
  /** The id the palette gives the same thing elsewhere (incident:…, slo:…), so it is listed once. */
  id: string;
  kind: RelatedKind;
  title: string;
  subtitle: string;
  keywords: string[];
  tone?: 'ok' | 'warn' | 'error' | 'unknown';
  /** Where it opens: a console route, or a web page of the system (http(s) only). */
  target: { route: Route } | { url: string };
}

export const RELATED_KIND_LABEL: Record<RelatedKind, string> = {
  slo: 'SLO',
  alert: 'Alert',
  incident: 'Incident',
  runbook: 'Runbook',
  job: 'Job',
  change: 'Change',
  link: 'Open in',
};

const burn = (x: number | null): string => (x === null ? 'burn —' : `burn ${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`);
const web = (u: string): boolean => /^https?:\/\/\S/i.test(u.trim());

/** Related items in the panel's order (SLOs, alerts, incidents, runbooks, jobs, changes, links); the subject itself is left out. */
export function relatedItems(c: ServiceContext, subject: ContextSubject): RelatedItem[] {
  const out: RelatedItem[] = [];
  for (const s of c.slos) {
    if (subject.kind === 'slo' && subject.id === s.id) continue;
    out.push({
      id: `slo:${s.id}`,
      kind: 'slo',
      title: s.displayName ?? s.name,
      subtitle: `${s.service} · ${burn(s.burnRate)}${s.errorBudgetRemaining === null ? '' : ` · ${(s.errorBudgetRemaining * 100).toFixed(1)} % budget left`}`,
      keywords: [s.id, s.name, s.service],
      tone: s.paging ? 'error' : 'unknown',
      target: { route: { view: 'slos', path: ['detail', s.id] } },
    });
  }
  for (const a of c.alerts) {
    const alertSubject = subject.kind === 'alert' && subject.name === a.name && (subject.instance ?? '') === a.instance;
    if (alertSubject) continue;
    out.push({
      id: `alert:${a.source}:${a.name}:${a.instance}`,
      kind: 'alert',
      title: `${a.name}${a.instance ? ` on ${a.instance}` : ''}`,
      subtitle: `${a.severity ?? a.state} · ${a.source === 'alertmanager' ? 'Alertmanager' : 'Prometheus'}${a.summary ? ` · ${a.summary}` : ''}`,
      keywords: [a.name, a.instance, ...Object.values(a.labels)].filter(Boolean),
      tone: a.severity === 'critical' || a.severity === 'page' ? 'error' : 'warn',
      target: { route: { view: 'alerts', path: [] } },
    });
  }
  for (const i of c.incidents) {
    if (subject.kind === 'incident' && subject.sysId === i.sysId) continue;
    out.push({
      id: `incident:${i.sysId}`,
      kind: 'incident',
      title: `${i.number} ${i.shortDescription}`,
      subtitle: `${i.priority} · ${i.state} · same ${i.match}`,
      keywords: [i.number, i.alertName, i.alertInstance].filter(Boolean),
      tone: /^1\b/.test(i.priority) ? 'error' : /^2\b/.test(i.priority) ? 'warn' : 'unknown',
      // By sys_id, as the palette's other incident entries open it.
      target: { route: { view: 'incidents', path: [i.sysId] } },
    });
  }
  // A runbook opens for the incident the context names (its launch form then writes the work note there).
  const inc = subject.kind === 'incident' ? { connectionId: subject.connectionId, sysId: subject.sysId } : c.incidents[0];
  for (const r of c.runbooks) {
    out.push({
      id: `runbook:${r.id}`,
      kind: 'runbook',
      title: r.title,
      subtitle: `${r.reasons.join(', ')}${r.production ? ' · production' : ''}${r.launchable ? '' : ' · procedure'}`,
      keywords: [r.id, ...r.reasons],
      target: {
        route:
          inc && inc.connectionId
            ? { view: 'runbooks', path: ['incident', inc.connectionId, inc.sysId, r.id] }
            : { view: 'runbooks', path: [r.id] },
      },
    });
  }
  for (const j of c.jobs) {
    if (subject.kind === 'job' && subject.connectionId === j.connectionId && subject.jobId === j.id) continue;
    out.push({
      id: `job:${j.connectionId}:${j.id}`,
      kind: 'job',
      title: `#${j.id} ${j.name}`,
      subtitle: `${j.status}${j.operator ? ` · by ${j.operator}` : ''}${j.incidentNumber ? ` · ${j.incidentNumber}` : ''}`,
      keywords: [String(j.id), j.status, j.incidentNumber ?? ''].filter(Boolean),
      tone: j.status === 'failed' || j.status === 'error' ? 'error' : j.status === 'successful' ? 'ok' : 'unknown',
      target: { route: { view: 'jobs', path: [j.connectionId, String(j.id)] } },
    });
  }
  for (const ch of c.changes) {
    if (!web(ch.link)) continue;
    out.push({
      id: `change:${ch.connectionId}:${ch.number}`,
      kind: 'change',
      title: `${ch.number} ${ch.shortDescription}`,
      subtitle: `${ch.state}${ch.ci ? ` · ${ch.ci}` : ''}`,
      keywords: [ch.number, ch.ci].filter(Boolean),
      target: { url: ch.link },
    });
  }
  for (const l of c.links) {
    if (!web(l.url)) continue;
    out.push({ id: `link:${l.url}`, kind: 'link', title: l.label, subtitle: l.url, keywords: [l.kind], target: { url: l.url } });
  }
  return out;
}

/** Items where every typed word appears in the title, subtitle or keywords (the context list keeps its order). */
export function filterRelated(items: readonly RelatedItem[], query: string): RelatedItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  return items.filter((it) => {
    const hay = [it.title, it.subtitle, ...it.keywords].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
