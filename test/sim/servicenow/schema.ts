// Table definitions: just enough dictionary (type, label, reference target, default) to render values the
// way the Table API does and to validate field names in queries. Field order is the order of output keys.

export type FieldType =
  | 'sys_id'
  | 'string'
  | 'integer'
  | 'boolean'
  | 'choice'
  | 'reference'
  | 'glide_list'
  | 'glide_date_time'
  | 'glide_duration'
  | 'journal'
  | 'journal_view'
  | 'domain'
  | 'sys_class_name';

export interface FieldDef {
  readonly name: string;
  readonly type: FieldType;
  readonly label: string;
  /** Target table of reference and glide_list fields. */
  readonly reference?: string;
  /** Integer choice lists (state, impact…) compare and sort numerically. */
  readonly numeric?: boolean;
  readonly defaultValue?: string;
  /** Not writable through the API (sys_* columns, number). */
  readonly readOnly?: boolean;
}

export interface TableDef {
  readonly name: string;
  readonly label: string;
  /** The field whose value is the record's display value (what a reference to it shows). */
  readonly displayField: string;
  readonly numberPrefix?: string;
  /** Table this one extends, for INSTANCEOF. */
  readonly parent?: string;
  readonly fields: ReadonlyMap<string, FieldDef>;
}

type Spec = Omit<FieldDef, 'name'>;

const str = (label: string, defaultValue?: string): Spec => ({
  type: 'string',
  label,
  ...(defaultValue !== undefined ? { defaultValue } : {}),
});
const int = (label: string, defaultValue = '0'): Spec => ({ type: 'integer', label, defaultValue });
const bool = (label: string, defaultValue = 'false'): Spec => ({ type: 'boolean', label, defaultValue });
const date = (label: string): Spec => ({ type: 'glide_date_time', label });
const ref = (label: string, reference: string): Spec => ({ type: 'reference', label, reference });
const choice = (label: string, defaultValue?: string): Spec => ({
  type: 'choice',
  label,
  ...(defaultValue !== undefined ? { defaultValue } : {}),
});
const intChoice = (label: string, defaultValue?: string): Spec => ({
  type: 'choice',
  label,
  numeric: true,
  ...(defaultValue !== undefined ? { defaultValue } : {}),
});

const SYS_FIELDS: Record<string, Spec> = {
  sys_id: { type: 'sys_id', label: 'Sys ID', readOnly: true },
  sys_created_on: { type: 'glide_date_time', label: 'Created', readOnly: true },
  sys_created_by: { type: 'string', label: 'Created by', readOnly: true },
  sys_updated_on: { type: 'glide_date_time', label: 'Updated', readOnly: true },
  sys_updated_by: { type: 'string', label: 'Updated by', readOnly: true },
  sys_mod_count: { type: 'integer', label: 'Updates', readOnly: true, defaultValue: '0' },
};

// Columns every task-derived table shares.
const TASK_FIELDS: Record<string, Spec> = {
  number: { type: 'string', label: 'Number', readOnly: true },
  short_description: str('Short description'),
  description: str('Description'),
  active: bool('Active', 'true'),
  impact: intChoice('Impact', '3'),
  urgency: intChoice('Urgency', '3'),
  priority: intChoice('Priority', '5'),
  assignment_group: ref('Assignment group', 'sys_user_group'),
  assigned_to: ref('Assigned to', 'sys_user'),
  cmdb_ci: ref('Configuration item', 'cmdb_ci'),
  business_service: ref('Service', 'cmdb_ci_service'),
  opened_at: date('Opened'),
  opened_by: ref('Opened by', 'sys_user'),
  closed_at: date('Closed'),
  closed_by: ref('Closed by', 'sys_user'),
  close_notes: str('Close notes'),
  watch_list: { type: 'glide_list', label: 'Watch list', reference: 'sys_user' },
  work_notes: { type: 'journal', label: 'Work notes' },
  comments: { type: 'journal', label: 'Additional comments' },
  comments_and_work_notes: { type: 'journal_view', label: 'Comments and Work notes', readOnly: true },
  sys_class_name: { type: 'sys_class_name', label: 'Task type', readOnly: true },
  sys_domain: { type: 'domain', label: 'Domain', reference: 'sys_user_group', defaultValue: 'global' },
  sys_domain_path: { type: 'string', label: 'Domain Path', defaultValue: '/', readOnly: true },
};

