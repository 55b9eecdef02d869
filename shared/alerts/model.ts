import { z } from 'zod';

// Alerts and silences as the console shows them: Alertmanager's API v2 shapes, plus what the console adds
// (links from an alert to its dashboard, runbook and incident; silences split by state). Times are ISO strings
// as Alertmanager sends them.

export const MatcherSchema = z
  .object({
    name: z.string().min(1, 'a label name is required').max(200),
    value: z.string().max(4096),
    isRegex: z.boolean(),
    /** false for `!=` / `!~`. */
    isEqual: z.boolean(),
  })
  .strict();
export type MatcherInput = z.infer<typeof MatcherSchema>;

export const AlertState = z.enum(['active', 'suppressed', 'unprocessed']);
export type AlertState = z.infer<typeof AlertState>;

export const IncidentLink = z.object({
  connectionId: z.string(),
  sysId: z.string(),
  number: z.string(),
  shortDescription: z.string(),
  state: z.string(),
  /** The record in ServiceNow's UI. */
  link: z.string(),
  /** instance: u_alert_name and u_alert_instance both match; name: the incident names the alert but no instance. */
  match: z.enum(['instance', 'name']),
});
export type IncidentLink = z.infer<typeof IncidentLink>;

export const ConsoleRunbookLink = z.object({ id: z.string(), title: z.string() });
export type ConsoleRunbookLink = z.infer<typeof ConsoleRunbookLink>;

export const AlertLinks = z.object({
  /** The `runbook_url` annotation (http(s) only). */
  runbookUrl: z.string().optional(),
  /** The `dashboard_url` annotation, else the workspace's Grafana URL with the alert's labels as `var-` variables. */
  dashboardUrl: z.string().optional(),
  dashboardSource: z.enum(['annotation', 'grafana']).optional(),
  /** Prometheus's graph of the rule expression (`generatorURL`). */
  generatorUrl: z.string().optional(),
  /** Console runbooks whose front matter lists this alert name. */
  runbooks: z.array(ConsoleRunbookLink),
  /** The open ServiceNow incident that carries this alert. */
  incident: IncidentLink.optional(),
});
export type AlertLinks = z.infer<typeof AlertLinks>;

export const Alert = z.object({
  fingerprint: z.string(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  state: AlertState,
  /** Silence ids that suppress it. */
  silencedBy: z.array(z.string()),
  /** Fingerprints of the alerts that inhibit it. */
  inhibitedBy: z.array(z.string()),
  startsAt: z.string(),
  updatedAt: z.string(),
  endsAt: z.string(),
  receivers: z.array(z.string()),
  links: AlertLinks,
});
export type Alert = z.infer<typeof Alert>;

export const AlertGroup = z.object({
  /** Stable across refreshes: receiver plus the group labels. */
  key: z.string(),
  /** The group_by labels as Alertmanager grouped them. */
  labels: z.record(z.string(), z.string()),
  receiver: z.string(),
  alerts: z.array(Alert),
});
export type AlertGroup = z.infer<typeof AlertGroup>;

export const AlertGroups = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  fetchedAt: z.string(),
  /** How often the view refreshes this; older than twice that is stale. */
  refreshMs: z.number().int(),
  groups: z.array(AlertGroup),
  /** Why some links could not be resolved (ServiceNow unreachable…), in the other system's words. */
  linkProblems: z.array(z.string()),
});
export type AlertGroups = z.infer<typeof AlertGroups>;

export const SilenceState = z.enum(['active', 'pending', 'expired']);
export type SilenceState = z.infer<typeof SilenceState>;

export const Silence = z.object({
  id: z.string(),
  state: SilenceState,
  matchers: z.array(MatcherSchema),
  startsAt: z.string(),
  endsAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
  /** Alerts this silence suppresses right now. */
  silencedAlerts: z.number().int(),
  /** Set when the console created it for a running job. */
  job: z.object({ label: z.string(), jobId: z.number().int().optional() }).optional(),
});
export type Silence = z.infer<typeof Silence>;

export const SilenceList = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  fetchedAt: z.string(),
  active: z.array(Silence),
  pending: z.array(Silence),
  expired: z.array(Silence),
});
export type SilenceList = z.infer<typeof SilenceList>;

export const PreviewAlert = z.object({
  fingerprint: z.string(),
  labels: z.record(z.string(), z.string()),
  state: AlertState,
  startsAt: z.string(),
  /** Already silenced by other silences. */
  silencedBy: z.array(z.string()),
});
export type PreviewAlert = z.infer<typeof PreviewAlert>;

export const SilencePreview = z.object({
  /** Alerts (active or suppressed) the matchers match now. */
  matching: z.array(PreviewAlert),
  /** How many alerts were looked at. */
  considered: z.number().int(),
  /** What Alertmanager would refuse or what the preview cannot judge, per matcher index where there is one. */
  problems: z.array(z.object({ index: z.number().int().optional(), message: z.string() })),
  fetchedAt: z.string(),
});
export type SilencePreview = z.infer<typeof SilencePreview>;

export const SilenceActionResult = z.object({
  silence: Silence,
  /** The audit log entry written before this answer. */
  auditId: z.string(),
  /** Alertmanager gave the silence a new id (it does that when an update cannot be applied in place). */
  replacedId: z.string().optional(),
});
export type SilenceActionResult = z.infer<typeof SilenceActionResult>;

export const AlertsContext = z.object({
  connections: z.array(z.object({ id: z.string(), name: z.string(), environment: z.string().optional() })),
  /** Pre-fills "created by" (the OS user the audit log records). */
  defaultCreator: z.string(),
  grafanaUrl: z.string().optional(),
  refreshMs: z.number().int(),
});
export type AlertsContext = z.infer<typeof AlertsContext>;

/**
 * The launch option "silence this target's alerts while the job runs". The jobs feature takes it with a
 * launch and hands it to the alerts feature's job-silence hooks (electron/core/features/alerts/job-silence.ts).
 */
export const SilenceWhileRunning = z
  .object({
    /** Alertmanager connection; default: the first one. */
    connectionId: z.string().min(1).max(63).optional(),
    matchers: z.array(MatcherSchema).min(1).max(50),
    /** Safety net if the console is closed: the silence ends by itself after this long. Default: the job's timeout, else 2 h. */
    maxMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .optional(),
  })
  .strict();
export type SilenceWhileRunning = z.infer<typeof SilenceWhileRunning>;

export const JobSilenceStatus = z.object({
  ticket: z.string(),
  connectionId: z.string(),
  silenceId: z.string(),
  label: z.string(),
  jobId: z.number().int().optional(),
  /** The AWX connection the job runs on. */
  jobConnectionId: z.string().optional(),
  matchers: z.array(MatcherSchema),
  createdAt: z.string(),
  safetyNetEndsAt: z.string(),
  state: z.enum(['silencing', 'expired', 'expire_failed']),
  /** How the job ended: successful, failed, error, canceled, launch_failed. */
  outcome: z.string().optional(),
  endedAt: z.string().optional(),
  incident: z.object({ connectionId: z.string(), sysId: z.string(), number: z.string() }).optional(),
  /** Work notes or the expiry that did not go through, in the other system's words. */
  problems: z.array(z.string()),
});
export type JobSilenceStatus = z.infer<typeof JobSilenceStatus>;
