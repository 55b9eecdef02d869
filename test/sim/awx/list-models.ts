// Filterable fields of each list, named as AWX's models name them (relation paths joined with `__`).
import { isoZ } from './clock';
import { field, type ListModel } from './list-query';
import { elapsedSeconds, templateStatus } from './serialize';
import type { SimState } from './state';
import type { Inventory, InventoryHost, JobTemplate, Organization, Project, SimEvent, SimJob, SimToken, SimUser } from './types';

const iso = (ms: number | null): string | null => (ms === null ? null : isoZ(ms));

export function templateModel(state: SimState): ListModel<JobTemplate> {
  return {
    name: 'JobTemplate',
    searchFields: ['name', 'description'],
    defaultOrder: ['name'],
    fields: {
      id: field.int((t) => t.id),
      name: field.str((t) => t.name),
      description: field.str((t) => t.description),
      created: field.datetime((t) => iso(t.created)),
      modified: field.datetime((t) => iso(t.modified)),
      playbook: field.str((t) => t.playbook),
      job_type: field.str((t) => t.jobType),
      inventory: field.int((t) => t.inventory),
      inventory__name: field.str((t) => state.inventory(t.inventory)?.name ?? null),
      project: field.int((t) => t.project),
      project__name: field.str((t) => state.project(t.project)?.name ?? null),
      organization: field.int(() => 1),
      organization__name: field.str(() => state.organizations[0]?.name ?? null),
      survey_enabled: field.bool((t) => t.surveyEnabled),
      allow_simultaneous: field.bool((t) => t.allowSimultaneous),
      ask_variables_on_launch: field.bool((t) => t.ask.ask_variables_on_launch),
      ask_limit_on_launch: field.bool((t) => t.ask.ask_limit_on_launch),
      ask_inventory_on_launch: field.bool((t) => t.ask.ask_inventory_on_launch),
      status: field.str((t) => templateStatus(state, t)),
      labels__name: field.str((t) => t.labels.map((l) => l.name).join(',') || null),
      created_by: field.int((t) => t.createdBy),
    },
  };
}

export function jobModel(state: SimState): ListModel<SimJob> {
  return {
    name: 'Job',
    searchFields: ['name', 'description'],
    defaultOrder: ['id'],
    fields: {
      id: field.int((j) => j.id),
      name: field.str((j) => j.name),
      description: field.str((j) => j.description),
      status: field.str((j) => j.status),
      failed: field.bool((j) => j.status === 'failed' || j.status === 'error' || j.status === 'canceled'),
      created: field.datetime((j) => iso(j.created)),
      modified: field.datetime((j) => iso(j.modified)),
      started: field.datetime((j) => iso(j.started)),
      finished: field.datetime((j) => iso(j.finished)),
      canceled_on: field.datetime((j) => iso(j.canceledOn)),
      elapsed: field.float((j) => elapsedSeconds(j)),
      launch_type: field.str((j) => j.launchType),
      job_type: field.str((j) => j.jobType),
      playbook: field.str((j) => j.playbook),
      limit: field.str((j) => j.limit),
      job_template: field.int((j) => j.templateId),
      job_template__name: field.str((j) => state.template(j.templateId)?.name ?? null),
      unified_job_template: field.int((j) => j.templateId),
      inventory: field.int((j) => j.inventory),
      inventory__name: field.str((j) => state.inventory(j.inventory)?.name ?? null),
      project: field.int((j) => j.project),
      created_by: field.int((j) => j.launchedBy),
      created_by__username: field.str((j) => state.user(j.launchedBy)?.username ?? null),
      launched_by: field.int((j) => j.launchedBy),
      execution_node: field.str((j) => j.executionNode),
    },
  };
}

export const eventModel: ListModel<SimEvent> = {
  name: 'JobEvent',
  searchFields: ['stdout'],
  defaultOrder: ['start_line'],
  fields: {
    id: field.int((e) => e.id),
    counter: field.int((e) => e.counter),
    event: field.str((e) => e.event),
    failed: field.bool((e) => e.failed),
    changed: field.bool((e) => e.changed),
    uuid: field.str((e) => e.uuid),
    parent_uuid: field.str((e) => e.parentUuid),
    host: field.int((e) => e.host),
    host_name: field.str((e) => e.hostName),
    host__name: field.str((e) => (e.host === null ? null : e.hostName)),
    playbook: field.str((e) => e.playbook),
    play: field.str((e) => e.play),
    task: field.str((e) => e.task),
    role: field.str((e) => e.role),
    stdout: field.str((e) => e.stdout),
    start_line: field.int((e) => e.startLine),
    end_line: field.int((e) => e.endLine),
    event_level: field.int((e) => e.eventLevel),
    verbosity: field.int((e) => e.verbosity),
    created: field.datetime((e) => iso(e.created)),
    modified: field.datetime((e) => iso(e.modified)),
    job: field.int((e) => e.job),
  },
};

export const userModel: ListModel<SimUser> = {
  name: 'User',
  searchFields: ['username', 'first_name', 'last_name', 'email'],
  defaultOrder: ['username'],
  fields: {
    id: field.int((u) => u.id),
    username: field.str((u) => u.username),
    first_name: field.str((u) => u.firstName),
    last_name: field.str((u) => u.lastName),
    email: field.str((u) => u.email),
    is_superuser: field.bool((u) => u.isSuperuser),
    is_system_auditor: field.bool((u) => u.isSystemAuditor),
  },
};

export const tokenModel: ListModel<SimToken> = {
  name: 'OAuth2AccessToken',
  searchFields: ['description'],
  defaultOrder: ['id'],
  fields: {
    id: field.int((t) => t.id),
    description: field.str((t) => t.description),
    scope: field.str((t) => t.scope),
    user: field.int((t) => t.userId),
  },
};

const named = <T extends { id: number; name: string; description?: string }>(modelName: string): ListModel<T> => ({
  name: modelName,
  searchFields: ['name', 'description'],
  defaultOrder: ['name'],
  fields: {
    id: field.int((o: T) => o.id),
    name: field.str((o: T) => o.name),
    description: field.str((o: T) => o.description ?? ''),
  },
});

export const inventoryModel = named<Inventory>('Inventory');
export const projectModel = named<Project>('Project');
export const organizationModel = named<Organization>('Organization');
export const hostModel = named<InventoryHost>('Host');
