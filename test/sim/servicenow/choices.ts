// Choice lists as an out-of-box instance ships them (values are what the API stores, labels what it shows).
// They are served from sys_choice so clients can discover codes, and drive display values and data policies.

export interface ChoiceSpec {
  value: string;
  label: string;
  inactive?: boolean;
  dependentValue?: string;
}

const list = (...pairs: [string, string][]): ChoiceSpec[] => pairs.map(([value, label]) => ({ value, label }));

const impactUrgency = list(['1', '1 - High'], ['2', '2 - Medium'], ['3', '3 - Low']);
const priority = list(['1', '1 - Critical'], ['2', '2 - High'], ['3', '3 - Moderate'], ['4', '4 - Low'], ['5', '5 - Planning']);

const incidentState = list(['1', 'New'], ['2', 'In Progress'], ['3', 'On Hold'], ['6', 'Resolved'], ['7', 'Closed'], ['8', 'Canceled']);

// Current close codes are active; the pre-2023 ones are kept inactive because old data and old clients
// still carry them, and the data policy must treat them as missing.
const incidentCloseCodes: ChoiceSpec[] = [
  ...list(
    ['Duplicate', 'Duplicate'],
    ['Known error', 'Known error'],
    ['No resolution provided', 'No resolution provided'],
    ['Resolved by caller', 'Resolved by caller'],
    ['Resolved by change', 'Resolved by change'],
    ['Resolved by problem', 'Resolved by problem'],
    ['Resolved by request', 'Resolved by request'],
    ['Solution provided', 'Solution provided'],
    ['Workaround provided', 'Workaround provided'],
    ['User error', 'User error'],
  ),
  ...[
    'Solved (Work Around)',
    'Solved (Permanently)',
    'Solved Remotely (Work Around)',
    'Solved Remotely (Permanently)',
    'Not Solved (Not Reproducible)',
    'Not Solved (Too Costly)',
    'Closed/Resolved by Caller',
  ].map((v) => ({ value: v, label: v, inactive: true })),
];

const subcategories: ChoiceSpec[] = [
  ...list(['antivirus', 'Antivirus'], ['email', 'Email'], ['internal application', 'Internal Application']).map((c) => ({
    ...c,
    dependentValue: 'software',
  })),
  ...list(['cpu', 'CPU'], ['disk', 'Disk'], ['keyboard', 'Keyboard'], ['memory', 'Memory'], ['monitor', 'Monitor'], ['mouse', 'Mouse']).map(
    (c) => ({
      ...c,
      dependentValue: 'hardware',
    }),
  ),
  ...list(['dhcp', 'DHCP'], ['dns', 'DNS'], ['ip address', 'IP Address'], ['vpn', 'VPN'], ['wireless', 'Wireless']).map((c) => ({
    ...c,
    dependentValue: 'network',
  })),
  ...list(['db2', 'DB2'], ['sql server', 'MS SQL Server'], ['oracle', 'Oracle'], ['postgresql', 'PostgreSQL']).map((c) => ({
    ...c,
    dependentValue: 'database',
  })),
];

