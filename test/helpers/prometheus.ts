// A real Prometheus for tests: scenario → OpenMetrics → `promtool tsdb create-blocks-from openmetrics` → blocks,
// cached under node_modules/.cache/toc-prom/<dataset hash> so every test file in a run (and later runs) reuses
// them; then `prometheus` on a free loopback port over a private copy of the blocks.
//
// Cost (promtool 2.42, 2 cores): promtool re-reads its whole input once per 2-hour block it writes, so one
// 31-day file costs days x samples (about 7 s + 1 s per series at 5-minute steps). The generator therefore cuts
// the data into one file per day and imports them in parallel, which makes parsing roughly linear in samples.
//
// Every started server is stopped by stop(), by the process 'exit' hook, and, if the test process is killed
// outright, by a tiny shell watchdog that polls the test process and kills the server when it is gone.

import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWatchdog, waitReady } from './server-process';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PROM_CACHE_ROOT = path.join(REPO_ROOT, 'node_modules/.cache/toc-prom');
const PROMETHEUS = process.env['TOC_PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';
const PROMTOOL = process.env['TOC_PROMTOOL_BIN'] ?? '/usr/bin/promtool';
/** Bump when the generator's output format changes, so old cache entries are not reused. */
const FORMAT_VERSION = 'v1';

// ---- scenario description -----------------------------------------------------------------------------------

export type Labels = Record<string, string>;

/** Where a series has samples: from `from` (default: dataset start) at the dataset step, plus denser tails. */
export interface Sampling {
  from?: number;
  /**
   * Extra samples every `step` seconds during the last `seconds` before the end. Rules that Prometheus
   * evaluates off the 5-minute grid (rule groups run at a hashed offset) need more than one sample in a
   * 5-minute window, as real 15-60 s scrapes would give them.
   */
  denseTail?: { seconds: number; step: number };
}

export interface CounterSeries extends Sampling {
  kind: 'counter';
  /** Full sample name, e.g. http_requests_total. */
  name: string;
  labels: Labels;
  /**
   * Events between the previous sample time and `t` (unix seconds), `dt` seconds apart. null = no sample at t
   * (scrape gap; events of that interval are not counted, as if nothing ran).
   */
  increment: (t: number, dt: number) => number | null;
  /** The counter restarts from 0 at t (process restart); the increment of that step is counted after the reset. */
  resetAt?: (t: number) => boolean;
}

export interface HistogramSeries extends Sampling {
  kind: 'histogram';
  /** Base name: writes <name>_bucket{le=...} and <name>_count. */
  name: string;
  labels: Labels;
  /** Upper bounds in seconds, ascending, without +Inf. */
  buckets: number[];
  /** Observations between the previous sample and t; null = gap. */
  requests: (t: number, dt: number) => number | null;
  /** Fraction of observations <= le at time t (cumulative, non-decreasing in le). */
  fractionBelow: (le: number, t: number) => number;
  resetAt?: (t: number) => boolean;
}

export type SeriesSpec = CounterSeries | HistogramSeries;

export interface RuleFileSpec {
  /** File name, e.g. sloth.yml. */
  name: string;
  content: string;
  /** Backfill this many seconds of rule output before `end` with `promtool tsdb create-blocks-from rules`. */
  backfillSeconds?: number;
}

export interface Dataset {
  /** Last sample time, unix seconds (a multiple of the step). */
  end: number;
  days: number;
  /** Default 300 (5 minutes). */
  stepSeconds?: number;
  series: SeriesSpec[];
  rules?: RuleFileSpec[];
}

// ---- OpenMetrics generation -------------------------------------------------------------------------------

function formatLabels(labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${(labels[k] ?? '').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/** Counter values as short decimal text; 9 significant decimals keep files small and sums exact enough. */
function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6)));
}

interface Line {
  t: number;
  text: string;
}

interface Emitted {
  family: string;
  lines: Line[];
}

function counterLines(
  name: string,
  labels: Labels,
  times: number[],
  step: number,
  inc: (t: number, dt: number) => number | null,
  reset?: (t: number) => boolean,
): Line[] {
  const lbl = formatLabels(labels);
  const out: Line[] = [];
  let value = 0;
  let prev = (times[0] ?? 0) - step;
  for (const t of times) {
    const d = inc(t, t - prev);
    prev = t;
    if (reset?.(t)) value = 0;
    if (d === null) continue;
    value += d;
    out.push({ t, text: `${name}${lbl} ${num(value)} ${t}` });
  }
  return out;
}

