import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

// A lock file shared by processes on one machine (`toc serve`, the desktop app and CLI commands all write the same
// audit folder). Created with O_EXCL; it names its holder, so a holder that died (SIGKILL, power loss) is
// recognised and its lock broken instead of blocking every later writer.

export interface FileLockOptions {
  /** How long to keep trying before giving up with an error that names the holder. */
  timeoutMs?: number;
  /** A lock older than this is broken even if its holder looks alive (a hung process, a reused pid). */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  nonce: string;
  at: string;
  /** The holder's process start time (Linux clock ticks since boot): tells a reused pid from the holder. */
  started?: string;
}

export class FileLockTimeout extends Error {}

/** Takes the lock; resolves to the function that releases it. */
export async function acquireFileLock(lockPath: string, opts: FileLockOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const staleMs = opts.staleMs ?? 30_000;
  const started = ownStart();
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    nonce: randomBytes(12).toString('hex'),
    at: new Date().toISOString(),
    ...(started ? { started } : {}),
  };
  const text = JSON.stringify(me);
  const deadline = Date.now() + timeoutMs;
  let wait = 2;
  for (;;) {
    try {
      const fh = await open(lockPath, 'wx', 0o600);
      try {
        await fh.writeFile(text);
      } finally {
        await fh.close();
      }
      return () => release(lockPath, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const seen = await readHolder(lockPath);
    if (seen && (await isStale(lockPath, seen.holder, staleMs))) {
      await breakLock(lockPath, seen.text);
      continue;
    }
    if (Date.now() > deadline) {
      const state = seen?.holder ? processStat(seen.holder.pid)?.state : undefined;
      const who = seen?.holder
        ? `process ${seen.holder.pid} on ${seen.holder.host} since ${seen.holder.at}${state ? ` (process state ${state})` : ''}`
        : 'another process';
      throw new FileLockTimeout(`${lockPath} is held by ${who}; gave up after ${Math.round(timeoutMs / 1000)} s.`);
    }
    await new Promise((r) => setTimeout(r, wait + Math.random() * wait));
    wait = Math.min(wait * 2, 50);
  }
}

async function readHolder(lockPath: string): Promise<{ text: string; holder: Holder | null } | null> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch {
    return null; // released between our attempt and the read: just try again
  }
  try {
    return { text, holder: JSON.parse(text) as Holder };
  } catch {
    // A holder killed between creating the file and writing it leaves it empty; only its age can tell.
    return { text, holder: null };
  }
}

async function isStale(lockPath: string, holder: Holder | null, staleMs: number): Promise<boolean> {
  if (holder && holder.host === hostname() && !holderAlive(holder)) return true;
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs > (holder ? staleMs : Math.min(staleMs, 2000));
  } catch {
    return false;
  }
}

/**
 * Whether the process that took the lock still runs. On Linux /proc tells more than a signal can: a killed
 * process its parent has not reaped yet (a zombie, state Z) still answers kill(pid, 0), and a pid reused by a
 * new process (pid_max is 32,768 on many machines) has another start time.
 */
function holderAlive(holder: Holder): boolean {
  const now = processStat(holder.pid);
  if (now) {
    if (now.state === 'Z' || now.state === 'X') return false;
    if (holder.started && now.started !== holder.started) return false;
    return true;
  }
  return pidAlive(holder.pid);
}

let ownStartTime: string | null | undefined;
/** This process's start time, read once: it never changes, and every audit append takes the lock. */
function ownStart(): string | undefined {
  if (ownStartTime === undefined) ownStartTime = processStat(process.pid)?.started ?? null;
  return ownStartTime ?? undefined;
}

/** State and start time from /proc/<pid>/stat; undefined where there is no /proc or no such process. */
function processStat(pid: number): { state: string; started: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces or parentheses: read after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const started = rest[19]; // field 22 (starttime); rest[0] is field 3
  return state && started ? { state, started } : undefined;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Breaks a stale lock without breaking a live one: two processes may judge the same lock stale at once, and a
 * plain unlink by the slower one would delete the lock the faster one has just taken. So the lock is first moved
 * aside under a unique name and checked: if what was moved is not the stale lock we judged, it goes back.
 */
async function breakLock(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // someone else broke or released it
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== staleText) await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

async function release(lockPath: string, text: string): Promise<void> {
  // Only our own lock: if ours was judged stale and broken (we hung for longer than staleMs), leave the new one.
  const now = await readFile(lockPath, 'utf8').catch(() => null);
  if (now === text) await unlink(lockPath).catch(() => undefined);
}
