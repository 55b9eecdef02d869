// Wall soak: the NOC wall rotating through its five pages with a 1 s data refresh for an hour in Chromium through
// `toc serve --wall` (ServiceNow and AWX simulators, Alertmanager, the demo Prometheus). Budget: the JS heap the
// page holds (used less V8's machine code) and DOM nodes grow at most 5 % over the hour, no console error, and
// the machine code that grows is V8 tiering up the same functions (lib/code-census.ts), never new ones.
//
// The browser is driven over its DevTools pipe with only Runtime, Page, Log, Performance and HeapProfiler on
// (lib/cdp-pipe.ts says why not Playwright: its Network domain makes Chromium buffer every frame in the page's
// heap). Every minute repeats the same pattern: each page held in turn for 5 s (so all five render, which the
// free rotation does not while a page is red), then the free-running rotation, then a reading on the SLO page
// after two forced garbage collections. The warm-up runs that same pattern (whole rotations, free rotation
// included) so V8 has compiled what the hour runs before the first reading. Heap snapshots after the warm-up
// and at the end are diffed by constructor to say what grew. TOC_SOAK_MINUTES / TOC_SOAK_WARMUP_S shorten it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startDemoPrometheus } from '../sim/demo-prometheus';
import { startWallStack } from '../e2e/wall-stack';
import { launchCdpChromium } from './lib/cdp-pipe';
import type { CdpPage } from './lib/cdp-pipe';
import { codeCensus } from './lib/code-census';
import type { CodeCensus, FunctionCode } from './lib/code-census';
import { diffHeap, summarizeHeapSnapshot } from './lib/heap-snapshot';
import type { Growth, HeapSummary } from './lib/heap-snapshot';
import { median, writeSection } from './lib/report';

const MINUTES = Number(process.env.TOC_SOAK_MINUTES ?? 60);
const WARMUP_MS = Number(process.env.TOC_SOAK_WARMUP_S ?? 600) * 1000;
const SAMPLE_MS = 60_000;
const HOLD_MS = 5_000;
/** Of each minute: page by page (45 s: nine pages, almost two whole rotations), then the free rotation. */
const HELD_MS = 45_000;
const BUDGET_PCT = 5;
/** Start and end are each the median of this many readings (one reading can land on a half-parsed answer). */
const EDGE_SAMPLES = 5;
/** A heap snapshot this often shows which part of the heap moves over the hour (code, objects, strings, native). */
const SNAPSHOT_EVERY_MS = Number(process.env.TOC_SOAK_SNAPSHOT_S ?? 600) * 1000;

