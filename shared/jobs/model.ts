import { z } from 'zod';
import { OfflineMark } from '../offline/contract';

// AWX job templates, launch forms and jobs as the console shows them (research/awx.md §3–§6). Field names are
// the console's; the AWX names they come from are noted where they differ. Times are AWX's ISO strings.

/** AWX job statuses; kept as strings on the wire so an unknown one from a newer AWX still shows. */
export const ACTIVE_JOB_STATUSES = ['new', 'pending', 'waiting', 'running'] as const;
export const TERMINAL_JOB_STATUSES = ['successful', 'failed', 'error', 'canceled'] as const;

export const SURVEY_TYPES = ['text', 'textarea', 'password', 'integer', 'float', 'multiplechoice', 'multiselect'] as const;
export type SurveyType = (typeof SURVEY_TYPES)[number];

/** A survey question with AWX's loose shapes normalised: choices as a list, min/max as numbers or null. */
export const SurveyQuestion = z.object({
  variable: z.string(),
  question: z.string(),
  description: z.string(),
  required: z.boolean(),
  type: z.enum(SURVEY_TYPES),
  min: z.number().nullable(),
  max: z.number().nullable(),
  /** multiselect: a list; numeric types: a number; password: "$encrypted$" when a default is saved; null: none. */
  default: z.union([z.string(), z.number(), z.array(z.string())]).nullable(),
  choices: z.array(z.string()),
});
export type SurveyQuestion = z.infer<typeof SurveyQuestion>;

export const Survey = z.object({ name: z.string(), description: z.string(), questions: z.array(SurveyQuestion) });
export type Survey = z.infer<typeof Survey>;

/** A survey answer as AWX takes it inside extra_vars: text, a number, or a list (multiselect). */
export const SurveyAnswer = z.union([z.string().max(100_000), z.number(), z.array(z.string().max(10_000)).max(1000)]);
export type SurveyAnswer = z.infer<typeof SurveyAnswer>;

export const JobRef = z.object({ id: z.number().int(), status: z.string(), finished: z.string().nullable() });

export const TemplateSummary = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  playbook: z.string(),
  inventory: z.string().nullable(),
  labels: z.array(z.string()),
  surveyEnabled: z.boolean(),
  askVariables: z.boolean(),
  askLimit: z.boolean(),
  /** `summary_fields.user_capabilities.start`: whether this user may launch it. */
  canLaunch: z.boolean(),
  /** Labelled production, or on a connection whose environment is production. */
  production: z.boolean(),
  lastJob: JobRef.nullable(),
  /** The template in AWX's own UI. */
  link: z.string(),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;

export const ProductionInfo = z.object({
  production: z.boolean(),
  /** Why it counts as production (runbook flag, template label, connection environment). */
  reasons: z.array(z.string()),
});
export type ProductionInfo = z.infer<typeof ProductionInfo>;

/** Everything a launch form needs: `GET …/launch/` and the survey spec, normalised. */
export const LaunchForm = z.object({
  template: TemplateSummary,
  /** `ask_*_on_launch` flags that are on, by AWX name. */
  asks: z.array(z.string()),
  askVariables: z.boolean(),
  askLimit: z.boolean(),
  /** Required survey variables (AWX `variables_needed_to_start`). */
  variablesNeeded: z.array(z.string()),
  passwordsNeeded: z.array(z.string()),
  inventoryNeeded: z.boolean(),
  canStartWithoutInput: z.boolean(),
  defaults: z.object({
    /** The template's extra_vars as AWX stores them (YAML or JSON text) … */
    extraVars: z.string(),
    /** … and parsed (empty when the text is not a mapping). */
    vars: z.record(z.string(), z.unknown()),
    limit: z.string(),
    inventory: z.string().nullable(),
  }),
  survey: Survey.nullable(),
  production: ProductionInfo,
  /** Set when AWX could not be reached and this is the offline copy (issue 6): launching is off, and why. */
  offline: z.object({ syncedAt: z.string(), reason: z.string() }).optional(),
});
export type LaunchForm = z.infer<typeof LaunchForm>;

export const JobSummary = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  id: z.number().int(),
  name: z.string(),
  status: z.string(),
  failed: z.boolean(),
  launchType: z.string(),
  launchedBy: z.string().nullable(),
  templateId: z.number().int().nullable(),
  created: z.string().nullable(),
  started: z.string().nullable(),
  finished: z.string().nullable(),
  /** Seconds, as AWX reports it (live while running in the detail view). */
  elapsed: z.number(),
  limit: z.string(),
  /** The job's output page in AWX's own UI. */
  link: z.string(),
  /** From the job's extra_vars: the incident it worked on (incident_number) and who launched it (toc_operator). */
  incidentNumber: z.string().optional(),
  operator: z.string().optional(),
});
export type JobSummary = z.infer<typeof JobSummary>;

