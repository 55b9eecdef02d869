// A real Alertmanager for tests (Debian `prometheus-alertmanager` 0.25): a config file the test writes, a temp
// storage dir, a free loopback port and no cluster port. Stopped by stop(), by the process 'exit' hook and, if
// the test process is killed outright, by a small shell watchdog that kills it once the test process is gone.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { startWatchdog, waitReady } from './server-process';

const ALERTMANAGER = process.env['TOC_ALERTMANAGER_BIN'] ?? '/usr/bin/prometheus-alertmanager';

/** Groups by alertname and service; team=db goes to the "dba" receiver; critical inhibits warning on the same instance. */
export const DEFAULT_AM_CONFIG = `route:
  receiver: default
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: ['team="db"']
      receiver: dba
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [instance]
receivers:
  - name: default
  - name: dba
`;

export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerHandle {
  url: string;
  port: number;
  dir: string;
  pid: number;
  log(): string;
  /** POST /api/v2/alerts; resolves once Alertmanager shows every posted alert in /api/v2/alerts. */
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  /** GET a path of the API as JSON (for assertions that bypass the console). */
  get<T>(p: string): Promise<T>;
  stop(): Promise<void>;
}

export interface StartAlertmanagerOptions {
  config?: string;
  /** --data.retention: how long expired silences are kept before Alertmanager deletes them. */
  retention?: string;
  /** --data.maintenance-interval: how often that garbage collection runs. */
  maintenanceInterval?: string;
  readyTimeoutMs?: number;
  /** Join a cluster: this member's gossip address and its peers' (`--cluster.peer`). Default: no cluster. */
  cluster?: { listen: string; peers: string[] };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startAlertmanager(opts: StartAlertmanagerOptions = {}): Promise<AlertmanagerHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toc-am-'));
  const configFile = path.join(dir, 'alertmanager.yml');
  fs.writeFileSync(configFile, opts.config ?? DEFAULT_AM_CONFIG);
  fs.mkdirSync(path.join(dir, 'data'));
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(
      ALERTMANAGER,
      [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        ...(opts.cluster
          ? [
              `--cluster.listen-address=${opts.cluster.listen}`,
              ...opts.cluster.peers.map((p) => `--cluster.peer=${p}`),
              // Loopback peers: gossip fast, and do not wait a minute for the first full state exchange.
              '--cluster.gossip-interval=100ms',
              '--cluster.pushpull-interval=2s',
              '--cluster.settle-timeout=2s',
            ]
          : ['--cluster.listen-address=']),
        ...(opts.retention ? [`--data.retention=${opts.retention}`] : []),
        ...(opts.maintenanceInterval ? [`--data.maintenance-interval=${opts.maintenanceInterval}`] : []),
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20_000);
    });
    const log = (): string => stderr.split('\n').slice(-30).join('\n');
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${ALERTMANAGER} did not start`);
    const dog = startWatchdog(pid, dir, ['prometheus-ale', 'alertmanager'], 'toc-am-watchdog');
    const onExit = (): void => {
      child.kill('SIGKILL');
    };
    process.on('exit', onExit);
    const killDog = (): void => {
      try {
        if (dog.pid !== undefined) process.kill(dog.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      killDog();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    };
    const get = async <T>(p: string): Promise<T> => {
      const res = await fetch(`${url}${p}`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const postAlerts = async (alerts: PostableAlert[]): Promise<void> => {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(alerts),
        signal: AbortSignal.timeout(5_000),
      });
      if (res.status !== 200) throw new Error(`POST /api/v2/alerts: ${res.status} ${await res.text()}`);
      const deadline = Date.now() + 10_000;
      const key = (l: Record<string, string>): string => JSON.stringify(Object.entries(l).sort(([a], [b]) => a.localeCompare(b)));
      const want = new Set(alerts.map((a) => key(a.labels)));
      while (Date.now() < deadline) {
        const now = await get<{ labels: Record<string, string> }[]>('/api/v2/alerts');
        const have = new Set(now.map((a) => key(a.labels)));
        if ([...want].every((k) => have.has(k))) return;
        await sleep(100);
      }
      throw new Error('posted alerts did not show in /api/v2/alerts within 10 s');
    };
    try {
      await waitReady('alertmanager', url, child, opts.readyTimeoutMs ?? 30_000, log);
      return { url, port, dir, pid, log, postAlerts, get, stop };
    } catch (e) {
      lastError = e;
      if (!/address already in use/.test(stderr)) {
        await stop();
        throw e;
      }
      // Lost the port race: try another port with the same directory.
      stopped = true;
      process.off('exit', onExit);
      child.kill('SIGKILL');
      killDog();
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error('alertmanager failed to start');
}

/**
 * Two Alertmanagers clustered with each other (`--cluster.peer`, gossip on loopback ports), as a TOC runs
 * them: Prometheus sends every alert to both, and a silence made on one reaches the other by gossip.
 */
export async function startAlertmanagerPair(
  opts: Omit<StartAlertmanagerOptions, 'cluster'> = {},
): Promise<[AlertmanagerHandle, AlertmanagerHandle]> {
  const [ca, cb] = [await freePort(), await freePort()];
  const a = `127.0.0.1:${ca}`;
  const b = `127.0.0.1:${cb}`;
  return Promise.all([
    startAlertmanager({ ...opts, cluster: { listen: a, peers: [b] } }),
    startAlertmanager({ ...opts, cluster: { listen: b, peers: [a] } }),
  ]);
}
