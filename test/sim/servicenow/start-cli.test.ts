import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { basicHeader } from './test-helpers';

const script = fileURLToPath(new URL('./start.ts', import.meta.url));
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  info: Record<string, string>;
}

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (chunk: Buffer | string): void => {
      buf += chunk.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        stream.off('data', onData);
        resolve(buf.slice(0, nl));
      }
    };
    stream.on('data', onData);
    stream.once('end', () => reject(new Error(`stream ended before a line: ${buf}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function start(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  if (!child.stdout) throw new Error('no stdout');
  const line = await firstLine(child.stdout);
  return { child, info: JSON.parse(line) as Record<string, string> };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null && c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
});

describe('start.ts', () => {
  it('prints one JSON line with url and credentials, serves, and stops when stdin closes', async () => {
    const { child, info } = await start(['--incidents', '30', '--seed', '2']);
    expect(Object.keys(info)).toEqual(['url', 'username', 'password', 'clientId', 'clientSecret']);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${info.url}/api/now/table/incident?sysparm_limit=1&sysparm_query=active=true`, {
      headers: { Authorization: basicHeader(info.username ?? '', info.password ?? '') },
    });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('x-total-count'))).toBeGreaterThanOrEqual(30);
    child.stdin?.end();
    expect(await exited(child)).toBe(0);
    await expect(fetch(`${info.url}/__sim/health`)).rejects.toThrow();
  });

  it('takes credentials from the environment and stops on SIGTERM', async () => {
    const { child, info } = await start(['--incidents', '10'], {
      SNOW_SIM_USER: 'svc.toc',
      SNOW_SIM_PASSWORD: 'pw-from-env',
      SNOW_SIM_CLIENT_ID: 'cid-env',
      SNOW_SIM_CLIENT_SECRET: 'csec-env',
    });
    expect(info).toMatchObject({ username: 'svc.toc', password: 'pw-from-env', clientId: 'cid-env', clientSecret: 'csec-env' });
    const token = await fetch(`${info.url}/oauth_token.do`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'cid-env',
        client_secret: 'csec-env',
        username: 'svc.toc',
        password: 'pw-from-env',
      }).toString(),
    });
    expect(token.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('stops when its parent process dies', async () => {
    // A shell starts the sim in the background (stdin from /dev/null, so only the parent watch can stop
    // it), reports its pid, and exits once we close the shell's own stdin.
    const shell = spawn('sh', ['-c', `"${process.execPath}" --import tsx "${script}" --incidents 5 </dev/null & echo "pid $!"; read _`], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(shell);
    if (!shell.stdout || !shell.stdin) throw new Error('no pipes');
    const lines: string[] = [];
    let buf = '';
    const gotJson = new Promise<void>((resolve) => {
      shell.stdout?.on('data', (c: Buffer) => {
        buf += c.toString();
        const parts = buf.split('\n');
        buf = parts.pop() ?? '';
        lines.push(...parts);
        if (lines.some((l) => l.startsWith('{'))) resolve();
      });
    });
    await gotJson;
    const pid = Number(lines.find((l) => l.startsWith('pid '))?.slice(4));
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(true);
    shell.stdin.end();
    await exited(shell);
    const deadline = Date.now() + 8000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const alive = isAlive(pid);
    if (alive) process.kill(pid, 'SIGKILL');
    expect(alive).toBe(false);
  });
});
