import { priorityFor } from './business-rules';
import type { SessionUser } from './business-rules';
import { journalRow } from './journal';
import type { Prng } from './prng';
import { insertRecord, updateRecord } from './record-writer';
import type { WriteContext, WriteResult } from './record-writer';
import { generateIncident, worldFrom } from './seed';
import type { CloseIncidentOptions, TouchOptions } from './sim-types';
import type { Database, Row } from './table-store';
import { formatGlideDateTime } from './time-format';
import type { UserLocale } from './time-format';

// Direct state changes for tests and benchmarks: "someone else touched these incidents", "this one got
// resolved", "a new alert opened an incident". They bypass HTTP but keep the platform's invariants.

export interface MutationDeps {
  readonly db: Database;
  readonly prng: Prng;
  readonly now: () => number;
  readonly user: () => SessionUser;
  readonly locale: UserLocale;
}

function unwrap(res: WriteResult): Row {
  if (!res.ok) throw new Error(`${res.error.message}: ${res.error.detail ?? ''}`);
  return res.row;
}

export function writeContext(deps: MutationDeps): WriteContext {
  return {
    db: deps.db,
    user: deps.user(),
    now: deps.now(),
    locale: deps.locale,
    inputDisplayValue: false,
    newSysId: () => deps.prng.sysId(),
  };
}

export function insertAs(deps: MutationDeps, table: string, fields: Record<string, string>): Row {
  return unwrap(insertRecord(writeContext(deps), table, fields));
}

export function updateAs(deps: MutationDeps, table: string, sysId: string, fields: Record<string, string>): Row {
  return unwrap(updateRecord(writeContext(deps), table, sysId, fields));
}

export function touchIncidents(deps: MutationDeps, n: number, opts: TouchOptions = {}): string[] {
  const table = deps.db.table('incident');
  const pool = table.all().filter((r) => r.active === 'true');
  const count = Math.max(0, Math.min(n, pool.length));
  const ids = pool.map((r) => r.sys_id ?? '');
  // Partial Fisher–Yates: n distinct incidents, chosen by the seeded PRNG.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(deps.prng.next() * (ids.length - i));
    const a = ids[i] ?? '';
    ids[i] = ids[j] ?? '';
    ids[j] = a;
  }
  const chosen = ids.slice(0, count);
  const now = formatGlideDateTime(deps.now());
  const userName = deps.user().userName;
  const journal = deps.db.table('sys_journal_field');
  for (const sysId of chosen) {
    const row = table.get(sysId);
    if (!row) continue;
    table.put({ ...row, sys_updated_on: now, sys_updated_by: userName, sys_mod_count: String(Number(row.sys_mod_count ?? '0') + 1) });
    if (opts.workNote !== undefined && opts.workNote !== '') {
      journal.put(journalRow(deps.prng.sysId(), 'incident', sysId, 'work_notes', opts.workNote, now, userName));
    }
  }
  return chosen;
}

export function findIncident(db: Database, ref: string): Row | undefined {
  const table = db.table('incident');
  return table.get(ref) ?? table.findBy('number', ref);
}

export function closeIncident(deps: MutationDeps, ref: string, opts: CloseIncidentOptions = {}): Row {
  const row = findIncident(deps.db, ref);
  if (!row?.sys_id) throw new Error(`no incident ${ref}`);
  return updateAs(deps, 'incident', row.sys_id, {
    state: opts.state ?? '6',
    close_code: opts.closeCode ?? 'Solution provided',
    close_notes: opts.closeNotes ?? 'Resolved from the simulator.',
  });
}

export function addIncident(deps: MutationDeps, fields: Record<string, string> = {}): Row {
  const { db, prng } = deps;
  const table = db.table('incident');
  const generated = generateIncident(worldFrom(db), table, prng, deps.now(), true);
  const now = formatGlideDateTime(deps.now());
  const row: Record<string, string> = {
    ...generated.row,
    state: '1',
    incident_state: '1',
    assigned_to: '',
    hold_reason: '',
    opened_at: now,
    sys_created_on: now,
    sys_updated_on: now,
    sys_mod_count: '0',
    ...fields,
  };
  row.sys_id = fields.sys_id ?? prng.sysId();
  row.number = fields.number ?? db.nextNumber('incident');
  row.priority = priorityFor(row.impact ?? '3', row.urgency ?? '3') ?? row.priority ?? '5';
  row.incident_state = row.state ?? '1';
  table.put(row);
  return row;
}
