// JSON representations of job templates and jobs in AWX's field order (awx/api/serializers.py), plus the
// summaries and derived job values the other serializers share.
import { canLaunch, type AuthContext } from './auth';
import { isoZ, nowMs } from './clock';
import { pyJsonDumps } from './pyformat';
import { AWX_VERSION, NODE_NAME, type SimState } from './state';
import { ASK_FLAGS, isActive } from './types';
import type { HostSummary, Inventory, JobTemplate, Organization, Project, SimJob, SimUser } from './types';

export interface SerializeContext {
  state: SimState;
  auth: AuthContext;
}

export const EXECUTION_ENVIRONMENT = {
  id: 1,
  name: `AWX EE (${AWX_VERSION})`,
  description: '',
  image: `quay.io/ansible/awx-ee:${AWX_VERSION}`,
};
export const INSTANCE_GROUP = { id: 2, name: 'default', is_container_group: false };

export const iso = (ms: number | null): string | null => (ms === null ? null : isoZ(ms));

export function userSummary(user: SimUser | undefined): Record<string, unknown> | undefined {
  return user ? { id: user.id, username: user.username, first_name: user.firstName, last_name: user.lastName } : undefined;
}

export function organizationSummary(org: Organization | undefined): Record<string, unknown> | undefined {
  return org ? { id: org.id, name: org.name, description: org.description } : undefined;
}

export function inventorySummary(inv: Inventory | undefined): Record<string, unknown> | undefined {
  if (!inv) return undefined;
  return {
    id: inv.id,
    name: inv.name,
    description: inv.description,
    has_active_failures: false,
    total_hosts: inv.hosts.length,
    hosts_with_active_failures: 0,
    total_groups: 0,
    has_inventory_sources: false,
    total_inventory_sources: 0,
    inventory_sources_with_failures: 0,
    organization_id: inv.organization,
    kind: '',
  };
}

export function projectSummary(project: Project | undefined): Record<string, unknown> | undefined {
  return project
    ? {
        id: project.id,
        name: project.name,
        description: project.description,
        status: 'successful',
        scm_type: project.scmType,
        allow_override: false,
      }
    : undefined;
}

