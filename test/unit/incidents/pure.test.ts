import { describe, expect, it } from 'vitest';
import type { IncidentRow, QueueSnapshot, QueueUpdate } from '@shared/incidents/model';
import { IncidentRow as IncidentRowSchema, QueueUpdate as QueueUpdateSchema } from '@shared/incidents/model';
import { applyQueueUpdate, countQueue, recordLink } from '@shared/incidents/queue';
import { formatGlideDateTime, parseGlideDateTime, shiftGlideDateTime } from '@shared/incidents/glide-time';
import { mapChange, mapDetail, mapQueueRow, NO_LABELS } from '../../../electron/core/systems/servicenow/mapping';
import type { ChoiceLabels } from '../../../electron/core/systems/servicenow/mapping';
import { explainSnowError } from '../../../electron/core/systems/servicenow/errors';
import { ContractFailure } from '@shared/kernel/result';
import { formatTable, queueOrder, toIncidentJson } from '../../../electron/cli/commands/incidents';

const L = (value: string, label = value): { value: string; label: string } => ({ value, label });

function row(n: number, over: Partial<IncidentRow> = {}): IncidentRow {
  return {
    sys_id: n.toString(16).padStart(32, '0'),
    number: `INC${String(10000 + n).padStart(7, '0')}`,
    short_description: `incident ${n}`,
    priority: L('3', '3 - Moderate'),
    state: L('2', 'In Progress'),
    hold_reason: L(''),
    assignment_group: L('g'.repeat(32), 'Network'),
    assigned_to: L(''),
    cmdb_ci: L(''),
    opened_at: '2026-03-01 10:00:00',
    sys_updated_on: '2026-03-02 10:00:00',
    sla_due: '',
    sys_mod_count: 1,
    u_alert_name: '',
    u_alert_instance: '',
    ...over,
  };
}

function snapshot(rows: IncidentRow[], seq = 1): QueueSnapshot {
  return {
    connectionId: 'snow',
    connectionName: 'SN',
    query: 'active=true',
    seq,
    rows,
    me: null,
    myGroups: [],
    syncedAt: null,
    attemptedAt: null,
    refreshMs: 30_000,
    stale: false,
    error: null,
    nextAttemptAt: null,
    counts: countQueue(rows, null),
  };
}

const delta = (seq: number, parts: Partial<Extract<QueueUpdate, { kind: 'delta' }>>): QueueUpdate => ({
  kind: 'delta',
  connectionId: 'snow',
  seq,
  added: [],
  changed: [],
  removed: [],
  syncedAt: '2026-03-02T10:00:30.000Z',
  attemptedAt: '2026-03-02T10:00:30.000Z',
  refreshMs: 30_000,
  stale: false,
  error: null,
  nextAttemptAt: null,
  counts: countQueue([], null),
  ...parts,
});

describe('queue bookkeeping', () => {
  it('counts by priority, unassigned and mine', () => {
    const me = 'a'.repeat(32);
    const c = countQueue(
      [
        row(1, { priority: L('1') }),
        row(2, { priority: L('1'), assigned_to: L(me, 'Me') }),
        row(3, { priority: L('5'), assigned_to: L('b'.repeat(32)) }),
        row(4, { priority: L('') }),
      ],
      me,
    );
    expect(c).toEqual({ total: 4, byPriority: { '1': 2, '2': 0, '3': 0, '4': 0, '5': 1, other: 1 }, unassigned: 2, mine: 1 });
  });

  it('applies a delta in order: changed in place, added at the end, removed gone', () => {
    const prev = snapshot([row(1), row(2), row(3)]);
    const r = applyQueueUpdate(
      prev,
      delta(2, { changed: [row(2, { short_description: 'edited', sys_mod_count: 2 })], added: [row(9)], removed: [row(1).sys_id] }),
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.snapshot.rows.map((x) => x.short_description)).toEqual(['edited', 'incident 3', 'incident 9']);
    expect(r.snapshot.seq).toBe(2);
    expect(r.snapshot.syncedAt).toBe('2026-03-02T10:00:30.000Z');
  });

  it('refuses a delta that does not follow the snapshot, and takes a snapshot whole', () => {
    const prev = snapshot([row(1)], 5);
    expect(applyQueueUpdate(prev, delta(7, {}))).toEqual({ ok: false, reason: 'gap' });
    expect(applyQueueUpdate(undefined, delta(1, {}))).toEqual({ ok: false, reason: 'no-snapshot' });
    expect(applyQueueUpdate(prev, { ...delta(6, {}), connectionId: 'other' })).toEqual({ ok: false, reason: 'other-connection' });
    const again = applyQueueUpdate(prev, delta(5, {}));
    expect(again.ok && again.snapshot).toBe(prev);
    const older = applyQueueUpdate(prev, delta(3, { removed: [row(1).sys_id] }));
    expect(older.ok && older.snapshot).toBe(prev);
    const replaced = applyQueueUpdate(prev, { kind: 'snapshot', ...snapshot([row(4)], 1) });
    expect(replaced.ok && replaced.snapshot.rows.map((x) => x.number)).toEqual(['INC0010004']);
  });

  it('payloads validate against the contract schemas', () => {
    expect(QueueUpdateSchema.safeParse(delta(2, { added: [row(1)] })).success).toBe(true);
    expect(IncidentRowSchema.safeParse(row(1)).success).toBe(true);
  });

  it('links to the record in the ServiceNow UI', () => {
    expect(recordLink('https://x.service-now.com/', 'incident', 'abc')).toBe(
      'https://x.service-now.com/nav_to.do?uri=incident.do%3Fsys_id%3Dabc',
    );
  });
});