function table(
  name: string,
  label: string,
  displayField: string,
  specs: Record<string, Spec>,
  extra: { numberPrefix?: string; parent?: string } = {},
): TableDef {
  const fields = new Map<string, FieldDef>();
  for (const [fieldName, spec] of Object.entries({ ...SYS_FIELDS, ...specs })) fields.set(fieldName, { name: fieldName, ...spec });
  return { name, label, displayField, fields, ...extra };
}

const incident = table(
  'incident',
  'Incident',
  'number',
  {
    ...TASK_FIELDS,
    state: intChoice('State', '1'),
    incident_state: intChoice('Incident state', '1'),
    hold_reason: intChoice('On hold reason'),
    severity: intChoice('Severity', '3'),
    category: choice('Category', 'inquiry'),
    subcategory: choice('Subcategory'),
    contact_type: choice('Channel', 'phone'),
    caller_id: ref('Caller', 'sys_user'),
    resolved_at: date('Resolved'),
    resolved_by: ref('Resolved by', 'sys_user'),
    close_code: choice('Resolution code'),
    calendar_duration: { type: 'glide_duration', label: 'Duration' },
    escalation: intChoice('Escalation', '0'),
    reassignment_count: int('Reassignment count'),
    reopen_count: int('Reopen count'),
    made_sla: bool('Made SLA', 'true'),
    sla_due: date('SLA due'),
    parent_incident: ref('Parent Incident', 'incident'),
    child_incidents: int('Child Incidents'),
    rfc: ref('Change Request', 'change_request'),
    caused_by: ref('Caused by Change', 'change_request'),
    u_alert_name: str('Alert name'),
    u_alert_instance: str('Alert instance'),
    u_alert_source: str('Alert source'),
  },
  { numberPrefix: 'INC', parent: 'task' },
);

const changeRequest = table(
  'change_request',
  'Change Request',
  'number',
  {
    ...TASK_FIELDS,
    type: choice('Type', 'normal'),
    state: intChoice('State', '-5'),
    approval: choice('Approval', 'not requested'),
    risk: intChoice('Risk', '3'),
    category: choice('Category', 'Other'),
    requested_by: ref('Requested by', 'sys_user'),
    start_date: date('Planned start date'),
    end_date: date('Planned end date'),
    work_start: date('Actual start'),
    work_end: date('Actual end'),
    close_code: choice('Close code'),
    on_hold: bool('On hold'),
    on_hold_reason: str('On hold reason'),
    justification: str('Justification'),
    implementation_plan: str('Implementation plan'),
    backout_plan: str('Backout plan'),
    test_plan: str('Test plan'),
  },
  { numberPrefix: 'CHG', parent: 'task' },
);

const sysUser = table('sys_user', 'User', 'name', {
  user_name: str('User ID'),
  first_name: str('First name'),
  last_name: str('Last name'),
  name: str('Name'),
  email: str('Email'),
  title: str('Title'),
  phone: str('Business phone'),
  mobile_phone: str('Mobile phone'),
  manager: ref('Manager', 'sys_user'),
  time_zone: choice('Time zone'),
  vip: bool('VIP'),
  active: bool('Active', 'true'),
  locked_out: bool('Locked out'),
});

const sysUserGroup = table('sys_user_group', 'Group', 'name', {
  name: str('Name'),
  description: str('Description'),
  email: str('Group email'),
  manager: ref('Manager', 'sys_user'),
  parent: ref('Parent', 'sys_user_group'),
  active: bool('Active', 'true'),
});

const sysUserGrmember = table('sys_user_grmember', 'Group Member', 'sys_id', {
  user: ref('User', 'sys_user'),
  group: ref('Group', 'sys_user_group'),
});

const cmdbCi = table('cmdb_ci', 'Configuration Item', 'name', {
  name: str('Name'),
  sys_class_name: { type: 'sys_class_name', label: 'Class' },
  short_description: str('Description'),
  host_name: str('Host name'),
  fqdn: str('Fully qualified domain name'),
  ip_address: str('IP Address'),
  environment: choice('Environment'),
  operational_status: intChoice('Operational status', '1'),
  install_status: intChoice('Status', '1'),
  support_group: ref('Support group', 'sys_user_group'),
  managed_by: ref('Managed by', 'sys_user'),
  owned_by: ref('Owned by', 'sys_user'),
});

