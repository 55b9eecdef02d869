import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { startWatchdog } from '../helpers/server-process';

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts the built `toc serve` as a child process and waits for the URL it prints. */
export async function startServeProcess(opts: {
  config: string;
  dataDir: string;
  env?: Record<string, string | undefined>;
  wall?: boolean;
}): Promise<ServeProcess> {
  const root = path.resolve(import.meta.dirname, '../..');
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin/toc.mjs'), 'serve', '--config', opts.config, '--port', '0', ...(opts.wall ? ['--wall'] : [])],
    {
      cwd: root,
      env: withoutUndefined({ ...process.env, TOC_DATA_DIR: opts.dataDir, ...(opts.env ?? {}) }),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  // A test or benchmark killed outright (SIGKILL, a crashed worker) runs no stop(): the watchdog ends the server
  // then, as it does Prometheus'. Its data folder is the caller's to remove.
  const dog = child.pid !== undefined ? startWatchdog(child.pid, '', ['node'], 'toc-serve-watchdog') : null;
  child.once('exit', () => dog?.kill());
  let out = '';
  // The server's own output goes to a log file in its data folder, so leak scans of that folder cover logs.
  const logFile = path.join(opts.dataDir, 'serve.log');
  const take = (d: Buffer): void => {
    out += d.toString();
    appendFileSync(logFile, d);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`toc serve did not start in 30 s:\n${out}`)), 30_000);
    const check = (): void => {
      const m = /serving at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`toc serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          r();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    },
  };
}

/** An env where `undefined` removes a variable (to start serve without a D-Bus session, say). */
function withoutUndefined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