describe('glide date-times', () => {
  it('parse UTC values, refuse display formats, and shift by seconds', () => {
    expect(parseGlideDateTime('2026-03-18 23:59:59')).toBe(Date.UTC(2026, 2, 18, 23, 59, 59));
    expect(parseGlideDateTime('18/03/2026 23:59:59')).toBeNull();
    expect(parseGlideDateTime('')).toBeNull();
    expect(formatGlideDateTime(Date.UTC(2026, 0, 1, 0, 0, 0, 999))).toBe('2026-01-01 00:00:00');
    expect(shiftGlideDateTime('2026-01-01 00:00:02', -5)).toBe('2025-12-31 23:59:57');
    expect(shiftGlideDateTime('garbage', -5)).toBe('garbage');
  });
});

describe('mapping Table API records', () => {
  const labels: ChoiceLabels = {
    label: (t, e, v) =>
      t === 'incident' && e === 'priority'
        ? ({ '1': '1 - Critical' } as Record<string, string>)[v]
        : t === 'incident' && e === 'state' && v === '2'
          ? 'In Progress'
          : undefined,
  };

  it('reads the compact queue shape: raw values, dot-walked names, sys_choice labels', () => {
    const r = mapQueueRow(
      {
        sys_id: 'a'.repeat(32),
        number: 'INC0010001',
        short_description: 'Disk full',
        priority: '1',
        state: '2',
        hold_reason: '',
        assignment_group: 'g'.repeat(32),
        'assignment_group.name': 'Network',
        assigned_to: '',
        'assigned_to.name': '',
        cmdb_ci: 'c'.repeat(32),
        sys_mod_count: '4',
        sys_updated_on: '2026-03-02 10:00:00',
      },
      labels,
    );
    expect(r.priority).toEqual({ value: '1', label: '1 - Critical' });
    expect(r.state).toEqual({ value: '2', label: 'In Progress' });
    expect(r.assignment_group).toEqual({ value: 'g'.repeat(32), label: 'Network' });
    expect(r.assigned_to).toEqual({ value: '', label: '' });
    // No readable name: the sys_id stands in rather than an empty label.
    expect(r.cmdb_ci).toEqual({ value: 'c'.repeat(32), label: 'c'.repeat(32) });
    expect(r.sys_mod_count).toBe(4);
    // Fields the caller may not read are missing, not errors.
    expect(r.u_alert_name).toBe('');
    expect(r.opened_at).toBe('');
  });

  it('reads display_value=all (objects), nulls for empty choices, and reference objects with links', () => {
    const d = mapDetail(
      {
        sys_id: { display_value: 'x', value: 'a'.repeat(32) },
        number: { display_value: 'INC0010001', value: 'INC0010001' },
        priority: { display_value: '2 - High', value: '2' },
        close_code: { display_value: null, value: '' },
        caller_id: { display_value: 'Fred Luddy', link: 'https://x/api/now/table/sys_user/f', value: 'f'.repeat(32) },
        assigned_to: { display_value: '', value: '' },
        made_sla: { display_value: 'true', value: 'true' },
        u_alert_name: { display_value: 'DiskAlmostFull', value: 'DiskAlmostFull' },
        u_alert_instance: { display_value: 'db-01:9100', value: 'db-01:9100' },
      },
      NO_LABELS,
      { journal: [], journalError: null, instanceUrl: 'https://x.service-now.com' },
    );
    expect(d.priority).toEqual({ value: '2', label: '2 - High' });
    expect(d.close_code).toEqual({ value: '', label: '' });
    expect(d.caller_id).toEqual({ value: 'f'.repeat(32), label: 'Fred Luddy' });
    expect(d.assigned_to).toEqual({ value: '', label: '' });
    expect(d.made_sla).toBe(true);
    expect(d.alert).toEqual({ name: 'DiskAlmostFull', instance: 'db-01:9100' });
    expect(d.link).toContain('incident.do');
  });

  it('maps change requests with their state labels', () => {
    const c = mapChange(
      { sys_id: 'a'.repeat(32), number: 'CHG0030001', state: { display_value: 'Implement', value: '-1' } },
      NO_LABELS,
      'https://x',
    );
    expect(c.state).toEqual({ value: '-1', label: 'Implement' });
    expect(c.number).toBe('CHG0030001');
  });
});