const cmdbCiService = table(
  'cmdb_ci_service',
  'Business Service',
  'name',
  {
    name: str('Name'),
    short_description: str('Description'),
    busines_criticality: choice('Business criticality'),
    operational_status: intChoice('Operational status', '1'),
    support_group: ref('Support group', 'sys_user_group'),
    owned_by: ref('Owned by', 'sys_user'),
    service_classification: choice('Service classification', 'Business Service'),
  },
  { parent: 'cmdb_ci' },
);

const sysChoice = table('sys_choice', 'Choices', 'label', {
  name: str('Table'),
  element: str('Element'),
  language: str('Language', 'en'),
  value: str('Value'),
  label: str('Label'),
  sequence: int('Sequence'),
  inactive: bool('Inactive'),
  dependent_value: str('Dependent value'),
});

// Metrics (the platform's metric_definition / metric_instance): OOB incident metrics such as "Assigned to
// Duration" record when a field took a value (start) and when it lost it (end).
const metricDefinition = table('metric_definition', 'Metric Definition', 'name', {
  name: str('Name'),
  table: str('Table'),
  field: str('Field'),
  type: choice('Type', 'field_value_duration'),
  active: bool('Active', 'true'),
});

const metricInstance = table('metric_instance', 'Metric', 'id', {
  definition: ref('Definition', 'metric_definition'),
  id: str('ID'),
  table: str('Table'),
  field: str('Field'),
  field_value: str('Field value'),
  value: str('Value'),
  start: date('Start'),
  end: date('End'),
  calculation_complete: bool('Calculation complete'),
});

// Journal rows are append-only; they have no sys_updated_* columns on a real instance either.
const journal: TableDef = (() => {
  const fields = new Map<string, FieldDef>();
  const specs: Record<string, Spec> = {
    sys_id: { type: 'sys_id', label: 'Sys ID', readOnly: true },
    element_id: str('Element ID'),
    element: str('Element'),
    name: str('Name'),
    value: str('Value'),
    sys_created_on: { type: 'glide_date_time', label: 'Created', readOnly: true },
    sys_created_by: { type: 'string', label: 'Created by', readOnly: true },
  };
  for (const [fieldName, spec] of Object.entries(specs)) fields.set(fieldName, { name: fieldName, ...spec });
  return { name: 'sys_journal_field', label: 'Journal Entry', displayField: 'value', fields };
})();

export const TABLES: readonly TableDef[] = [
  incident,
  changeRequest,
  sysUser,
  sysUserGroup,
  sysUserGrmember,
  cmdbCi,
  cmdbCiService,
  sysChoice,
  journal,
  metricDefinition,
  metricInstance,
];

/** Table labels for sys_class_name display values. */
export const CLASS_LABELS: Readonly<Record<string, string>> = {
  incident: 'Incident',
  change_request: 'Change Request',
  task: 'Task',
  cmdb_ci: 'Configuration Item',
  cmdb_ci_server: 'Server',
  cmdb_ci_linux_server: 'Linux Server',
  cmdb_ci_win_server: 'Windows Server',
  cmdb_ci_lb: 'Load Balancer',
  cmdb_ci_ip_switch: 'IP Switch',
  cmdb_ci_ip_router: 'IP Router',
  cmdb_ci_db_instance: 'Database Instance',
  cmdb_ci_storage_server: 'Storage Server',
  cmdb_ci_service: 'Business Service',
};

/** Class hierarchy for INSTANCEOF. */
export const CLASS_PARENTS: Readonly<Record<string, string>> = {
  incident: 'task',
  change_request: 'task',
  cmdb_ci_server: 'cmdb_ci',
  cmdb_ci_linux_server: 'cmdb_ci_server',
  cmdb_ci_win_server: 'cmdb_ci_server',
  cmdb_ci_storage_server: 'cmdb_ci_server',
  cmdb_ci_lb: 'cmdb_ci',
  cmdb_ci_ip_switch: 'cmdb_ci',
  cmdb_ci_ip_router: 'cmdb_ci',
  cmdb_ci_db_instance: 'cmdb_ci',
  cmdb_ci_service: 'cmdb_ci',
};

export function isInstanceOf(className: string, ancestor: string): boolean {
  let current: string | undefined = className;
  while (current !== undefined) {
    if (current === ancestor) return true;
    current = CLASS_PARENTS[current];
  }
  return false;
}
