import { z } from 'zod';
import { method, topic } from '../kernel/define';
import {
  CancelResult,
  ConnectionProblem,
  IncidentRef,
  JobDetail,
  JobStreamItem,
  JobSummary,
  LaunchForm,
  LaunchResult,
  SurveyAnswer,
  TemplateSummary,
} from './model';
import { SilenceWhileRunning } from '../alerts/model';

// AWX job templates, launch forms and jobs. Launch, cancel and relaunch are actions: never retried, refused in
// wall mode, written to the audit log before they answer. A production launch carries `confirmTarget`, which main
// checks against the target's name itself — the form's check is a convenience, not the guard.

const ConnectionId = z.string().min(1).max(63);
const JobId = z.number().int().positive();
const TemplateRef = {
  connectionId: ConnectionId.optional(),
  templateId: z.number().int().positive().optional(),
  /** By name, as runbooks name templates. */
  templateName: z.string().min(1).max(512).optional(),
  runbookId: z.string().min(1).max(200).optional(),
};

export const LaunchInput = z
  .object({
    ...TemplateRef,
    /** Survey answers by variable (sent inside extra_vars, as AWX wants them). */
    answers: z.record(z.string().max(200), SurveyAnswer).optional(),
    extraVars: z.record(z.string().max(200), z.unknown()).optional(),
    /** Extra variables as typed: YAML or JSON text of an object (parsed in main). */
    extraVarsText: z.string().max(100_000).optional(),
    limit: z.string().max(4000).optional(),
    /** The incident this launch works on: work notes go there. */
    incident: IncidentRef.optional(),
    /** Production only: the target's name, typed by the engineer. */
    confirmTarget: z.string().max(512).optional(),
    /** "Silence this target's alerts while the job runs" (alerts feature, electron/core/features/alerts/job-silence.ts). */
    silenceWhileRunning: SilenceWhileRunning.optional(),
  })
  .strict();
export type LaunchInput = z.infer<typeof LaunchInput>;

export const jobMethods = {
  /** Job templates of one AWX connection, or of all of them (a failing connection is reported, not fatal). */
  'jobs.templates': method(
    z.object({ connectionId: ConnectionId.optional(), search: z.string().max(200).optional() }).strict(),
    z.object({ templates: z.array(TemplateSummary), problems: z.array(ConnectionProblem) }),
  ),
  /** `GET …/launch/` + the survey, normalised, and whether the launch counts as production. */
  'jobs.launchForm': method(z.object(TemplateRef).strict(), LaunchForm),

  'jobs.launch': method(LaunchInput, LaunchResult, { action: true }),
  /** 405 from AWX (the job already ended) is an answer, not an error: `outcome: already_finished`. */
  'jobs.cancel': method(z.object({ connectionId: ConnectionId, jobId: JobId }).strict(), CancelResult, { action: true }),
  /** Relaunch with the previous job's answers (AWX keeps them), on all or only the failed hosts. */
  'jobs.relaunch': method(
    z
      .object({
        connectionId: ConnectionId,
        jobId: JobId,
        hosts: z.enum(['all', 'failed']).optional(),
        incident: IncidentRef.optional(),
        confirmTarget: z.string().max(512).optional(),
      })
      .strict(),
    LaunchResult,
    { action: true },
  ),
  /** Running and recent jobs across AWX connections, newest first. */
  'jobs.list': method(
    z
      .object({
        connectionId: ConnectionId.optional(),
        limit: z.number().int().min(1).max(200).optional(),
        activeOnly: z.boolean().optional(),
      })
      .strict(),
    z.object({ jobs: z.array(JobSummary), problems: z.array(ConnectionProblem), fetchedAt: z.string() }),
  ),
  'jobs.get': method(z.object({ connectionId: ConnectionId, jobId: JobId }).strict(), JobDetail),
  /** The whole output as AWX's download gives it (no 1 MiB limit). */
  'jobs.stdoutDownload': method(
    z.object({ connectionId: ConnectionId, jobId: JobId, ansi: z.boolean().optional() }).strict(),
    z.object({ filename: z.string(), text: z.string(), lines: z.number().int() }),
  ),
  /**
   * A finished job's log in one download, when that is provably the text its events give (every event saved,
   * counters 1..N); null when the job still runs or its events must be followed (gaps are named there).
   */
  'jobs.finishedLog': method(
    z.object({ connectionId: ConnectionId, jobId: JobId, ansi: z.boolean().optional() }).strict(),
    z.object({ job: JobDetail, text: z.string(), lines: z.number().int() }).nullable(),
  ),
};

export const jobTopics = {
  /**
   * A job's output, ordered and complete: every counter once, from `fromCounter` (resume after a dropped link),
   * then `end` once AWX has saved every event.
   */
  'jobs.events': topic(
    z.object({ connectionId: ConnectionId, jobId: JobId, fromCounter: z.number().int().min(1).optional() }).strict(),
    JobStreamItem,
  ),
  /** Jobs whose status changed, on one AWX connection or all. */
  'jobs.status': topic(z.object({ connectionId: ConnectionId.optional() }).strict(), JobSummary),
};