function sampleTimes(s: Sampling, times: number[], end: number): number[] {
  let ts = s.from === undefined ? times : times.filter((t) => t >= (s.from as number));
  if (s.denseTail) {
    const { seconds, step } = s.denseTail;
    const extra: number[] = [];
    for (let t = end - seconds; t <= end; t += step) extra.push(t);
    ts = [...new Set([...ts, ...extra])].sort((a, b) => a - b);
  }
  return ts;
}

function emitSeries(s: SeriesSpec, times: number[], end: number, step: number): Emitted[] {
  const ts = sampleTimes(s, times, end);
  if (s.kind === 'counter') return [{ family: s.name, lines: counterLines(s.name, s.labels, ts, step, s.increment, s.resetAt) }];
  const out: Emitted[] = [];
  const bounds = [...s.buckets, Number.POSITIVE_INFINITY];
  for (const le of bounds) {
    const frac = (t: number): number => (le === Number.POSITIVE_INFINITY ? 1 : Math.min(1, Math.max(0, s.fractionBelow(le, t))));
    const inc = (t: number, dt: number): number | null => {
      const r = s.requests(t, dt);
      return r === null ? null : r * frac(t);
    };
    const labels = { ...s.labels, le: le === Number.POSITIVE_INFINITY ? '+Inf' : String(le) };
    out.push({ family: `${s.name}_bucket`, lines: counterLines(`${s.name}_bucket`, labels, ts, step, inc, s.resetAt) });
  }
  out.push({ family: `${s.name}_count`, lines: counterLines(`${s.name}_count`, s.labels, ts, step, s.requests, s.resetAt) });
  return out;
}

function families(ds: Dataset): Map<string, Line[]> {
  const step = ds.stepSeconds ?? 300;
  const start = ds.end - ds.days * 86_400;
  const times: number[] = [];
  for (let t = start; t <= ds.end; t += step) times.push(t);
  const out = new Map<string, Line[]>();
  for (const s of ds.series) {
    for (const e of emitSeries(s, times, ds.end, step)) {
      const list = out.get(e.family) ?? [];
      for (const l of e.lines) list.push(l);
      out.set(e.family, list);
    }
  }
  return out;
}

