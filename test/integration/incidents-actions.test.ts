// Actions on incidents through the contract, against the simulator: each lands in the instance's tables
// (and journal), is refused with `conflict` when the incident moved since the user saw it, quotes the data
// policy when ServiceNow refuses, and is in the audit log before the answer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SYS_ID, startServiceNowSim } from '../sim/servicenow';
import type { Row, SnowSim } from '../sim/servicenow';
import { snowHarness, until } from '../helpers/incidents';
import type { SnowHarness } from '../helpers/incidents';
import { QueueUpdate } from '@shared/incidents/model';

let sim: SnowSim;
let h: SnowHarness;

const isOpen = (r: Row): boolean => r.active === 'true' && !['6', '7', '8'].includes(r.state ?? '');
const incident = (id: string): Row => {
  const r = sim.table('incident').get(id);
  if (!r) throw new Error(`no incident ${id}`);
  return r;
};
const patches = () => sim.requests.filter((r) => r.method === 'PATCH');
let used = new Set<string>();
/** An open incident no other test has used, matching `pred`. */
function pick(pred: (r: Row) => boolean = () => true): Row {
  const r = sim
    .table('incident')
    .all()
    .find((x) => isOpen(x) && !used.has(x.sys_id ?? '') && pred(x));
  if (!r?.sys_id) throw new Error('no incident left for this test');
  used.add(r.sys_id);
  return r;
}
const groupId = (name: string): string =>
  sim
    .table('sys_user_group')
    .all()
    .find((g) => g.name === name)?.sys_id ?? '';
const members = (group: string): Set<string> =>
  new Set(
    sim
      .table('sys_user_grmember')
      .all()
      .filter((m) => m.group === group)
      .map((m) => m.user ?? ''),
  );

beforeAll(async () => {
  sim = await startServiceNowSim({ incidents: 80, seed: 31 });
  h = await snowHarness(sim);
  used = new Set();
  await h.ok('incidents.list', {});
});

afterAll(async () => {
  await h.close();
  await sim.stop();
});

afterEach(() => {
  sim.clearRequests();
});

async function audit(id: string) {
  return (await h.core.services.audit.list({ limit: 200 })).find((e) => e.id === id);
}

