// 50,000 open incidents: the first sync of the incident queue and what it costs the main process's memory.
// The ServiceNow simulator runs in a child process (its own 50,000 rows and history would otherwise be counted
// as the console's), so this process is the console's core alone: heap and RSS are read after a forced GC
// before and after the sync, and again after a delta refresh with nothing changed.
// Run: npm run bench -- incidents-50k   (or node --import tsx test/bench/incidents-50k.bench.ts)

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createCore } from '../../electron/core/core';
import { IncidentService } from '../../electron/core/features/incidents/incident-service';
import { fakeSecrets } from '../helpers/fake-secrets';
import { median, writeSection } from './lib/report';

const OPEN = 50_000;
const RUNS = 3;
const root = path.resolve(import.meta.dirname, '../..');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 2 ** 20;

function settle(): { heap: number; rss: number } {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

async function startSim(): Promise<{ url: string; username: string; password: string; stop(): void; seedMs: number }> {
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'test/sim/servicenow/start.ts'), '--incidents', String(OPEN), '--seed', '7'],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before it listened`)));
  });
  const info = JSON.parse(line) as { url: string; username: string; password: string };
  return { ...info, seedMs: Date.now() - t0, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const sim = await startSim();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-bench-50k-'));
  const config = path.join(tmp, 'toc.yaml');
  writeFileSync(
    config,
    `name: Bench\nconnections:\n  - id: snow\n    kind: servicenow\n    name: ServiceNow sim\n    url: ${sim.url}\n    timeoutMs: 120000\n    auth: {type: basic, username: ${sim.username}, password: {secret: {keychain: "snow:password"}}}\n`,
  );
  const core = await createCore({
    version: '0.0.0-bench',
    transport: 'direct',
    workspaceFile: config,
    dataDir: path.join(tmp, 'data'),
    secrets: fakeSecrets({ 'snow:password': sim.password }),
  });
  try {
    const firstMs: number[] = [];
    const heapDelta: number[] = [];
    const rssAfter: number[] = [];
    let rows = 0;
    let idleMs = 0;
    let heldAfterIdle = 0;
    // One baseline before any sync: a later run's service may share what an earlier one left (the offline copy,
    // connection caches), so each run is measured against the core with nothing synced.
    const before = settle();
    for (let i = 0; i < RUNS; i++) {
      const svc = new IncidentService(
        { connections: core.services.connections, audit: core.services.audit, operator: () => core.services.operator().name },
        { sync: { reconcileEvery: 0 } },
      );
      const t = performance.now();
      rows = (await svc.list('snow')).rows.length;
      firstMs.push(performance.now() - t);
      const after = settle();
      heapDelta.push(after.heap - before.heap);
      rssAfter.push(after.rss);
      if (i === RUNS - 1) {
        const t2 = performance.now();
        await svc.refresh('snow');
        idleMs = performance.now() - t2;
        heldAfterIdle = settle().heap - before.heap;
      }
      svc.stopAll();
    }
    if (rows < OPEN * 0.95) throw new Error(`the first sync read ${rows} incidents of ${OPEN}`);
    const body = `ServiceNow simulator (child process, ${OPEN.toLocaleString('en')} open incidents, seed 7; seeded and listening in
${(sim.seedMs / 1000).toFixed(1)} s) on loopback; the console's incident service in this process, a new one for each of ${RUNS} runs.

| measure | value |
| --- | --- |
| first sync: all ${rows.toLocaleString('en')} open incidents (median of ${RUNS}; runs ${firstMs.map((x) => (x / 1000).toFixed(1)).join(', ')} s) | ${(median(firstMs) / 1000).toFixed(1)} s |
| main-process heap above the core's own after each sync (after GC; runs ${heapDelta.map((x) => (x / MiB).toFixed(0)).join(', ')} MiB) | ${(Math.max(...heapDelta) / MiB).toFixed(0)} MiB at most (${(Math.max(...heapDelta) / rows).toFixed(0)} bytes per incident) |
| main-process heap after a delta refresh with nothing changed (${idleMs.toFixed(0)} ms) | ${(heldAfterIdle / MiB).toFixed(0)} MiB |
| main-process RSS after the sync (median) | ${(median(rssAfter) / MiB).toFixed(0)} MiB |

Command: \`npm run bench -- incidents-50k\`. Load average at the end: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} on ${os.cpus().length} cores (shared with other work).`;
    writeSection('incidents-50k', 'Incident queue with 50,000 open incidents: first sync and memory', body);
    process.stdout.write(`${body}\n`);
  } finally {
    await core.dispose();
    sim.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
