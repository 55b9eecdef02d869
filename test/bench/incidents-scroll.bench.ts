// The incident queue in Chromium with 10,000 open incidents, through the `toc serve` WebSocket bridge: time to
// the first rows, then frame times while scrolling the whole virtualised list top to bottom.
// Budget (issue 4): p95 frame ≤ 16.7 ms. Needs the built renderer (npm run build, or `npm run bench`).
// Run: node --import tsx test/bench/incidents-scroll.bench.ts
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import { startServe } from '../../electron/core/kernel/serve/serve';
import { startServiceNowSim } from '../sim/servicenow';
import { fakeSecrets } from '../helpers/fake-secrets';
import { launchChromium } from './lib/chromium';
import { median, percentile, writeSection } from './lib/report';

const OPEN = 10_000;
const root = path.resolve(import.meta.dirname, '../..');
const rendererDir = process.env.TOC_RENDERER_DIR ?? path.join(root, 'out/renderer');

// Runs in the page. A string, so the TypeScript loader's helpers (esbuild's __name) do not travel with it.
const SCROLL_SCRIPT = `(async () => {
  const el = document.querySelector('[data-testid="incident-queue-scroll"]');
  if (!el) throw new Error('no queue');
  const step = Math.round(el.clientHeight * 0.6);
  const frames = [];
  const seen = new Set();
  let last = performance.now();
  await new Promise((resolve) => {
    function tick(t) {
      frames.push(t - last);
      last = t;
      for (const row of el.querySelectorAll('[data-testid="incident-row"]')) seen.add(row.getAttribute('data-sys-id'));
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return resolve();
      el.scrollTop += step;
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  });
  return { frames: frames.slice(2), scrolled: el.scrollTop, rowsSeen: seen.size, height: el.clientHeight };
})()`;

// The floor of this machine: frames with nothing to do.
const IDLE_SCRIPT = `new Promise((resolve) => {
  const frames = [];
  let last = performance.now();
  function tick(t) {
    frames.push(t - last);
    last = t;
    if (frames.length >= 122) return resolve(frames.slice(2));
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})`;

async function main(): Promise<void> {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    process.stderr.write(`The renderer is not built (${rendererDir}/index.html is missing): run "npm run build" first.\n`);
    process.exitCode = 2;
    return;
  }
  const sim = await startServiceNowSim({ incidents: OPEN, seed: 7 });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-bench-scroll-'));
  const config = path.join(tmp, 'toc.yaml');
  writeFileSync(
    config,
    `name: Bench\nconnections:\n  - id: snow\n    kind: servicenow\n    name: ServiceNow sim\n    url: ${sim.url}\n    auth: {type: basic, username: ${sim.credentials.username}, password: {secret: {keychain: "snow:password"}}}\n`,
  );
  const core = await createCore({
    version: '0.0.0-bench',
    transport: 'ws',
    workspaceFile: config,
    dataDir: path.join(tmp, 'data'),
    secrets: fakeSecrets({ 'snow:password': sim.credentials.password }),
  });
  const serve = await startServe({ dispatcher: core.dispatcher, rendererDir, port: 0 });
  const browser = await launchChromium();
  try {
    const firstRows: number[] = [];
    const runs: { frames: number[]; scrolled: number; rowsSeen: number; height: number }[] = [];
    const idle: number[] = [];
    let wire = 0;
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      const page = await context.newPage();
      page.on('websocket', (ws) =>
        ws.on('framereceived', (f) => (wire += typeof f.payload === 'string' ? f.payload.length : f.payload.byteLength)),
      );
      wire = 0;
      const t0 = Date.now();
      await page.goto(`${serve.openUrl}#/incidents`);
      await page.getByTestId('incident-row').first().waitFor({ state: 'visible', timeout: 60_000 });
      firstRows.push(Date.now() - t0);
      const count = Number(await page.getByTestId('incident-queue').getAttribute('data-count'));
      if (count < OPEN * 0.95) throw new Error(`the queue shows ${count} incidents`);
      // Scroll the whole list, one step per frame, recording the time between frames.
      if (i === 0) idle.push(...((await page.evaluate(IDLE_SCRIPT)) as number[]));
      const r = (await page.evaluate(SCROLL_SCRIPT)) as { frames: number[]; scrolled: number; rowsSeen: number; height: number };
      if (i > 0) runs.push(r);
      await context.close();
    }
    const frames = runs.flatMap((r) => r.frames);
    const p95 = percentile(frames, 95);
    const ok = p95 <= 16.7;
    const body = `Chromium (Debian, headless, --disable-gpu) at 1600×1000 through \`toc serve\`, ServiceNow simulator with
${OPEN.toLocaleString('en')} open incidents.

| measure | value | budget |
| --- | --- | --- |
| navigation → first queue rows (median of ${firstRows.length}, first sync included) | ${median(firstRows).toFixed(0)} ms | |
| frame time while scrolling the whole list (${frames.length} frames over ${runs.length} runs): median / p95 / max | ${median(frames).toFixed(1)} / ${p95.toFixed(1)} / ${Math.max(...frames).toFixed(1)} ms | p95 ≤ 16.7 ms ${ok ? '✓' : '✗'} |
| frame time with nothing to do (this machine's floor): median / p95 | ${median(idle).toFixed(1)} / ${percentile(idle, 95).toFixed(1)} ms | |
| rows rendered on the way down (of ${OPEN.toLocaleString('en')}; list ${runs[0]?.height ?? 0} px high, 60 % of it per frame) | ${runs[0]?.rowsSeen ?? 0} | |
| WebSocket bytes received by the page (last run) | ${(wire / 2 ** 20).toFixed(1)} MB | |

Command: \`node --import tsx test/bench/incidents-scroll.bench.ts\` (after \`npm run build\`). Load average at the end: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} on ${os.cpus().length} cores (these machines are shared).`;
    writeSection('incidents-scroll', 'Incident queue scrolling in Chromium (issue 4)', body);
    process.stdout.write(`${body}\n`);
    if (!ok) process.exitCode = 1;
  } finally {
    await browser.close();
    await serve.close();
    await core.dispose();
    await sim.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