function render(fams: Map<string, Line[]>, from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): string {
  const out: string[] = [];
  for (const [family, lines] of fams) {
    const inRange = lines.filter((l) => l.t >= from && l.t < to);
    if (inRange.length === 0) continue;
    out.push(`# TYPE ${family} unknown`);
    for (const l of inRange) out.push(l.text);
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

/**
 * The dataset as OpenMetrics text. Every family is declared `unknown`, which accepts any sample name
 * (`counter` would insist on `_total`); PromQL's increase() does not care about the declared type.
 */
export function toOpenMetrics(ds: Dataset): string {
  return render(families(ds));
}

/**
 * The same samples cut into day-long files. promtool re-reads its whole input for every 2-hour block it
 * writes, so 31 one-day files cost about 1/31 of the parsing of one 31-day file. Cuts fall on UTC midnight,
 * a multiple of the 2-hour block grid, so no two files produce overlapping blocks.
 */
export function toOpenMetricsSlices(ds: Dataset, sliceSeconds = 86_400): string[] {
  const fams = families(ds);
  const start = ds.end - ds.days * 86_400;
  const out: string[] = [];
  for (let from = Math.floor(start / sliceSeconds) * sliceSeconds; from <= ds.end; from += sliceSeconds) {
    const text = render(fams, from, from + sliceSeconds);
    if (text !== '# EOF\n') out.push(text);
  }
  return out;
}

// ---- processes ----------------------------------------------------------------------------------------------

function run(cmd: string, args: string[], cwd?: string): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface PrometheusHandle {
  url: string;
  port: number;
  /** The private runtime directory (config, rules, data copy). */
  dir: string;
  pid: number;
  /** Last lines the server wrote to stderr (its log). */
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** A built data directory (from buildDataset); it is copied, never written to. */
  dataDir?: string;
  ruleFiles?: { name: string; content: string }[];
  /** Alertmanagers (host:port) the rules' alerts are sent to. */
  alertmanagers?: string[];
  /** Extra command-line flags. */
  args?: string[];
  readyTimeoutMs?: number;
}

/** Starts Prometheus on 127.0.0.1 over a copy of `dataDir` (or an empty TSDB) and waits for /-/ready. */
export async function startPrometheus(opts: StartOptions = {}): Promise<PrometheusHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toc-prom-run-'));
  const data = path.join(dir, 'data');
  if (opts.dataDir) fs.cpSync(opts.dataDir, data, { recursive: true });
  else fs.mkdirSync(data);
  const rulePaths: string[] = [];
  for (const r of opts.ruleFiles ?? []) {
    const p = path.join(dir, r.name);
    fs.writeFileSync(p, r.content);
    rulePaths.push(p);
  }
  const config =
    'global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\n' +
    (rulePaths.length > 0 ? `rule_files:\n${rulePaths.map((p) => `  - ${JSON.stringify(p)}\n`).join('')}` : '') +
    (opts.alertmanagers?.length
      ? `alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [${opts.alertmanagers.map((t) => JSON.stringify(t)).join(', ')}]\n`
      : '');
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);

  let lastError: unknown = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(
      PROMETHEUS,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${data}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // History is far in the past relative to the newest block only; keep everything.
        '--storage.tsdb.retention.time=3650d',
        // Blocks stay 2h: no background compaction of hundreds of backfilled blocks during tests.
        '--storage.tsdb.min-block-duration=2h',
        '--storage.tsdb.max-block-duration=2h',
        ...(opts.args ?? []),
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20_000);
    });
    const log = (): string => stderr.split('\n').slice(-30).join('\n');
    const pid = child.pid;
    if (pid === undefined) throw new Error('prometheus did not start');
    const dog = startWatchdog(pid, dir, ['prometheus'], 'toc-prom-watchdog');
    const onExit = (): void => {
      child.kill('SIGKILL');
    };
    process.on('exit', onExit);

    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      if (dog.pid !== undefined) {
        try {
          process.kill(dog.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    };

    try {
      await waitReady('prometheus', url, child, opts.readyTimeoutMs ?? 60_000, log);
      return { url, port, dir, pid, log, stop };
    } catch (e) {
      lastError = e;
      const inUse = /address already in use/.test(stderr);
      if (!inUse) {
        await stop();
        throw e;
      }
      // Lost the port race: stop this one but keep the directory for the next attempt.
      stopped = true;
      process.off('exit', onExit);
      child.kill('SIGKILL');
      try {
        if (dog.pid !== undefined) process.kill(dog.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error('prometheus failed to start');
}

// ---- dataset build + cache ----------------------------------------------------------------------------------

export interface BuiltDataset {
  dataDir: string;
  hash: string;
  /** True when the blocks came from the cache. */
  cached: boolean;
  /** Build time in ms (0 when cached), and its two phases. */
  buildMs: number;
  phases?: { openmetricsMs: number; rulesMs: number };
}

function promtoolVersion(): string {
  const r = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').split('\n')[0] ?? '';
}

export function datasetHash(ds: Dataset, slices = toOpenMetricsSlices(ds)): string {
  const h = createHash('sha256');
  h.update(`${FORMAT_VERSION}\n${promtoolVersion()}\n`);
  for (const text of slices) h.update(text);
  for (const r of ds.rules ?? []) h.update(`\n--rules ${r.name} ${r.backfillSeconds ?? 0}\n${r.content}`);
  return h.digest('hex').slice(0, 20);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A directory lock (mkdir is atomic); waits for another process's build and clears locks of dead builders. */
async function withLock<T>(lockDir: string, done: () => boolean, fn: () => Promise<T>): Promise<T | null> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch {
      if (done()) return null;
      let owner = 0;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        // the owner has not written its pid yet
      }
      if (owner > 0 && !pidAlive(owner)) fs.rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Runs promtool over each slice (as many at once as there are cores) and gathers the blocks in `dataDir`. */
async function importSlices(slices: string[], work: string, dataDir: string): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < slices.length; i = next++) {
      const om = path.join(work, `slice-${i}.om`);
      const out = path.join(work, `slice-${i}`);
      fs.writeFileSync(om, slices[i] ?? '');
      const res = await run(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', om, out]);
      if (res.code !== 0) throw new Error(`promtool create-blocks-from openmetrics failed on slice ${i}:\n${res.stderr}\n${res.stdout}`);
      for (const b of fs.readdirSync(out)) fs.renameSync(path.join(out, b), path.join(dataDir, b));
      fs.rmSync(om);
      fs.rmSync(out, { recursive: true, force: true });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(os.availableParallelism(), 4)) }, () => worker()));
}

async function backfillRules(ds: Dataset, dataDir: string, work: string): Promise<void> {
  const files = (ds.rules ?? []).filter((r) => (r.backfillSeconds ?? 0) > 0);
  if (files.length === 0) return;
  const prom = await startPrometheus({ dataDir });
  try {
    const out = path.join(work, 'rule-blocks');
    const paths = files.map((r) => {
      const p = path.join(work, r.name);
      fs.writeFileSync(p, r.content);
      return p;
    });
    const span = Math.max(...files.map((r) => r.backfillSeconds ?? 0));
    // --end one step past the last sample so the evaluation at `end` itself is included.
    const res = await run(PROMTOOL, [
      'tsdb',
      'create-blocks-from',
      'rules',
      '-q',
      `--url=${prom.url}`,
      `--start=${ds.end - span}`,
      `--end=${ds.end + 60}`,
      `--output-dir=${out}`,
      ...paths,
    ]);
    if (res.code !== 0) throw new Error(`promtool create-blocks-from rules failed:\n${res.stderr}\n${res.stdout}`);
    for (const b of fs.existsSync(out) ? fs.readdirSync(out) : []) {
      fs.renameSync(path.join(out, b), path.join(dataDir, b));
    }
  } finally {
    await prom.stop();
  }
}

function touch(file: string): void {
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    // a concurrent prune removed it; the caller still has the data it found
  }
}

