// Job template launch: the GET payload a client uses to decide whether to prompt, and the POST rules
// (prompted fields accepted, unprompted ones echoed in `ignored_fields`, survey errors blocking).
import { badRequest } from './http-kit';
import type { SimState } from './state';
import { acceptOrIgnoreVariables, mergeJobVars, parseRuntimeVars, surveyActive, variablesNeededToStart } from './survey';
import { ASK_FLAGS, type AskFlag, type JobTemplate } from './types';

/** Launch body field → the flag that must be on for the field to count. */
const PROMPTS: [string, AskFlag][] = [
  ['inventory', 'ask_inventory_on_launch'],
  ['limit', 'ask_limit_on_launch'],
  ['scm_branch', 'ask_scm_branch_on_launch'],
  ['job_tags', 'ask_tags_on_launch'],
  ['skip_tags', 'ask_skip_tags_on_launch'],
  ['job_type', 'ask_job_type_on_launch'],
  ['verbosity', 'ask_verbosity_on_launch'],
  ['diff_mode', 'ask_diff_mode_on_launch'],
  ['credentials', 'ask_credential_on_launch'],
  ['execution_environment', 'ask_execution_environment_on_launch'],
  ['labels', 'ask_labels_on_launch'],
  ['forks', 'ask_forks_on_launch'],
  ['job_slice_count', 'ask_job_slice_count_on_launch'],
  ['timeout', 'ask_timeout_on_launch'],
  ['instance_groups', 'ask_instance_groups_on_launch'],
];

export function launchInfo(state: SimState, t: JobTemplate): Record<string, unknown> {
  const needed = variablesNeededToStart(t);
  const prompting = ASK_FLAGS.some((flag) => t.ask[flag]);
  const inventory = state.inventory(t.inventory);
  const out: Record<string, unknown> = {
    can_start_without_user_input: !prompting && needed.length === 0,
    passwords_needed_to_start: [],
  };
  for (const flag of ASK_FLAGS) out[flag] = t.ask[flag];
  const defaults: Record<string, unknown> = {
    extra_vars: t.extraVars,
    diff_mode: t.diffMode,
    limit: t.limit,
    job_tags: t.jobTags,
    skip_tags: t.skipTags,
    job_type: t.jobType,
    verbosity: t.verbosity,
    inventory: inventory ? { name: inventory.name, id: inventory.id } : {},
    scm_branch: t.scmBranch,
    execution_environment: {},
    forks: t.forks,
    job_slice_count: 1,
    timeout: t.timeout,
    instance_groups: [],
  };
  if (t.labels.length > 0) defaults.labels = t.labels.map((l) => ({ id: l.id, name: l.name }));
  Object.assign(out, {
    survey_enabled: surveyActive(t),
    variables_needed_to_start: needed,
    credential_needed_to_start: false,
    inventory_needed_to_start: t.inventory === null,
    job_template_data: { name: t.name, id: t.id, description: t.description },
    defaults,
  });
  return out;
}

/** What a launch (or relaunch) asks the job to run with. */
export interface JobRequest {
  inventory: number | null;
  limit: string;
  scmBranch: string;
  jobTags: string;
  skipTags: string;
  jobType: 'run' | 'check';
  verbosity: number;
  diffMode: boolean;
  forks: number;
  timeout: number;
  extraVars: Record<string, unknown>;
  surveyPasswords: string[];
}

export interface LaunchDecision {
  request: JobRequest;
  ignoredFields: Record<string, unknown>;
}

type FieldErrors = Record<string, string[]>;

function templateValue(t: JobTemplate, fieldName: string): unknown {
  switch (fieldName) {
    case 'inventory':
      return t.inventory;
    case 'limit':
      return t.limit;
    case 'scm_branch':
      return t.scmBranch;
    case 'job_tags':
      return t.jobTags;
    case 'skip_tags':
      return t.skipTags;
    case 'job_type':
      return t.jobType;
    case 'verbosity':
      return t.verbosity;
    case 'diff_mode':
      return t.diffMode;
    case 'forks':
      return t.forks;
    case 'timeout':
      return t.timeout;
    case 'job_slice_count':
      return 1;
    case 'credentials':
    case 'labels':
    case 'instance_groups':
      return [];
    default:
      return null;
  }
}

function validatePrompt(state: SimState, name: string, value: unknown, errors: FieldErrors): unknown {
  const fail = (message: string): undefined => {
    errors[name] = [message];
    return undefined;
  };
  switch (name) {
    case 'inventory': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return fail(`Incorrect type. Expected pk value, received ${typeof value === 'string' ? 'str' : typeof value}.`);
      }
      if (!state.inventory(value)) return fail(`Invalid pk "${value}" - object does not exist.`);
      return value;
    }
    case 'limit':
    case 'scm_branch':
    case 'job_tags':
    case 'skip_tags':
      return typeof value === 'string' ? value : fail('Not a valid string.');
    case 'job_type':
      return value === 'run' || value === 'check' ? value : fail(`"${String(value)}" is not a valid choice.`);
    case 'verbosity':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 5
        ? value
        : fail(`"${String(value)}" is not a valid choice.`);
    case 'diff_mode':
      return typeof value === 'boolean' ? value : fail('Must be a valid boolean.');
    case 'forks':
    case 'timeout':
    case 'job_slice_count':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fail('A valid integer is required.');
    default:
      return Array.isArray(value) ? value : fail(`Expected a list of items but got type "${typeof value}".`);
  }
}

export function decideLaunch(state: SimState, t: JobTemplate, body: Record<string, unknown>): LaunchDecision {
  const errors: FieldErrors = {};
  const ignored: Record<string, unknown> = {};
  const accepted: Record<string, unknown> = {};
  const data = { ...body };
  if ('inventory_id' in data && !('inventory' in data)) data.inventory = data.inventory_id;

  for (const [name, flag] of PROMPTS) {
    if (!(name in data)) continue;
    const value = data[name];
    if (t.ask[flag]) {
      const valid = validatePrompt(state, name, value, errors);
      if (valid !== undefined) accepted[name] = valid;
    } else if (JSON.stringify(value) !== JSON.stringify(templateValue(t, name))) {
      ignored[name] = value;
    }
  }

  const runtime = parseRuntimeVars(data.extra_vars);
  const verdict = acceptOrIgnoreVariables(t, runtime);
  if (verdict.surveyErrors.length > 0) errors.variables_needed_to_start = verdict.surveyErrors;
  if (Object.keys(verdict.rejected).length > 0) ignored.extra_vars = verdict.rejected;

  const inventory = (accepted.inventory as number | undefined) ?? t.inventory;
  if (inventory === null) errors.resources_needed_to_start = ['Job Template inventory is missing or undefined.'];
  if (Object.keys(errors).length > 0) throw badRequest(errors);

  const merged = mergeJobVars(t, verdict.accepted);
  const pick = <V>(name: string, fallback: V): V => (name in accepted ? (accepted[name] as V) : fallback);
  return {
    request: {
      inventory,
      limit: pick('limit', t.limit),
      scmBranch: pick('scm_branch', t.scmBranch),
      jobTags: pick('job_tags', t.jobTags),
      skipTags: pick('skip_tags', t.skipTags),
      jobType: pick('job_type', t.jobType),
      verbosity: pick('verbosity', t.verbosity),
      diffMode: pick('diff_mode', t.diffMode),
      forks: pick('forks', t.forks),
      timeout: pick('timeout', t.timeout),
      extraVars: merged.vars,
      surveyPasswords: merged.passwordVariables,
    },
    ignoredFields: ignored,
  };
}
