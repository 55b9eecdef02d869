import { describe, expect, it } from 'vitest';
import type { IncidentRow } from '@shared/incidents/model';
import { alertGroupsBySysId, childrenFor, groupParent, queueItems } from '../../../renderer/src/features/incidents/queue-groups';
import type { QueueItem } from '../../../renderer/src/features/incidents/queue-groups';

const L = (value: string) => ({ value, label: value });
let seq = 0;
function row(over: Partial<IncidentRow> = {}): IncidentRow {
  seq++;
  return {
    sys_id: seq.toString(16).padStart(32, '0'),
    number: `INC${String(seq).padStart(7, '0')}`,
    short_description: `incident ${seq}`,
    priority: L('3'),
    state: L('2'),
    hold_reason: L(''),
    assignment_group: L(''),
    assigned_to: L(''),
    cmdb_ci: L(''),
    opened_at: `2026-03-01 10:${String(seq % 60).padStart(2, '0')}:00`,
    sys_updated_on: '2026-03-02 10:00:00',
    sla_due: '',
    sys_mod_count: seq,
    u_alert_name: '',
    u_alert_instance: '',
    parent_incident: '',
    ...over,
  };
}
const shown = (items: QueueItem[]): string[] =>
  items.map((it) => (it.kind === 'group' ? `[${it.group.alertName}]` : `${it.lead ? '*' : ''}${it.row.number}`));

describe('groupParent', () => {
  it('is the member most others are filed under; none when no member is a parent', () => {
    const a = row();
    const b = row({ parent_incident: a.sys_id });
    const c = row({ parent_incident: a.sys_id });
    const d = row({ parent_incident: 'f'.repeat(32) }); // filed under an incident outside the group
    expect(groupParent([a, b, c, d])).toEqual({ parentSysId: a.sys_id, filed: 2 });
    expect(groupParent([row(), row({ parent_incident: 'f'.repeat(32) })])).toEqual({ parentSysId: null, filed: 0 });
    // An incident naming itself (bad data) is no parent.
    const self = row();
    expect(groupParent([{ ...self, parent_incident: self.sys_id }, row()])).toEqual({ parentSysId: null, filed: 0 });
  });
  it('a tie goes to the oldest (rows come oldest first)', () => {
    const a = row();
    const b = row();
    expect(groupParent([a, b, row({ parent_incident: b.sys_id }), row({ parent_incident: a.sys_id })]).parentSysId).toBe(a.sys_id);
  });
  it('rows saved before parent_incident was read count as unfiled', () => {
    const { parent_incident: _drop, ...old } = row();
    expect(groupParent([old, row()])).toEqual({ parentSysId: null, filed: 0 });
  });
});

describe('queueItems', () => {
  const burn = (over: Partial<IncidentRow> = {}) => row({ u_alert_name: 'Burn', u_alert_instance: 'payments', ...over });
  it('folds incidents with the same alert under a lead at the place of the first shown member; expanded, a group line and the others follow', () => {
    const x = row();
    const b1 = burn();
    const y = row();
    const b2 = burn();
    const b3 = burn({ u_alert_instance: 'checkout' }); // another instance: not the same alert
    const b4 = burn();
    const visible = [x, b2, y, b1, b3, b4];
    const groups = alertGroupsBySysId(visible);
    expect(groups.get(b3.sys_id)).toBeUndefined();
    expect(groups.get(b1.sys_id)?.rows.map((r) => r.number)).toEqual([b1.number, b2.number, b4.number]);
    expect(shown(queueItems(visible, groups, new Set()))).toEqual([x.number, `*${b2.number}`, y.number, b3.number]);
    const key = groups.get(b1.sys_id)?.key ?? '';
    expect(shown(queueItems(visible, groups, new Set([key])))).toEqual([
      x.number,
      `*${b2.number}`,
      '[Burn]',
      b1.number,
      b4.number,
      y.number,
      b3.number,
    ]);
  });

  it('the parent leads its group wherever it sorts; the open incident reveals a folded group', () => {
    const p = burn();
    const c1 = burn({ parent_incident: p.sys_id });
    const c2 = burn({ parent_incident: p.sys_id });
    const visible = [c2, row(), c1, p];
    const groups = alertGroupsBySysId(visible);
    expect(shown(queueItems(visible, groups, new Set())).slice(0, 1)).toEqual([`*${p.number}`]);
    const revealed = queueItems(visible, groups, new Set(), c1.sys_id);
    expect(shown(revealed)).toContain(c1.number);
    expect(revealed.find((it) => it.kind === 'row' && it.lead)).toMatchObject({ expanded: true });
  });

  it('the group counts every open incident with the alert, even those the filter hides; make parent covers them all', () => {
    const [a, b, c] = [burn(), burn(), burn()];
    const groups = alertGroupsBySysId([a, b, c]);
    const items = queueItems([b], groups, new Set([groups.get(a.sys_id)?.key ?? '']));
    expect(shown(items)).toEqual([`*${b.number}`, '[Burn]']);
    expect(items[1]).toMatchObject({ kind: 'group', shown: 1 });
    const g = groups.get(a.sys_id);
    if (!g) throw new Error('no group');
    expect(childrenFor(g, b.sys_id)).toEqual([
      { sysId: a.sys_id, seenModCount: a.sys_mod_count },
      { sysId: c.sys_id, seenModCount: c.sys_mod_count },
    ]);
  });

  it('at queue size, in any order, any filter and any expansion: every shown incident appears exactly once, one lead per group', () => {
    // 10,000 incidents, a third of them spread over 300 alerts; many orderings and expansions.
    let s = 7;
    const rnd = (n: number): number => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s % n;
    };
    const all = Array.from({ length: 10_000 }, () => (rnd(3) === 0 ? burn({ u_alert_instance: `i-${rnd(300)}` }) : row()));
    const groups = alertGroupsBySysId(all);
    for (let round = 0; round < 8; round++) {
      const visible = all.filter(() => rnd(4) !== 0).sort(() => rnd(3) - 1);
      const keys = [...new Set([...groups.values()].map((g) => g.key))];
      const expanded = new Set(keys.filter(() => rnd(2) === 0));
      const items = queueItems(visible, groups, expanded);
      const ids = items.flatMap((it) => (it.kind === 'row' ? [it.row.sys_id] : []));
      expect(new Set(ids).size).toBe(ids.length);
      const leads = items.filter((it) => it.kind === 'row' && it.lead);
      const shownGroups = new Set(visible.flatMap((r) => (groups.get(r.sys_id) ? [groups.get(r.sys_id)?.key] : [])));
      expect(leads.length).toBe(shownGroups.size);
      // Nothing shown is lost: every visible incident is on screen or folded in a collapsed group.
      const onScreen = new Set(ids);
      for (const r of visible) {
        const g = groups.get(r.sys_id);
        expect(onScreen.has(r.sys_id) || (g !== undefined && !expanded.has(g.key))).toBe(true);
      }
      // Ungrouped incidents keep their order.
      const plain = visible.filter((r) => !groups.has(r.sys_id)).map((r) => r.sys_id);
      expect(ids.filter((id) => !groups.has(id))).toEqual(plain);
    }
  });
});