/** Entries unused for this long are removed after a new build (each is ~10-20 MB of blocks). */
const CACHE_MAX_AGE_MS = 7 * 86_400_000;

function pruneCache(keep: string): void {
  for (const name of fs.readdirSync(PROM_CACHE_ROOT)) {
    if (name === keep || name.includes('.')) continue; // also skips *.lock and *.tmp-* of running builds
    const marker = path.join(PROM_CACHE_ROOT, name, 'complete');
    try {
      if (Date.now() - fs.statSync(marker).mtimeMs > CACHE_MAX_AGE_MS)
        fs.rmSync(path.join(PROM_CACHE_ROOT, name), { recursive: true, force: true });
    } catch {
      // no marker: a build in progress or a foreign directory; leave it
    }
  }
}

/** Builds (or finds in the cache) the TSDB blocks of a dataset. */
export async function buildDataset(ds: Dataset): Promise<BuiltDataset> {
  const slices = toOpenMetricsSlices(ds);
  const hash = datasetHash(ds, slices);
  const dir = path.join(PROM_CACHE_ROOT, hash);
  const dataDir = path.join(dir, 'data');
  const marker = path.join(dir, 'complete');
  const done = (): boolean => fs.existsSync(marker);
  if (done()) {
    touch(marker);
    return { dataDir, hash, cached: true, buildMs: 0 };
  }

  fs.mkdirSync(PROM_CACHE_ROOT, { recursive: true });
  const t0 = Date.now();
  let phases: BuiltDataset['phases'];
  const built = await withLock(`${dir}.lock`, done, async () => {
    if (done()) return false;
    const work = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    fs.mkdirSync(work, { recursive: true });
    try {
      const tmpData = path.join(work, 'data');
      fs.mkdirSync(tmpData);
      await importSlices(slices, work, tmpData);
      const t1 = Date.now();
      await backfillRules(ds, tmpData, work);
      phases = { openmetricsMs: t1 - t0, rulesMs: Date.now() - t1 };
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      fs.renameSync(tmpData, dataDir);
      fs.writeFileSync(marker, new Date().toISOString());
      return true;
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
  if (built !== true) return { dataDir, hash, cached: true, buildMs: 0 };
  pruneCache(hash);
  return { dataDir, hash, cached: false, buildMs: Date.now() - t0, ...(phases ? { phases } : {}) };
}

/** Builds the dataset (cached) and starts Prometheus over it with the dataset's rule files loaded. */
export async function startPrometheusWithDataset(
  ds: Dataset,
  opts: Omit<StartOptions, 'dataDir'> = {},
): Promise<PrometheusHandle & { dataset: BuiltDataset }> {
  const dataset = await buildDataset(ds);
  const handle = await startPrometheus({
    ...opts,
    dataDir: dataset.dataDir,
    ruleFiles: [...(ds.rules ?? []).map((r) => ({ name: r.name, content: r.content })), ...(opts.ruleFiles ?? [])],
  });
  return { ...handle, dataset };
}

// ---- HTTP helpers for tests ---------------------------------------------------------------------------------

/** POST /api/v1/query as a form body (how generated fleet queries must travel); resolves to the JSON body. */
export async function instantQuery(url: string, query: string, time: number): Promise<unknown> {
  const res = await fetch(`${url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query, time: String(time) }).toString(),
  });
  return (await res.json()) as unknown;
}

export async function getJson(url: string, pathAndQuery: string): Promise<unknown> {
  const res = await fetch(`${url}${pathAndQuery}`);
  return (await res.json()) as unknown;
}
