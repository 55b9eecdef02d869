import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

// What every real server a test starts (Prometheus, Alertmanager, `toc serve`) needs: a readiness wait that notices an early
// exit, and a watchdog that kills the server and removes its folder when the test process dies outright.

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Kills `pid` and removes `dir` (none when '') once this process is gone, even after SIGKILL (when no 'exit'
 * hook runs). Only kills when the process name still starts with one of `names`, so a reused pid is spared.
 */
export function startWatchdog(pid: number, dir: string, names: string[], tag: string): ChildProcess {
  const patterns = names.map((n) => `${n}*`).join('|');
  const script =
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done; ' +
    `case "$(cat /proc/$2/comm 2>/dev/null)" in ${patterns}) kill -9 "$2" 2>/dev/null;; esac; ` +
    'sleep 1; [ -n "$3" ] && rm -rf "$3"; exit 0';
  const dog = spawn('sh', ['-c', script, tag, String(process.pid), String(pid), dir], { detached: true, stdio: 'ignore' });
  dog.unref();
  return dog;
}

/** Polls `${url}/-/ready` until it answers 200; fails early, with the server's output, if it exits first. */
export async function waitReady(name: string, url: string, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before ready:\n${log()}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) });
      await res.text();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms:\n${log()}`);
}