export function compact(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Jobs: derived values

export function elapsedSeconds(job: SimJob, at = nowMs()): number {
  if (job.started === null) return 0;
  const end = job.finished ?? at;
  return Math.round(Math.max(0, end - job.started)) / 1000;
}

export function eventProcessingFinished(job: SimJob): boolean {
  if (isActive(job.status) || job.emittedEvents === null || !job.eventStreamDone) return false;
  return job.events.length + (job.lostEvents ?? 0) >= job.emittedEvents;
}

/** Each host counted once, in the first category it falls into. */
export function hostStatusCounts(summaries: HostSummary[] | null): Record<string, number> | null {
  if (!summaries) return null;
  const counts: Record<string, number> = {};
  for (const s of summaries) {
    const key = s.failures > 0 ? 'failures' : s.dark > 0 ? 'dark' : s.changed > 0 ? 'changed' : s.ok > 0 ? 'ok' : 'skipped';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function playbookCounts(job: SimJob): Record<string, number> {
  let plays = 0;
  let tasks = 0;
  for (const e of job.events) {
    if (e.event === 'playbook_on_play_start') plays += 1;
    else if (e.event === 'playbook_on_task_start') tasks += 1;
  }
  return { play_count: plays, task_count: tasks };
}

/** Job `extra_vars` as AWX shows it: Python `json.dumps`, survey passwords masked. */
export function displayExtraVars(job: SimJob): string {
  const shown: Record<string, unknown> = { ...job.extraVars };
  for (const key of job.surveyPasswords) if (key in shown) shown[key] = '$encrypted$';
  return pyJsonDumps(shown);
}

// ---------------------------------------------------------------------------------------------------------
// Job templates

export function templateStatus(state: SimState, template: JobTemplate): string {
  const jobs = state.jobsOfTemplate(template.id).sort((a, b) => b.id - a.id);
  const current = jobs.find((j) => isActive(j.status));
  if (current) return current.status;
  const last = jobs[0];
  return last ? last.status : 'never updated';
}

function lastFinishedJob(state: SimState, template: JobTemplate): SimJob | undefined {
  return state
    .jobsOfTemplate(template.id)
    .filter((j) => !isActive(j.status))
    .sort((a, b) => b.id - a.id)[0];
}

function jobSummaryForTemplate(job: SimJob): Record<string, unknown> {
  return {
    id: job.id,
    name: job.name,
    description: job.description,
    finished: iso(job.finished),
    status: job.status,
    failed: job.status === 'failed' || job.status === 'error' || job.status === 'canceled',
    license_error: false,
    canceled_on: iso(job.canceledOn),
  };
}

export function templateJson(t: JobTemplate, c: SerializeContext): Record<string, unknown> {
  const { state, auth } = c;
  const p = (...parts: (string | number)[]): string => state.path(...parts);
  const last = lastFinishedJob(state, t);
  const jobs = state.jobsOfTemplate(t.id).sort((a, b) => b.id - a.id);
  const current = jobs.find((j) => isActive(j.status));
  const org = state.organizations[0];
  const creator = state.user(t.createdBy);
  const admin = auth.user.isSuperuser && auth.scope.includes('write');
  const roleBase = 100 + t.id * 3;

  const related = compact({
    named_url: p('job_templates', `${t.name}++${org?.name ?? 'Default'}`),
    created_by: p('users', t.createdBy),
    modified_by: p('users', t.createdBy),
    labels: p('job_templates', t.id, 'labels'),
    inventory: t.inventory === null ? undefined : p('inventories', t.inventory),
    project: p('projects', t.project),
    organization: p('organizations', org?.id ?? 1),
    credentials: p('job_templates', t.id, 'credentials'),
    last_job: last ? p('jobs', last.id) : undefined,
    current_job: current ? p('jobs', current.id) : undefined,
    jobs: p('job_templates', t.id, 'jobs'),
    schedules: p('job_templates', t.id, 'schedules'),
    activity_stream: p('job_templates', t.id, 'activity_stream'),
    launch: p('job_templates', t.id, 'launch'),
    webhook_key: p('job_templates', t.id, 'webhook_key'),
    webhook_receiver: '',
    notification_templates_started: p('job_templates', t.id, 'notification_templates_started'),
    notification_templates_success: p('job_templates', t.id, 'notification_templates_success'),
    notification_templates_error: p('job_templates', t.id, 'notification_templates_error'),
    access_list: p('job_templates', t.id, 'access_list'),
    survey_spec: p('job_templates', t.id, 'survey_spec'),
    object_roles: p('job_templates', t.id, 'object_roles'),
    instance_groups: p('job_templates', t.id, 'instance_groups'),
    slice_workflow_jobs: p('job_templates', t.id, 'slice_workflow_jobs'),
    copy: p('job_templates', t.id, 'copy'),
  });

  const summary = compact({
    organization: organizationSummary(org),
    inventory: inventorySummary(state.inventory(t.inventory)),
    project: projectSummary(state.project(t.project)),
    last_job: last ? jobSummaryForTemplate(last) : undefined,
    last_update: last ? jobSummaryForTemplate(last) : undefined,
    created_by: userSummary(creator),
    modified_by: userSummary(creator),
    object_roles: {
      admin_role: { description: 'Can manage all aspects of the job template', name: 'Admin', id: roleBase },
      execute_role: { description: 'May run the job template', name: 'Execute', id: roleBase + 1 },
      read_role: { description: 'May view settings for the job template', name: 'Read', id: roleBase + 2 },
    },
    user_capabilities: { edit: admin, delete: admin, start: canLaunch(auth), schedule: canLaunch(auth), copy: admin },
    labels: { count: t.labels.length, results: t.labels.slice(0, 10) },
    survey: t.surveySpec ? { title: t.surveySpec.name, description: t.surveySpec.description } : undefined,
    recent_jobs: jobs.slice(0, 10).map((j) => ({
      id: j.id,
      status: j.status,
      finished: iso(j.finished),
      canceled_on: iso(j.canceledOn),
      type: 'job',
    })),
    credentials: [],
  });

  const out: Record<string, unknown> = {
    id: t.id,
    type: 'job_template',
    url: p('job_templates', t.id),
    related,
    summary_fields: summary,
    created: iso(t.created),
    modified: iso(t.modified),
    name: t.name,
    description: t.description,
    job_type: t.jobType,
    inventory: t.inventory,
    project: t.project,
    playbook: t.playbook,
    scm_branch: t.scmBranch,
    forks: t.forks,
    limit: t.limit,
    verbosity: t.verbosity,
    extra_vars: t.extraVars,
    job_tags: t.jobTags,
    force_handlers: false,
    skip_tags: t.skipTags,
    start_at_task: '',
    timeout: t.timeout,
    use_fact_cache: false,
    organization: org?.id ?? 1,
    last_job_run: last ? iso(last.finished) : null,
    last_job_failed: last ? last.status !== 'successful' : false,
    next_job_run: null,
    status: templateStatus(state, t),
    execution_environment: null,
    host_config_key: '',
  };
  for (const flag of ASK_FLAGS) out[flag] = t.ask[flag];
  Object.assign(out, {
    survey_enabled: t.surveyEnabled,
    become_enabled: t.becomeEnabled,
    diff_mode: t.diffMode,
    allow_simultaneous: t.allowSimultaneous,
    custom_virtualenv: null,
    job_slice_count: 1,
    webhook_service: '',
    webhook_credential: null,
    prevent_instance_group_fallback: false,
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Jobs

export function jobJson(job: SimJob, c: SerializeContext, detail: boolean): Record<string, unknown> {
  const { state, auth } = c;
  const p = (...parts: (string | number)[]): string => state.path(...parts);
  const template = state.template(job.templateId);
  const org = state.organizations[0];
  const launcher = state.user(job.launchedBy);
  const project = state.project(job.project);
  const assigned = job.executionNode !== '';
  const failed = job.status === 'failed' || job.status === 'error' || job.status === 'canceled';

  const related = compact({
    created_by: p('users', job.launchedBy),
    labels: p('jobs', job.id, 'labels'),
    inventory: job.inventory === null ? undefined : p('inventories', job.inventory),
    project: p('projects', job.project),
    organization: p('organizations', org?.id ?? 1),
    credentials: p('jobs', job.id, 'credentials'),
    unified_job_template: p('job_templates', job.templateId),
    stdout: p('jobs', job.id, 'stdout'),
    execution_environment: p('execution_environments', EXECUTION_ENVIRONMENT.id),
    job_events: p('jobs', job.id, 'job_events'),
    job_host_summaries: p('jobs', job.id, 'job_host_summaries'),
    activity_stream: p('jobs', job.id, 'activity_stream'),
    notifications: p('jobs', job.id, 'notifications'),
    create_schedule: p('jobs', job.id, 'create_schedule'),
    job_template: p('job_templates', job.templateId),
    cancel: p('jobs', job.id, 'cancel'),
    relaunch: p('jobs', job.id, 'relaunch'),
  });

  const summary = compact({
    organization: organizationSummary(org),
    inventory: inventorySummary(state.inventory(job.inventory)),
    execution_environment: EXECUTION_ENVIRONMENT,
    project: projectSummary(project),
    job_template: template ? { id: template.id, name: template.name, description: template.description } : undefined,
    unified_job_template: template
      ? { id: template.id, name: template.name, description: template.description, unified_job_type: 'job' }
      : undefined,
    instance_group: assigned ? INSTANCE_GROUP : undefined,
    created_by: userSummary(launcher),
    user_capabilities: {
      delete: auth.user.isSuperuser && auth.scope.includes('write') && !isActive(job.status),
      start: canLaunch(auth),
    },
    labels: { count: template?.labels.length ?? 0, results: template?.labels.slice(0, 10) ?? [] },
    credentials: [],
  });

  const out: Record<string, unknown> = {
    id: job.id,
    type: 'job',
    url: p('jobs', job.id),
    related,
    summary_fields: summary,
    created: iso(job.created),
    modified: iso(job.modified),
    name: job.name,
    description: job.description,
    job_type: job.jobType,
    inventory: job.inventory,
    project: job.project,
    playbook: job.playbook,
    scm_branch: job.scmBranch,
    forks: job.forks,
    limit: job.limit,
    verbosity: job.verbosity,
    extra_vars: displayExtraVars(job),
    job_tags: job.jobTags,
    force_handlers: false,
    skip_tags: job.skipTags,
    start_at_task: '',
    timeout: job.timeout,
    use_fact_cache: false,
    organization: org?.id ?? 1,
    unified_job_template: job.templateId,
    launch_type: job.launchType,
    status: job.status,
    execution_environment: EXECUTION_ENVIRONMENT.id,
    failed,
    started: iso(job.started),
    finished: iso(job.finished),
    canceled_on: iso(job.canceledOn),
    elapsed: elapsedSeconds(job),
  };
  if (detail) {
    Object.assign(out, {
      job_args: job.jobArgs.length > 0 ? pyJsonDumps(job.jobArgs) : '',
      job_cwd: job.jobCwd,
      job_env: job.jobEnv,
    });
  }
  out.job_explanation = job.jobExplanation;
  out.execution_node = job.executionNode;
  out.controller_node = assigned ? NODE_NAME : '';
  if (detail) {
    out.result_traceback = job.resultTraceback;
    out.event_processing_finished = eventProcessingFinished(job);
  }
  Object.assign(out, {
    launched_by: launcher ? { id: launcher.id, name: launcher.username, type: 'user', url: p('users', launcher.id) } : {},
    work_unit_id: job.workUnitId === '' ? null : job.workUnitId,
    job_template: job.templateId,
    passwords_needed_to_start: [],
    allow_simultaneous: job.allowSimultaneous,
    artifacts: {},
    scm_revision: job.started !== null ? (project?.scmRevision ?? '') : '',
    instance_group: assigned ? INSTANCE_GROUP.id : null,
    diff_mode: job.diffMode,
    job_slice_number: 0,
    job_slice_count: 1,
    webhook_service: '',
    webhook_credential: null,
    webhook_guid: '',
  });
  if (detail) {
    out.host_status_counts = hostStatusCounts(job.hostSummaries);
    out.playbook_counts = playbookCounts(job);
    out.custom_virtualenv = null;
  }
  return out;
}
