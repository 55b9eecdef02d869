// Incident queue sync against the ServiceNow simulator with 10,000 open incidents: requests, bytes and time of
// the first sync, of a delta refresh with nothing changed (budget: one request, < 200 ms) and with 50 changes,
// and of the periodic id-only reconcile. Run: node --import tsx test/bench/incidents-sync.bench.ts
import os from 'node:os';
import { startServiceNowSim } from '../sim/servicenow';
import type { Row } from '../sim/servicenow';
import { snowHarness } from '../helpers/incidents';
import { median, percentile, writeSection } from './lib/report';

const OPEN = 10_000;

interface Measure {
  ms: number;
  requests: number;
  bytes: number;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const sim = await startServiceNowSim({ incidents: OPEN, seed: 7 });
  const seedMs = performance.now() - t0;
  const h = await snowHarness(sim);
  const traffic = (): { requests: number; bytes: number } => ({
    requests: sim.requests.length,
    bytes: sim.requests.reduce((a, r) => a + r.bytes, 0),
  });
  const measure = async (fn: () => Promise<unknown>): Promise<Measure> => {
    sim.clearRequests();
    const start = performance.now();
    await fn();
    const ms = performance.now() - start;
    return { ms, ...traffic() };
  };
  try {
    // First sync, cold (a new service each time: no caches); the first run also warms the sim's caches.
    const first: Measure[] = [];
    let rows = 0;
    for (let i = 0; i < 4; i++) {
      const svc = h.service();
      const m = await measure(async () => {
        rows = (await svc.list('snow')).rows.length;
      });
      if (i > 0) first.push(m);
      svc.stopAll();
    }
    const expected = sim
      .table('incident')
      .all()
      .filter((r) => r.active === 'true' && !['6', '7', '8'].includes(r.state ?? '')).length;
    if (rows !== expected) throw new Error(`first sync read ${rows} incidents, the sim has ${expected} open`);

    const svc = h.service({ sync: { reconcileEvery: 0 } });
    await svc.list('snow');
    // Rows inside the first probe's window (the seed closes many history incidents in the same second).
    const all = sim.table('incident').all();
    const newest = all.reduce((m, r) => ((r.sys_updated_on ?? '') > m ? (r.sys_updated_on ?? '') : m), '');
    const floor = new Date(Date.parse(`${newest.replace(' ', 'T')}Z`) - 5000).toISOString().replace('T', ' ').slice(0, 19);
    const inWindow = all.filter((r) => (r.sys_updated_on ?? '') >= floor).length;
    // Nothing changed.
    const idle: Measure[] = [];
    for (let i = 0; i < 20; i++) idle.push(await measure(() => svc.refresh('snow')));

    // 50 changes to incidents in the queue (someone else works them).
    const busy: Measure[] = [];
    let picked = 0;
    for (let i = 0; i < 6; i++) {
      const queue = svc.sync('snow').snapshot().rows;
      const chosen = queue.slice(picked, picked + 50);
      picked += 50;
      sim.advanceTime(1000);
      for (const r of chosen) sim.update('incident', r.sys_id, { short_description: `${r.short_description} ·` });
      const m = await measure(() => svc.refresh('snow'));
      const got = svc
        .sync('snow')
        .snapshot()
        .rows.filter((r) => r.short_description.endsWith(' ·') && chosen.some((c) => c.sys_id === r.sys_id)).length;
      if (got !== 50) throw new Error(`delta picked up ${got} of 50 changes`);
      if (i > 0) busy.push(m);
    }

    // 50 random updates anywhere in the table (some outside the queue).
    sim.advanceTime(1000);
    const touched = sim.touchIncidents(50);
    const random = await measure(() => svc.refresh('snow'));
    const inQueue = touched.filter((id) => {
      const r = sim.table('incident').get(id) as Row | undefined;
      return r?.active === 'true' && !['6', '7', '8'].includes(r.state ?? '');
    }).length;

    // The periodic reconcile (ids and versions of the whole queue).
    const rec = h.service({ sync: { reconcileEvery: 1 } });
    await rec.list('snow');
    await rec.refresh('snow');
    const reconcile = await measure(() => rec.refresh('snow'));
    rec.stopAll();
    svc.stopAll();

    const mb = (b: number): string => (b / 2 ** 20).toFixed(2);
    const kb = (b: number): string => (b / 1024).toFixed(1);
    const f = (xs: number[]): string => `${median(xs).toFixed(0)} ms`;
    const idleMs = idle.map((m) => m.ms);
    const idleReq = Math.max(...idle.map((m) => m.requests));
    const idleOk = idleReq === 1 && median(idleMs) < 200;
    const body = `Simulator with ${OPEN.toLocaleString('en')} open incidents (${sim.table('incident').size.toLocaleString('en')} in the table; seeded in ${(seedMs / 1000).toFixed(1)} s), on loopback.

| refresh | requests | bytes | time | budget |
| --- | --- | --- | --- | --- |
| first sync (cold: watermark, user, groups, choices, ${rows.toLocaleString('en')} rows in keyset pages of 1000; median of ${first.length}) | ${first[0]?.requests ?? 0} | ${mb(median(first.map((m) => m.bytes)))} MB | ${f(first.map((m) => m.ms))} | |
| delta, nothing changed (median / p95 / max of ${idle.length}; ${inWindow} rows share the 5 s overlap window) | ${idleReq} | ${kb(median(idle.map((m) => m.bytes)))} KB | ${median(idleMs).toFixed(1)} / ${percentile(idleMs, 95).toFixed(1)} / ${Math.max(...idleMs).toFixed(1)} ms | 1 request, < 200 ms ${idleOk ? '✓' : '✗'} |
| delta, 50 queue incidents changed (median of ${busy.length}) | ${busy[0]?.requests ?? 0} | ${kb(median(busy.map((m) => m.bytes)))} KB | ${f(busy.map((m) => m.ms))} | |
| delta, 50 random incidents touched (${inQueue} in the queue) | ${random.requests} | ${kb(random.bytes)} KB | ${random.ms.toFixed(0)} ms | |
| reconcile (ids + versions of the whole queue, every 20th refresh by default) | ${reconcile.requests} | ${mb(reconcile.bytes)} MB | ${reconcile.ms.toFixed(0)} ms | |

How: the first sync notes the newest \`sys_updated_on\` of the table, then reads the queue with
\`sysparm_display_value=false\`, dot-walked names and \`sys_choice\` labels (about half the bytes of
\`display_value=all\`). A delta asks the whole table for \`sys_id,sys_updated_on,sys_mod_count\` since the
watermark minus 5 s; only versions it has not seen are read back through the queue's query
(\`…^sys_idIN<50 ids>\`), which also tells which left the queue. Command: \`node --import tsx test/bench/incidents-sync.bench.ts\`. Load average at the end: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} on ${os.cpus().length} cores (these machines are shared).`;
    writeSection('incidents-sync', 'Incident queue sync (issue 4)', body);
    process.stdout.write(`${body}\n`);
    if (!idleOk) process.exitCode = 1;
  } finally {
    await h.close();
    await sim.stop();
  }
}

await main();
