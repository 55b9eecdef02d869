import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { MAX_BRIDGE_FRAME_BYTES, MAX_SUBSCRIPTIONS_PER_SOCKET } from '@shared/kernel/bridge';

// `toc serve` as a real process, fed by a client that breaks the rules: frames over the limit, invalid UTF-8,
// garbage, a flood of subscriptions, a reset mid-handshake. After each, the process must still be running and a
// second, well-behaved client must still get answers.

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-serve-hostile-'));
let child: ChildProcess;
let output = '';
let base = '';
let token = '';

beforeAll(async () => {
  const rendererDir = path.join(tmp, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>TOC</title>');
  child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/run-toc.ts', 'serve', '--port', '0', '--renderer-dir', rendererDir], {
    cwd: root,
    env: { ...cleanEnv(), TOC_DATA_DIR: path.join(tmp, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`toc serve did not start in 60 s:\n${output}`)), 60_000);
    const check = (): void => {
      const m = /serving at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(new URL(m[1]));
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`toc serve exited with ${code}:\n${output}`)));
  });
  base = `${url.protocol}//${url.host}`;
  token = url.searchParams.get('token') ?? '';
});

afterAll(async () => {
  if (child && child.exitCode === null) {
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
  }
  rmSync(tmp, { recursive: true, force: true });
});

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TOC_')) env[k] = v;
  return env;
}

interface Client {
  ws: WebSocket;
  messages: Array<{ t: string; id: number; result?: { ok: boolean; data?: unknown; error?: { code: string; message: string } } }>;
  closed: Promise<{ code: number; reason: string }>;
}

function connect(): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/bridge?token=${encodeURIComponent(token)}`, {
      headers: { Origin: base },
      maxPayload: 64 * 1024 * 1024,
    });
    const messages: Client['messages'] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Client['messages'][number]));
    let opened = false;
    // After the handshake, the server may cut us off while we are still writing a frame it refused: that is the
    // point. Before it, an error means nothing is listening any more.
    ws.on('error', (e) => {
      if (!opened) reject(new Error(`could not connect to toc serve (${e.message}):\n${output}`));
    });
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.on('close', (code, reason) => r({ code, reason: String(reason) })),
    );
    ws.once('open', () => {
      opened = true;
      resolve({ ws, messages, closed });
    });
    ws.once('unexpected-response', (_q, res) => reject(new Error(`refused ${res.statusCode}`)));
  });
}

let nextId = 1;
async function call(
  c: Client,
  method: string,
  args: unknown,
  timeoutMs = 30_000,
): Promise<NonNullable<Client['messages'][number]['result']>> {
  const id = nextId++;
  c.ws.send(JSON.stringify({ t: 'call', id, method, args }));
  const until = Date.now() + timeoutMs;
  for (;;) {
    const m = c.messages.find((x) => x.t === 'result' && x.id === id);
    if (m?.result) return m.result;
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`toc serve died (${child.exitCode ?? child.signalCode}):\n${output}`);
    if (Date.now() > until) throw new Error(`no answer to ${method} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The server process is alive and a fresh, well-behaved client is served. */
async function stillServing(): Promise<void> {
  expect(child.exitCode, output).toBeNull();
  const other = await connect();
  const r = await call(other, 'settings.get', {});
  expect(r.ok).toBe(true);
  other.ws.close();
}

