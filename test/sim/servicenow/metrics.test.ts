import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowSim } from './server';
import type { SnowSim } from './sim-types';
import { formatGlideDateTime } from './time-format';

const FIXED = Date.UTC(2026, 8, 1, 9, 0, 0);

describe('"Assigned to Duration" metric', () => {
  let sim: SnowSim;
  beforeAll(async () => {
    sim = await startServiceNowSim({ seed: 9, incidents: 40, clock: () => FIXED });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('is seeded for every assigned incident, starting between opening and resolution', () => {
    const def = sim.table('metric_definition').findBy('name', 'Assigned to Duration');
    expect(def?.table).toBe('incident');
    const metrics = sim.table('metric_instance').all();
    const assigned = sim
      .table('incident')
      .all()
      .filter((r) => r.assigned_to !== '');
    expect(metrics).toHaveLength(assigned.length);
    for (const r of assigned) {
      const m = metrics.find((x) => x.id === r.sys_id);
      expect(m?.definition).toBe(def?.sys_id);
      expect(m?.field_value).toBe(r.assigned_to);
      expect((m?.start ?? '') >= (r.opened_at ?? '')).toBe(true);
      expect((m?.start ?? '') <= (r.resolved_at || r.sys_updated_on || '')).toBe(true);
    }
  });

  it('starts when an incident is assigned through the API and ends when it is reassigned', () => {
    const inc = sim.addIncident({ assigned_to: '' });
    const users = sim.table('sys_user').all();
    const [a, b] = [users[3]?.sys_id ?? '', users[4]?.sys_id ?? ''];
    sim.advanceTime(60_000);
    sim.update('incident', inc.sys_id ?? '', { assigned_to: a });
    sim.advanceTime(120_000);
    sim.update('incident', inc.sys_id ?? '', { assigned_to: b });
    const mine = sim
      .table('metric_instance')
      .all()
      .filter((m) => m.id === inc.sys_id)
      .sort((x, y) => ((x.start ?? '') < (y.start ?? '') ? -1 : 1));
    expect(mine.map((m) => [m.field_value, m.start, m.end])).toEqual([
      [a, formatGlideDateTime(FIXED + 60_000), formatGlideDateTime(FIXED + 180_000)],
      [b, formatGlideDateTime(FIXED + 180_000), ''],
    ]);
  });
});
