// The simulator's in-memory model: the few AWX tables a job console touches.

export type ApiBasePath = '/api/v2/' | '/api/controller/v2/';

/** How the websocket behaves; see websocket.ts for what each mode does. */
export type WsMode = 'faithful' | 'lossy' | 'drop' | 'off';

export type JobStatus = 'new' | 'pending' | 'waiting' | 'running' | 'successful' | 'failed' | 'error' | 'canceled';

export const ACTIVE_STATUSES: readonly JobStatus[] = ['new', 'pending', 'waiting', 'running'];

export function isActive(status: JobStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

export type TokenScope = 'read' | 'write' | 'read write';

export interface SimUser {
  id: number;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  isSuperuser: boolean;
  isSystemAuditor: boolean;
  /** Execute role on every job template (superusers always have it). */
  canLaunch: boolean;
  created: number;
  lastLogin: number | null;
}

export interface SimToken {
  id: number;
  token: string;
  userId: number;
  scope: TokenScope;
  description: string;
  created: number;
}

export interface SimSession {
  key: string;
  userId: number;
  csrfToken: string;
}

export interface Organization {
  id: number;
  name: string;
  description: string;
}

export interface InventoryHost {
  id: number;
  name: string;
}

export interface Inventory {
  id: number;
  name: string;
  description: string;
  organization: number;
  hosts: InventoryHost[];
}

export interface Project {
  id: number;
  name: string;
  description: string;
  organization: number;
  scmType: string;
  scmUrl: string;
  scmRevision: string;
}

export type SurveyQuestionType = 'text' | 'textarea' | 'password' | 'integer' | 'float' | 'multiplechoice' | 'multiselect';

export interface SurveyQuestion {
  question_name: string;
  question_description: string;
  required: boolean;
  type: SurveyQuestionType;
  variable: string;
  min: number | string | null;
  max: number | string | null;
  default: string | number;
  choices: string | string[];
  new_question?: boolean;
}

export interface SurveySpec {
  name: string;
  description: string;
  spec: SurveyQuestion[];
}

/** The ask_*_on_launch flags, in AWX's serializer order. */
export const ASK_FLAGS = [
  'ask_scm_branch_on_launch',
  'ask_diff_mode_on_launch',
  'ask_variables_on_launch',
  'ask_limit_on_launch',
  'ask_tags_on_launch',
  'ask_skip_tags_on_launch',
  'ask_job_type_on_launch',
  'ask_verbosity_on_launch',
  'ask_inventory_on_launch',
  'ask_credential_on_launch',
  'ask_execution_environment_on_launch',
  'ask_labels_on_launch',
  'ask_forks_on_launch',
  'ask_job_slice_count_on_launch',
  'ask_timeout_on_launch',
  'ask_instance_groups_on_launch',
] as const;

export type AskFlag = (typeof ASK_FLAGS)[number];

/** What the simulator does instead of running ansible for a template (to reach states ansible cannot). */
export type SimulatedOutcome = 'error';

export interface JobTemplate {
  id: number;
  name: string;
  description: string;
  jobType: 'run' | 'check';
  inventory: number | null;
  project: number;
  playbook: string;
  scmBranch: string;
  forks: number;
  limit: string;
  verbosity: number;
  /** YAML or JSON text, as AWX stores it. */
  extraVars: string;
  jobTags: string;
  skipTags: string;
  timeout: number;
  diffMode: boolean;
  becomeEnabled: boolean;
  allowSimultaneous: boolean;
  ask: Record<AskFlag, boolean>;
  surveyEnabled: boolean;
  surveySpec: SurveySpec | null;
  created: number;
  modified: number;
  createdBy: number;
  labels: { id: number; name: string }[];
  simulate?: SimulatedOutcome;
}

export interface SimEvent {
  id: number;
  job: number;
  counter: number;
  event: string;
  eventData: Record<string, unknown>;
  stdout: string;
  startLine: number;
  endLine: number;
  uuid: string;
  parentUuid: string;
  hostName: string;
  host: number | null;
  playbook: string;
  play: string;
  task: string;
  role: string;
  failed: boolean;
  changed: boolean;
  eventLevel: number;
  eventDisplay: string;
  verbosity: number;
  created: number;
  modified: number;
}

export interface HostSummary {
  host: string;
  changed: number;
  dark: number;
  failures: number;
  ignored: number;
  ok: number;
  processed: number;
  rescued: number;
  skipped: number;
}

export type LaunchType = 'manual' | 'relaunch' | 'scheduled' | 'callback' | 'workflow' | 'webhook' | 'dependency';

export interface SimJob {
  id: number;
  templateId: number;
  name: string;
  description: string;
  status: JobStatus;
  launchType: LaunchType;
  launchedBy: number;
  created: number;
  modified: number;
  started: number | null;
  finished: number | null;
  canceledOn: number | null;
  jobExplanation: string;
  resultTraceback: string;
  jobType: 'run' | 'check';
  inventory: number | null;
  project: number;
  playbook: string;
  scmBranch: string;
  forks: number;
  limit: string;
  verbosity: number;
  /** The merged variables ansible receives (passwords in clear). */
  extraVars: Record<string, unknown>;
  /** Survey variables shown as `$encrypted$`. */
  surveyPasswords: string[];
  jobTags: string;
  skipTags: string;
  timeout: number;
  diffMode: boolean;
  allowSimultaneous: boolean;
  jobArgs: string[];
  jobCwd: string;
  jobEnv: Record<string, string>;
  executionNode: string;
  workUnitId: string;
  relaunchOf: number | null;
  /** Saved events, in the order the simulated callback receiver stored them. */
  events: SimEvent[];
  /** Number of events the run emitted (AWX `emitted_events`, the websocket summary's final_counter). */
  emittedEvents: number | null;
  /** Events the callback receiver dropped instead of saving (a broken AWX); they still count as processed. */
  lostEvents?: number;
  /** The callback receiver has processed the run's end-of-stream marker (or there never was a run). */
  eventStreamDone: boolean;
  hostSummaries: HostSummary[] | null;
  cancelRequested: boolean;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  query: string;
  status: number;
  user: string | null;
  auth: 'bearer' | 'basic' | 'session' | null;
  durationMs: number;
}
