// A write whose answer never came is not a refusal: ServiceNow may well have saved it. The console says the
// outcome is unknown, checks (the journal for a work note, the record for a field change), and reports what
// the check found — confirmed, or not found and safe to retry — never "did not accept" for a timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowSim } from '../sim/servicenow';
import type { Row, SnowSim } from '../sim/servicenow';
import { snowHarness } from '../helpers/incidents';
import type { SnowHarness } from '../helpers/incidents';

let sim: SnowSim;
let h: SnowHarness;
const used = new Set<string>();

function pick(): Row {
  const r = sim
    .table('incident')
    .all()
    .find((x) => x.active === 'true' && !['3', '6', '7', '8'].includes(x.state ?? '') && !used.has(x.sys_id ?? ''));
  if (!r?.sys_id) throw new Error('no incident left');
  used.add(r.sys_id);
  return r;
}
const notesOn = (sysId: string, text: string): Row[] =>
  sim
    .table('sys_journal_field')
    .all()
    .filter((j) => j.element_id === sysId && j.element === 'work_notes' && j.value === text);

beforeAll(async () => {
  sim = await startServiceNowSim({ incidents: 30, seed: 7 });
  h = await snowHarness(sim, { timeoutMs: 1000 });
  await h.ok('incidents.list', {});
});
afterAll(async () => {
  await h?.close();
  await sim?.stop();
});

describe('a write that timed out', () => {
  it('a work note saved without an answer is found in the journal and reported saved, once', async () => {
    const inc = pick();
    const text = `checking the disk ${Date.now()}`;
    sim.setFault({ mode: 'late-answer', delayMs: 3000, count: 1, match: `/api/now/table/incident/${inc.sys_id}` });
    const r = await h.ok('incidents.addWorkNote', { sysId: inc.sys_id ?? '', text });
    expect(r.message).toMatch(/did not answer within 1 s/);
    expect(r.message).toMatch(/found in the journal|confirmed/i);
    expect(notesOn(inc.sys_id ?? '', text)).toHaveLength(1);
    expect(r.remoteRef).toBe(notesOn(inc.sys_id ?? '', text)[0]?.sys_id);
    const audit = (await h.ok('audit.list', { limit: 5 })).filter((a) => a.action === 'incident.work_note');
    expect(audit[0]).toMatchObject({ outcome: 'ok', remoteRef: r.remoteRef });
  });

  it('a work note that did not land says so after checking, offers a retry, and never says refused', async () => {
    const inc = pick();
    const text = `not there ${Date.now()}`;
    // ServiceNow hangs before the write; the connection is dropped when the client gives up.
    sim.setFault({ mode: 'slow', delayMs: 60_000, count: 1, match: `/api/now/table/incident/${inc.sys_id}` });
    const e = await h.err('incidents.addWorkNote', { sysId: inc.sys_id ?? '', text });
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/did not answer within 1 s/);
    expect(e.message).toMatch(/may have been saved|outcome is unknown/i);
    expect(e.message).toMatch(/not in the journal|not found/i);
    expect(e.message).not.toMatch(/refused|did not accept/i);
    expect(e.detail?.retryable).toBe(true);
    sim.setFault('none');
  });

  it('a field change saved without an answer is confirmed by re-reading the record', async () => {
    const inc = pick();
    sim.setFault({ mode: 'late-answer', delayMs: 3000, count: 1, match: `/api/now/table/incident/${inc.sys_id}`, method: 'PATCH' });
    const r = await h.ok('incidents.assignToMe', { sysId: inc.sys_id ?? '', seenModCount: Number(inc.sys_mod_count ?? 0) });
    expect(r.message).toMatch(/did not answer within 1 s/);
    expect(sim.table('incident').get(inc.sys_id ?? '')?.assigned_to).toBeTruthy();
  });
});
