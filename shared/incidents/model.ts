import { z } from 'zod';

// Incidents and change requests as the console shows them. Field names are ServiceNow's own; every reference
// and choice carries both its stored value (for filters and writes) and the label the instance shows.
// Date-times are ServiceNow values: UTC `YYYY-MM-DD HH:mm:ss`, "" when empty (see shared/incidents/glide-time.ts).

/** A choice or reference field: the stored value (sys_id, choice code) and its label; both "" when empty. */
export const Labeled = z.object({ value: z.string(), label: z.string() });
export type Labeled = z.infer<typeof Labeled>;

export const SysId = z.string().regex(/^[0-9a-f]{32}$/, 'a sys_id is 32 lowercase hex digits');

/** One row of the queue: only the fields the list shows, filters and sorts on. */
export const IncidentRow = z.object({
  sys_id: z.string(),
  number: z.string(),
  short_description: z.string(),
  priority: Labeled,
  state: Labeled,
  hold_reason: Labeled,
  assignment_group: Labeled,
  assigned_to: Labeled,
  cmdb_ci: Labeled,
  opened_at: z.string(),
  sys_updated_on: z.string(),
  sla_due: z.string(),
  sys_mod_count: z.number().int(),
  /** The monitoring alert that opened the incident (custom fields of the Prometheus integration). */
  u_alert_name: z.string(),
  u_alert_instance: z.string(),
  /** sys_id of the incident this one is filed under ("" when none). Absent in offline copies saved before it was read. */
  parent_incident: z.string().optional(),
});
export type IncidentRow = z.infer<typeof IncidentRow>;

