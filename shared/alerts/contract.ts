import { z } from 'zod';
import { method } from '../kernel/define';
import { AlertGroups, AlertsContext, JobSilenceStatus, MatcherSchema, SilenceActionResult, SilenceList, SilencePreview } from './model';

// Alertmanager (issue 7): alert groups with links, silences (list, preview, create, extend, expire) and the
// job-scoped silences the console manages while runbook jobs run. Calls name an Alertmanager connection
// (default: the first one). Every silence change is written to the audit log before it is reported done.

const ConnectionArg = { connectionId: z.string().min(1).max(63).optional() };
const SilenceId = z.string().min(1).max(100);
const IsoTime = z.iso.datetime({ offset: true, message: 'an ISO date-time, e.g. 2026-01-31T12:00:00Z' });

export const alertMethods = {
  /** Alertmanager connections, the default creator for silences and the refresh interval. */
  'alerts.context': method(z.object({}).strict(), AlertsContext),
  /** Alert groups as Alertmanager groups them (route group_by), each with its receiver, alerts and links. */
  'alerts.groups': method(
    z
      .object({
        ...ConnectionArg,
        /** Include suppressed alerts (silenced or inhibited); default true. */
        suppressed: z.boolean().optional(),
      })
      .strict(),
    AlertGroups,
  ),
  /** Silences split into active, pending and expired. */
  'alerts.silences': method(z.object(ConnectionArg).strict(), SilenceList),
  /** Which current alerts these matchers would silence, judged the way Alertmanager judges them. */
  'alerts.previewSilence': method(z.object({ ...ConnectionArg, matchers: z.array(MatcherSchema).max(50) }).strict(), SilencePreview),
  /** Creator and comment are required, as Alertmanager requires them. */
  'alerts.createSilence': method(
    z
      .object({
        ...ConnectionArg,
        matchers: z.array(MatcherSchema).min(1, 'a silence needs at least one matcher').max(50),
        /** Default: now. */
        startsAt: IsoTime.optional(),
        endsAt: IsoTime,
        createdBy: z.string().trim().min(1, 'say who creates the silence').max(200),
        comment: z.string().trim().min(1, 'a comment is required (why, and a ticket if there is one)').max(4000),
      })
      .strict(),
    SilenceActionResult,
    { action: true },
  ),
  /** Moves the end of an active or pending silence; Alertmanager keeps its id. */
  'alerts.extendSilence': method(
    z.object({ ...ConnectionArg, id: SilenceId, endsAt: IsoTime, comment: z.string().trim().min(1).max(4000).optional() }).strict(),
    SilenceActionResult,
    { action: true },
  ),
  'alerts.expireSilence': method(
    z.object({ ...ConnectionArg, id: SilenceId }).strict(),
    z.object({ id: z.string(), auditId: z.string(), wasAlreadyExpired: z.boolean() }),
    { action: true },
  ),
  /** Silences the console holds for running jobs (created before launch, expired when the job ends). */
  'alerts.jobSilences': method(z.object({}).strict(), z.array(JobSilenceStatus)),
};

export const alertTopics = {};
