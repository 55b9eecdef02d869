// JSON representations of users, tokens and the objects job templates point at (organizations, inventories,
// hosts, projects), in AWX's field order.
import { iso, inventorySummary, organizationSummary, userSummary, type SerializeContext } from './serialize';
import type { Inventory, InventoryHost, Organization, Project, SimToken, SimUser } from './types';

export function userJson(u: SimUser, c: SerializeContext): Record<string, unknown> {
  const p = (...parts: (string | number)[]): string => c.state.path(...parts);
  const admin = c.auth.user.isSuperuser;
  const rel = (name: string): string => p('users', u.id, name);
  return {
    id: u.id,
    type: 'user',
    url: p('users', u.id),
    related: {
      teams: rel('teams'),
      organizations: rel('organizations'),
      admin_of_organizations: rel('admin_of_organizations'),
      projects: rel('projects'),
      credentials: rel('credentials'),
      roles: rel('roles'),
      activity_stream: rel('activity_stream'),
      access_list: rel('access_list'),
      tokens: rel('tokens'),
      authorized_tokens: rel('authorized_tokens'),
      personal_tokens: rel('personal_tokens'),
    },
    summary_fields: { user_capabilities: { edit: admin || u.id === c.auth.user.id, delete: admin && u.id !== c.auth.user.id } },
    created: iso(u.created),
    modified: iso(u.created),
    username: u.username,
    first_name: u.firstName,
    last_name: u.lastName,
    email: u.email,
    is_superuser: u.isSuperuser,
    is_system_auditor: u.isSystemAuditor,
    password: '$encrypted$',
    ldap_dn: '',
    last_login: iso(u.lastLogin),
    external_account: null,
  };
}

export function tokenJson(t: SimToken, c: SerializeContext, reveal: boolean): Record<string, unknown> {
  const p = (...parts: (string | number)[]): string => c.state.path(...parts);
  const user = c.state.user(t.userId);
  return {
    id: t.id,
    type: 'o_auth2_access_token',
    url: p('tokens', t.id),
    related: { user: p('users', t.userId), activity_stream: p('tokens', t.id, 'activity_stream') },
    summary_fields: { user: userSummary(user) },
    created: iso(t.created),
    modified: iso(t.created),
    description: t.description,
    user: t.userId,
    token: reveal ? t.token : '************',
    refresh_token: reveal ? null : '************',
    application: null,
    // ACCESS_TOKEN_EXPIRE_SECONDS defaults to 31536000000 s (about 1000 years).
    expires: iso(t.created + 31_536_000_000_000),
    scope: t.scope,
  };
}

export function inventoryJson(inv: Inventory, c: SerializeContext): Record<string, unknown> {
  const p = (...parts: (string | number)[]): string => c.state.path(...parts);
  return {
    id: inv.id,
    type: 'inventory',
    url: p('inventories', inv.id),
    related: {
      hosts: p('inventories', inv.id, 'hosts'),
      organization: p('organizations', inv.organization),
      job_templates: p('inventories', inv.id, 'job_templates'),
    },
    summary_fields: {
      organization: organizationSummary(c.state.organizations.find((o) => o.id === inv.organization)),
      user_capabilities: {
        edit: c.auth.user.isSuperuser,
        delete: c.auth.user.isSuperuser,
        copy: c.auth.user.isSuperuser,
        adhoc: c.auth.user.isSuperuser,
      },
    },
    created: iso(c.state.startedAt),
    modified: iso(c.state.startedAt),
    name: inv.name,
    description: inv.description,
    organization: inv.organization,
    kind: '',
    host_filter: null,
    variables: '---',
    has_active_failures: false,
    total_hosts: inv.hosts.length,
    hosts_with_active_failures: 0,
    total_groups: 0,
    has_inventory_sources: false,
    total_inventory_sources: 0,
    inventory_sources_with_failures: 0,
    pending_deletion: false,
    prevent_instance_group_fallback: false,
  };
}

export function hostJson(host: InventoryHost, inv: Inventory, c: SerializeContext): Record<string, unknown> {
  const p = (...parts: (string | number)[]): string => c.state.path(...parts);
  return {
    id: host.id,
    type: 'host',
    url: p('hosts', host.id),
    related: { inventory: p('inventories', inv.id), job_events: p('hosts', host.id, 'job_events') },
    summary_fields: { inventory: inventorySummary(inv) },
    created: iso(c.state.startedAt),
    modified: iso(c.state.startedAt),
    name: host.name,
    description: '',
    inventory: inv.id,
    enabled: true,
    instance_id: '',
    variables: '',
    has_active_failures: false,
    has_inventory_sources: false,
    last_job: null,
    last_job_host_summary: null,
    ansible_facts_modified: null,
  };
}

export function projectJson(project: Project, c: SerializeContext): Record<string, unknown> {
  const p = (...parts: (string | number)[]): string => c.state.path(...parts);
  return {
    id: project.id,
    type: 'project',
    url: p('projects', project.id),
    related: { organization: p('organizations', project.organization), playbooks: p('projects', project.id, 'playbooks') },
    summary_fields: { organization: organizationSummary(c.state.organizations[0]) },
    created: iso(c.state.startedAt),
    modified: iso(c.state.startedAt),
    name: project.name,
    description: project.description,
    local_path: `_${project.id}__${project.name.toLowerCase().replace(/\W+/g, '_')}`,
    scm_type: project.scmType,
    scm_url: project.scmUrl,
    scm_branch: '',
    scm_refspec: '',
    scm_clean: false,
    scm_track_submodules: false,
    scm_delete_on_update: false,
    credential: null,
    timeout: 0,
    scm_revision: project.scmRevision,
    last_job_run: iso(c.state.startedAt),
    last_job_failed: false,
    next_job_run: null,
    status: 'successful',
    organization: project.organization,
    scm_update_on_launch: false,
    scm_update_cache_timeout: 0,
    allow_override: false,
    custom_virtualenv: null,
    default_environment: null,
    signature_validation_credential: null,
    last_update_failed: false,
    last_updated: iso(c.state.startedAt),
  };
}

export function organizationJson(org: Organization, c: SerializeContext): Record<string, unknown> {
  const p = (...parts: (string | number)[]): string => c.state.path(...parts);
  return {
    id: org.id,
    type: 'organization',
    url: p('organizations', org.id),
    related: { job_templates: p('organizations', org.id, 'job_templates'), inventories: p('organizations', org.id, 'inventories') },
    summary_fields: { user_capabilities: { edit: c.auth.user.isSuperuser, delete: c.auth.user.isSuperuser } },
    created: iso(c.state.startedAt),
    modified: iso(c.state.startedAt),
    name: org.name,
    description: org.description,
    max_hosts: 0,
    custom_virtualenv: null,
    default_environment: null,
  };
}
