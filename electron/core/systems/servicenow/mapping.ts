import type { ChangeRow, IncidentDetail, IncidentRow, JournalEntry, Labeled } from '@shared/incidents/model';
import { recordLink } from '@shared/incidents/queue';
import { boolOf, displayOf, intOf, valueOf } from './values';
import type { RawRecord } from './values';

// Table API records → the console's rows. Two shapes arrive: the bulk queue is read with
// sysparm_display_value=false plus dot-walked names (`assigned_to.name`) and choice labels from sys_choice —
// half the bytes of display_value=all for 10,000 rows — while single records (detail, changes) are read with
// display_value=all. Both map here, so a label always comes from the instance.

export interface ChoiceLabels {
  label(table: string, element: string, value: string): string | undefined;
}

export const NO_LABELS: ChoiceLabels = { label: () => undefined };

/** Fields of a queue row: only what the list shows, filters and sorts on (sys_id is never implicit). */
export const QUEUE_FIELDS = [
  'sys_id',
  'number',
  'short_description',
  'priority',
  'state',
  'hold_reason',
  'assignment_group',
  'assignment_group.name',
  'assigned_to',
  'assigned_to.name',
  'cmdb_ci',
  'cmdb_ci.name',
  'opened_at',
  'sys_updated_on',
  'sla_due',
  'sys_mod_count',
  'u_alert_name',
  'u_alert_instance',
  'parent_incident',
] as const;

/** The delta probe: enough to tell whether a row changed since we read it. */
export const VERSION_FIELDS = ['sys_id', 'sys_updated_on', 'sys_mod_count'] as const;

export const DETAIL_FIELDS = [
  ...QUEUE_FIELDS.filter((f) => !f.includes('.')),
  'description',
  'caller_id',
  'opened_by',
  'impact',
  'urgency',
  'category',
  'subcategory',
  'contact_type',
  'business_service',
  'close_code',
  'close_notes',
  'resolved_at',
  'resolved_by',
  'sys_created_on',
  'sys_updated_by',
  'made_sla',
  'reassignment_count',
  'reopen_count',
] as const;

export const CHANGE_FIELDS = [
  'sys_id',
  'number',
  'short_description',
  'type',
  'state',
  'risk',
  'approval',
  'assignment_group',
  'assigned_to',
  'cmdb_ci',
  'start_date',
  'end_date',
  'work_start',
  'work_end',
] as const;

const EMPTY: Labeled = { value: '', label: '' };

function reference(rec: RawRecord, field: string): Labeled {
  const value = valueOf(rec[field]);
  if (value === '') return EMPTY;
  const walked = rec[`${field}.name`];
  const label = walked !== undefined ? valueOf(walked) : (displayOf(rec[field]) ?? '');
  return { value, label: label || value };
}

function choice(rec: RawRecord, table: string, field: string, labels: ChoiceLabels): Labeled {
  const value = valueOf(rec[field]);
  if (value === '') return EMPTY;
  const shown = displayOf(rec[field]);
  return { value, label: shown || labels.label(table, field, value) || value };
}

export function mapQueueRow(rec: RawRecord, labels: ChoiceLabels): IncidentRow {
  return {
    sys_id: valueOf(rec.sys_id),
    number: valueOf(rec.number),
    short_description: valueOf(rec.short_description),
    priority: choice(rec, 'incident', 'priority', labels),
    state: choice(rec, 'incident', 'state', labels),
    hold_reason: choice(rec, 'incident', 'hold_reason', labels),
    assignment_group: reference(rec, 'assignment_group'),
    assigned_to: reference(rec, 'assigned_to'),
    cmdb_ci: reference(rec, 'cmdb_ci'),
    opened_at: valueOf(rec.opened_at),
    sys_updated_on: valueOf(rec.sys_updated_on),
    sla_due: valueOf(rec.sla_due),
    sys_mod_count: intOf(rec.sys_mod_count),
    u_alert_name: valueOf(rec.u_alert_name),
    u_alert_instance: valueOf(rec.u_alert_instance),
    parent_incident: valueOf(rec.parent_incident),
  };
}

