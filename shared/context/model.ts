import { z } from 'zod';

// The service context: for one SLO, alert, incident, job or service, what is related to it across Prometheus,
// Alertmanager, ServiceNow and AWX, each item with where to go (a console route or the system's own page).
// Every part is read on its own; a part that could not be read says why in `problems`, never blanks the rest.

export const ContextSubject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('slo'), id: z.string().min(1).max(300) }).strict(),
  z
    .object({
      kind: z.literal('alert'),
      name: z.string().min(1).max(200),
      instance: z.string().max(300).optional(),
      labels: z.record(z.string().max(200), z.string().max(2000)).optional(),
    })
    .strict(),
  z
    .object({ kind: z.literal('incident'), connectionId: z.string().min(1).max(63).optional(), sysId: z.string().regex(/^[0-9a-f]{32}$/) })
    .strict(),
  z.object({ kind: z.literal('job'), connectionId: z.string().min(1).max(63), jobId: z.number().int().min(1) }).strict(),
  z.object({ kind: z.literal('service'), name: z.string().min(1).max(200) }).strict(),
]);
export type ContextSubject = z.infer<typeof ContextSubject>;

export const ContextSlo = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string().optional(),
  service: z.string(),
  /** Budget left (1 = untouched), null when unknown. */
  errorBudgetRemaining: z.number().nullable(),
  /** The fastest of the 1h and 5m burn rates, null when unknown. */
  burnRate: z.number().nullable(),
  paging: z.boolean(),
});

export const ContextAlert = z.object({
  name: z.string(),
  instance: z.string(),
  severity: z.string().optional(),
  state: z.string(),
  source: z.enum(['prometheus', 'alertmanager']),
  connectionId: z.string(),
  labels: z.record(z.string(), z.string()),
  summary: z.string().optional(),
  description: z.string().optional(),
  runbookUrl: z.string().optional(),
  dashboardUrl: z.string().optional(),
  startsAt: z.string().optional(),
  /** The SLO it guards (its slo label), when that SLO is known. */
  sloId: z.string().optional(),
});
export type ContextAlert = z.infer<typeof ContextAlert>;

export const ContextIncident = z.object({
  connectionId: z.string(),
  sysId: z.string(),
  number: z.string(),
  shortDescription: z.string(),
  state: z.string(),
  priority: z.string(),
  alertName: z.string(),
  alertInstance: z.string(),
  openedAt: z.string(),
  /** Why it belongs here: "alert", "CI", "SLO". */
  match: z.string(),
  link: z.string(),
});
export type ContextIncident = z.infer<typeof ContextIncident>;

export const ContextRunbook = z.object({
  id: z.string(),
  title: z.string(),
  reasons: z.array(z.string()),
  production: z.boolean(),
  launchable: z.boolean(),
});

export const ContextJob = z.object({
  connectionId: z.string(),
  id: z.number().int(),
  name: z.string(),
  status: z.string(),
  finished: z.string().nullable(),
  incidentNumber: z.string().optional(),
  operator: z.string().optional(),
  link: z.string(),
});

export const ContextChange = z.object({
  connectionId: z.string(),
  number: z.string(),
  shortDescription: z.string(),
  state: z.string(),
  ci: z.string(),
  link: z.string(),
});

export const ContextLink = z.object({
  label: z.string(),
  url: z.string(),
  kind: z.enum(['grafana', 'prometheus', 'servicenow', 'awx', 'runbook']),
});
export type ContextLink = z.infer<typeof ContextLink>;

export const ServiceContext = z.object({
  /** The service the subject belongs to, when one is known. */
  service: z.string().nullable(),
  /** The alert the subject is about (name and instance), for "open an incident" and the runbook match. */
  alert: z.object({ name: z.string(), instance: z.string() }).nullable(),
  slos: z.array(ContextSlo),
  alerts: z.array(ContextAlert),
  incidents: z.array(ContextIncident),
  runbooks: z.array(ContextRunbook),
  jobs: z.array(ContextJob),
  changes: z.array(ContextChange),
  links: z.array(ContextLink),
  problems: z.array(z.string()),
  fetchedAt: z.string(),
});
export type ServiceContext = z.infer<typeof ServiceContext>;