export const CHOICES: Readonly<Record<string, Readonly<Record<string, readonly ChoiceSpec[]>>>> = {
  incident: {
    state: incidentState,
    incident_state: incidentState,
    hold_reason: list(['1', 'Awaiting Caller'], ['3', 'Awaiting Problem'], ['4', 'Awaiting Vendor'], ['5', 'Awaiting Change']),
    impact: impactUrgency,
    urgency: impactUrgency,
    priority,
    severity: list(['1', '1 - High'], ['2', '2 - Medium'], ['3', '3 - Low']),
    category: list(
      ['inquiry', 'Inquiry / Help'],
      ['software', 'Software'],
      ['hardware', 'Hardware'],
      ['network', 'Network'],
      ['database', 'Database'],
    ),
    subcategory: subcategories,
    contact_type: list(
      ['email', 'Email'],
      ['phone', 'Phone'],
      ['self-service', 'Self-service'],
      ['walk-in', 'Walk-in'],
      ['chat', 'Chat'],
      ['virtual_agent', 'Virtual Agent'],
      ['monitoring', 'Monitoring'],
    ),
    close_code: incidentCloseCodes,
    escalation: list(['0', 'Normal'], ['1', 'Moderate'], ['2', 'High'], ['3', 'Overdue']),
  },
  change_request: {
    state: list(
      ['-5', 'New'],
      ['-4', 'Assess'],
      ['-3', 'Authorize'],
      ['-2', 'Scheduled'],
      ['-1', 'Implement'],
      ['0', 'Review'],
      ['3', 'Closed'],
      ['4', 'Canceled'],
    ),
    type: list(['standard', 'Standard'], ['normal', 'Normal'], ['emergency', 'Emergency']),
    approval: list(['not requested', 'Not Yet Requested'], ['requested', 'Requested'], ['approved', 'Approved'], ['rejected', 'Rejected']),
    risk: list(['1', 'Very High'], ['2', 'High'], ['3', 'Moderate'], ['4', 'Low']),
    impact: impactUrgency,
    urgency: impactUrgency,
    priority,
    category: list(
      ['Hardware', 'Hardware'],
      ['Software', 'Software'],
      ['Service', 'Service'],
      ['System Software', 'System Software'],
      ['Applications Software', 'Applications Software'],
      ['Network', 'Network'],
      ['Telecom', 'Telecom'],
      ['Documentation', 'Documentation'],
      ['Other', 'Other'],
    ),
    close_code: list(['successful', 'Successful'], ['successful_issues', 'Successful with issues'], ['unsuccessful', 'Unsuccessful']),
  },
  sys_user: {
    time_zone: list(
      ['UTC', 'UTC'],
      ['Europe/Berlin', 'Europe/Berlin'],
      ['Europe/London', 'Europe/London'],
      ['America/New_York', 'America/New_York'],
      ['America/Los_Angeles', 'America/Los_Angeles'],
      ['Asia/Kolkata', 'Asia/Kolkata'],
    ),
  },
  cmdb_ci: {
    operational_status: list(
      ['1', 'Operational'],
      ['2', 'Non-Operational'],
      ['3', 'Repair in Progress'],
      ['4', 'DR Standby'],
      ['5', 'Ready'],
      ['6', 'Retired'],
    ),
    install_status: list(['1', 'Installed'], ['3', 'In Maintenance'], ['6', 'In Stock'], ['7', 'Retired']),
    environment: list(['Production', 'Production'], ['Staging', 'Staging'], ['Development', 'Development'], ['Test', 'Test']),
  },
  cmdb_ci_service: {
    operational_status: list(['1', 'Operational'], ['2', 'Non-Operational'], ['3', 'Repair in Progress'], ['6', 'Retired']),
    busines_criticality: list(
      ['1 - most critical', '1 - most critical'],
      ['2 - somewhat critical', '2 - somewhat critical'],
      ['3 - less critical', '3 - less critical'],
      ['4 - not critical', '4 - not critical'],
    ),
    service_classification: list(['Business Service', 'Business Service'], ['Technical Service', 'Technical Service']),
  },
};

/** Label lookup per table.field: value → label. */
const labelIndex = new Map<string, Map<string, string>>();
for (const [tableName, fields] of Object.entries(CHOICES)) {
  for (const [field, choices] of Object.entries(fields)) {
    labelIndex.set(`${tableName}.${field}`, new Map(choices.map((c) => [c.value, c.label])));
  }
}

export function choiceLabel(tableName: string, field: string, value: string): string | undefined {
  return labelIndex.get(`${tableName}.${field}`)?.get(value);
}

export function choicesFor(tableName: string, field: string): readonly ChoiceSpec[] {
  return CHOICES[tableName]?.[field] ?? [];
}

export function isActiveChoice(tableName: string, field: string, value: string): boolean {
  return choicesFor(tableName, field).some((c) => c.value === value && c.inactive !== true);
}

/** Accepts either a stored value or (case-insensitively) a label; returns the stored value. */
export function choiceValueFromInput(tableName: string, field: string, input: string): string | undefined {
  const choices = choicesFor(tableName, field);
  const byValue = choices.find((c) => c.value === input);
  if (byValue) return byValue.value;
  const lower = input.toLowerCase();
  return choices.find((c) => c.label.toLowerCase() === lower)?.value;
}
