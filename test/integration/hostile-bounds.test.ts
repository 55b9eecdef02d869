// Bounded everything, against an upstream that never stops talking or never starts: a response size limit
// enforced while the body streams (memory stays flat under a 600 MB answer), a command deadline that is what
// its message says, and a hung system (accepts, never answers) that shows unhealthy within two probe intervals.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../electron/core/kernel/http/http-client';
import { ContractFailure } from '@shared/kernel/result';
import { createCore } from '../../electron/core/core';
import { openCoreSecretStore } from '../../electron/core/kernel/secrets/bootstrap';
import { coreCalls } from '../helpers/core-calls';
import { startHostileServer } from '../sim/hostile/server';
import type { HostileServer } from '../sim/hostile/server';
import { makeHostileWorkspace } from '../helpers/hostile-workspace';
import type { HostileWorkspace } from '../helpers/hostile-workspace';

const root = path.resolve(import.meta.dirname, '../..');
const MB = 1024 * 1024;
let h: HostileServer;

beforeAll(async () => {
  h = await startHostileServer();
});
afterAll(async () => h?.close());

async function failureOf(p: Promise<unknown>): Promise<ContractFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ContractFailure) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('response size limit', () => {
  it('cuts a 600 MB streamed answer at the 64 MB default, says so, and memory stays bounded', { timeout: 60_000 }, async () => {
    h.set({ kind: 'huge', bytes: 600 * MB });
    const client = await createHttpClient({ name: 'Prometheus (hostile)', baseUrl: h.url, timeoutMs: 50_000 });
    const before = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss - before.rss, m.arrayBuffers - before.arrayBuffers);
    }, 20);
    const e = await failureOf(client.request({ path: '/api/v1/query', idempotent: true }));
    clearInterval(sampler);
    expect(e.code).toBe('bad_response');
    expect(e.message).toContain('Prometheus (hostile)');
    expect(e.message).toMatch(/more than 64 MB/);
    expect(e.message).toMatch(/maxResponseMB/);
    expect(e.detail?.retryable).toBe(false);
    // 64 MB of body plus decoding; a read that held 600 MB (or its string) would be far above this
    expect(peak).toBeLessThan(400 * MB);
  });

  it('refuses a declared Content-Length over the limit before reading, and honours a per-connection limit', async () => {
    h.set({ kind: 'huge', bytes: 600 * MB, declareLength: true });
    const client = await createHttpClient({ name: 'AWX (hostile)', baseUrl: h.url, maxResponseBytes: 2 * MB });
    const t0 = Date.now();
    const e = await failureOf(client.request({ path: '/api/v2/jobs/' }));
    expect(e.message).toMatch(/more than 2 MB/);
    expect(Date.now() - t0).toBeLessThan(5000);
    h.set({ kind: 'huge', bytes: 3 * MB });
    expect((await failureOf(client.request({ path: '/api/v2/jobs/' }))).message).toMatch(/more than 2 MB/);
    h.set({ kind: 'huge', bytes: MB });
    expect((await client.request({ path: '/api/v2/jobs/' })).status).toBe(200);
  });
});

describe('deadlines and health', () => {
  let ws: HostileWorkspace;
  beforeAll(() => {
    ws = makeHostileWorkspace(h.url, { timeoutMs: 2000 });
  });
  afterAll(() => ws?.cleanup());

  it('toc slo gate against a Prometheus that never answers ends within the deadline its message states', { timeout: 120_000 }, async () => {
    h.set({ kind: 'hang-headers' });
    const t0 = Date.now();
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(root, 'test/helpers/run-toc.ts'),
          'slo',
          'gate',
          '--config',
          ws.config,
          '--slo',
          'checkout',
          '--min-budget',
          '10',
          '--timeout',
          '5',
        ],
        { cwd: root, env: { ...process.env, ...ws.env, TOC_DATA_DIR: ws.dataDir, TOC_WORKSPACE: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const kill = setTimeout(() => child.kill('SIGKILL'), 100_000);
      child.on('close', (code) => {
        clearTimeout(kill);
        resolve({ code, out });
      });
    });
    const elapsed = (Date.now() - t0) / 1000;
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/cannot tell/);
    // The message names the deadline that actually applied, and the run took no longer (start-up allowed).
    const stated = /within (\d+(?:\.\d+)?) s/.exec(r.out);
    expect(stated, r.out).not.toBeNull();
    const startup = 20; // tsx start-up on a loaded 2-core machine
    expect(elapsed).toBeLessThan(Number(stated?.[1]) + startup);
    expect(Number(stated?.[1])).toBeLessThanOrEqual(5);
  });

  it('a system that stops answering (accepts, never answers) shows unhealthy within two probe intervals', { timeout: 30_000 }, async () => {
    // The console's default request timeout (15 s) is longer than the probe interval here: the probe must not wait it out.
    const slow = makeHostileWorkspace(h.url, { timeoutMs: null });
    h.set({ kind: 'ok' });
    const secrets = await openCoreSecretStore({ useKeychain: false });
    const intervalMs = 1500;
    const core = await createCore({
      version: 'test',
      transport: 'direct',
      workspaceFile: slow.config,
      dataDir: slow.dataDir,
      secrets: secrets.store,
      env: { ...slow.env },
      healthIntervalMs: intervalMs,
    });
    try {
      const c = coreCalls(core);
      const stateOf = async (): Promise<{ state: string; message?: string } | undefined> =>
        (await c.ok('connections.health', {})).find((x) => x.id === 'am-h');
      const waitFor = async (state: string, withinMs: number): Promise<{ state: string; message?: string } | undefined> => {
        const t0 = Date.now();
        let s = await stateOf();
        while (s?.state !== state && Date.now() - t0 < withinMs) {
          await new Promise((r) => setTimeout(r, 50));
          s = await stateOf();
        }
        return s;
      };
      expect((await waitFor('ok', 10_000))?.state).toBe('ok');
      h.route('/api/v2/status', { kind: 'hang-headers' }); // Alertmanager hangs; the others still answer
      const t0 = Date.now();
      const am = await waitFor('error', 2 * intervalMs + 1000);
      expect(am?.state).toBe('error');
      expect(am?.message).toMatch(/did not answer within/);
      expect(Date.now() - t0).toBeLessThanOrEqual(2 * intervalMs + 1000);
    } finally {
      h.clearRoutes();
      await core.dispose();
      slow.cleanup();
    }
  });
});