describe('actions land in ServiceNow and in the audit log', () => {
  it('assign to me', async () => {
    const inc = pick((r) => r.assigned_to === '');
    const seen = await h.ok('incidents.get', { sysId: inc.sys_id ?? '' });
    sim.clearRequests();
    const res = await h.ok('incidents.assignToMe', { sysId: inc.sys_id ?? '', seenModCount: seen.sys_mod_count });
    expect(incident(inc.sys_id ?? '').assigned_to).toBe(ADMIN_SYS_ID);
    expect(res.row.assigned_to).toEqual({ value: ADMIN_SYS_ID, label: 'System Administrator' });
    expect(res.row.sys_mod_count).toBe(seen.sys_mod_count + 1);
    expect(patches()).toHaveLength(1);
    const entry = await audit(res.auditId);
    expect(entry).toMatchObject({
      action: 'incidents.assign',
      outcome: 'ok',
      connectionId: 'snow',
      remoteRef: inc.sys_id,
      target: `incident ${inc.number}`,
    });
  });

  it('change the assignment group: the assignee stays only if a member of the new group', async () => {
    const net = groupId('Network Operations');
    const netMembers = members(net);
    const outsider = pick((r) => r.assigned_to !== '' && r.assignment_group !== net && !netMembers.has(r.assigned_to ?? ''));
    const r1 = await h.ok('incidents.setAssignmentGroup', {
      sysId: outsider.sys_id ?? '',
      groupSysId: net,
      seenModCount: Number(outsider.sys_mod_count),
    });
    expect(incident(outsider.sys_id ?? '')).toMatchObject({ assignment_group: net, assigned_to: '' });
    expect(r1.message).toMatch(/moved to Network Operations \(assignee cleared/);
    const member = [...netMembers][0] ?? '';
    const insider = pick((r) => r.assignment_group !== net);
    sim.update('incident', insider.sys_id ?? '', { assigned_to: member });
    const r2 = await h.ok('incidents.setAssignmentGroup', {
      sysId: insider.sys_id ?? '',
      groupSysId: net,
      seenModCount: Number(incident(insider.sys_id ?? '').sys_mod_count),
    });
    expect(incident(insider.sys_id ?? '')).toMatchObject({ assignment_group: net, assigned_to: member });
    expect(r2.row.assignment_group.label).toBe('Network Operations');
  });

  it('add a work note: a journal row, referenced in the audit log, newest first in the detail', async () => {
    const inc = pick();
    const typed = 'Restarted the exporter; watching the error rate ^ for 15 min.';
    // What ServiceNow receives: the note signed by the operator (the API account's user here).
    const text = `${typed}\n\n— ${sim.credentials.username} via TOC Console`;
    // Journal appends never overwrite: a stale sys_mod_count does not refuse them.
    const res = await h.ok('incidents.addWorkNote', { sysId: inc.sys_id ?? '', text: typed, seenModCount: 0 });
    const rows = (
      sim
        .table('sys_journal_field')
        .indexBy('element_id')
        .get(inc.sys_id ?? '') ?? []
    ).filter((j) => j.value === text);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ element: 'work_notes', sys_created_by: sim.credentials.username, name: 'incident' });
    expect(res.remoteRef).toBe(rows[0]?.sys_id);
    expect((await audit(res.auditId))?.remoteRef).toBe(rows[0]?.sys_id);
    const detail = await h.ok('incidents.get', { sysId: inc.sys_id ?? '' });
    expect(detail.journal[0]).toMatchObject({ element: 'work_notes', value: text, author: 'System Administrator' });
  });

  it('put on hold with a reason from sys_choice; an unknown reason is refused before anything is sent', async () => {
    const inc = pick((r) => r.state === '2');
    const choices = await h.ok('incidents.choices', {});
    const vendor = choices.hold_reason.find((c) => c.label === 'Awaiting Vendor');
    const res = await h.ok('incidents.hold', {
      sysId: inc.sys_id ?? '',
      holdReason: vendor?.value ?? '',
      seenModCount: Number(inc.sys_mod_count),
      workNote: 'Case opened with the vendor.',
    });
    expect(incident(inc.sys_id ?? '')).toMatchObject({ state: '3', hold_reason: vendor?.value });
    expect(res.row.state.label).toBe('On Hold');
    expect(res.row.hold_reason.label).toBe('Awaiting Vendor');
    sim.clearRequests();
    const other = pick((r) => r.state === '2');
    const e = await h.err('incidents.hold', { sysId: other.sys_id ?? '', holdReason: '99', seenModCount: Number(other.sys_mod_count) });
    expect(e.code).toBe('validation');
    expect(e.message).toContain('Awaiting Caller, Awaiting Problem, Awaiting Vendor, Awaiting Change');
    expect(patches()).toHaveLength(0);
    expect(incident(other.sys_id ?? '').state).toBe('2');
  });
});

describe('resolve', () => {
  it('without a close code: ServiceNow data policy refuses, its words are quoted, nothing changes, the failure is audited', async () => {
    const inc = pick();
    const e = await h.err('incidents.resolve', {
      sysId: inc.sys_id ?? '',
      closeCode: '',
      closeNotes: '',
      seenModCount: Number(inc.sys_mod_count),
    });
    expect(e.code).toBe('forbidden');
    expect(e.detail?.status).toBe(403);
    expect(e.message).toContain(`refused the change to ${inc.number}`);
    expect(e.message).toContain('Data Policy Exception: \n\tThe following fields are mandatory: Resolution code, Close notes');
    expect(e.detail?.fields?.map((f) => f.path)).toEqual(['Resolution code', 'Close notes']);
    expect(incident(inc.sys_id ?? '').state).toBe(inc.state);
    const last = (await h.core.services.audit.list({ limit: 1 }))[0];
    expect(last).toMatchObject({ action: 'incidents.resolve', outcome: 'error', target: `incident ${inc.number}` });
    expect(last?.message).toContain('Data Policy Exception');
  });

  it('with a close code this instance has retired: the misleading "mandatory" answer gets a hint', async () => {
    const inc = pick();
    const e = await h.err('incidents.resolve', {
      sysId: inc.sys_id ?? '',
      closeCode: 'Solved (Permanently)',
      closeNotes: 'Fixed.',
      seenModCount: Number(inc.sys_mod_count),
    });
    expect(e.code).toBe('forbidden');
    expect(e.message).toMatch(/mandatory: Resolution code.*"Solved \(Permanently\)" is not an active resolution code/s);
  });

  it('with a close code and notes: resolved in ServiceNow, and the live queue drops it', async () => {
    const got: unknown[] = [];
    const sub = h.core.dispatcher.subscribe('incidents.queue', {}, (p) => got.push(p));
    if (!sub.ok) throw new Error(sub.error.message);
    try {
      await until(() => got.length > 0, 10_000, 'the snapshot');
      const inc = pick();
      const res = await h.ok('incidents.resolve', {
        sysId: inc.sys_id ?? '',
        closeCode: 'Solution provided',
        closeNotes: 'Disk cleaned up, alert cleared.',
        seenModCount: Number(inc.sys_mod_count),
      });
      expect(incident(inc.sys_id ?? '')).toMatchObject({
        state: '6',
        close_code: 'Solution provided',
        close_notes: 'Disk cleaned up, alert cleared.',
      });
      expect(res.row.state.label).toBe('Resolved');
      await until(
        () => got.map((p) => QueueUpdate.parse(p)).some((u) => u.kind === 'delta' && u.removed.includes(inc.sys_id ?? '')),
        10_000,
        'the resolved incident to leave the queue',
      );
    } finally {
      sub.data.stop();
    }
  });
});

