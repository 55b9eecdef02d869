// The insights report for a 90-day period over 50,000 incidents in the ServiceNow simulator (with four
// months more history, 300 closed changes and their assignment metrics): time, requests and bytes of a
// whole report through the core, median of 5 runs after a warm-up; the same with the Aggregate API refused
// (counts from Table records only); and the pure computation alone over the records read.
// Run: npm run bench -- insights   (or node --import tsx test/bench/insights-report.bench.ts)
import os from 'node:os';
import { startServiceNowSim } from '../sim/servicenow';
import { snowHarness } from '../helpers/incidents';
import { computeInsights } from '@shared/insights';
import { readSnowInsights } from '../../electron/core/features/insights/snow-insights';
import { median, writeSection } from './lib/report';

const TOTAL = 50_000;
const OPEN = 2_000;
const RUNS = 5;
const DAY = 86_400_000;

async function main(): Promise<void> {
  const t0 = performance.now();
  const sim = await startServiceNowSim({ incidents: OPEN, historyIncidents: TOTAL - OPEN, historyDays: 180, historyChanges: 300, seed: 5 });
  const seedMs = performance.now() - t0;
  const h = await snowHarness(sim);
  const today = Math.floor(sim.now() / DAY) * DAY;
  const from = new Date(today - 90 * DAY).toISOString().slice(0, 10);
  const to = new Date(today).toISOString().slice(0, 10);
  const inPeriod = sim
    .table('incident')
    .all()
    .filter((r) => (r.opened_at ?? '') >= `${from} 00:00:00` && (r.opened_at ?? '') < `${to} 00:00:00`).length;

  const measure = async (): Promise<{ ms: number; requests: number; bytes: number; opened: number }> => {
    sim.clearRequests();
    const s = performance.now();
    const r = await h.ok('insights.report', { from, to });
    const ms = performance.now() - s;
    return { ms, requests: sim.requests.length, bytes: sim.requests.reduce((a, x) => a + x.bytes, 0), opened: r.incidents.opened };
  };
  try {
    const runs = async (): Promise<{ ms: number; requests: number; bytes: number; opened: number }[]> => {
      await measure(); // warm-up: sim caches, JIT, sign-in
      const out = [];
      for (let i = 0; i < RUNS; i++) out.push(await measure());
      return out;
    };
    const withAgg = await runs();
    sim.setAcl({ denyAggregateApi: true });
    const tableOnly = await runs();
    sim.setAcl(undefined);
    for (const r of [...withAgg, ...tableOnly])
      if (r.opened !== inPeriod) throw new Error(`report counted ${r.opened} opened, the sim has ${inPeriod}`);

    // The pure computation over the records one read returns.
    const ctx = h.service().context('snow');
    const read = await readSnowInsights(ctx, { from: Date.parse(`${from}T00:00:00Z`), to: Date.parse(`${to}T00:00:00Z`), afterMs: DAY });
    const compute: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      computeInsights(
        { incidents: read.incidents, changes: read.changes, jobs: [], runbooks: [], slos: [] },
        { from: Date.parse(`${from}T00:00:00Z`), to: Date.parse(`${to}T00:00:00Z`) },
      );
      compute.push(performance.now() - s);
    }

    const m = (xs: number[]): string => median(xs).toFixed(0);
    const body = [
      `Simulator: ${TOTAL.toLocaleString('en')} incidents (${OPEN.toLocaleString('en')} open, the rest over 180 days), 300 closed changes, seeded in ${(seedMs / 1000).toFixed(1)} s.`,
      `Period ${from} → ${to} (90 days): ${inPeriod.toLocaleString('en')} incidents opened in it; ${read.incidents.length.toLocaleString('en')} incidents read (open at some moment of it).`,
      '',
      '| report (median of 5) | time | requests | bytes |',
      '| --- | --- | --- | --- |',
      `| Table reads + Aggregate API counts | ${m(withAgg.map((r) => r.ms))} ms | ${median(withAgg.map((r) => r.requests))} | ${(median(withAgg.map((r) => r.bytes)) / 2 ** 20).toFixed(1)} MiB |`,
      `| Aggregate API refused (403): Table reads only | ${m(tableOnly.map((r) => r.ms))} ms | ${median(tableOnly.map((r) => r.requests))} | ${(median(tableOnly.map((r) => r.bytes)) / 2 ** 20).toFixed(1)} MiB |`,
      `| computation alone (shared/insights, no I/O) | ${m(compute)} ms | — | — |`,
      '',
      `Ratio with/without the Aggregate API in this run: ${(median(withAgg.map((r) => r.ms)) / median(tableOnly.map((r) => r.ms))).toFixed(2)}. Both make the same Table reads (the records behind each figure need them; the three Aggregate API requests are answered or refused either way), so the difference is the machine's noise. Most of the time is the simulator answering 2,000-row pages; the computation is ${((100 * median(compute)) / median(withAgg.map((r) => r.ms))).toFixed(0)} % of a report.`,
      `Load average (1 min) at the end: ${os.loadavg()[0]?.toFixed(1) ?? '?'} — on a shared 2-core machine, compare the ratios rather than the times.`,
      'Run: `npm run bench -- insights`.',
    ].join('\n');
    writeSection('insights-report', 'Insights report over 50,000 incidents', body);
    process.stdout.write(`${body}\n`);
  } finally {
    await h.close();
    await sim.stop();
  }
}

await main();
