// A real VictoriaMetrics for tests (Debian `victoria-metrics` 1.79, single node), started like the Prometheus
// helper: a temp storage folder, a free loopback port, a watchdog that kills it when the test process dies.
// History goes in through `POST /api/v1/import/prometheus` (Prometheus text format, millisecond timestamps)
// and is queryable after `/internal/force_flush`. `vmalert` evaluates Prometheus rule files against it: once
// over the past (`-replay.*`, the way promtool backfills rules for Prometheus) and then as a server whose
// rules and alerts VictoriaMetrics proxies (`-vmalert.proxyURL`), so `/api/v1/rules` works on the one URL.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { toOpenMetrics, type Dataset } from './prometheus';
import { startWatchdog } from './server-process';

const VM = process.env['TOC_VICTORIA_METRICS_BIN'] ?? '/usr/bin/victoria-metrics';
const VMALERT = process.env['TOC_VMALERT_BIN'] ?? '/usr/bin/vmalert';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface VictoriaHandle {
  url: string;
  pid: number;
  log(): string;
  /** Imports a dataset's samples and makes them queryable. */
  importDataset(ds: Dataset): Promise<void>;
  /** Evaluates rule files over [from, to] (unix seconds) with vmalert's replay mode, writing the results here. */
  replayRules(rules: { name: string; content: string }[], from: number, to: number): Promise<void>;
  /** Starts vmalert as a server over these rule files; VictoriaMetrics proxies /api/v1/rules and /api/v1/alerts to it. */
  vmalertUrl: string;
  stop(): Promise<void>;
}

interface Proc {
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

function launch(bin: string, args: string[], dir: string, names: string[], tag: string): Proc {
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${bin} did not start`);
  const dog = startWatchdog(pid, dir, names, tag);
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', onExit);
  let stopped = false;
  return {
    child,
    log: () => out.split('\n').slice(-30).join('\n'),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      try {
        if (dog.pid !== undefined) process.kill(dog.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

async function waitHealthy(name: string, url: string, proc: Proc, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`${name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before ready:\n${proc.log()}`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      const text = await res.text();
      if (res.status === 200 && text.trim() === 'OK') return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms:\n${proc.log()}`);
}

/** The dataset as Prometheus text exposition lines with millisecond timestamps (what /api/v1/import/prometheus reads). */
export function toImportText(ds: Dataset): string {
  const out: string[] = [];
  for (const line of toOpenMetrics(ds).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.push(`${line.slice(0, cut)} ${Number(line.slice(cut + 1)) * 1000}`);
  }
  return out.join('\n') + '\n';
}

/**
 * Starts VictoriaMetrics and, when `rules` are given, a vmalert server over them (evaluating against
 * VictoriaMetrics every `evaluationInterval`, writing recorded series and ALERTS back to it).
 */
export async function startVictoriaMetrics(opts: { rules?: { name: string; content: string }[] } = {}): Promise<VictoriaHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toc-vm-'));
  const [port, alertPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const vmalertUrl = `http://127.0.0.1:${alertPort}`;
  const vm = launch(
    VM,
    [
      `-storageDataPath=${path.join(dir, 'data')}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-retentionPeriod=100y',
      // Imports land after start: never answer from a result cached before them.
      '-search.disableCache',
      // Points written a moment ago (vmalert's ALERTS) are visible at once, not after the default 30 s.
      '-search.latencyOffset=1s',
      `-vmalert.proxyURL=${vmalertUrl}`,
    ],
    dir,
    ['victoria-metr', 'victoria-metrics'],
    'toc-vm-watchdog',
  );
  const procs: Proc[] = [vm];
  const stop = async (): Promise<void> => {
    for (const p of procs.reverse()) await p.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitHealthy('victoria-metrics', url, vm);
    const ruleFiles = (opts.rules ?? []).map((r) => {
      const p = path.join(dir, r.name);
      fs.writeFileSync(p, r.content);
      return p;
    });
    if (ruleFiles.length > 0) {
      const alert = launch(
        VMALERT,
        [
          ...ruleFiles.map((f) => `-rule=${f}`),
          `-datasource.url=${url}`,
          `-remoteWrite.url=${url}`,
          // Alerts go nowhere: the tests read them from vmalert's API and from ALERTS.
          `-notifier.url=http://127.0.0.1:9`,
          `-httpListenAddr=127.0.0.1:${alertPort}`,
          '-evaluationInterval=2s',
          '-remoteWrite.flushInterval=1s',
        ],
        dir,
        ['vmalert'],
        'toc-vmalert-watchdog',
      );
      procs.push(alert);
      await waitHealthy('vmalert', vmalertUrl, alert);
    }
  } catch (e) {
    await stop();
    throw e;
  }

  const flush = async (): Promise<void> => {
    const res = await fetch(`${url}/internal/force_flush`, { signal: AbortSignal.timeout(30_000) });
    await res.text();
  };

  return {
    url,
    vmalertUrl,
    pid: vm.child.pid ?? 0,
    log: () => procs.map((p) => p.log()).join('\n'),
    async importDataset(ds) {
      const res = await fetch(`${url}/api/v1/import/prometheus`, {
        method: 'POST',
        body: toImportText(ds),
        signal: AbortSignal.timeout(60_000),
      });
      if (res.status !== 204 && res.status !== 200) throw new Error(`import: ${res.status} ${await res.text()}`);
      await flush();
    },
    async replayRules(rules, from, to) {
      const files = rules.map((r) => {
        const p = path.join(dir, `replay-${r.name}`);
        fs.writeFileSync(p, r.content);
        return p;
      });
      const replay = launch(
        VMALERT,
        [
          ...files.map((f) => `-rule=${f}`),
          `-datasource.url=${url}`,
          `-remoteWrite.url=${url}`,
          `-replay.timeFrom=${new Date(from * 1000).toISOString()}`,
          `-replay.timeTo=${new Date(to * 1000).toISOString()}`,
          '-replay.disableProgressBar',
          '-replay.rulesDelay=0s',
          `-httpListenAddr=127.0.0.1:${await freePort()}`,
        ],
        dir,
        ['vmalert'],
        'toc-vmalert-replay-watchdog',
      );
      const code = await new Promise<number>((resolve) => replay.child.once('exit', (c) => resolve(c ?? -1)));
      await replay.stop();
      if (code !== 0) throw new Error(`vmalert replay exited ${code}:\n${replay.log()}`);
      await flush();
    },
    stop,
  };
}
