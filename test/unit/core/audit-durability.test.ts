import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../../electron/core/kernel/audit/audit-log';
import { acquireFileLock } from '../../../electron/core/kernel/audit/file-lock';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-audit-dur-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const lines = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
/** The pid of a process that has certainly exited. */
const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());

describe('audit log after a crash', () => {
  it('cuts a torn last line off before appending, so the next entry is not glued onto it', async () => {
    const dir = path.join(tmp, 'torn');
    const log = new AuditLog({ dir, who: 'eve' });
    await log.append({ action: 'first', target: 't', outcome: 'ok' });
    appendFileSync(log.path, '{"id":"half","at":"2026-12-06T00:00:00.000Z","who":"eve","act');
    await log.append({ action: 'second', target: 't', outcome: 'ok' });
    const all = lines(log.path);
    expect(all).toHaveLength(2);
    expect(all.map((l) => (JSON.parse(l) as { action: string }).action)).toEqual(['first', 'second']);
    expect((await log.list()).map((e) => e.action)).toEqual(['second', 'first']);
    const torn = JSON.parse(lines(path.join(dir, 'audit.torn'))[0] ?? '') as { fragment: string; offset: number };
    expect(torn.fragment).toBe('{"id":"half","at":"2026-12-06T00:00:00.000Z","who":"eve","act');
    expect(torn.offset).toBe(Buffer.byteLength(all[0] ?? '') + 1);
  });

  it('repairs a file that is nothing but a fragment, and one whose torn line is longer than a read chunk', async () => {
    const dir = path.join(tmp, 'only-torn');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'audit.jsonl'), '{"id":"x');
    const log = new AuditLog({ dir, who: 'eve' });
    await log.append({ action: 'after', target: 't', outcome: 'ok' });
    expect(lines(log.path)).toHaveLength(1);
    appendFileSync(log.path, `{"message":"${'m'.repeat(200_000)}`);
    await log.append({ action: 'after-long', target: 't', outcome: 'ok' });
    expect(lines(log.path).map((l) => (JSON.parse(l) as { action: string }).action)).toEqual(['after', 'after-long']);
  });

  it('makes the directory entry durable when it creates the file and when it rotates', async () => {
    const dir = path.join(tmp, 'fsync');
    const synced: string[] = [];
    const log = new AuditLog({ dir, who: 'eve', maxBytes: 600, syncDir: async (d) => void synced.push(d) });
    await log.append({ action: 'a', target: 'x'.repeat(200), outcome: 'ok' });
    expect(synced).toEqual([tmp, dir]); // the audit folder was created in tmp, then audit.jsonl in it
    synced.length = 0;
    await log.append({ action: 'b', target: 'x', outcome: 'ok' });
    expect(synced).toEqual([]); // a plain append syncs the file, not the folder
    await log.append({ action: 'c', target: 'x'.repeat(200), outcome: 'ok' });
    expect(synced).toEqual([]);
    await log.append({ action: 'd', target: 'x', outcome: 'ok' }); // over 600 bytes: rotates first
    expect(synced).toEqual([dir, dir]); // rotated (renames), then a new audit.jsonl
    expect(existsSync(path.join(dir, 'audit.1.jsonl'))).toBe(true);
  });

  it('the real directory sync works on this platform', async () => {
    const log = new AuditLog({ dir: path.join(tmp, 'real-sync'), who: 'eve' });
    await expect(log.append({ action: 'a', target: 't', outcome: 'ok' })).resolves.toMatchObject({ action: 'a' });
  });
});

describe('audit folder lock', () => {
  it('breaks the lock of a writer that died holding it', async () => {
    const dir = path.join(tmp, 'stale');
    mkdirSync(dir);
    const pid = deadPid();
    writeFileSync(path.join(dir, 'audit.lock'), JSON.stringify({ pid, host: hostname(), nonce: 'dead', at: new Date().toISOString() }));
    const log = new AuditLog({ dir, who: 'eve' });
    const t0 = Date.now();
    await log.append({ action: 'after-crash', target: 't', outcome: 'ok' });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(existsSync(path.join(dir, 'audit.lock'))).toBe(false);
  });

  // Linux only: the checks read /proc, which is what tells these two apart from a live holder.
  it.runIf(existsSync('/proc/self/stat'))(
    'breaks the lock of a holder killed but not yet reaped (a zombie answers kill(pid, 0))',
    async () => {
      const dir = path.join(tmp, 'zombie');
      mkdirSync(dir);
      // A shell that starts a child, kills it and then sleeps without ever waiting for it: the child stays a zombie.
      const parent = spawn('sh', ['-c', 'sleep 30 & echo $!; kill -9 $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
      try {
        const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
        await expect.poll(() => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0], { timeout: 5000 }).toBe('Z');
        writeFileSync(
          path.join(dir, 'audit.lock'),
          JSON.stringify({ pid, host: hostname(), nonce: 'zombie', at: new Date().toISOString() }),
        );
        const t0 = Date.now();
        await new AuditLog({ dir, who: 'eve' }).append({ action: 'after-zombie', target: 't', outcome: 'ok' });
        expect(Date.now() - t0).toBeLessThan(5000);
      } finally {
        parent.kill('SIGKILL');
      }
    },
  );

  it.runIf(existsSync('/proc/self/stat'))('breaks a lock whose pid now belongs to another process (another start time)', async () => {
    const dir = path.join(tmp, 'reused');
    mkdirSync(dir);
    // This very process stands in for the new owner of the pid; the lock names an earlier start time.
    writeFileSync(
      path.join(dir, 'audit.lock'),
      JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'old', at: new Date().toISOString(), started: '1' }),
    );
    const t0 = Date.now();
    await new AuditLog({ dir, who: 'eve' }).append({ action: 'after-reuse', target: 't', outcome: 'ok' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('waits for a live holder, then proceeds once it lets go', async () => {
    const lockPath = path.join(tmp, 'live.lock');
    const release = await acquireFileLock(lockPath);
    let second = false;
    const p = acquireFileLock(lockPath).then((r) => {
      second = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(second).toBe(false);
    await release();
    const release2 = await p;
    expect(second).toBe(true);
    await release2();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('gives up after its timeout naming the holder, and breaks a lock that is older than the stale age', async () => {
    const lockPath = path.join(tmp, 'held.lock');
    const release = await acquireFileLock(lockPath);
    await expect(acquireFileLock(lockPath, { timeoutMs: 200 })).rejects.toThrow(`held by process ${process.pid} on ${hostname()}`);
    // A holder that hangs (alive, never lets go) is overtaken once its lock is older than staleMs.
    await new Promise((r) => setTimeout(r, 120));
    const release2 = await acquireFileLock(lockPath, { staleMs: 100 });
    await release(); // the hung holder waking up must not delete the new holder's lock
    expect(existsSync(lockPath)).toBe(true);
    await release2();
    expect(existsSync(lockPath)).toBe(false);
  });
});