describe('ServiceNow errors in words to act on', () => {
  const spec = { id: 'snow', name: 'SN', auth: { type: 'basic' as const, username: 'u', password: { secret: { env: 'X' } } } };

  it('classifies 403s by their detail and keeps the instance words', () => {
    const policy = new ContractFailure('forbidden', 'SN answered 403', {
      status: 403,
      remoteMessage: 'Operation Failed: Data Policy Exception: \n\tThe following fields are mandatory: Resolution code, Close notes',
    });
    const e = explainSnowError(policy, { spec, record: 'INC0010001' });
    expect(e).toBeInstanceOf(ContractFailure);
    const f = e as ContractFailure;
    expect(f.message).toContain('INC0010001');
    expect(f.message).toContain('The following fields are mandatory: Resolution code, Close notes');
    expect(f.detail?.fields?.map((x) => x.path)).toEqual(['Resolution code', 'Close notes']);
    expect(f.detail?.connectionId).toBe('snow');

    const br = explainSnowError(
      new ContractFailure('forbidden', 'x', {
        remoteMessage:
          "Operation Failed: Operation against file 'change_request' was aborted by Business Rule 'Change Model: Check State Transition^8c5d'. Business Rule Stack:…",
      }),
      { spec },
    ) as ContractFailure;
    expect(br.message).toContain('"Change Model: Check State Transition"');
  });

  it('says what a 401 on Basic may mean, and what a 404 on a record means', () => {
    const u = explainSnowError(
      new ContractFailure(
        'unauthorized',
        'SN answered 401 (not authenticated): User Not Authenticated: Required to provide Auth information',
      ),
      { spec },
    ) as ContractFailure;
    expect(u.message).toMatch(/User Not Authenticated.*OAuth connection works/s);
    const n = explainSnowError(new ContractFailure('not_found', 'SN answered 404 (not found): No Record found'), {
      spec,
      record: 'INC0010001',
    }) as ContractFailure;
    expect(n.message).toMatch(/^INC0010001 was deleted or is not visible.*No Record found/);
    const plain = new Error('boom');
    expect(explainSnowError(plain, { spec })).toBe(plain);
  });
});

describe('toc incidents list output', () => {
  it('prints labels, keeps stored values aside, sorts P1 first then oldest', () => {
    const a = row(1, { priority: L('3', '3 - Moderate'), opened_at: '2026-03-01 00:00:00' });
    const b = row(2, {
      priority: L('1', '1 - Critical'),
      opened_at: '2026-03-05 00:00:00',
      assigned_to: L('u'.repeat(32), 'Ada Lovelace'),
    });
    const c = row(3, { priority: L('3', '3 - Moderate'), opened_at: '2026-02-01 00:00:00' });
    expect([a, b, c].sort(queueOrder).map((r) => r.number)).toEqual(['INC0010002', 'INC0010003', 'INC0010001']);
    const j = toIncidentJson(b);
    expect(j).toMatchObject({
      number: 'INC0010002',
      priority: '1 - Critical',
      state: 'In Progress',
      assigned_to: 'Ada Lovelace',
      assignment_group: 'Network',
      opened_at: '2026-03-05 00:00:00',
    });
    expect(j.values).toMatchObject({ priority: '1', assigned_to: 'u'.repeat(32) });
    const table = formatTable([b]).split('\n');
    expect(table[0]).toMatch(/^NUMBER\s+PRIORITY\s+STATE/);
    expect(table[1]).toMatch(/^INC0010002\s+1 - Critical\s+In Progress/);
  });
});
