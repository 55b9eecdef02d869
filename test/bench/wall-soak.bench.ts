// Wall soak (issue 6): the NOC wall rotating through its five pages with a 1 s data refresh for 10 minutes in
// Chromium through `toc serve --wall` (ServiceNow and AWX simulators, Alertmanager, the demo Prometheus), after a
// 2-minute warm-up (V8 compiles and optimises the page's code during its first minutes; that code is counted in
// the JS heap but does not grow with time). JS heap and DOM node count after forced garbage collections at the
// start and at the end (budget: growth at most 5 % over an hour, `TOC_SOAK_MINUTES=60`), a heap snapshot at both ends to say what grew, and the
// console log (budget: no error). TOC_SOAK_MINUTES / TOC_SOAK_WARMUP_S shorten it for a trial run.
import path from 'node:path';
import { startDemoPrometheus } from '../sim/demo-prometheus';
import { startWallStack } from '../e2e/wall-stack';
import { launchChromium } from './lib/chromium';
import { writeSection } from './lib/report';

const MINUTES = Number(process.env.TOC_SOAK_MINUTES ?? 10);
const WARMUP_MS = Number(process.env.TOC_SOAK_WARMUP_S ?? 120) * 1000;
const SAMPLE_MS = 60_000;

interface HeapSummary {
  /** Bytes by snapshot category: compiled code (bytecode, machine code, feedback) apart from everything else. */
  code: number;
  other: number;
  /** Self size by node name (for the "what grew" line). */
  byName: Map<string, number>;
}

interface Sample {
  atS: number;
  heapMB: number;
  nodes: number;
  listeners: number;
  page: string;
}

