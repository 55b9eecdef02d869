// SLO fleet refresh (issue 3): 200 SLOs over 31 days of 5-minute history in a real Prometheus 2.42. Measures a
// fleet refresh through the core's SloService (the engine's plan, one instant query per window asked by metric,
// plus one range query for all sparklines) against a naive evaluation that asks one SLO at a time (one query per SLO, window and part,
// as a straightforward client would), in the same run on the same server. Budgets: at most 10 PromQL queries per
// fleet refresh, a loop refresh under 2 s here, and no chart series longer than its pixel width. The full
// refresh (every window re-read, as the Refresh button and the CLI do) is reported beside it.
//
// Run: npm run bench -- slo-fleet   (or node --import tsx test/bench/slo-fleet.bench.ts)

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildNaiveQueries, evaluateNaive, type NaiveOutcome, type SloDefinition } from '@shared/slo';
import type { SloStatusView } from '@shared/slo/contract';
import { createCore } from '../../electron/core/core';
import { SloService, policyFromWorkspace } from '../../electron/core/features/slo/slo-service';
import { startPrometheusWithDataset, type CounterSeries, type Dataset } from '../helpers/prometheus';
import { fakeSecrets } from '../helpers/fake-secrets';
import { median, writeSection } from './lib/report';

const N = 200;
const DAY = 86_400;
/** A fixed end so the built blocks are cached across runs. */
const END = Date.UTC(2026, 9, 31, 12, 0, 0) / 1000;
const FLEET_RUNS = 7;
const NAIVE_RUNS = 3;
const FULL_RUNS = 3;
const WIDTHS = [160, 640, 1280];

const svc = (i: number): string => `svc-${String(i).padStart(3, '0')}`;

/** Error ratio of service i: a spread of healthy, burning and overspent services (deterministic). */
function ratio(i: number, t: number): number {
  const base = 0.0001 * (1 + (i % 13));
  const burning = i % 17 === 0 && t > END - 2 * DAY;
  return burning ? 0.02 : base;
}

function dataset(): Dataset {
  const series: CounterSeries[] = [];
  for (let i = 0; i < N; i++) {
    const rps = 1 + (i % 7);
    series.push(
      {
        kind: 'counter',
        name: 'bench_requests_total',
        labels: { service: svc(i), code: '200' },
        increment: (t, dt) => rps * dt * (1 - ratio(i, t)),
      },
      {
        kind: 'counter',
        name: 'bench_requests_total',
        labels: { service: svc(i), code: '500' },
        increment: (t, dt) => rps * dt * ratio(i, t),
      },
    );
  }
  return { end: END, days: 31, stepSeconds: 300, series };
}

