import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// `toc serve` and the CLI share one audit folder. Several processes append at once, rotate the file under each
// other, and one is killed with SIGKILL while it writes: every entry that was acknowledged must be in the files
// exactly once, and every line must still be JSON.

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-audit-procs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Writer {
  child: ChildProcess;
  acked: Set<number>;
  done: Promise<number | null>;
  stderr: () => string;
}

function writer(dir: string, name: string, count: number, maxBytes: number): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/audit-writer.ts', dir, name, String(count), String(maxBytes)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acked = new Set<number>();
  let buf = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) if (l.startsWith('acked ')) acked.add(Number(l.slice(6)));
  });
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, acked, done, stderr: () => err };
}

function readAll(dir: string): { lines: string[]; files: string[] } {
  const files = readdirSync(dir).filter((f) => /^audit(\.\d+)?\.jsonl$/.test(f));
  const lines: string[] = [];
  for (const f of files) for (const l of readFileSync(path.join(dir, f), 'utf8').split('\n')) if (l !== '') lines.push(l);
  return { lines, files };
}

describe('audit log with several writer processes', () => {
  it('keeps every acknowledged entry exactly once through rotations and a kill -9 mid-append', async () => {
    const dir = path.join(tmp, 'audit');
    const n = 300;
    const maxBytes = 4096; // ~20 entries a file: dozens of rotations while the writers race
    const a = writer(dir, 'serve', n, maxBytes);
    const b = writer(dir, 'cli', n, maxBytes);
    const victim = writer(dir, 'victim', 100_000, maxBytes);
    // Kill the third writer at a moment it is busy appending: after it has written some entries.
    await expect.poll(() => victim.acked.size, { timeout: 60_000, interval: 5 }).toBeGreaterThan(40);
    victim.child.kill('SIGKILL');
    await victim.done;
    // A writer that dies holding the lock with half a line written: the next append must repair, not glue on.
    const crasher = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/audit-torn-crash.ts', dir], { cwd: root, stdio: 'pipe' });
    let crashOut = '';
    crasher.stderr.on('data', (d: Buffer) => (crashOut += d.toString()));
    const crashed = await new Promise<NodeJS.Signals | null>((r) => crasher.on('exit', (_c, sig) => r(sig)));
    expect(crashed, crashOut).toBe('SIGKILL');
    // The racing writers may all have finished before the crash (they are fast on an idle machine): one more
    // append after it is what must find the torn line and repair it.
    const after = writer(dir, 'after', 5, maxBytes);
    expect([await a.done, await b.done, await after.done], a.stderr() + b.stderr() + after.stderr()).toEqual([0, 0, 0]);

    const { lines, files } = readAll(dir);
    expect(files.length).toBeGreaterThan(10);
    const targets = lines.map((l) => {
      let e: { target: string };
      try {
        e = JSON.parse(l) as { target: string };
      } catch {
        throw new Error(`not JSON: ${l.slice(0, 200)}`);
      }
      return e.target;
    });
    const count = new Map<string, number>();
    for (const t of targets) count.set(t, (count.get(t) ?? 0) + 1);
    const dupes = [...count].filter(([, c]) => c > 1);
    expect(dupes).toEqual([]);
    const missing = (name: string, acked: Iterable<number>): string[] => [...acked].map((i) => `${name}-${i}`).filter((t) => !count.has(t));
    expect(a.acked.size).toBe(n);
    expect(b.acked.size).toBe(n);
    expect(missing('serve', a.acked)).toEqual([]);
    expect(missing('cli', b.acked)).toEqual([]);
    expect(missing('victim', victim.acked)).toEqual([]);
    expect(after.acked.size).toBe(5);
    expect(missing('after', after.acked)).toEqual([]);
    // The victim's entry in flight when it died may or may not have landed; nothing beyond it can have.
    const victimLines = targets.filter((t) => t.startsWith('victim-')).length;
    expect(victimLines - victim.acked.size).toBeLessThanOrEqual(1);
    expect(targets.some((t) => t.startsWith('torn-'))).toBe(false);
    // The fragment is not thrown away: it is kept beside the log for whoever investigates the crash.
    expect(readFileSync(path.join(dir, 'audit.torn'), 'utf8')).toContain('\\"target\\":\\"torn-1\\"');
  });
});
