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
} from '../jobs/model';
import { IncidentContext, Runbook, RunbookFileProblem, RunbookSuggestion, RunbookSummary } from './model';
import { SilenceWhileRunning } from '../alerts/model';

// Runbooks and AWX jobs (issue 5). Launch, cancel and relaunch are actions: never retried, refused in wall mode,
// written to the audit log before they answer. A production launch carries `confirmTarget`, which main checks
// against the target's name itself — the form's check is a convenience, not the guard.

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

export const runbookMethods = {
  /** Runbooks from the workspace's folders; with `query`, only matches (best first, with a snippet). */
  'runbooks.list': method(
    z.object({ query: z.string().max(200).optional() }).strict(),
    z.object({ runbooks: z.array(RunbookSummary), problems: z.array(RunbookFileProblem), folders: z.array(z.string()) }),
  ),
  'runbooks.get': method(z.object({ id: z.string().min(1).max(200) }).strict(), Runbook),
  /**
   * Runbooks for an incident: by its sys_id (read from ServiceNow) or by alert name / CI directly. Each comes with
   * its extra vars filled from the incident.
   */
  'runbooks.suggest': method(
    z
      .object({
        connectionId: ConnectionId.optional(),
        sysId: z
          .string()
          .regex(/^[0-9a-f]{32}$/)
          .optional(),
        alertName: z.string().max(200).optional(),
        alertInstance: z.string().max(200).optional(),
        ci: z.string().max(200).optional(),
        service: z.string().max(200).optional(),
      })
      .strict(),
    z.object({ incident: IncidentContext.nullable(), suggestions: z.array(RunbookSuggestion) }),
  ),

  /** Job templates of one AWX connection, or of all of them (a failing connection is reported, not fatal). */
  'awx.templates': method(
    z.object({ connectionId: ConnectionId.optional(), search: z.string().max(200).optional() }).strict(),
    z.object({ templates: z.array(TemplateSummary), problems: z.array(ConnectionProblem) }),
  ),
  /** `GET …/launch/` + the survey, normalised, and whether the launch counts as production. */
  'awx.launchForm': method(z.object(TemplateRef).strict(), LaunchForm),

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
};

export const runbookTopics = {
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
