// SLO fleet at scale: 2,000 OpenSLO SLOs across 4 Prometheus 2.42 servers (500 each, each file naming its server
// in metricSourceRef), refreshed through the core's SloService, then the fleet view in Chromium through
// `toc serve`: time to the first tiles, filtering (typing in the search box, a label facet) and scrolling the
// whole fleet. Budgets: at most 10 PromQL queries per connection and refresh, a refresh under 2 s here, 60 fps
// (p95 frame ≤ 16.7 ms) while scrolling and filtering.
//
// The four servers hold the same 2 days of 5-minute history for 500 services (built once with promtool and
// cached), so each connection's work is the same and the refresh time is that of four servers answering at once.
//
// Run: npm run bench -- slo-scale   (or node --import tsx test/bench/slo-scale.bench.ts after npm run build)

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import { SloService } from '../../electron/core/features/slo/slo-service';
import { startServe } from '../../electron/core/kernel/serve/serve';
import { startPrometheus, buildDataset, type CounterSeries, type Dataset, type PrometheusHandle } from '../helpers/prometheus';
import { fakeSecrets } from '../helpers/fake-secrets';
import { launchChromium } from './lib/chromium';
import { median, percentile, writeSection } from './lib/report';

const SERVERS = 4;
const PER_SERVER = 500;
const N = SERVERS * PER_SERVER;
/** Fixed, so the blocks are cached across runs; recent enough that the view's wall-clock windows reach it. */
const END = Date.UTC(2026, 11, 6, 0, 0, 0) / 1000;
const LOOP_RUNS = 7;
const FULL_RUNS = 3;
const root = path.resolve(import.meta.dirname, '../..');
const rendererDir = process.env.TOC_RENDERER_DIR ?? path.join(root, 'out/renderer');

const svc = (i: number): string => `svc-${String(i).padStart(3, '0')}`;
const ratio = (i: number, t: number): number => (i % 23 === 0 && t > END - 6 * 3600 ? 0.03 : 0.0001 * (1 + (i % 11)));

function dataset(): Dataset {
  const series: CounterSeries[] = [];
  for (let i = 0; i < PER_SERVER; i++) {
    const rps = 1 + (i % 5);
    series.push(
      {
        kind: 'counter',
        name: 'scale_requests_total',
        labels: { service: svc(i), code: '200' },
        increment: (t, dt) => rps * dt * (1 - ratio(i, t)),
      },
      {
        kind: 'counter',
        name: 'scale_requests_total',
        labels: { service: svc(i), code: '500' },
        increment: (t, dt) => rps * dt * ratio(i, t),
      },
    );
  }
  return { end: END, days: 2, stepSeconds: 300, series };
}

