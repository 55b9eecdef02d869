// Work-note search in ServiceNow (the palette's server-side provider) against the simulator: what it asks the
// instance, that its answer is what the journal holds, user text that tries to become query syntax, a 403 and
// an HTML page where JSON was due, a search abandoned half way, and the offline copy when ServiceNow is gone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowSim } from '../sim/servicenow';
import type { SnowSim } from '../sim/servicenow';
import { snowHarness } from '../helpers/incidents';
import type { SnowHarness } from '../helpers/incidents';

const JOURNAL = '/api/now/table/sys_journal_field';

let sim: SnowSim;
let h: SnowHarness;

beforeAll(async () => {
  sim = await startServiceNowSim({ incidents: 80, seed: 23 });
  h = await snowHarness(sim);
});
afterAll(async () => {
  await h.close();
  await sim.stop();
});
afterEach(() => {
  sim.setFault('none');
  sim.setAcl(undefined);
  sim.clearRequests();
});

/** What the journal holds: incidents whose work notes or comments contain every word, newest matching note first. */
function expected(words: string[], limit = 20): string[] {
  const notes = sim
    .table('sys_journal_field')
    .all()
    .filter((n) => n.name === 'incident' && (n.element === 'work_notes' || n.element === 'comments'))
    .filter((n) => words.every((w) => (n.value ?? '').toLowerCase().includes(w.toLowerCase())))
    .sort((a, b) => (b.sys_created_on ?? '').localeCompare(a.sys_created_on ?? ''));
  const ids: string[] = [];
  for (const n of notes) if (n.element_id && !ids.includes(n.element_id)) ids.push(n.element_id);
  return ids.slice(0, limit).map((id) => sim.table('incident').get(id)?.number ?? '?');
}

/** A word of a seeded work note that a handful of incidents share (neither unique nor everywhere). */
function commonWord(): string {
  const counts = new Map<string, Set<string>>();
  for (const n of sim.table('sys_journal_field').all()) {
    if (n.name !== 'incident' || n.element !== 'work_notes') continue;
    for (const w of (n.value ?? '').toLowerCase().match(/[a-z]{6,}/g) ?? []) {
      if (!counts.has(w)) counts.set(w, new Set());
      counts.get(w)?.add(n.element_id ?? '');
    }
  }
  const fit = [...counts].filter(([, s]) => s.size >= 3 && s.size <= 15).sort((a, b) => a[0].localeCompare(b[0]));
  const w = fit[0]?.[0];
  if (!w) throw new Error('the seed has no work-note word shared by 3–15 incidents');
  return w;
}

