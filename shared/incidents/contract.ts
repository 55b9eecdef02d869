import { z } from 'zod';
import { method, topic } from '../kernel/define';
import { NOTE_QUERY_MAX, NOTE_QUERY_MIN, NoteSearchResult } from './note-search';
import {
  ActionResult,
  ChangeRow,
  IncidentAlert,
  IncidentChoices,
  IncidentDetail,
  IncidentRow,
  Labeled,
  MadeParent,
  OpenedFromAlert,
  QueueSnapshot,
  QueueUpdate,
  SysId,
} from './model';
import { AlertForIncident } from './alert-incident';

// The incident queue from ServiceNow (issue 4). Reads name a ServiceNow connection (default: the first one);
// actions also carry the sys_mod_count the user saw, so the core can say "changed since you opened it" before
// overwriting anything (error code `conflict`, with what changed). `force: true` overwrites anyway.

const ConnectionArg = { connectionId: z.string().min(1).max(63).optional() };
const Target = { ...ConnectionArg, sysId: SysId };
/** The sys_mod_count shown when the user opened the incident. */
const Seen = { seenModCount: z.number().int().min(0), force: z.boolean().optional() };

export const incidentMethods = {
  /** The queue as the background sync holds it (refreshed first when it is older than the interval). */
  'incidents.list': method(z.object(ConnectionArg).strict(), QueueSnapshot),
  /** Refresh now (delta), then the queue. */
  'incidents.sync': method(z.object(ConnectionArg).strict(), QueueSnapshot),
  /** A one-off encoded query (the CLI's --query, "advanced filter"): not synced. */
  'incidents.query': method(
    z.object({ ...ConnectionArg, query: z.string().max(4000), limit: z.number().int().min(1).max(50_000).optional() }).strict(),
    z.object({ rows: z.array(IncidentRow), truncated: z.boolean() }),
  ),
  /** One incident with its journal (work notes and comments, newest first) and the alert behind it. */
  'incidents.get': method(z.object(Target).strict(), IncidentDetail),
  /** State, hold reason, close code, priority… choice lists from sys_choice (cached). */
  'incidents.choices': method(z.object(ConnectionArg).strict(), IncidentChoices),
  /** Active assignment groups, for the "change group" picker. */
  'incidents.groups': method(z.object(ConnectionArg).strict(), z.array(Labeled)),

  'incidents.assignToMe': method(z.object({ ...Target, ...Seen }).strict(), ActionResult, { action: true }),
  'incidents.setAssignmentGroup': method(z.object({ ...Target, ...Seen, groupSysId: SysId }).strict(), ActionResult, { action: true }),
  /** Journal appends never conflict; seenModCount is optional and only reported. */
  'incidents.addWorkNote': method(
    z.object({ ...Target, text: z.string().min(1).max(32_000), seenModCount: z.number().int().min(0).optional() }).strict(),
    ActionResult,
    { action: true },
  ),
  'incidents.hold': method(
    z.object({ ...Target, ...Seen, holdReason: z.string().min(1).max(40), workNote: z.string().max(32_000).optional() }).strict(),
    ActionResult,
    { action: true },
  ),
  /** Empty close code or notes are sent as they are: ServiceNow's data policy answers in its own words. */
  'incidents.resolve': method(
    z.object({ ...Target, ...Seen, closeCode: z.string().max(80), closeNotes: z.string().max(32_000) }).strict(),
    ActionResult,
    { action: true },
  ),

  /**
   * An incident for an alert or a burning SLO: an open incident with the same u_alert_name and u_alert_instance
   * is linked instead of creating a duplicate; otherwise one is created with priority from the severity and the
   * workspace's assignment group. Audited.
   */
  'incidents.openFromAlert': method(z.object({ ...ConnectionArg, alert: AlertForIncident }).strict(), OpenedFromAlert, { action: true }),
  /** Makes another incident (one carrying the same alert) the parent of this one. */
  'incidents.setParent': method(z.object({ ...Target, ...Seen, parentSysId: SysId }).strict(), ActionResult, { action: true }),
  /**
   * Files each child under the parent (incidents carrying the same alert), one at a time: a refused child does
   * not stop the others, and the answer says which were filed, already under it, or refused and why. Each
   * child carries the sys_mod_count the user saw.
   */
  'incidents.makeParent': method(
    z
      .object({
        ...ConnectionArg,
        parentSysId: SysId,
        children: z
          .array(z.object({ sysId: SysId, seenModCount: z.number().int().min(0) }).strict())
          .min(1)
          // An alert storm can open hundreds of duplicates; each child is one write, so the bound is generous.
          .max(1000),
      })
      .strict(),
    MadeParent,
    { action: true },
  ),

  /** Change requests in flight (Authorize … Review), state labels from the instance. */
  'incidents.changesInFlight': method(
    z.object(ConnectionArg).strict(),
    z.object({ connectionId: z.string(), fetchedAt: z.string(), changes: z.array(ChangeRow) }),
  ),
};

export const noteSearchMethods = {
  /** Incidents whose work notes contain every word of the query (ServiceNow's LIKE: anywhere, any case). */
  'incidents.searchNotes': method(
    z
      .object({
        connectionId: z.string().min(1).max(63).optional(),
        query: z.string().trim().min(NOTE_QUERY_MIN).max(NOTE_QUERY_MAX),
        limit: z.number().int().min(1).max(50).optional(),
      })
      .strict(),
    NoteSearchResult,
  ),
};

export const incidentTopics = {
  /** The queue: a snapshot on subscribe, then deltas (added/changed/removed rows + freshness) from the sync. */
  'incidents.queue': topic(z.object(ConnectionArg).strict(), QueueUpdate),
  /** New or escalated P1/P2 incidents on any ServiceNow connection; the shell raises the desktop notification. */
  'incidents.alerts': topic(z.object({}).strict(), IncidentAlert),
};