export function mapDetail(
  rec: RawRecord,
  labels: ChoiceLabels,
  extra: { journal: JournalEntry[]; journalError: string | null; instanceUrl: string },
): IncidentDetail {
  const row = mapQueueRow(rec, labels);
  return {
    ...row,
    description: valueOf(rec.description),
    caller_id: reference(rec, 'caller_id'),
    opened_by: reference(rec, 'opened_by'),
    impact: choice(rec, 'incident', 'impact', labels),
    urgency: choice(rec, 'incident', 'urgency', labels),
    category: choice(rec, 'incident', 'category', labels),
    subcategory: choice(rec, 'incident', 'subcategory', labels),
    contact_type: choice(rec, 'incident', 'contact_type', labels),
    business_service: reference(rec, 'business_service'),
    close_code: choice(rec, 'incident', 'close_code', labels),
    close_notes: valueOf(rec.close_notes),
    resolved_at: valueOf(rec.resolved_at),
    resolved_by: reference(rec, 'resolved_by'),
    sys_created_on: valueOf(rec.sys_created_on),
    sys_updated_by: valueOf(rec.sys_updated_by),
    made_sla: boolOf(rec.made_sla),
    reassignment_count: intOf(rec.reassignment_count),
    reopen_count: intOf(rec.reopen_count),
    journal: extra.journal,
    journalError: extra.journalError,
    link: recordLink(extra.instanceUrl, 'incident', row.sys_id),
    alert: row.u_alert_name || row.u_alert_instance ? { name: row.u_alert_name, instance: row.u_alert_instance } : null,
  };
}

export function mapChange(rec: RawRecord, labels: ChoiceLabels, instanceUrl: string): ChangeRow {
  const sysId = valueOf(rec.sys_id);
  return {
    sys_id: sysId,
    number: valueOf(rec.number),
    short_description: valueOf(rec.short_description),
    type: choice(rec, 'change_request', 'type', labels),
    state: choice(rec, 'change_request', 'state', labels),
    risk: choice(rec, 'change_request', 'risk', labels),
    approval: choice(rec, 'change_request', 'approval', labels),
    assignment_group: reference(rec, 'assignment_group'),
    assigned_to: reference(rec, 'assigned_to'),
    cmdb_ci: reference(rec, 'cmdb_ci'),
    start_date: valueOf(rec.start_date),
    end_date: valueOf(rec.end_date),
    work_start: valueOf(rec.work_start),
    work_end: valueOf(rec.work_end),
    link: recordLink(instanceUrl, 'change_request', sysId),
  };
}

export function mapJournal(rec: RawRecord, authors: ReadonlyMap<string, string>): JournalEntry | undefined {
  const element = valueOf(rec.element);
  if (element !== 'work_notes' && element !== 'comments') return undefined;
  const by = valueOf(rec.sys_created_by);
  return {
    sys_id: valueOf(rec.sys_id),
    element,
    value: valueOf(rec.value),
    sys_created_on: valueOf(rec.sys_created_on),
    sys_created_by: by,
    author: authors.get(by) ?? by,
  };
}

/** The fields the "changed since you opened it" message compares, with the words it uses for them. */
export const CONFLICT_FIELDS: readonly [keyof IncidentRow, string][] = [
  ['state', 'state'],
  ['priority', 'priority'],
  ['assignment_group', 'assignment group'],
  ['assigned_to', 'assigned to'],
  ['hold_reason', 'hold reason'],
  ['short_description', 'short description'],
  ['cmdb_ci', 'configuration item'],
];

export function describeField(v: IncidentRow[keyof IncidentRow]): string {
  if (typeof v === 'object') return v.label || '(empty)';
  return String(v) || '(empty)';
}
