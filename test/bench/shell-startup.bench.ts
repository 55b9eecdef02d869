// Renderer start-up: the initial JS a window must load (gzip) and the time from navigation to the first paint
// of the shell in Chromium, through `toc serve`. Budgets (issue 2): ≤ 300 KB gzip, ≤ 1 s to first paint.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startServeProcess } from '../e2e/serve-process';
import { launchChromium } from './lib/chromium';
import { median, writeSection } from './lib/report';

const root = path.resolve(import.meta.dirname, '../..');
const rendererDir = path.join(root, 'out/renderer');

function initialJs(): { files: { file: string; raw: number; gzip: number }[]; gzip: number } {
  const html = readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const files = refs.map((ref) => {
    const buf = readFileSync(path.join(rendererDir, ref.replace(/^\.?\//, '')));
    return { file: ref, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  });
  return { files, gzip: files.reduce((a, f) => a + f.gzip, 0) };
}

async function main(): Promise<void> {
  const js = initialJs();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-bench-shell-'));
  const config = path.join(tmp, 'toc.yaml');
  writeFileSync(config, 'name: Bench\nconnections: []\n');
  const serve = await startServeProcess({ config, dataDir: path.join(tmp, 'data') });
  const browser = await launchChromium();
  const firstPaint: number[] = [];
  const shellVisible: number[] = [];
  try {
    for (let i = 0; i < 6; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(serve.url);
      await page.getByTestId('app').waitFor({ state: 'visible', timeout: 15_000 });
      const shellMs = Date.now() - t0;
      const fp = await page.evaluate(
        () =>
          performance.getEntriesByName('first-contentful-paint')[0]?.startTime ??
          performance.getEntriesByName('first-paint')[0]?.startTime ??
          -1,
      );
      await context.close();
      if (i === 0) continue; // the first run warms the OS file cache
      firstPaint.push(fp);
      shellVisible.push(shellMs);
    }
  } finally {
    await browser.close();
    await serve.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  const kb = (b: number): string => (b / 1024).toFixed(1);
  const fpMedian = median(firstPaint);
  const body = `| measure | value | budget |
| --- | --- | --- |
| initial JS (gzip, ${js.files.length} files) | ${kb(js.gzip)} KB | ≤ 300 KB ${js.gzip <= 300 * 1024 ? '✓' : '✗'} |
| navigation → first contentful paint (median of ${firstPaint.length}) | ${fpMedian.toFixed(0)} ms | ≤ 1000 ms ${fpMedian <= 1000 ? '✓' : '✗'} |
| navigation → shell visible (median of ${shellVisible.length}) | ${median(shellVisible).toFixed(0)} ms | |

Initial files: ${js.files.map((f) => `\`${f.file}\` ${kb(f.raw)} KB raw / ${kb(f.gzip)} KB gzip`).join('; ')}.
Runs (FCP ms): ${firstPaint.map((x) => x.toFixed(0)).join(', ')}. Command: \`npm run bench -- shell-startup\`.`;
  writeSection('shell-startup', 'Renderer start-up (issue 2)', body);
  process.stdout.write(`${body}\n`);
}

await main();
