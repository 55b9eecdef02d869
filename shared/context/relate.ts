import type { ContextAlert } from './model';
import { alertInstanceOf } from '../alerts/links';

// Which items belong to a subject's context. Pure: the core reads the systems, this decides. One rule each,
// used by every view: an SLO by its name or its service; an alert by its name + instance, or by the SLO or
// service it names; an incident by the alert it carries (u_alert_name + u_alert_instance), its CI, or the SLO
// its alert names; a job by the incident number in its variables or the template of a related runbook.

export interface Seeds {
  services: Set<string>;
  sloNames: Set<string>;
  /** Alert identities (name \0 instance); instance "" matches any instance of the name. */
  alerts: Set<string>;
  cis: Set<string>;
  incidentNumbers: Set<string>;
}

export function emptySeeds(): Seeds {
  return { services: new Set(), sloNames: new Set(), alerts: new Set(), cis: new Set(), incidentNumbers: new Set() };
}

const norm = (s: string | undefined): string => (s ?? '').trim().toLowerCase();
const withoutPort = (s: string): string => s.replace(/:\d+$/, '');

export function addTo(set: Set<string>, ...values: (string | undefined | null)[]): void {
  for (const v of values) if (v && v.trim() !== '') set.add(norm(v));
}

export function alertKey(name: string, instance: string): string {
  return `${norm(name)}\u0000${norm(instance)}`;
}

/** An SLO is related when it is named, or its service is. */
export function sloRelated(slo: { name: string; service: string; id: string }, s: Seeds): boolean {
  return s.sloNames.has(norm(slo.name)) || s.sloNames.has(norm(slo.id)) || (slo.service !== '' && s.services.has(norm(slo.service)));
}

/** An alert is related when it is the subject's alert, or names a related SLO or service. */
export function alertRelated(a: Pick<ContextAlert, 'name' | 'instance' | 'labels'>, s: Seeds): boolean {
  if (s.alerts.has(alertKey(a.name, a.instance)) || s.alerts.has(alertKey(a.name, ''))) return true;
  if (a.instance && s.alerts.has(alertKey(a.name, withoutPort(a.instance)))) return true;
  const slo = a.labels.slo ?? a.labels.sloth_slo ?? a.labels.slo_name;
  if (slo && s.sloNames.has(norm(slo))) return true;
  const service = a.labels.service;
  return Boolean(service && s.services.has(norm(service)));
}

/** Why an incident belongs to the context, or undefined. */
export function incidentMatch(
  i: { number: string; u_alert_name: string; u_alert_instance: string; cmdb_ci: string },
  s: Seeds,
): string | undefined {
  if (s.incidentNumbers.has(norm(i.number))) return 'this incident';
  if (i.u_alert_name !== '') {
    if (s.alerts.has(alertKey(i.u_alert_name, i.u_alert_instance))) return 'alert';
    if (s.alerts.has(alertKey(i.u_alert_name, withoutPort(i.u_alert_instance)))) return 'alert';
    if (s.sloNames.has(norm(i.u_alert_instance))) return 'SLO';
    if (s.services.has(norm(i.u_alert_instance))) return 'service';
  }
  if (i.cmdb_ci !== '' && s.cis.has(norm(i.cmdb_ci))) return 'CI';
  return undefined;
}

/** A Prometheus or Alertmanager alert's identity as an incident stores it. */
export function alertIdentity(labels: Readonly<Record<string, string>>): { name: string; instance: string } {
  return { name: labels.alertname ?? '', instance: alertInstanceOf(labels) };
}

/** The largest of the numbers that are known; null when none is. */
export function maxKnown(...xs: (number | null | undefined)[]): number | null {
  const known = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return known.length ? Math.max(...known) : null;
}