async function main(): Promise<void> {
  const log = (l: string): void => void process.stderr.write(`[wall-soak] ${l}\n`);
  const prom = await startDemoPrometheus({ log });
  const stack = await startWallStack({
    name: 'Wall soak',
    prometheusUrl: prom.url,
    sloFiles: [path.join(prom.sloDir, '*.yaml')],
    alertmanager: true,
    wall: { interval: 5, refresh: 1 },
  });
  const serve = await stack.serve({ wall: true });
  const browser = await launchChromium();
  const errors: string[] = [];
  const samples: Sample[] = [];
  const pagesSeen = new Set<string>();
  let calls = 0;
  let heapStart: HeapSummary | null = null;
  let heapEnd: HeapSummary | null = null;
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('websocket', (ws) => ws.on('framesent', () => void calls++));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(serve.url);
    await page.getByTestId('wall').waitFor({ state: 'visible' });

    const t0 = Date.now();
    const heapSummary = async (): Promise<HeapSummary> => {
      await cdp.send('HeapProfiler.enable');
      let json = '';
      const onChunk = (e: { chunk: string }): void => {
        json += e.chunk;
      };
      cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
      const snap = JSON.parse(json) as {
        snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
        nodes: number[];
        strings: string[];
      };
      const fields = snap.snapshot.meta.node_fields;
      const types = snap.snapshot.meta.node_types[0];
      const [iType, iName, iSize] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')];
      const out: HeapSummary = { code: 0, other: 0, byName: new Map() };
      for (let i = 0; i < snap.nodes.length; i += fields.length) {
        const type = types[snap.nodes[i + iType] ?? 0] ?? '';
        const size = snap.nodes[i + iSize] ?? 0;
        if (type === 'code') out.code += size;
        else out.other += size;
        const name = `${type}:${type === 'object' || type === 'native' || type === 'code' ? (snap.strings[snap.nodes[i + iName] ?? 0] ?? '') : ''}`;
        out.byName.set(name, (out.byName.get(name) ?? 0) + size);
      }
      return out;
    };
    let sampling = false;
    // Every sample on the same page (the SLO board, the largest), so start and end compare like with like.
    const sample = async (): Promise<Sample> => {
      sampling = true;
      await page.evaluate(() => (window.location.hash = '#/wall/1'));
      await page.getByTestId('wall-slo-tile').first().waitFor({ state: 'visible' });
      await page.waitForTimeout(2000);
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = (name: string): number => metrics.find((x) => x.name === name)?.value ?? NaN;
      const s: Sample = {
        atS: Math.round((Date.now() - t0) / 1000),
        heapMB: m('JSHeapUsedSize') / 2 ** 20,
        nodes: m('Nodes'),
        listeners: m('JSEventListeners'),
        page: (await page.getByTestId('wall').getAttribute('data-page-kind')) ?? '',
      };
      log(`t=${s.atS}s heap=${s.heapMB.toFixed(2)} MB nodes=${s.nodes} listeners=${s.listeners} page=${s.page}`);
      sampling = false;
      return s;
    };
    // Rotation would stay on the red pages; the soak holds each page in turn instead so all five render.
    const watch = setInterval(() => {
      void page
        .getByTestId('wall')
        .getAttribute('data-page-kind')
        .then((k) => k && pagesSeen.add(k))
        .catch(() => undefined);
    }, 1000);
    let n = 0;
    const cycle = setInterval(() => {
      if (sampling) return;
      n = (n % 5) + 1;
      void page.evaluate((i) => (window.location.hash = `#/wall/${i}`), n).catch(() => undefined);
    }, 5000);
    await page.waitForTimeout(WARMUP_MS);
    samples.push(await sample());
    heapStart = await heapSummary();
    const end = Date.now() + MINUTES * 60_000;
    while (Date.now() + SAMPLE_MS < end) {
      await page.waitForTimeout(SAMPLE_MS);
      samples.push(await sample());
    }
    // The last stretch on the free-running rotation (#/wall), as a wall runs.
    clearInterval(cycle);
    await page.evaluate(() => (window.location.hash = '#/wall'));
    await page.waitForTimeout(Math.max(5_000, end - Date.now()));
    samples.push(await sample());
    heapEnd = await heapSummary();
    clearInterval(watch);
    await context.close();
  } finally {
    await browser.close();
    await stack.close();
    await prom.stop();
  }

  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last) throw new Error('no samples');
  const growth = (a: number, b: number): number => ((b - a) / a) * 100;
  const heapGrowth = growth(first.heapMB, last.heapMB);
  const nodeGrowth = growth(first.nodes, last.nodes);
  const BUDGET_PCT = 5;
  const ok = (x: number): string => (x <= BUDGET_PCT ? '✓' : '✗');
  if (!heapStart || !heapEnd) throw new Error('no heap snapshots');
  const hs = heapStart;
  const he = heapEnd;
  const kb = (b: number): string => `${(b / 1024).toFixed(0)} KB`;
  const otherGrowth = growth(hs.other, he.other);
  const grew = [...he.byName]
    .map(([name, size]) => ({ name, delta: size - (hs.byName.get(name) ?? 0) }))
    .sort((a, b) => b.delta - a.delta)
    .slice(0, 4)
    .map((g) => `${g.name.replace(/^(\w+):$/, '$1')} ${g.delta >= 0 ? '+' : ''}${kb(g.delta)}`)
    .join(', ');
  const body = `The wall (\`toc serve --wall\`, five pages, \`wall.refresh: 1\` s, \`wall.interval: 5\` s) in Chromium at 1920×1080 for ${MINUTES} min against the ServiceNow and AWX simulators, Alertmanager and the demo Prometheus. Each page held in turn for 5 s, then the free-running rotation; heap and DOM nodes read on the SLO page after two forced garbage collections (CDP), every minute, the first sample after ${WARMUP_MS / 1000} s of warm-up (not counted in the ${MINUTES} min).

| measure | start | end | growth | budget |
| --- | --- | --- | --- | --- |
| JS heap used | ${first.heapMB.toFixed(2)} MB | ${last.heapMB.toFixed(2)} MB | ${heapGrowth.toFixed(1)} % | ≤ ${BUDGET_PCT} % ${ok(heapGrowth)} |
| heap snapshot: compiled code | ${kb(hs.code)} | ${kb(he.code)} | ${growth(hs.code, he.code).toFixed(1)} % | |
| heap snapshot: everything else (objects, strings, DOM wrappers) | ${kb(hs.other)} | ${kb(he.other)} | ${otherGrowth.toFixed(1)} % | |
| DOM nodes | ${first.nodes} | ${last.nodes} | ${nodeGrowth.toFixed(1)} % | ≤ ${BUDGET_PCT} % ${ok(nodeGrowth)} |
| JS event listeners | ${first.listeners} | ${last.listeners} | ${growth(first.listeners, last.listeners).toFixed(1)} % | |
| console errors | | ${errors.length} | | 0 ${errors.length === 0 ? '✓' : '✗'} |

Largest growth between the snapshots: ${grew}.
Bridge messages sent by the page: ${calls} (≈ ${(calls / (MINUTES * 60 + WARMUP_MS / 1000)).toFixed(1)}/s). Pages seen: ${[...pagesSeen].sort().join(', ')}.
Samples (s: heap MB / nodes): ${samples.map((s) => `${s.atS}: ${s.heapMB.toFixed(2)} / ${s.nodes}`).join(' · ')}.
${
  errors.length
    ? `Console errors: ${errors
        .slice(0, 5)
        .map((e) => `\`${e.slice(0, 160)}\``)
        .join('; ')}`
    : ''
}
Command: \`TOC_SOAK_MINUTES=${MINUTES} npm run bench -- wall-soak\` (\`TOC_SOAK_MINUTES=2\` for a trial run).`;
  writeSection('wall-soak', 'NOC wall soak (issue 6)', body);
  process.stdout.write(`${body}\n`);
  if (heapGrowth > BUDGET_PCT || nodeGrowth > BUDGET_PCT || errors.length > 0) process.exitCode = 1;
}

await main();