describe('changed since you opened it', () => {
  it('refuses to overwrite, says what changed and by whom, sends nothing; overwriting on purpose works', async () => {
    const inc = pick((r) => r.assigned_to !== '' && r.assigned_to !== ADMIN_SYS_ID);
    await h.ok('incidents.sync', {});
    const seen = await h.ok('incidents.get', { sysId: inc.sys_id ?? '' });
    const other = [...members(inc.assignment_group ?? '')].find((u) => u !== inc.assigned_to && u !== ADMIN_SYS_ID) ?? '';
    const otherName = sim.table('sys_user').get(other)?.name;
    // Someone else reassigns it while the user looks at it.
    sim.update('incident', inc.sys_id ?? '', { assigned_to: other });
    sim.clearRequests();
    const e = await h.err('incidents.assignToMe', { sysId: inc.sys_id ?? '', seenModCount: seen.sys_mod_count });
    expect(e.code).toBe('conflict');
    expect(e.message).toContain(`${inc.number} changed since you opened it: 1 update by ${sim.credentials.username}`);
    expect(e.message).toContain(`assigned to: ${seen.assigned_to.label} → ${otherName}`);
    expect(e.detail?.fields).toContainEqual({ path: 'sys_mod_count', message: `${seen.sys_mod_count} → ${seen.sys_mod_count + 1}` });
    expect(patches()).toHaveLength(0);
    expect(incident(inc.sys_id ?? '').assigned_to).toBe(other);
    const refused = (await h.core.services.audit.list({ limit: 1 }))[0];
    expect(refused).toMatchObject({ action: 'incidents.update', outcome: 'error' });
    const forced = await h.ok('incidents.assignToMe', { sysId: inc.sys_id ?? '', seenModCount: seen.sys_mod_count, force: true });
    expect(forced.row.assigned_to.value).toBe(ADMIN_SYS_ID);
    expect(incident(inc.sys_id ?? '').assigned_to).toBe(ADMIN_SYS_ID);
  });

  it('an incident that no longer exists: not found, in words that do not guess which', async () => {
    const e = await h.err('incidents.assignToMe', { sysId: 'e'.repeat(32), seenModCount: 1 });
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/was deleted or is not visible/);
  });
});

describe('wall mode', () => {
  it('refuses every action in the contract itself; reads still work', async () => {
    const wall = await snowHarness(sim, { wall: true });
    try {
      const inc = pick();
      sim.clearRequests();
      expect((await wall.err('incidents.assignToMe', { sysId: inc.sys_id ?? '', seenModCount: 0 })).code).toBe('read_only');
      expect((await wall.err('incidents.addWorkNote', { sysId: inc.sys_id ?? '', text: 'x' })).code).toBe('read_only');
      expect(patches()).toHaveLength(0);
      expect((await wall.ok('incidents.list', {})).rows.length).toBeGreaterThan(0);
    } finally {
      await wall.close();
    }
  });
});
