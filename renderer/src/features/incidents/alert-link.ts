import type { PromAlertView, SloStatusView } from '@shared/slo/contract';

// Ties an incident opened by monitoring (u_alert_name / u_alert_instance) to the Prometheus alert firing
// behind it, and that alert to the SLO it guards. Pure, so the matching is tested without a DOM.

/** Alert labels that name the SLO an alert belongs to, in the order they are trusted. */
export const SLO_LABELS = ['slo', 'sloth_slo', 'slo_name'] as const;

/** The SLO fields the matching reads (a fleet status has them all). */
export type SloRef = Pick<SloStatusView, 'id' | 'name' | 'service' | 'connectionId'>;

export interface AlertLink<A extends PromAlertView = PromAlertView, S extends SloRef = SloRef> {
  alert: A;
  slo: S | undefined;
}

const clean = (s: string | null | undefined): string => (s ?? '').trim();

/**
 * The firing alert behind an incident: same alertname, and the same `instance` label when the incident names
 * an instance. Among several, the one on the incident's instance or else the longest firing (earliest activeAt).
 */
export function findFiringAlert<A extends PromAlertView>(alerts: readonly A[], alertName: string, instance?: string | null): A | undefined {
  const name = clean(alertName);
  if (name === '') return undefined;
  const inst = clean(instance);
  const candidates = alerts.filter(
    (a) => a.state === 'firing' && (a.labels['alertname'] ?? a.alertname) === name && (inst === '' || a.labels['instance'] === inst),
  );
  return [...candidates].sort((x, y) => (x.activeAt ?? '\uffff').localeCompare(y.activeAt ?? '\uffff'))[0];
}

/**
 * The SLO an alert belongs to: an `slo` / `sloth_slo` / `slo_name` label equal to an SLO's name or id, or else
 * the alert's `service` label equal to the SLO's service. SLOs on the alert's own Prometheus are preferred.
 */
export function sloOfAlert<S extends SloRef>(alert: PromAlertView, slos: readonly S[]): S | undefined {
  const sameConnectionFirst = (found: S[]): S | undefined =>
    found.find((s) => s.connectionId === undefined || s.connectionId === alert.connectionId) ?? found[0];
  for (const key of SLO_LABELS) {
    const v = clean(alert.labels[key]);
    if (v === '') continue;
    const hit = sameConnectionFirst(slos.filter((s) => s.name === v || s.id === v));
    if (hit) return hit;
  }
  // The server already tied some alerts to an SLO id (sloth_id label): keep that when the labels above did not.
  if (alert.sloId !== undefined) {
    const hit = slos.find((s) => s.id === alert.sloId);
    if (hit) return hit;
  }
  const service = clean(alert.labels['service']);
  if (service === '') return undefined;
  return sameConnectionFirst(slos.filter((s) => s.service === service));
}

/** The firing alert behind the incident and its SLO, or undefined when nothing is firing under that name. */
export function linkIncidentAlert<A extends PromAlertView, S extends SloRef>(
  alerts: readonly A[],
  slos: readonly S[],
  alertName: string,
  instance?: string | null,
): AlertLink<A, S> | undefined {
  const alert = findFiringAlert(alerts, alertName, instance);
  return alert ? { alert, slo: sloOfAlert(alert, slos) } : undefined;
}