function sloYaml(server: number, i: number): string {
  const conn = `prom-${server}`;
  const src = (q: string): string => `{metricSource: {metricSourceRef: ${conn}, spec: {query: '${q}'}}}`;
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${conn}-${svc(i)}
  labels: {team: team-${i % 12}, region: region-${server}}
spec:
  service: ${svc(i)}
  indicator:
    metadata: {name: ${conn}-${svc(i)}-sli}
    spec:
      ratioMetric:
        counter: true
        bad: ${src(`scale_requests_total{service="${svc(i)}",code=~"5.."}`)}
        total: ${src(`scale_requests_total{service="${svc(i)}"}`)}
  timeWindow: [{duration: ${i % 3 === 0 ? '7d' : '30d'}, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{target: ${[0.999, 0.995, 0.99][i % 3]}}]
`;
}

// Runs in the page (a string: the TypeScript loader's helpers must not travel with it). Scrolls the view's
// scroller top to bottom, one step per frame.
const SCROLL_SCRIPT = `(async () => {
  let el = document.querySelector('[data-testid="slo-tile"]');
  while (el && !(el.scrollHeight > el.clientHeight + 10 && /auto|scroll/.test(getComputedStyle(el).overflowY))) el = el.parentElement;
  if (!el) el = document.scrollingElement;
  el.scrollTop = 0;
  const step = Math.round(el.clientHeight * 0.6);
  const frames = [];
  let last = performance.now();
  await new Promise((resolve) => {
    function tick(t) {
      frames.push(t - last);
      last = t;
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return resolve();
      el.scrollTop += step;
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  });
  return { frames: frames.slice(2), height: el.scrollHeight };
})()`;

// Types each term into the search box (one input event per term, as a keystroke sends) and records every frame
// until the grid shows the new matches: the time from the event to the updated grid, and the frame times
// meanwhile (what the person typing sees: does the page keep drawing). The grid is virtualised, so "updated"
// is its count of matches (and the tiles on screen with it), not the number of tiles in the DOM.
const FILTER_SCRIPT = `(async (terms) => {
  const input = document.querySelector('[data-testid="slo-search"]');
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  const matched = () => {
    const grid = document.querySelector('[data-testid="slo-fleet-grid"]');
    return grid ? Number(grid.getAttribute('data-count')) : document.querySelector('[data-testid="slo-no-match"]') ? 0 : -1;
  };
  const out = [];
  const frames = [];
  for (const term of terms) {
    const before = matched();
    const t0 = performance.now();
    setter.call(input, term);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const ms = await new Promise((resolve) => {
      let last = performance.now();
      function tick() {
        const now = performance.now();
        frames.push(now - last);
        last = now;
        const n = matched();
        if (n !== before || now - t0 > 5000) return resolve(now - t0);
        requestAnimationFrame(tick);
      }
      requestAnimationFrame(tick);
    });
    out.push({ term, ms, tiles: matched() });
  }
  return { out, frames };
})`;

async function main(): Promise<void> {
  const t0 = Date.now();
  const built = await buildDataset(dataset());
  const proms: PrometheusHandle[] = await Promise.all(Array.from({ length: SERVERS }, () => startPrometheus({ dataDir: built.dataDir })));
  const setupMs = Date.now() - t0;
  process.stdout.write(
    `${SERVERS} Prometheus ready in ${setupMs} ms (${built.cached ? 'blocks cached' : `blocks built in ${built.buildMs} ms`})\n`,
  );
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-bench-scale-'));
  mkdirSync(path.join(tmp, 'slos'));
  mkdirSync(path.join(tmp, 'data'));
  for (let s = 0; s < SERVERS; s++)
    for (let i = 0; i < PER_SERVER; i++) writeFileSync(path.join(tmp, 'slos', `p${s}-${svc(i)}.yaml`), sloYaml(s, i));
  const config = path.join(tmp, 'toc.yaml');
  writeFileSync(
    config,
    [
      'name: Scale bench',
      'connections:',
      ...proms.map(
        (p, s) =>
          `  - {id: prom-${s}, kind: prometheus, name: Prometheus region ${s}, url: ${p.url}, auth: {type: none}, timeoutMs: 120000}`,
      ),
      'slos:',
      '  files: ["slos/*.yaml"]',
      '',
    ].join('\n'),
  );
  const core = await createCore({
    version: 'bench',
    transport: 'ws',
    workspaceFile: config,
    dataDir: path.join(tmp, 'data'),
    secrets: fakeSecrets(),
    // The offline copy's background sync refreshes the whole fleet through the core 20 s in, in the middle of
    // the measured refreshes, against the same servers: off, so the figures are the refreshes alone.
    env: { ...process.env, TOC_OFFLINE_SYNC: 'off' },
  });
  const clock = { ms: (END - 600) * 1000 };
  const service = new SloService({
    workspace: () => core.services.workspace(),
    connections: core.services.connections,
    dataDir: path.join(tmp, 'data'),
    now: () => clock.ms,
    // Measure whole refreshes: nothing is published early at the answer deadline.
    answerDeadlineMs: 300_000,
  });
  const lines: string[] = [];
  let failed = false;
  const check = (ok: boolean, what: string): string => {
    if (!ok) failed = true;
    lines.push(`${ok ? '✓' : '✗'} ${what}`);
    return ok ? '✓' : '✗';
  };
  const serve = await startServe({ dispatcher: core.dispatcher, rendererDir, port: 0 });
  const browser = existsSync(path.join(rendererDir, 'index.html')) ? await launchChromium() : null;
  try {
    const warm = await service.fleet({ refresh: true });
    const notOk = warm.statuses.filter((s) => s.status !== 'ok');
    if (warm.statuses.length !== N || notOk.length > 0)
      throw new Error(`expected ${N} ok SLOs, got ${warm.statuses.length} (${notOk.length} not ok: ${notOk[0]?.error ?? ''})`);
    const loopMs: number[] = [];
    const loopCpu: number[] = [];
    const loopPerConn: number[] = [];
    for (let i = 0; i < LOOP_RUNS; i++) {
      clock.ms += 60_000;
      const t = performance.now();
      const c = process.cpuUsage();
      const f = await service.refresh();
      loopMs.push(performance.now() - t);
      const d = process.cpuUsage(c);
      loopCpu.push((d.user + d.system) / 1000);
      loopPerConn.push(...f.connections.map((c) => c.queryCount));
    }
    const fullMs: number[] = [];
    const fullCpu: number[] = [];
    const fullPerConn: number[] = [];
    let last = warm;
    for (let i = 0; i < FULL_RUNS; i++) {
      clock.ms += 60_000;
      const t = performance.now();
      const c = process.cpuUsage();
      last = await service.fleet({ refresh: true });
      fullMs.push(performance.now() - t);
      const d = process.cpuUsage(c);
      fullCpu.push((d.user + d.system) / 1000);
      fullPerConn.push(...last.connections.map((c) => c.queryCount));
    }
    const perConnMax = Math.max(...loopPerConn, ...fullPerConn);
    const maxActive = Math.max(...proms.map((_p, s) => service.pool.get(`prom-${s}`).stats().maxActive));

    let view = '';
    if (browser) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      const page = await context.newPage();
      const tNav = Date.now();
      await page.goto(`${serve.openUrl}#/slos`);
      await page.getByTestId('slo-tile').first().waitFor({ state: 'visible', timeout: 120_000 });
      const firstTiles = Date.now() - tNav;
      const tiles = await page.getByTestId('slo-tile').count();
      const matchedAll = Number(await page.getByTestId('slo-fleet-grid').getAttribute('data-count'));
      const scrolls: number[][] = [];
      let height = 0;
      for (let r = 0; r < 2; r++) {
        const s = (await page.evaluate(SCROLL_SCRIPT)) as { frames: number[]; height: number };
        scrolls.push(s.frames);
        height = s.height;
      }
      const filtered = (await page.evaluate(
        `${FILTER_SCRIPT}(${JSON.stringify(['svc-01', 'svc-017', '', 'team-3', 'region-2 team-3', ''])})`,
      )) as {
        out: { term: string; ms: number; tiles: number }[];
        frames: number[];
      };
      const filters = filtered.out;
      // The keyboard reaches the last tile of the virtualised grid: End from the first tile's link.
      await page.getByTestId('slo-tile-link').first().focus();
      const tEnd = Date.now();
      await page.keyboard.press('End');
      const lastReached = await page
        .waitForFunction(
          () => {
            const tile = document.activeElement?.closest('[data-slo-id]');
            const grid = document.querySelector('[data-testid="slo-fleet-grid"]');
            const tiles = grid ? [...grid.querySelectorAll('[data-slo-id]')] : [];
            return tile !== null && tile !== undefined && tiles[tiles.length - 1] === tile;
          },
          undefined,
          { timeout: 10_000 },
        )
        .then(
          () => true,
          () => false,
        );
      const endMs = Date.now() - tEnd;
      const filterFrames = filtered.frames;
      await context.close();
      const frames = scrolls.flat();
      const p95 = percentile(frames, 95);
      const filterMed = median(filters.map((f) => f.ms));
      view = `
| fleet view in Chromium (1600×1000, \`toc serve\`) | value | budget |
| --- | --- | --- |
| navigation → first tiles (all ${N.toLocaleString('en')} SLOs, first refresh included) | ${firstTiles} ms | |
| tiles in the DOM (virtualised) of tiles in the grid | ${tiles.toLocaleString('en')} of ${matchedAll.toLocaleString('en')} (grid ${height.toLocaleString('en')} px high) | |
| frame time scrolling the whole fleet (${frames.length} frames, 2 runs): median / p95 / max | ${median(frames).toFixed(1)} / ${p95.toFixed(1)} / ${Math.max(...frames).toFixed(1)} ms | p95 ≤ 16.7 ms ${check(p95 <= 16.7, `scrolling p95 ${p95.toFixed(1)} ms (≤ 16.7)`)} |
| search keystroke → tiles updated (median of ${filters.length}; ${filters.map((f) => `"${f.term}" ${f.ms.toFixed(0)} ms → ${f.tiles}`).join(', ')}) | ${filterMed.toFixed(0)} ms | |
| keyboard: End on the first tile focuses the last of ${N.toLocaleString('en')} (scrolled into view) | ${lastReached ? `yes, ${endMs} ms` : 'no'} ${check(lastReached, 'End on the first tile focuses the last tile')} | |
| frame time while typing until the grid updated (${filterFrames.length} frames): median / p95 | ${median(filterFrames).toFixed(1)} / ${percentile(filterFrames, 95).toFixed(1)} ms | p95 ≤ 16.7 ms ${check(percentile(filterFrames, 95) <= 16.7, `filtering p95 frame ${percentile(filterFrames, 95).toFixed(1)} ms (≤ 16.7)`)} |
`;
    } else {
      view = '\nThe renderer is not built (out/renderer/index.html): the Chromium half was skipped. Run `npm run bench -- slo-scale`.\n';
      check(false, 'the fleet view was measured in Chromium');
    }

    const loopMed = median(loopMs);
    const fullMed = median(fullMs);
    const body = `${N.toLocaleString('en')} OpenSLO SLOs (7d and 30d windows) on ${SERVERS} Prometheus 2.42 servers on loopback, ${PER_SERVER} per
server, each file naming its server in \`metricSourceRef\`; each server holds ${2 * PER_SERVER} counter series over 2 days at 5-minute
steps. The four are asked at once, each with its own limit of 4 requests in flight. ${LOOP_RUNS} loop refreshes (clock +60 s each)
and ${FULL_RUNS} forced full refreshes, same run. Load average: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} on ${os.cpus().length} cores (shared with other work).

| fleet refresh | loop refresh | full refresh | budget |
| --- | --- | --- | --- |
| PromQL queries per connection (max over runs) | ${Math.max(...loopPerConn)} | ${Math.max(...fullPerConn)} | ≤ 10 ${check(perConnMax <= 10, `at most ${perConnMax} queries per connection and refresh (≤ 10)`)} |
| wall time, all 4 connections (median) | ${loopMed.toFixed(0)} ms ${check(loopMed < 2000, `loop refresh median ${loopMed.toFixed(0)} ms (< 2000)`)} | ${fullMed.toFixed(0)} ms ${check(fullMed < 2000, `full refresh median ${fullMed.toFixed(0)} ms (< 2000)`)} | < 2000 ms |
| console CPU time per refresh (median; the rest of the wall time is the servers and the load) | ${median(loopCpu).toFixed(0)} ms | ${median(fullCpu).toFixed(0)} ms | |
| most requests in flight on one connection | ${maxActive} | | ≤ 4 |
${view}
Loop runs (ms): ${loopMs.map((x) => x.toFixed(0)).join(', ')}. Full runs (ms): ${fullMs.map((x) => x.toFixed(0)).join(', ')}. Prometheus start
${setupMs} ms. Command: \`npm run bench -- slo-scale\`.

How to read it. The four servers, the console and Chromium share the same 2 cores with whatever else runs (the load
average above), so wall times move with the load; the console's own CPU per refresh is the steadier figure. A loop
refresh asks each server for the short windows (5m to 6h) and the sparklines' newest step; the long windows (1d,
3d and the compliance window, four fifths of the samples a refresh made Prometheus read) are reused for 5 minutes
(\`periodTtlMs\`) and re-read by a forced refresh, which therefore costs each server about 2.1 million samples
(1,000 series × the 2 days held, for 3d and the compliance window alike): that, not the console, is the gap
to the budget in the full column. Values are the servers' own answers either way (the integration tests compare
them query by query). Where the console's time went before (CPU profile of the same refreshes): validating each
100 kB answer with zod two or three times, rebuilding the batched and by-metric plan of 500 SLOs per window
and refresh, reading 2,000 SLO files one promise at a time (130-570 ms under load), and the sparklines' range
query waiting for the window queries. The fleet view renders only the rows near the viewport (fleets up to 150
tiles render whole); what is left in a scrolling frame is mounting the rows scrolled into view, at this bench's
speed (0.6 of a screen per frame) two to three rows of four tiles each; the slow frames come with the load. The
background sync of the offline copy (a full fleet refresh of its own 20 s after start) is off during the run.
Earlier figures, same bench: under load 44.9, loop 11,411 ms, full 15,154 ms, console CPU 1,319 / 1,219 ms,
scrolling p95 1,100 ms, typing p95 489 ms, keystroke to grid 1,959 ms (2,000 tiles in the DOM); the same day as
this run before the changes, under load 7.8: loop 3,383 ms, full 2,614 ms, console CPU 1,027 / 989 ms, scrolling
p95 183 ms, typing p95 105 ms, keystroke to grid 636 ms.`;
    writeSection('slo-scale', 'SLO fleet at scale: 2,000 SLOs on 4 Prometheus servers', body);
    process.stdout.write(`${body}\n\n${lines.join('\n')}\n`);
  } finally {
    await browser?.close();
    await serve.close();
    service.dispose();
    await core.dispose();
    await Promise.all(proms.map((p) => p.stop()));
    rmSync(tmp, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

await main();
