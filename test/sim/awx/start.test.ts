// The CLI start script: one JSON line on stdout, credentials from the environment, and no server left
// behind when its stdin closes or it gets SIGTERM.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./start.ts', import.meta.url));
const started: ChildProcessWithoutNullStreams[] = [];

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function startCli(
  env: Record<string, string> = {},
): Promise<{ child: ChildProcessWithoutNullStreams; info: Record<string, unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  started.push(child);
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return { child, info: JSON.parse(line) as Record<string, unknown> };
}

async function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('start.ts', () => {
  it('prints one JSON line with credentials from the environment and stops when stdin closes', async () => {
    const { child, info } = await startCli({ AWX_SIM_TOKEN: 'cli-token-123', AWX_SIM_USER: 'operator', AWX_SIM_PASSWORD: 'op-secret' });
    expect(info).toMatchObject({ token: 'cli-token-123', username: 'operator', password: 'op-secret', apiBase: '/api/v2/' });
    expect(String(info.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const byToken = await fetch(`${String(info.url)}/api/v2/me/`, { headers: { Authorization: 'Bearer cli-token-123' } });
    expect(((await byToken.json()) as { results: { username: string }[] }).results[0]?.username).toBe('operator');
    const byPassword = await fetch(`${String(info.url)}/api/v2/me/`, {
      headers: { Authorization: `Basic ${Buffer.from('operator:op-secret').toString('base64')}` },
    });
    expect(byPassword.status).toBe(200);

    child.stdin.end();
    expect(await exited(child)).toBe(0);
    await expect(fetch(`${String(info.url)}/api/v2/ping/`)).rejects.toThrow();
  });

  it('stops on SIGTERM', async () => {
    const { child, info } = await startCli();
    expect(typeof info.token).toBe('string');
    expect(info.username).toBe('admin');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    await expect(fetch(`${String(info.url)}/api/v2/ping/`)).rejects.toThrow();
  });
});