function sloYaml(i: number): string {
  const window = i % 10 === 0 ? '28d' : i % 10 === 1 ? '7d' : '30d';
  const target = [0.999, 0.995, 0.99][i % 3];
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${svc(i)}-availability
  labels: {team: team-${i % 8}}
spec:
  service: ${svc(i)}
  indicator:
    metadata: {name: ${svc(i)}-sli}
    spec:
      ratioMetric:
        counter: true
        bad: {metricSource: {type: Prometheus, spec: {query: 'bench_requests_total{service="${svc(i)}",code=~"5.."}'}}}
        total: {metricSource: {type: Prometheus, spec: {query: 'bench_requests_total{service="${svc(i)}"}'}}}
  timeWindow: [{duration: ${window}, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{target: ${target}}]
`;
}

function engineFields(s: SloStatusView): Record<string, unknown> {
  const { fetchedAt: _f, stale: _s, staleReason: _r, sparkline: _p, ...rest } = s;
  return rest;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const prom = await startPrometheusWithDataset(dataset());
  const setupMs = Date.now() - t0;
  process.stdout.write(
    `prometheus ready in ${setupMs} ms (${prom.dataset.cached ? 'blocks from the cache' : `blocks built in ${prom.dataset.buildMs} ms`})\n`,
  );
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-bench-slo-'));
  const sloDir = path.join(tmp, 'slos');
  mkdirSync(sloDir);
  mkdirSync(path.join(tmp, 'data'));
  for (let i = 0; i < N; i++) writeFileSync(path.join(sloDir, `${svc(i)}.yaml`), sloYaml(i));
  const config = path.join(tmp, 'toc.yaml');
  writeFileSync(
    config,
    `name: bench\nconnections:\n  - {id: prom, kind: prometheus, name: Prometheus (bench), url: ${prom.url}, auth: {type: none}, timeoutMs: 120000}\nslos:\n  connection: prom\n  files: ["slos/*.yaml"]\n`,
  );
  const core = await createCore({
    version: 'bench',
    transport: 'direct',
    workspaceFile: config,
    dataDir: path.join(tmp, 'data'),
    secrets: fakeSecrets(),
  });
  // The loop's clock: a minute later each refresh, as the 60 s refresh loop would see it.
  const clock = { ms: (END - 600) * 1000 };
  const service = new SloService({
    workspace: () => core.services.workspace(),
    connections: core.services.connections,
    dataDir: path.join(tmp, 'data'),
    now: () => clock.ms,
  });
  const lines: string[] = [];
  let failed = false;
  const check = (ok: boolean, what: string): string => {
    if (!ok) failed = true;
    lines.push(`${ok ? '✓' : '✗'} ${what}`);
    return ok ? '✓' : '✗';
  };
  try {
    // Warm-up (file reads, rule discovery, the server's caches), not counted.
    const warm = await service.fleet({ refresh: true });
    if (warm.statuses.length !== N)
      throw new Error(`expected ${N} SLOs, got ${warm.statuses.length}: ${warm.problems.map((p) => p.message).join('; ')}`);

    // The loop: a refresh every 60 s (burn windows each time, the 30-day window when its answer is 5 min old).
    const fleetMs: number[] = [];
    const fleetQueries: number[] = [];
    let last = warm;
    for (let i = 0; i < FLEET_RUNS; i++) {
      clock.ms += 60_000;
      const t = performance.now();
      last = await service.refresh();
      fleetMs.push(performance.now() - t);
      fleetQueries.push(last.queryCount);
    }
    // Forced: every window read again (the Refresh button; what the CLI does once).
    const fullMs: number[] = [];
    const fullQueries: number[] = [];
    for (let i = 0; i < FULL_RUNS; i++) {
      clock.ms += 60_000;
      const t = performance.now();
      last = await service.fleet({ refresh: true });
      fullMs.push(performance.now() - t);
      fullQueries.push(last.queryCount);
    }
    const errors = last.statuses.filter((s) => s.status !== 'ok');
    if (errors.length > 0) throw new Error(`${errors.length} SLOs not ok: ${errors[0]?.error ?? errors[0]?.status}`);

    // Naive: one SLO at a time, each asking its own query per window and part (4 at a time, like the fleet).
    const defs: SloDefinition[] = (await service.definitions()).slos;
    const client = service.pool.get('prom');
    const at = Math.floor(clock.ms / 1000);
    const naiveMs: number[] = [];
    let naiveCount = 0;
    let naiveOutcomes: NaiveOutcome[] = [];
    for (let r = 0; r < NAIVE_RUNS; r++) {
      const all = buildNaiveQueries(defs, { at });
      naiveCount = all.length;
      const out: NaiveOutcome[] = [];
      const t = performance.now();
      for (const def of defs) {
        const mine = all.filter((q) => q.sloKey === def.key);
        out.push(...(await Promise.all(mine.map(async (q) => ({ query: q, body: await client.instantRaw(q.query, at) })))));
      }
      naiveMs.push(performance.now() - t);
      naiveOutcomes = out;
    }
    // Same numbers both ways (the refresh at `at`, i.e. the last one).
    const naive = evaluateNaive(defs, at, naiveOutcomes, { policy: policyFromWorkspace(core.services.workspace()) });
    const same = JSON.stringify(naive) === JSON.stringify(last.statuses.map(engineFields));

    // Charts: every series of a detail at most widthPx points; sparklines at most their 60 points.
    let worstRatio = 0;
    let series = 0;
    const sample = last.statuses.filter((_s, i) => i % 20 === 0);
    for (const w of WIDTHS) {
      for (const s of sample) {
        const d = await service.detail(s.id, w);
        for (const x of [d.budget.actual, d.sli, d.requests ?? [], d.errors ?? []]) {
          series++;
          worstRatio = Math.max(worstRatio, x.length / w);
        }
      }
    }
    const sparkMax = Math.max(...last.statuses.map((s) => s.sparkline.length));

    const fMed = median(fleetMs);
    const fullMed = median(fullMs);
    const nMed = median(naiveMs);
    const qMax = Math.max(...fleetQueries, ...fullQueries);
    const load = os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ');
    const body = `${N} OpenSLO SLOs (30d, 28d and 7d windows; targets 99.9/99.5/99 %) on ${2 * N} counter series, 31 days at 5-minute
steps (${(2 * N * 31 * 288).toLocaleString('en-US')} samples), Prometheus 2.42 on loopback. Same server, same run: ${FLEET_RUNS} loop refreshes
(clock advanced 60 s each, as the refresh loop runs), ${FULL_RUNS} forced full refreshes, ${NAIVE_RUNS} naive runs. Load average during the run:
${load} on ${os.cpus().length} cores (shared with other work).

| measure | fleet: loop refresh | fleet: full refresh | naive, one SLO at a time | budget |
| --- | --- | --- | --- | --- |
| PromQL queries | ${fleetQueries.join(', ')} | ${fullQueries.join(', ')} (8 instant + 1 range for all sparklines) | ${naiveCount} instant | ≤ 10 ${check(qMax <= 10, `at most ${qMax} queries per fleet refresh (≤ 10)`)} |
| wall time (median) | ${fMed.toFixed(0)} ms ${check(fMed < 2000, `loop refresh median ${fMed.toFixed(0)} ms (< 2000 ms)`)} | ${fullMed.toFixed(0)} ms ${check(fullMed < 2000, `full refresh median ${fullMed.toFixed(0)} ms (< 2000 ms)`)} | ${nMed.toFixed(0)} ms | < 2000 ms |
| naive / fleet | ${(nMed / fMed).toFixed(1)}× | ${(nMed / fullMed).toFixed(1)}× | ${(naiveCount / qMax).toFixed(0)}× the queries | |
| same statuses as naive | ${check(same, 'fleet and naive statuses are identical') === '✓' ? 'yes' : 'NO'} | | | |
| longest chart series / pixel width | ${worstRatio.toFixed(2)} over ${series} detail series at ${WIDTHS.join(', ')} px | | | ≤ 1 ${check(worstRatio <= 1, `detail series within the pixel width (max ratio ${worstRatio.toFixed(2)})`)} |
| longest sparkline | ${sparkMax} points (drawn 150 px wide) | | | ≤ 60 ${check(sparkMax <= 60, `sparklines at most 60 points (${sparkMax})`)} |

Each window is one query that asks by metric (\`sum by (code, service) (increase(bench_requests_total{service=~"…"}[W]))\`,
one selector per metric and window instead of one per SLO part) and splits the rows per SLO on the console's side. The loop
reads the burn windows (5m … 3d) and the sparkline tail on every refresh and re-reads the compliance window (every SLO
series over 7 to 30 days, ~3.3 M samples: the bulk of the cost) when its answer is 5 minutes old; the full refresh reads
everything. Loop runs (ms): ${fleetMs.map((x) => x.toFixed(0)).join(', ')}. Full runs (ms):
${fullMs.map((x) => x.toFixed(0)).join(', ')}. Naive runs (ms): ${naiveMs.map((x) => x.toFixed(0)).join(', ')}. Prometheus start ${setupMs} ms
(${prom.dataset.cached ? 'blocks cached' : `blocks built in ${(prom.dataset.buildMs / 1000).toFixed(0)} s`}). Command: \`npm run bench -- slo-fleet\`.`;
    writeSection('slo-fleet', 'SLO fleet refresh (issue 3)', body);
    process.stdout.write(`${body}\n\n${lines.join('\n')}\n`);
  } finally {
    service.dispose();
    await core.dispose();
    await prom.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

await main();
