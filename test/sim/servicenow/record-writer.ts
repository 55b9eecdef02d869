import { runBusinessRules } from './business-rules';
import type { SessionUser } from './business-rules';
import { choiceValueFromInput } from './choices';
import { SnError, snErrors } from './errors';
import { journalRow } from './journal';
import type { FieldDef } from './schema';
import type { Database, Row, Table } from './table-store';
import { formatGlideDateTime } from './time-format';
import type { UserLocale } from './time-format';

// POST/PUT/PATCH semantics: a flat object of field → value; unknown and system fields are ignored; PUT is
// a partial update like PATCH; journal fields append sys_journal_field rows; the response is the whole
// record after business rules, with sys_mod_count and sys_updated_* maintained.

export interface WriteContext {
  readonly db: Database;
  readonly user: SessionUser;
  /** Epoch ms of the write. */
  readonly now: number;
  readonly locale: UserLocale;
  /** sysparm_input_display_value=true: references by display value, choices by label, dates in user zone. */
  readonly inputDisplayValue: boolean;
  readonly newSysId: () => string;
}

export type WriteResult = { ok: true; row: Row; changed: boolean } | { ok: false; error: SnError };

interface NormalisedInput {
  values: Record<string, string>;
  journal: [string, string][];
  touched: Set<string>;
}

const SYS_ID_RE = /^[0-9a-f]{32}$/;

function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return '';
  return undefined;
}

function fromDisplayInput(ctx: WriteContext, table: Table, def: FieldDef, input: string): string {
  if (input === '') return '';
  switch (def.type) {
    case 'reference': {
      const target = ctx.db.maybeTable(def.reference ?? '');
      if (!target || target.has(input)) return input;
      const lower = input.toLowerCase();
      const match = target.all().find((r) => (r[target.def.displayField] ?? '').toLowerCase() === lower);
      return match?.sys_id ?? input;
    }
    case 'choice':
      return choiceValueFromInput(table.name, def.name, input) ?? input;
    case 'glide_date_time':
      return ctx.locale.parseDisplayDateTime(input) ?? input;
    default:
      return input;
  }
}

function normalise(ctx: WriteContext, table: Table, body: Record<string, unknown>, isInsert: boolean): NormalisedInput {
  const out: NormalisedInput = { values: {}, journal: [], touched: new Set() };
  for (const [key, raw] of Object.entries(body)) {
    const def = table.field(key);
    const text = asString(raw);
    if (!def || text === undefined) continue;
    if (def.type === 'journal') {
      if (text.trim() !== '') out.journal.push([key, text]);
      continue;
    }
    if (def.type === 'journal_view') continue;
    if (def.readOnly) {
      // sys_id and number may be chosen by the caller on insert (imports do this); never changed after.
      const settable = isInsert && ((key === 'sys_id' && SYS_ID_RE.test(text)) || (key === 'number' && text !== ''));
      if (!settable) continue;
    }
    out.values[key] = ctx.inputDisplayValue ? fromDisplayInput(ctx, table, def, text) : text;
    out.touched.add(key);
  }
  return out;
}

function asObject(body: unknown): Record<string, unknown> | undefined {
  // A JSON array inserts only its first element, as the platform does.
  const candidate = Array.isArray(body) ? (body[0] as unknown) : body;
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) return undefined;
  return candidate as Record<string, unknown>;
}

function setIfField(table: Table, draft: Record<string, string>, field: string, value: string): void {
  if (table.def.fields.has(field)) draft[field] = value;
}

function commitJournal(ctx: WriteContext, tableName: string, sysId: string, entries: readonly [string, string][], now: string): void {
  const journal = ctx.db.table('sys_journal_field');
  for (const [element, text] of entries) journal.put(journalRow(ctx.newSysId(), tableName, sysId, element, text, now, ctx.user.userName));
}

