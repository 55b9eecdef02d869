// "Make parent" over a group of open incidents carrying the same alert, against the ServiceNow simulator: every
// other incident gets parent_incident and a work note naming the operator, one audit entry each; a second run
// sends nothing; a child the instance refuses (row-level write ACL, 403) is named with ServiceNow's words while
// the others are filed; a child changed since it was seen is refused by the conflict guard; a closed parent or a
// parent among its children is refused before anything is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowSim } from '../sim/servicenow';
import type { Row, SnowSim } from '../sim/servicenow';
import { snowHarness } from '../helpers/incidents';
import type { SnowHarness } from '../helpers/incidents';

let sim: SnowSim;
let h: SnowHarness;
let n = 0;
const OPERATOR = 'j.doe';

/** Four open incidents with one alert no other test uses, oldest first. */
function group(size = 4): Row[] {
  n++;
  return Array.from({ length: size }, (_, i) => {
    const r = sim.addIncident({ short_description: `dup ${i}`, u_alert_name: `ParentTest${n}`, u_alert_instance: `web-${n}:9100` });
    return sim.update('incident', r.sys_id ?? '', { opened_at: `2026-11-0${i + 1} 10:00:00` });
  });
}
const rec = (r: Row): Row => sim.table('incident').get(r.sys_id ?? '') ?? {};
const seen = (rows: Row[]) => rows.map((r) => ({ sysId: r.sys_id ?? '', seenModCount: Number(rec(r).sys_mod_count) }));
const patches = () => sim.requests.filter((r) => r.method === 'PATCH');
const notes = (r: Row): string[] =>
  sim
    .table('sys_journal_field')
    .all()
    .filter((j) => j.element_id === r.sys_id && j.element === 'work_notes')
    .map((j) => j.value ?? '');
const auditFor = async (r: Row) =>
  (await h.core.services.audit.list({ limit: 500 })).filter((e) => e.action === 'incidents.parent' && e.remoteRef === r.sys_id);

beforeAll(async () => {
  sim = await startServiceNowSim({ incidents: 20, seed: 31 });
  h = await snowHarness(sim, { operator: OPERATOR });
});

afterAll(async () => {
  await h.close();
  await sim.stop();
});

