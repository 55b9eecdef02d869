import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowSim } from './server';
import type { SnowSim } from './sim-types';
import type { Row } from './table-store';
import { call, parse } from './test-helpers';

interface Group {
  stats: { count?: string; avg?: Record<string, string> };
  groupby_fields: { field: string; value: string; display_value?: string }[];
}

describe('aggregate API', () => {
  let sim: SnowSim;
  let active: Row[];
  beforeAll(async () => {
    sim = await startServiceNowSim({ incidents: 200, seed: 13 });
    active = sim
      .table('incident')
      .all()
      .filter((r) => r.active === 'true');
  });
  afterAll(async () => {
    await sim.stop();
  });

  const stats = async (params: Record<string, string>): Promise<unknown> => {
    const r = await call(sim, 'GET', '/api/now/stats/incident', { params });
    expect(r.status).toBe(200);
    return (parse(r) as { result: unknown }).result;
  };

  it('counts without group-by as an object with a string count', async () => {
    expect(await stats({ sysparm_query: 'active=true', sysparm_count: 'true' })).toEqual({ stats: { count: String(active.length) } });
    const unassigned = active.filter((r) => r.assigned_to === '').length;
    expect(await stats({ sysparm_query: 'active=true^assigned_toISEMPTY', sysparm_count: 'true' })).toEqual({
      stats: { count: String(unassigned) },
    });
  });

  it('groups by priority into an array with counts that add up', async () => {
    const result = (await stats({ sysparm_query: 'active=true', sysparm_count: 'true', sysparm_group_by: 'priority' })) as Group[];
    expect(Array.isArray(result)).toBe(true);
    const byValue = Object.fromEntries(result.map((g) => [g.groupby_fields[0]?.value, g.stats.count]));
    for (const p of ['1', '2', '3', '4', '5']) {
      const n = active.filter((r) => r.priority === p).length;
      expect(byValue[p] ?? '0', p).toBe(String(n));
    }
    expect(result[0]?.groupby_fields).toEqual([{ field: 'priority', value: result[0]?.groupby_fields[0]?.value }]);
  });

  it('adds display values to groups and keeps the empty group', async () => {
    const result = (await stats({
      sysparm_query: 'active=true',
      sysparm_count: 'true',
      sysparm_group_by: 'assignment_group',
      sysparm_display_value: 'true',
    })) as Group[];
    const empty = result.find((g) => g.groupby_fields[0]?.value === '');
    expect(empty?.stats.count).toBe(String(active.filter((r) => r.assignment_group === '').length));
    expect(empty?.groupby_fields[0]?.display_value).toBe('');
    const dba = sim.table('sys_user_group').findBy('name', 'Database Administration');
    const g = result.find((x) => x.groupby_fields[0]?.value === dba?.sys_id);
    expect(g?.groupby_fields[0]?.display_value).toBe('Database Administration');
    const states = (await stats({
      sysparm_count: 'true',
      sysparm_group_by: 'state,priority',
      sysparm_display_value: 'true',
      sysparm_query: 'state=2^priority=1',
    })) as Group[];
    for (const s of states) {
      expect(s.groupby_fields.map((f) => f.display_value)).toEqual(['In Progress', '1 - Critical']);
    }
  });

  it('averages with four decimals and orders by count', async () => {
    const result = (await stats({
      sysparm_query: 'active=true',
      sysparm_avg_fields: 'reassignment_count',
      sysparm_count: 'true',
    })) as Group;
    const avg = active.reduce((sum, r) => sum + Number(r.reassignment_count), 0) / active.length;
    expect(result.stats.avg?.reassignment_count).toBe(avg.toFixed(4));
    expect(result.stats.avg?.reassignment_count).toMatch(/^\d+\.\d{4}$/);
    const ordered = (await stats({ sysparm_count: 'true', sysparm_group_by: 'state', sysparm_order_by: 'COUNT^DESC' })) as Group[];
    const counts = ordered.map((g) => Number(g.stats.count));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const having = (await stats({ sysparm_count: 'true', sysparm_group_by: 'state', sysparm_having: 'count^state^>^20' })) as Group[];
    expect(having.every((g) => Number(g.stats.count) > 20)).toBe(true);
    expect(having.length).toBeLessThan(ordered.length);
  });
});