export function insertRecord(ctx: WriteContext, tableName: string, body: unknown): WriteResult {
  const table = ctx.db.table(tableName);
  const obj = asObject(body);
  if (!obj) return { ok: false, error: snErrors.badRequestBody('Request body must be a JSON object') };
  const input = normalise(ctx, table, obj, true);
  const now = formatGlideDateTime(ctx.now);

  const draft: Record<string, string> = {};
  for (const def of table.def.fields.values()) draft[def.name] = def.defaultValue ?? '';
  const sysId = input.values.sys_id ?? ctx.newSysId();
  if (table.has(sysId)) return { ok: false, error: new SnError(403, 'Operation Failed', `Error during insert of ${tableName} (${sysId})`) };
  draft.sys_id = sysId;
  setIfField(table, draft, 'sys_created_on', now);
  setIfField(table, draft, 'sys_updated_on', now);
  setIfField(table, draft, 'sys_created_by', ctx.user.userName);
  setIfField(table, draft, 'sys_updated_by', ctx.user.userName);
  setIfField(table, draft, 'sys_mod_count', '0');
  if (table.def.numberPrefix !== undefined) draft.number = ctx.db.nextNumber(tableName);
  if (table.def.parent === 'task') {
    draft.opened_at = now;
    draft.opened_by = ctx.user.sysId;
    draft.sys_class_name = tableName;
  }
  if (tableName === 'change_request') draft.requested_by = ctx.user.sysId;
  Object.assign(draft, input.values);
  if (tableName === 'sys_user' && (draft.name ?? '') === '') draft.name = `${draft.first_name ?? ''} ${draft.last_name ?? ''}`.trim();

  const error = runBusinessRules({ tableName, previous: undefined, draft, touched: input.touched, user: ctx.user, now });
  if (error) return { ok: false, error };
  table.put(draft);
  commitJournal(ctx, tableName, sysId, input.journal, now);
  if (tableName === 'incident' && (draft.assigned_to ?? '') !== '') recordAssignment(ctx, {}, draft, now);
  return { ok: true, row: draft, changed: true };
}

export function updateRecord(ctx: WriteContext, tableName: string, sysId: string, body: unknown): WriteResult {
  const table = ctx.db.table(tableName);
  const previous = table.get(sysId);
  if (!previous) return { ok: false, error: snErrors.notFound() };
  const obj = asObject(body);
  if (!obj) return { ok: false, error: snErrors.badRequestBody('Request body must be a JSON object') };
  const input = normalise(ctx, table, obj, false);
  const now = formatGlideDateTime(ctx.now);

  const draft: Record<string, string> = { ...previous, ...input.values };
  const error = runBusinessRules({ tableName, previous, draft, touched: input.touched, user: ctx.user, now });
  if (error) return { ok: false, error };

  // Like GlideRecord.update(): nothing is saved (no mod count, no timestamp) when no value changed.
  const changed = input.journal.length > 0 || Object.keys(draft).some((k) => draft[k] !== previous[k]);
  if (!changed) return { ok: true, row: previous, changed: false };
  setIfField(table, draft, 'sys_updated_on', now);
  setIfField(table, draft, 'sys_updated_by', ctx.user.userName);
  if (table.def.fields.has('sys_mod_count')) draft.sys_mod_count = String(Number(previous.sys_mod_count ?? '0') + 1);
  table.put(draft);
  commitJournal(ctx, tableName, sysId, input.journal, now);
  if (tableName === 'incident' && (draft.assigned_to ?? '') !== (previous.assigned_to ?? '')) recordAssignment(ctx, previous, draft, now);
  return { ok: true, row: draft, changed: true };
}

/**
 * The OOB "Assigned to Duration" metric: assigning an incident closes the running instance (if any) and opens
 * one for the new assignee, as the platform's metric business rule does.
 */
function recordAssignment(ctx: WriteContext, previous: Row, draft: Record<string, string>, now: string): void {
  if (!ctx.db.maybeTable('metric_instance')) return;
  const def = ctx.db
    .table('metric_definition')
    .all()
    .find((d) => d.name === 'Assigned to Duration' && d.table === 'incident');
  if (!def) return;
  const metrics = ctx.db.table('metric_instance');
  for (const m of metrics.all())
    if (m.id === draft.sys_id && m.definition === def.sys_id && (m.end ?? '') === '' && m.field_value === (previous.assigned_to ?? ''))
      metrics.put({ ...m, end: now, calculation_complete: 'true', sys_updated_on: now });
  if ((draft.assigned_to ?? '') === '') return;
  const row: Record<string, string> = {};
  for (const f of metrics.def.fields.values()) row[f.name] = f.defaultValue ?? '';
  Object.assign(row, {
    sys_id: ctx.newSysId(),
    definition: def.sys_id ?? '',
    id: draft.sys_id ?? '',
    table: 'incident',
    field: 'assigned_to',
    field_value: draft.assigned_to ?? '',
    start: now,
    calculation_complete: 'false',
    sys_created_on: now,
    sys_updated_on: now,
    sys_created_by: 'system',
    sys_updated_by: 'system',
  });
  metrics.put(row);
}

export function deleteRecord(db: Database, tableName: string, sysId: string): boolean {
  return db.table(tableName).delete(sysId);
}