interface Sample {
  atS: number;
  heapMB: number;
  /** V8's machine code at this reading (from a heap snapshot taken right after it): JIT tiers, not page data. */
  machineMB: number;
  /** The JS heap less that machine code: what the page itself holds. */
  heldMB: number;
  functions: number;
  nodes: number;
  listeners: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** TOC_SOAK_SAVE_DIR keeps every snapshot as a .heapsnapshot file (DevTools opens them; ids match across files). */
const SAVE_DIR = process.env.TOC_SOAK_SAVE_DIR;

async function takeSnapshot(page: CdpPage, atS: number): Promise<{ summary: HeapSummary; census: CodeCensus }> {
  const chunks: string[] = [];
  const onChunk = (p: Record<string, unknown>): void => void chunks.push(String(p.chunk));
  page.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await page.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  page.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const json = chunks.join('');
  if (SAVE_DIR) {
    mkdirSync(SAVE_DIR, { recursive: true });
    writeFileSync(path.join(SAVE_DIR, `wall-${String(atS).padStart(5, '0')}s.heapsnapshot`), json);
  }
  return { summary: summarizeHeapSnapshot(json), census: codeCensus(json) };
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
  const browser = await launchCdpChromium({ width: 1920, height: 1080 });
  const { page } = browser;
  const errors: string[] = [];
  const samples: Sample[] = [];
  const parts: { atS: number; summary: HeapSummary }[] = [];
  const pagesSeen = new Set<string>();
  let heapStart: HeapSummary | null = null;
  let heapEnd: HeapSummary | null = null;
  let censusStart: CodeCensus | null = null;
  let censusEnd: CodeCensus | null = null;
  let sent = 0;
  let t0 = Date.now();
  try {
    page.on('Runtime.consoleAPICalled', (p) => {
      if (p.type !== 'error') return;
      const args = (p.args as { value?: unknown; description?: string }[] | undefined) ?? [];
      errors.push(args.map((a) => String(a.value ?? a.description ?? '')).join(' '));
    });
    page.on('Runtime.exceptionThrown', (p) => {
      const d = p.exceptionDetails as { text?: string; exception?: { description?: string } } | undefined;
      errors.push(`pageerror: ${d?.exception?.description ?? d?.text ?? ''}`);
    });
    page.on('Log.entryAdded', (p) => {
      const e = p.entry as { level?: string; text?: string } | undefined;
      if (e?.level === 'error') errors.push(e.text ?? '');
    });
    await Promise.all(
      ['Runtime.enable', 'Page.enable', 'Log.enable', 'Performance.enable', 'HeapProfiler.enable'].map((m) => page.send(m)),
    );
    // Counts the bridge messages the page sends (what the Network domain used to count): one number.
    await page.send('Page.addScriptToEvaluateOnNewDocument', {
      source: `(() => { const send = WebSocket.prototype.send; let n = 0;
        WebSocket.prototype.send = function (d) { n++; return send.call(this, d); };
        Object.defineProperty(window, '__soakSent', { get: () => n }); })();`,
    });
    await page.send('Page.navigate', { url: serve.url });
    await page.waitFor(`document.querySelector('[data-testid="wall"]')`);
    t0 = Date.now();

    const kind = (): Promise<string> =>
      page.evaluate<string>(`document.querySelector('[data-testid="wall"]')?.getAttribute('data-page-kind') ?? ''`);
    const go = (hash: string): Promise<unknown> => page.evaluate(`void (window.location.hash = ${JSON.stringify(hash)})`);
    // One minute of the pattern: held pages in turn (continuing where the last minute stopped), then free rotation.
    let n = 0;
    const minute = async (): Promise<void> => {
      const until = Date.now() + HELD_MS;
      while (Date.now() + HOLD_MS <= until) {
        n = (n % 5) + 1;
        await go(`#/wall/${n}`);
        await sleep(HOLD_MS);
        pagesSeen.add(await kind());
      }
      await go('#/wall');
      await sleep(Math.max(0, SAMPLE_MS - HELD_MS - 2_500));
      pagesSeen.add(await kind());
    };
    // Every reading on the same page (the SLO board, the largest), so start and end compare like with like; each
    // reading takes a heap snapshot too, which says how much of the heap is V8's machine code at that moment.
    const sample = async (): Promise<{ s: Sample; snap: { summary: HeapSummary; census: CodeCensus } }> => {
      await go('#/wall/1');
      await page.waitFor(`document.querySelector('[data-testid="wall-slo-tile"]')`);
      await sleep(2000);
      await page.send('HeapProfiler.collectGarbage');
      await page.send('HeapProfiler.collectGarbage');
      const { metrics } = await page.send<{ metrics: { name: string; value: number }[] }>('Performance.getMetrics');
      const m = (name: string): number => metrics.find((x) => x.name === name)?.value ?? NaN;
      const atS = Math.round((Date.now() - t0) / 1000);
      const snap = await takeSnapshot(page, atS);
      const heapMB = m('JSHeapUsedSize') / 2 ** 20;
      const machineMB = snap.census.machineBytes / 2 ** 20;
      const s: Sample = {
        atS,
        heapMB,
        machineMB,
        heldMB: heapMB - machineMB,
        functions: snap.census.functions,
        nodes: m('Nodes'),
        listeners: m('JSEventListeners'),
      };
      log(
        `t=${s.atS}s heap=${s.heapMB.toFixed(3)} MB machine code=${s.machineMB.toFixed(3)} MB held=${s.heldMB.toFixed(3)} MB functions=${s.functions} nodes=${s.nodes} listeners=${s.listeners}`,
      );
      return { s, snap };
    };

    const warmEnd = Date.now() + WARMUP_MS;
    while (Date.now() < warmEnd) await minute();
    const firstReading = await sample();
    samples.push(firstReading.s);
    heapStart = firstReading.snap.summary;
    censusStart = firstReading.snap.census;
    parts.push({ atS: firstReading.s.atS, summary: heapStart });
    const end = Date.now() + MINUTES * 60_000;
    let nextSnapshot = Date.now() + SNAPSHOT_EVERY_MS;
    let lastReading = firstReading;
    while (Date.now() + SAMPLE_MS / 2 < end) {
      await minute();
      lastReading = await sample();
      samples.push(lastReading.s);
      if (Date.now() >= nextSnapshot && Date.now() + SAMPLE_MS / 2 < end) {
        nextSnapshot += SNAPSHOT_EVERY_MS;
        parts.push({ atS: lastReading.s.atS, summary: lastReading.snap.summary });
      }
    }
    heapEnd = lastReading.snap.summary;
    censusEnd = lastReading.snap.census;
    parts.push({ atS: lastReading.s.atS, summary: heapEnd });
    sent = await page.evaluate<number>('window.__soakSent ?? 0');
  } finally {
    await browser.close();
    await stack.close();
    await prom.stop();
  }

  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || !heapStart || !heapEnd || !censusStart || !censusEnd) throw new Error('no samples');
  const cs = censusStart;
  const ce = censusEnd;
  const pct = (a: number, b: number): number => ((b - a) / a) * 100;
  const f1 = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;
  const edge = Math.min(EDGE_SAMPLES, Math.floor(samples.length / 2));
  const heads = samples.slice(0, edge);
  const tails = samples.slice(-edge);
  const heapA = median(heads.map((s) => s.heapMB));
  const heapB = median(tails.map((s) => s.heapMB));
  const heapGrowth = pct(heapA, heapB);
  const heldA = median(heads.map((s) => s.heldMB));
  const heldB = median(tails.map((s) => s.heldMB));
  const heldGrowth = pct(heldA, heldB);
  const machineA = median(heads.map((s) => s.machineMB));
  const machineB = median(tails.map((s) => s.machineMB));
  const nodeGrowth = pct(median(heads.map((s) => s.nodes)), median(tails.map((s) => s.nodes)));
  const ok = (x: number): string => (x <= BUDGET_PCT ? '✓' : '✗');
  const kb = (b: number): string => `${b >= 0 ? '' : '−'}${Math.abs(b / 1024).toFixed(1)} KB`;
  const hs = heapStart;
  const he = heapEnd;
  const typeRow = (label: string, types: string[]): string => {
    const a = types.reduce((s, t) => s + (hs.byType.get(t) ?? 0), 0);
    const b = types.reduce((s, t) => s + (he.byType.get(t) ?? 0), 0);
    return `| snapshot: ${label} | ${kb(a)} | ${kb(b)} | ${f1(pct(a, b))} | |`;
  };
  const otherTypes = [...new Set([...hs.byType.keys(), ...he.byType.keys()])].filter(
    (t) => !['code', 'string', 'concatenated string', 'sliced string', 'object', 'closure', 'array', 'native'].includes(t),
  );
  const diff = diffHeap(hs, he);
  const label = (g: Growth): string =>
    `\`${g.key.replace(/^object:Object\{(.*)\}$/, '{$1}')}\`${g.shape && !g.key.startsWith('object:Object') ? ` {${g.shape}}` : ''}`;
  const line = (g: Growth): string =>
    `${label(g)} ${g.countDelta >= 0 ? '+' : ''}${g.countDelta} (${g.countEnd} at the end), ${kb(g.bytesDelta)}`;
  const appKeys = diff.filter((g) => !g.key.startsWith('code:') && !g.key.startsWith('native:'));
  const grewBytes = appKeys.slice(0, 8).map(line).join('; ');
  const grewCount = [...appKeys]
    .sort((a, b) => b.countDelta - a.countDelta)
    .slice(0, 8)
    .map(line)
    .join('; ');
  const codeGrew = diff
    .filter((g) => g.key.startsWith('code:') || g.key.startsWith('native:'))
    .slice(0, 4)
    .map(line)
    .join('; ');
  const fnKey = (f: FunctionCode): string => `${f.name} (${f.script.replace(/^assets\//, '')})`;
  const startFns = new Map(cs.byFunction.map((f) => [f.id, f]));
  const codeGrowth = ce.byFunction
    .map((f) => ({ f, was: startFns.get(f.id) }))
    .map(({ f, was }) => ({ f, was, d: f.bytes - (was?.bytes ?? 0) }))
    .sort((a, b) => b.d - a.d)
    .slice(0, 6)
    .map(({ f, was, d }) => `\`${fnKey(f)}\` ${kb(was?.bytes ?? 0)} → ${kb(f.bytes)} (+${kb(d)}, ${was?.codes ?? 0} → ${f.codes})`)
    .join('; ');
  const body = `The wall (\`toc serve --wall\`, five pages, \`wall.refresh: 1\` s, \`wall.interval: 5\` s) in Chromium at 1920×1080 for ${MINUTES} min against the ServiceNow and AWX simulators, Alertmanager and the demo Prometheus, driven over the DevTools pipe without the Network domain (Playwright turns it on, and Chromium then buffers every WebSocket frame in the page's heap). Each minute: the pages held in turn for 5 s each (45 s), then the free-running rotation, then a reading on the SLO page after two forced garbage collections. The warm-up runs the same pattern for ${WARMUP_MS / 1000} s before the first reading. Start and end are the medians of the first and last ${edge} readings; each reading takes a heap snapshot, which says how much of the heap is V8's machine code at that moment.

The budget is on what the page holds: the JS heap less V8's machine code. Machine code is what V8's tiers (Sparkplug, Maglev, TurboFan) make of functions that already exist: a function run every second moves up a tier after some minutes, one run every few minutes after an hour, and each step replaces smaller code with larger. It cannot grow without bound unless the page makes new functions (eval, a script loaded again), so the census below counts the functions V8 knows and the code objects each holds: the same functions at the start and the end, and no function with more than one code object per tier, is warm-up; new functions or a function collecting code would be a leak.

| measure | start | end | growth | budget |
| --- | --- | --- | --- | --- |
| JS heap the page holds: used less V8's machine code (median of ${edge}) | ${heldA.toFixed(3)} MB | ${heldB.toFixed(3)} MB | ${f1(heldGrowth)} | ≤ ${BUDGET_PCT} % ${ok(heldGrowth)} |
| V8's machine code (JIT tiers; median of ${edge}) | ${machineA.toFixed(3)} MB | ${machineB.toFixed(3)} MB | ${f1(pct(machineA, machineB))} | bounded, see below |
| JS heap used, machine code included (median of ${edge}) | ${heapA.toFixed(3)} MB | ${heapB.toFixed(3)} MB | ${f1(heapGrowth)} | ${heapGrowth <= BUDGET_PCT ? `≤ ${BUDGET_PCT} % ✓` : `${BUDGET_PCT} % exceeded by JIT code`} |
| JS heap used, first and last reading | ${first.heapMB.toFixed(3)} MB | ${last.heapMB.toFixed(3)} MB | ${f1(pct(first.heapMB, last.heapMB))} | |
| snapshot: total self size | ${kb(hs.totalBytes)} | ${kb(he.totalBytes)} | ${f1(pct(hs.totalBytes, he.totalBytes))} | |
${typeRow('compiled code', ['code'])}
${typeRow('objects, arrays, closures', ['object', 'array', 'closure'])}
${typeRow('strings', ['string', 'concatenated string', 'sliced string'])}
${typeRow('native (DOM, blink)', ['native'])}
${typeRow('other (hidden, numbers, …)', otherTypes)}
| DOM nodes (median) | ${median(heads.map((s) => s.nodes))} | ${median(tails.map((s) => s.nodes))} | ${f1(nodeGrowth)} | ≤ ${BUDGET_PCT} % ${ok(nodeGrowth)} |
| JS event listeners | ${first.listeners} | ${last.listeners} | ${f1(pct(first.listeners, last.listeners))} | |
| console errors | | ${errors.length} | | 0 ${errors.length === 0 ? '✓' : '✗'} |
| functions V8 knows (SharedFunctionInfos) | ${cs.functions} | ${ce.functions} | ${f1(pct(cs.functions, ce.functions))} | no new code made |
| functions with bytecode | ${cs.bytecodes} | ${ce.bytecodes} | ${f1(pct(cs.bytecodes, ce.bytecodes))} | |
| functions holding machine code | ${cs.functionsWithCode} | ${ce.functionsWithCode} | ${f1(pct(cs.functionsWithCode, ce.functionsWithCode))} | |
| most machine-code objects held by one function | ${cs.maxCodesPerFunction} | ${ce.maxCodesPerFunction} | | ≤ 3 tiers ${ce.maxCodesPerFunction <= 3 ? '✓' : '✗'} |

Snapshot diff by constructor (objects, arrays, closures; minified classes with the properties of one instance), largest growth in bytes: ${grewBytes}.
Largest growth in instances: ${grewCount}.
Compiled code and native: ${codeGrew}.
Snapshots over the run (s: compiled code / objects, arrays, closures / strings / native, KB): ${parts
    .map(({ atS, summary: h }) => {
      const t = (ts: string[]): string => (ts.reduce((x, k) => x + (h.byType.get(k) ?? 0), 0) / 1024).toFixed(0);
      return `${atS}: ${t(['code'])} / ${t(['object', 'array', 'closure'])} / ${t(['string', 'concatenated string', 'sliced string'])} / ${t(['native'])}`;
    })
    .join(' · ')}.
Bridge messages sent by the page: ${sent} (≈ ${(sent / ((Date.now() - t0) / 1000)).toFixed(1)}/s). Pages seen: ${[...pagesSeen].filter(Boolean).sort().join(', ')}.
Machine code by function, largest growth between the first and last reading (minified name, script: start → end, code objects): ${codeGrowth}.
Readings (s: heap MB / machine code MB / held MB / nodes): ${samples.map((s) => `${s.atS}: ${s.heapMB.toFixed(3)} / ${s.machineMB.toFixed(3)} / ${s.heldMB.toFixed(3)} / ${s.nodes}`).join(' · ')}.
${
  errors.length
    ? `Console errors: ${errors
        .slice(0, 5)
        .map((e) => `\`${e.slice(0, 160)}\``)
        .join('; ')}`
    : ''
}
Command: \`TOC_SOAK_MINUTES=${MINUTES}${WARMUP_MS === 600_000 ? '' : ` TOC_SOAK_WARMUP_S=${WARMUP_MS / 1000}`} npm run bench -- wall-soak\` (\`TOC_SOAK_MINUTES=2 TOC_SOAK_WARMUP_S=60\` for a trial run).`;
  writeSection('wall-soak', 'NOC wall soak', body);
  process.stdout.write(`${body}\n`);
  if (heldGrowth > BUDGET_PCT || nodeGrowth > BUDGET_PCT || errors.length > 0 || ce.maxCodesPerFunction > 3) process.exitCode = 1;
}

await main();