export const JournalEntry = z.object({
  sys_id: z.string(),
  element: z.enum(['work_notes', 'comments']),
  value: z.string(),
  sys_created_on: z.string(),
  /** user_name of the author, as sys_journal_field stores it. */
  sys_created_by: z.string(),
  /** The author's display name when sys_user could be read, else the user_name. */
  author: z.string(),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

export const IncidentDetail = IncidentRow.extend({
  description: z.string(),
  caller_id: Labeled,
  opened_by: Labeled,
  impact: Labeled,
  urgency: Labeled,
  category: Labeled,
  subcategory: Labeled,
  contact_type: Labeled,
  business_service: Labeled,
  close_code: Labeled,
  close_notes: z.string(),
  resolved_at: z.string(),
  resolved_by: Labeled,
  sys_created_on: z.string(),
  sys_updated_by: z.string(),
  made_sla: z.boolean(),
  reassignment_count: z.number().int(),
  reopen_count: z.number().int(),
  /** Work notes and comments, newest first. */
  journal: z.array(JournalEntry),
  /** Why the journal is missing or partial (e.g. sys_journal_field not readable), in the instance's words. */
  journalError: z.string().nullable(),
  /** The record in ServiceNow's own UI, for "open in ServiceNow". */
  link: z.string(),
  alert: z.object({ name: z.string(), instance: z.string() }).nullable(),
  /** Set when ServiceNow did not answer and this is the offline copy: when it was read, why, what it lacks. */
  offline: z.object({ syncedAt: z.string(), reason: z.string(), missing: z.string().optional() }).optional(),
});
export type IncidentDetail = z.infer<typeof IncidentDetail>;

export const PRIORITIES = ['1', '2', '3', '4', '5'] as const;

export const QueueCounts = z.object({
  total: z.number().int(),
  /** Open incidents by priority value "1".."5" (other values are counted under "other"). */
  byPriority: z.object({
    '1': z.number().int(),
    '2': z.number().int(),
    '3': z.number().int(),
    '4': z.number().int(),
    '5': z.number().int(),
    other: z.number().int(),
  }),
  unassigned: z.number().int(),
  /** Assigned to the API user of the connection. */
  mine: z.number().int(),
});
export type QueueCounts = z.infer<typeof QueueCounts>;

/** What went wrong with the last refresh, in the system's words (a ContractError). */
export const SyncError = z.object({
  code: z.string(),
  message: z.string(),
  detail: z
    .object({
      status: z.number().optional(),
      remoteMessage: z.string().optional(),
      retryAfter: z.number().optional(),
      retryable: z.boolean().optional(),
    })
    .optional(),
});
export type SyncError = z.infer<typeof SyncError>;

export const QueueUser = z.object({ sys_id: z.string(), name: z.string(), user_name: z.string() });
export type QueueUser = z.infer<typeof QueueUser>;

/** Freshness and health of a queue, sent with every snapshot and delta. */
export const QueueStatus = z.object({
  /** ISO time of the last good sync (the age of the rows); null before the first. */
  syncedAt: z.string().nullable(),
  /** ISO time of the last attempt, good or bad. */
  attemptedAt: z.string().nullable(),
  refreshMs: z.number().int(),
  /** The data is older than twice the refresh interval. */
  stale: z.boolean(),
  /** The last attempt failed: the rows are the last good ones. */
  error: SyncError.nullable(),
  /** When the next background attempt is due (ISO), while the background sync runs. */
  nextAttemptAt: z.string().nullable(),
  counts: QueueCounts,
});
export type QueueStatus = z.infer<typeof QueueStatus>;

export const QueueSnapshot = QueueStatus.extend({
  connectionId: z.string(),
  connectionName: z.string(),
  /** The encoded query that defines the queue. */
  query: z.string(),
  /** Increases with every change; a delta applies only to the snapshot with seq one below it. */
  seq: z.number().int(),
  rows: z.array(IncidentRow),
  /** The connection's API user and their groups ("assigned to me", "my groups"). */
  me: QueueUser.nullable(),
  myGroups: z.array(Labeled),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshot>;

export const QueueDelta = QueueStatus.extend({
  kind: z.literal('delta'),
  connectionId: z.string(),
  seq: z.number().int(),
  /** Incidents that entered the queue (new, or newly matching). */
  added: z.array(IncidentRow),
  changed: z.array(IncidentRow),
  /** sys_ids that left the queue (resolved, closed, reassigned away, deleted). */
  removed: z.array(z.string()),
});
export type QueueDelta = z.infer<typeof QueueDelta>;

export const QueueUpdate = z.discriminatedUnion('kind', [QueueSnapshot.extend({ kind: z.literal('snapshot') }), QueueDelta]);
export type QueueUpdate = z.infer<typeof QueueUpdate>;

export const IncidentAlert = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  /** new: a P1/P2 entered the queue; escalated: an incident already in it became P1/P2. */
  reason: z.enum(['new', 'escalated']),
  incident: IncidentRow,
  link: z.string(),
});
export type IncidentAlert = z.infer<typeof IncidentAlert>;

export const ChoiceOption = z.object({ value: z.string(), label: z.string() });
export type ChoiceOption = z.infer<typeof ChoiceOption>;

/** Choice lists read from sys_choice (active entries, in the instance's order). */
export const IncidentChoices = z.object({
  state: z.array(ChoiceOption),
  hold_reason: z.array(ChoiceOption),
  close_code: z.array(ChoiceOption),
  priority: z.array(ChoiceOption),
  impact: z.array(ChoiceOption),
  urgency: z.array(ChoiceOption),
  change_state: z.array(ChoiceOption),
  fetchedAt: z.string(),
});
export type IncidentChoices = z.infer<typeof IncidentChoices>;

export const ChangeRow = z.object({
  sys_id: z.string(),
  number: z.string(),
  short_description: z.string(),
  type: Labeled,
  state: Labeled,
  risk: Labeled,
  approval: Labeled,
  assignment_group: Labeled,
  assigned_to: Labeled,
  cmdb_ci: Labeled,
  start_date: z.string(),
  end_date: z.string(),
  work_start: z.string(),
  work_end: z.string(),
  link: z.string(),
});
export type ChangeRow = z.infer<typeof ChangeRow>;

export const ActionResult = z.object({
  /** The incident as ServiceNow answered the write. */
  row: IncidentRow,
  /** The audit log entry written before this answer. */
  auditId: z.string(),
  /** What ServiceNow calls the result: the record's sys_id, or the journal entry's for a work note. */
  remoteRef: z.string(),
  message: z.string(),
});
export type ActionResult = z.infer<typeof ActionResult>;

/** "Open an incident" from an alert: the incident that now carries it, made or found. */
export const OpenedFromAlert = z.object({
  /** linked: an open incident already carried the alert, so none was created. */
  outcome: z.enum(['linked', 'created']),
  incident: IncidentRow,
  link: z.string(),
  /** Other open incidents with the same alert (duplicates made elsewhere), oldest first. */
  others: z.array(IncidentRow),
  auditId: z.string(),
  message: z.string(),
});
export type OpenedFromAlert = z.infer<typeof OpenedFromAlert>;

/** One child of "make parent": filed now, already filed under that parent, or refused (in ServiceNow's words). */
export const ParentChildOutcome = z.object({
  sysId: z.string(),
  number: z.string(),
  outcome: z.enum(['filed', 'already', 'failed']),
  message: z.string(),
  /** Why this child was not filed: the contract error, with ServiceNow's own message in detail.remoteMessage. */
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      detail: z.object({ status: z.number().optional(), remoteMessage: z.string().optional() }).optional(),
    })
    .optional(),
  auditId: z.string().optional(),
  /** The child as ServiceNow answered the write (filed only). */
  row: IncidentRow.optional(),
});
export type ParentChildOutcome = z.infer<typeof ParentChildOutcome>;

/** "Make parent" over a group of incidents carrying the same alert: one outcome per child, in the order asked. */
export const MadeParent = z.object({
  parent: z.object({ sysId: z.string(), number: z.string() }),
  children: z.array(ParentChildOutcome),
  message: z.string(),
});
export type MadeParent = z.infer<typeof MadeParent>;