export const JobDetail = JobSummary.extend({
  jobExplanation: z.string(),
  resultTraceback: z.string(),
  eventProcessingFinished: z.boolean(),
  /** ok/changed/failures/dark/skipped counts, null until the stats event is processed. */
  hostStatusCounts: z.record(z.string(), z.number()).nullable(),
  inventory: z.string().nullable(),
  /** JSON text of the job's variables (survey passwords as "$encrypted$"). */
  extraVars: z.string(),
  production: z.boolean(),
  /** Set when AWX did not answer and this is the last known state from the offline copy. */
  offline: z.object({ syncedAt: z.string(), reason: z.string(), missing: z.string().optional() }).optional(),
});
export type JobDetail = z.infer<typeof JobDetail>;

export const HostStat = z.object({
  host: z.string(),
  ok: z.number().int(),
  changed: z.number().int(),
  failures: z.number().int(),
  dark: z.number().int(),
  skipped: z.number().int(),
  rescued: z.number().int(),
  ignored: z.number().int(),
});
export type HostStat = z.infer<typeof HostStat>;

/**
 * What `jobs.events` streams, in order: the job (again on every status change), the output as line chunks of
 * one event each (a big event comes in several chunks: `offset` counts lines already sent of it), the host
 * stats, notices about the live link, and one `end` once AWX has saved every event.
 */
export const JobStreamItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('job'), job: JobDetail }),
  z.object({
    kind: z.literal('lines'),
    counter: z.number().int(),
    event: z.string(),
    /** Lines of this event sent before this chunk. */
    offset: z.number().int(),
    /** Lines in the whole event. */
    total: z.number().int(),
    /** 0-based line number of the chunk's first line in the job's output. */
    line: z.number().int(),
    lines: z.array(z.string()),
    failed: z.boolean(),
    changed: z.boolean(),
    host: z.string(),
    play: z.string(),
    playId: z.string(),
    task: z.string(),
    taskId: z.string(),
  }),
  z.object({ kind: z.literal('stats'), hosts: z.array(HostStat) }),
  /** Counters from..to that AWX never saved, at the place in the log where their lines belong. */
  z.object({
    kind: z.literal('gap'),
    from: z.number().int(),
    to: z.number().int(),
    /** Output lines those events held (from their neighbours' line numbers), when known. */
    lines: z.number().int().nullable(),
  }),
  z.object({
    kind: z.literal('notice'),
    level: z.enum(['info', 'warn']),
    message: z.string(),
    /**
     * Set when what follows is from the offline copy: the copy of a finished job's log, or (with `noLog`) only
     * the job's last known state. When it was saved, and why it is used.
     */
    offline: OfflineMark.optional(),
    /**
     * AWX cannot be reached and the offline copy has the job but not its log (it was never read while AWX
     * answered): no output follows until AWX answers again, and then the live log does, on the same stream.
     */
    noLog: z.literal(true).optional(),
    /** On "AWX did not answer; retrying": AWX's error, so the offline copy can answer without waiting for more. */
    retrying: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
  z.object({
    kind: z.literal('end'),
    status: z.string(),
    /** Every counter from 1 to lastCounter arrived (false only when AWX never finished saving events). */
    complete: z.boolean(),
    lastCounter: z.number().int(),
    lineCount: z.number().int(),
    message: z.string(),
    /** Counter ranges AWX never saved (empty when complete). */
    missing: z.array(z.object({ from: z.number().int(), to: z.number().int() })).optional(),
  }),
  z.object({
    kind: z.literal('error'),
    fatal: z.boolean(),
    error: z.object({ code: z.string(), message: z.string(), remoteMessage: z.string().optional(), status: z.number().optional() }),
  }),
]);
export type JobStreamItem = z.infer<typeof JobStreamItem>;
export type JobLinesItem = Extract<JobStreamItem, { kind: 'lines' }>;
/** The last item of a job's stream: its final status and whether every event arrived. */
export type JobEndItem = Extract<JobStreamItem, { kind: 'end' }>;

export const IncidentRef = z
  .object({
    connectionId: z.string().min(1).max(63).optional(),
    sysId: z.string().regex(/^[0-9a-f]{32}$/),
    number: z.string().min(1).max(40),
  })
  .strict();
export type IncidentRef = z.infer<typeof IncidentRef>;

export const WorkNoteOutcome = z.object({ ok: z.boolean(), message: z.string(), remoteRef: z.string().optional() });
export type WorkNoteOutcome = z.infer<typeof WorkNoteOutcome>;

export const LaunchResult = z.object({
  job: JobSummary,
  /** Fields AWX dropped because the template does not prompt for them (`ignored_fields`). */
  ignoredFields: z.record(z.string(), z.unknown()),
  warnings: z.array(z.string()),
  auditId: z.string(),
  /** The "launched" work note on the incident, when the launch came from one. */
  workNote: WorkNoteOutcome.nullable(),
});
export type LaunchResult = z.infer<typeof LaunchResult>;

export const CancelResult = z.object({
  /** requested: AWX accepted (202); already_finished: AWX said 405, the job had ended. */
  outcome: z.enum(['requested', 'already_finished']),
  message: z.string(),
  job: JobSummary,
  auditId: z.string(),
});
export type CancelResult = z.infer<typeof CancelResult>;

export const ConnectionProblem = z.object({ connectionId: z.string(), connectionName: z.string(), code: z.string(), message: z.string() });
export type ConnectionProblem = z.infer<typeof ConnectionProblem>;