describe('work-note search in ServiceNow', () => {
  it('asks sys_journal_field for incident work notes holding the word, newest first, and answers what the journal holds', async () => {
    const word = commonWord();
    const r = await h.ok('incidents.searchNotes', { query: word.toUpperCase() });
    expect(r.source).toBe('live');
    expect(r.hits.map((x) => x.number)).toEqual(expected([word]));
    for (const x of r.hits) expect(x.snippet.toLowerCase()).toContain(word);
    const asked = sim.requests.filter((q) => q.path === JOURNAL);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.query.sysparm_query).toBe(
      `name=incident^elementINwork_notes,comments^valueLIKE${word.toUpperCase()}^ORDERBYDESCsys_created_on`,
    );
    // One read of the incidents it found, by sys_id.
    const incidents = sim.requests.filter((q) => q.path === '/api/now/table/incident');
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.query.sysparm_query).toMatch(/^sys_idIN[0-9a-f]{32}(,[0-9a-f]{32})*$/);
  });

  it('finds a note written a moment ago, by any case of its words, and not by half of them', async () => {
    const target = sim
      .table('incident')
      .all()
      .find((i) => i.active === 'true');
    if (!target?.sys_id) throw new Error('no open incident');
    await h.ok('incidents.addWorkNote', { sysId: target.sys_id, text: 'Rolled back the Zanzibar-4471 canary on pay-eu-3.' });
    const r = await h.ok('incidents.searchNotes', { query: 'zanzibar-4471 PAY-EU-3' });
    expect(r.hits.map((x) => x.number)).toEqual([target.number]);
    expect(r.hits[0]?.snippet).toContain('Zanzibar-4471 canary on pay-eu-3');
    expect((await h.ok('incidents.searchNotes', { query: 'zanzibar-4471 pay-eu-4' })).hits).toEqual([]);
  });

  it('a comment (customer-visible) is found and says it is a comment; another journal (approvals) is not searched', async () => {
    const target = sim
      .table('incident')
      .all()
      .find((i) => i.active === 'true');
    if (!target?.sys_id) throw new Error('no open incident');
    sim.table('sys_journal_field').put({
      sys_id: 'c'.repeat(32),
      name: 'incident',
      element: 'comments',
      element_id: target.sys_id,
      value: 'Quokka-9 customer update',
      sys_created_on: '2026-12-06 21:00:00',
      sys_created_by: 'admin',
    });
    sim.table('sys_journal_field').put({
      sys_id: 'd'.repeat(32),
      name: 'incident',
      element: 'approval_history',
      element_id: target.sys_id,
      value: 'Quokka-10 change approved',
      sys_created_on: '2026-12-06 21:05:00',
      sys_created_by: 'admin',
    });
    const r = await h.ok('incidents.searchNotes', { query: 'quokka-9' });
    expect(r.hits.map((x) => [x.number, x.element, x.snippet])).toEqual([[target.number, 'comments', 'Quokka-9 customer update']]);
    expect((await h.ok('incidents.searchNotes', { query: 'quokka-10' })).hits).toEqual([]);
  });

  it('user text never becomes query syntax: a caret is escaped, so ^NQ cannot widen the search to every note', async () => {
    const r = await h.ok('incidents.searchNotes', { query: 'x^NQsys_idISNOTEMPTY' });
    expect(r.hits).toEqual([]);
    const q = sim.requests.find((x) => x.path === JOURNAL)?.query.sysparm_query ?? '';
    expect(q).toContain('valueLIKEx^^NQsys_idISNOTEMPTY');
  });

  it('refuses a query of fewer than three characters before asking ServiceNow', async () => {
    const e = await h.err('incidents.searchNotes', { query: ' ab ' });
    expect(e.code).toBe('bad_request');
    expect(sim.requests.filter((q) => q.path === JOURNAL)).toHaveLength(0);
  });

  it('403 on sys_journal_field: an error quoting the instance, nothing invented', async () => {
    sim.setAcl({ deniedTables: ['sys_journal_field'] });
    const e = await h.err('incidents.searchNotes', { query: commonWord() });
    expect(e.code).toBe('forbidden');
    expect(e.detail?.remoteMessage).toBe('User Not Authorized: Failed API level ACL Validation');
  });

  it('an HTML login page where JSON was due: login_required, not a parse error', async () => {
    sim.setFault({ mode: 'html-login', match: 'sys_journal_field' });
    const e = await h.err('incidents.searchNotes', { query: commonWord() });
    expect(e.code).toBe('login_required');
    expect(e.message).not.toMatch(/JSON/);
  });

  it('a search abandoned half way (the palette typed on) stops at once and answers "cancelled"', async () => {
    sim.setFault({ mode: 'slow', delayMs: 8_000, match: 'sys_journal_field' });
    const abort = new AbortController();
    const started = Date.now();
    const pending = h.core.dispatcher.call('incidents.searchNotes', { query: commonWord() }, { transport: 'ws', signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    const r = await pending;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('work-note search with ServiceNow gone (as toc serve runs it)', () => {
  let own: SnowSim;
  let ws: SnowHarness;
  beforeAll(async () => {
    own = await startServiceNowSim({ incidents: 30, seed: 5 });
    ws = await snowHarness(own, { transport: 'ws' });
  });
  afterAll(async () => {
    await ws.close();
    await own.stop().catch(() => undefined);
  });

  it('searches the journals in the offline copy, says so with the reason, and still refuses a 403 from the copy', async () => {
    const [a, b] = own
      .table('incident')
      .all()
      .filter((i) => i.active === 'true');
    if (!a?.sys_id || !b?.sys_id) throw new Error('no open incidents');
    await ws.ok('incidents.addWorkNote', { sysId: a.sys_id, text: 'Marmoset-12 restarted, watching the queue.' });
    // Two details read while ServiceNow answers: both go into the copy with their journals.
    await ws.ok('incidents.get', { sysId: a.sys_id });
    await ws.ok('incidents.get', { sysId: b.sys_id });
    await ws.ok('offline.status', {});

    own.setAcl({ deniedTables: ['sys_journal_field'] });
    const refused = await ws.err('incidents.searchNotes', { query: 'marmoset-12' });
    expect(refused.code).toBe('forbidden');
    own.setAcl(undefined);

    await own.stop();
    const r = await ws.ok('incidents.searchNotes', { query: 'MARMOSET-12' });
    expect(r.source).toBe('copy');
    expect(r.hits.map((x) => x.number)).toEqual([a.number]);
    expect(r.hits[0]?.snippet).toContain('Marmoset-12 restarted');
    expect(r.copy?.searched).toBe(2);
    expect(r.copy?.reason).toMatch(/ServiceNow|refused|reach/i);
    expect(r.copy?.syncedAt).not.toBeNull();
  });
});