describe('toc serve under a hostile client', () => {
  it('closes a frame over the limit with 1009 and keeps serving the client next door', async () => {
    const bystander = await connect();
    const bad = await connect();
    bad.ws.send('x'.repeat(MAX_BRIDGE_FRAME_BYTES + 1));
    expect((await bad.closed).code).toBe(1009);
    expect((await call(bystander, 'settings.get', {})).ok).toBe(true);
    bystander.ws.close();
    await stillServing();
  });

  it('answers a 2 MiB frame of garbage with a protocol error, not a crash', async () => {
    const bad = await connect();
    bad.ws.send('{'.repeat(2 * 1024 * 1024));
    await expect.poll(() => bad.messages.find((m) => m.t === 'sub-error' && m.id === -1), { timeout: 20_000 }).toBeTruthy();
    expect(bad.ws.readyState).toBe(WebSocket.OPEN);
    bad.ws.close();
    await stillServing();
  });

  it('closes a text frame that is not UTF-8 with 1007', async () => {
    const bad = await connect();
    bad.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]), { binary: false });
    expect((await bad.closed).code).toBe(1007);
    await stillServing();
  });

  it('accepts the largest legitimate import: 1,000,000 characters of non-ASCII text', async () => {
    const head = readFileSync(path.join(root, 'test/fixtures/slo/login.yaml'), 'utf8').replace(/^#.*\n/, '');
    const filler = `# ${'Überwachung 監視 наблюдение '.repeat(50_000)}`;
    const line = `${filler}\n`;
    let yaml = head;
    while (yaml.length + line.length <= 1_000_000) yaml += line;
    yaml += `#${'界'.repeat(1_000_000 - yaml.length - 1)}`;
    expect(yaml.length).toBe(1_000_000);
    const frame = JSON.stringify({ t: 'call', id: 0, method: 'slo.import', args: { filename: 'big.yaml', yaml } });
    expect(Buffer.byteLength(frame)).toBeGreaterThan(2 * 1024 * 1024);
    const c = await connect();
    const r = await call(c, 'slo.import', { filename: 'big.yaml', yaml }, 60_000);
    expect(r).toMatchObject({ ok: true, data: { slos: ['login'] } });
    c.ws.close();
  });

  it('caps subscriptions per socket: 10,000 subscribe messages get an answer each, and the server keeps serving', async () => {
    const bad = await connect();
    const n = 10_000;
    for (let i = 0; i < n; i++) bad.ws.send(JSON.stringify({ t: 'sub', id: 100_000 + i, topic: 'activity.appended', args: {} }));
    await expect
      .poll(() => bad.messages.filter((m) => m.t === 'sub-error' && m.id >= 100_000).length, { timeout: 30_000 })
      .toBe(n - MAX_SUBSCRIPTIONS_PER_SOCKET);
    const refused = bad.messages.find((m) => m.t === 'sub-error' && m.id === 100_000 + n - 1) as unknown as {
      error: { code: string; message: string };
    };
    expect(refused.error.code).toBe('bad_request');
    expect(refused.error.message).toContain(String(MAX_SUBSCRIPTIONS_PER_SOCKET));
    await stillServing();
    bad.ws.close();
  });

  it('survives a client that resets the connection in the middle of the handshake or of a frame', async () => {
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const s = net.connect(Number(new URL(base).port), '127.0.0.1', () => {
          s.write(`GET /bridge?token=${token} HTTP/1.1\r\nHost: ${new URL(base).host}\r\nOrigin: ${base}\r\nUpgrade: websocket\r\n`);
          s.resetAndDestroy();
          resolve();
        });
        s.on('error', () => resolve());
      });
      await new Promise<void>((resolve) => {
        const s = net.connect(Number(new URL(base).port), '127.0.0.1', () => {
          // A refused upgrade (no token) that the client abandons before the answer is written.
          s.write(
            `GET /bridge HTTP/1.1\r\nHost: ${new URL(base).host}\r\nOrigin: ${base}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
          );
          s.resetAndDestroy();
          resolve();
        });
        s.on('error', () => resolve());
      });
    }
    const half = await connect();
    // Half a frame header announcing 1 KiB, then a reset.
    (half.ws as unknown as { _socket: net.Socket })._socket.write(Buffer.from([0x81, 0xfe, 0x04, 0x00, 1, 2, 3, 4, 0x41]));
    (half.ws as unknown as { _socket: net.Socket })._socket.resetAndDestroy();
    await new Promise((r) => setTimeout(r, 200));
    await stillServing();
  });
});
