import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OfflineCache } from '../../../electron/core/features/offline/offline-cache';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-offline-'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

const files = (kind: string): string[] => (existsSync(path.join(dir, kind)) ? readdirSync(path.join(dir, kind)) : []);

describe('offline cache', () => {
  it('keeps an entry with when it was synced, and finds it again from a new process', async () => {
    const a = new OfflineCache({ dir });
    await a.put('runbook', 'restart-service', { title: 'Restart a service' }, { syncedAt: '2026-01-01T10:00:00.000Z' });
    const b = new OfflineCache({ dir });
    expect(await b.get('runbook', 'restart-service')).toEqual({
      data: { title: 'Restart a service' },
      syncedAt: '2026-01-01T10:00:00.000Z',
    });
    expect(await b.entries()).toEqual([
      { kind: 'runbook', key: 'restart-service', syncedAt: '2026-01-01T10:00:00.000Z', bytes: expect.any(Number) as number },
    ]);
    expect(await b.get('runbook', 'other')).toBeNull();
  });

  it('writes atomically: a temporary file renamed over the entry, nothing half-written left behind', async () => {
    const c = new OfflineCache({ dir });
    await c.put('incidents', 'snow', { rows: [1, 2, 3] });
    await c.put('incidents', 'snow', { rows: [1, 2, 3, 4] });
    expect(files('incidents').every((f) => f.endsWith('.json'))).toBe(true);
    expect(files('incidents')).toHaveLength(1);
    expect(((await c.get<{ rows: number[] }>('incidents', 'snow'))?.data.rows ?? []).length).toBe(4);
  });

  it('a write that fails halfway leaves the previous copy intact (and no temporary file)', async () => {
    let fail = false;
    const c = new OfflineCache({
      dir,
      beforeRename: async (tmp) => {
        // The new text is on disk in the temporary file; now the disk fills up or the process dies.
        if (!fail) return;
        expect(readFileSync(tmp, 'utf8')).toContain('half');
        throw new Error('ENOSPC: no space left on device');
      },
    });
    await c.put('sloFleet', '', { statuses: ['good'] }, { syncedAt: '2026-01-01T10:00:00.000Z' });
    fail = true;
    await c.put('sloFleet', '', { statuses: ['half'] });
    expect(files('sloFleet').some((f) => f.endsWith('.tmp'))).toBe(false);
    const again = new OfflineCache({ dir });
    expect(await again.get('sloFleet', '')).toEqual({ data: { statuses: ['good'] }, syncedAt: '2026-01-01T10:00:00.000Z' });
  });

  // The child process (node + tsx) alone can take seconds to start on a busy machine.
  it('a process killed in the middle of writing a large entry leaves the previous copy readable', async () => {
    const c = new OfflineCache({ dir });
    await c.put('incidents', 'snow', { rows: ['old'] }, { syncedAt: '2026-01-01T10:00:00.000Z' });
    const script = `
      import { OfflineCache } from ${JSON.stringify(path.resolve('electron/core/features/offline/offline-cache.ts'))};
      const c = new OfflineCache({ dir: ${JSON.stringify(dir)}, maxEntryBytes: 1e9 });
      await c.put('incidents', 'snow', { rows: Array.from({ length: 400000 }, (_, i) => 'row ' + i + ' '.repeat(200)) });
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    let killed = false;
    for (let i = 0; i < 3000 && child.exitCode === null; i++) {
      if (files('incidents').some((f) => f.endsWith('.tmp'))) {
        child.kill('SIGKILL');
        killed = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    expect(killed).toBe(true);
    const after = new OfflineCache({ dir });
    expect(await after.get('incidents', 'snow')).toEqual({ data: { rows: ['old'] }, syncedAt: '2026-01-01T10:00:00.000Z' });
    expect(files('incidents').some((f) => f.endsWith('.tmp'))).toBe(false);
  }, 30_000);

  it('ignores what a crash left (temporary files, truncated JSON) and clears the temporary files', async () => {
    const c = new OfflineCache({ dir });
    await c.put('jobs', 'awx', { jobs: [] }, { syncedAt: '2026-01-01T10:00:00.000Z' });
    const [name] = files('jobs');
    writeFileSync(path.join(dir, 'jobs', `${name}.123.abcd.tmp`), '{"v":1,"kind":"jobs","key":"awx","syncedAt":"2026-02');
    mkdirSync(path.join(dir, 'changes'), { recursive: true });
    writeFileSync(path.join(dir, 'changes', '736e6f77.json'), '{"v":1,"kind":"changes","ke');
    const d = new OfflineCache({ dir });
    expect(await d.entries()).toEqual([expect.objectContaining({ kind: 'jobs', key: 'awx', syncedAt: '2026-01-01T10:00:00.000Z' })]);
    expect(files('jobs').some((f) => f.endsWith('.tmp'))).toBe(false);
    expect(await d.get('changes', 'snow')).toBeNull();
  });

  it('serialises concurrent writes of one entry: the last put wins, every file stays whole JSON', async () => {
    const c = new OfflineCache({ dir });
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.put('templates', 'awx', { n: i, pad: 'x'.repeat(10_000) })));
    expect((await c.get<{ n: number }>('templates', 'awx'))?.data.n).toBe(19);
    for (const f of files('templates'))
      expect(() => JSON.parse(readFileSync(path.join(dir, 'templates', f), 'utf8')) as unknown).not.toThrow();
  });

  it('never writes a secret: the text passes the core scrubber first', async () => {
    const c = new OfflineCache({ dir, redact: (t) => t.split('hunter2-token').join('[redacted]') });
    await c.put('launchForm', 'k', { defaults: { extraVars: 'token: hunter2-token' } });
    const text = readFileSync(path.join(dir, 'launchForm', files('launchForm')[0] ?? ''), 'utf8');
    expect(text).not.toContain('hunter2-token');
    expect(text).toContain('[redacted]');
  });

  it('throttles data that changes on every refresh, writing the newest when the interval is over', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const c = new OfflineCache({ dir, minWriteIntervalMs: 30_000 });
    await c.put('sloFleet', '', { n: 1 }, { throttle: true });
    await c.put('sloFleet', '', { n: 2 }, { throttle: true });
    await c.put('sloFleet', '', { n: 3 }, { throttle: true });
    vi.useRealTimers();
    expect((await c.get<{ n: number }>('sloFleet', ''))?.data.n).toBe(1);
    await c.flush();
    expect((await c.get<{ n: number }>('sloFleet', ''))?.data.n).toBe(3);
  });

  it('takes any key (long ones hashed into the file name), and prunes what keep() rejects', async () => {
    const c = new OfflineCache({ dir });
    const long = `req:${'x'.repeat(400)}`;
    await c.put('launchForm', long, { a: 1 });
    await c.put('runbook', '../../etc/passwd', { a: 2 });
    await c.put('runbook', 'keep-me', { a: 3 });
    expect((await c.get<{ a: number }>('launchForm', long))?.data.a).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['launchForm', 'runbook']);
    expect(await c.prune('runbook', (k) => k === 'keep-me')).toBe(1);
    expect((await new OfflineCache({ dir }).keys('runbook')).sort()).toEqual(['keep-me']);
  });
});