describe('make parent', () => {
  it('files every other incident under the parent, signed by the operator and audited; a second run sends nothing', async () => {
    const [parent, ...children] = group();
    if (!parent) throw new Error('no group');
    const r = await h.ok('incidents.makeParent', { parentSysId: parent.sys_id ?? '', children: seen(children) });
    expect(r.parent).toEqual({ sysId: parent.sys_id, number: parent.number });
    expect(r.children.map((c) => [c.number, c.outcome])).toEqual(children.map((c) => [c.number, 'filed']));
    expect(r.message).toBe(`3 filed under ${parent.number}`);
    for (const c of children) {
      expect(rec(c).parent_incident).toBe(parent.sys_id);
      expect(notes(c)).toEqual([
        `Filed under ${parent.number} as its parent: both carry alert ${parent.u_alert_name} on ${parent.u_alert_instance}.\n\n— ${OPERATOR} via TOC Console`,
      ]);
      const entries = await auditFor(c);
      expect(entries.map((e) => [e.outcome, e.who, e.message])).toEqual([
        ['ok', OPERATOR, `${c.number} filed under ${parent.number} (same alert)`],
      ]);
    }
    expect(rec(parent).parent_incident).toBe('');
    // The queue row carries the parent, so the UI can show the group as filed.
    expect(r.children[0]?.row?.parent_incident).toBe(parent.sys_id);

    sim.clearRequests();
    const again = await h.ok('incidents.makeParent', { parentSysId: parent.sys_id ?? '', children: seen(children) });
    expect(again.children.map((c) => c.outcome)).toEqual(['already', 'already', 'already']);
    expect(again.message).toBe(`0 filed under ${parent.number}; 3 already under it`);
    expect(patches()).toHaveLength(0);
    for (const c of children) {
      expect(notes(c)).toHaveLength(1);
      expect(await auditFor(c)).toHaveLength(1);
    }
  });

  it('a child the instance refuses (403): the others are filed, the refused one is named in ServiceNow words and left as it was', async () => {
    const [parent, a, refused, b] = group();
    if (!parent || !a || !refused || !b) throw new Error('no group');
    sim.setAcl({ readOnlyRows: { incident: `sys_id=${refused.sys_id ?? ''}` } });
    let r;
    try {
      r = await h.ok('incidents.makeParent', { parentSysId: parent.sys_id ?? '', children: seen([a, refused, b]) });
    } finally {
      sim.setAcl(undefined);
    }
    expect(r.children.map((c) => [c.number, c.outcome])).toEqual([
      [a.number, 'filed'],
      [refused.number, 'failed'],
      [b.number, 'filed'],
    ]);
    const failed = r.children[1];
    expect(failed?.error?.code).toBe('forbidden');
    expect(failed?.error?.detail?.status).toBe(403);
    expect(failed?.message).toContain('ACL Exception Update Failed due to security constraints');
    expect(failed?.message.startsWith(`${refused.number}: `)).toBe(true);
    expect(r.message).toBe(`2 filed under ${parent.number}; 1 not filed: ${refused.number}`);
    expect([rec(a).parent_incident, rec(refused).parent_incident, rec(b).parent_incident]).toEqual([parent.sys_id, '', parent.sys_id]);
    expect(notes(refused)).toEqual([]);
    expect((await auditFor(refused)).map((e) => [e.outcome, e.who])).toEqual([['error', OPERATOR]]);

    // Once the instance allows it, running it again files the one that was refused and sends nothing for the rest.
    sim.clearRequests();
    const retry = await h.ok('incidents.makeParent', { parentSysId: parent.sys_id ?? '', children: seen([a, refused, b]) });
    expect(retry.children.map((c) => c.outcome)).toEqual(['already', 'filed', 'already']);
    expect(rec(refused).parent_incident).toBe(parent.sys_id);
    expect(patches().map((p) => p.path)).toEqual([`/api/now/table/incident/${refused.sys_id ?? ''}`]);
  });

  it('a child changed since it was seen is refused by the conflict guard; the others are filed', async () => {
    const [parent, a, moved] = group(3);
    if (!parent || !a || !moved) throw new Error('no group');
    const before = seen([a, moved]);
    sim.update('incident', moved.sys_id ?? '', { short_description: 'edited by someone else' });
    const r = await h.ok('incidents.makeParent', { parentSysId: parent.sys_id ?? '', children: before });
    expect(r.children.map((c) => [c.outcome, c.error?.code])).toEqual([
      ['filed', undefined],
      ['failed', 'conflict'],
    ]);
    expect(r.children[1]?.message).toContain('changed since you opened it');
    expect(rec(moved).parent_incident).toBe('');
  });

  it('refuses a closed parent, or a parent listed among its children, before sending anything', async () => {
    const [parent, a] = group(2);
    if (!parent || !a) throw new Error('no group');
    sim.clearRequests();
    const self = await h.err('incidents.makeParent', { parentSysId: parent.sys_id ?? '', children: seen([a, parent]) });
    expect(self.code).toBe('validation');
    expect(self.message).toBe('The parent is also listed as one of its children; nothing was sent.');
    sim.update('incident', parent.sys_id ?? '', { state: '6', close_code: 'Solution provided', close_notes: 'fixed' });
    const closed = await h.err('incidents.makeParent', { parentSysId: parent.sys_id ?? '', children: seen([a]) });
    expect(closed.code).toBe('validation');
    expect(closed.message).toBe(`${parent.number} is no longer open; nothing was sent. Pick an open incident of the group as the parent.`);
    expect(patches()).toHaveLength(0);
    expect(rec(a).parent_incident).toBe('');
  });
});
