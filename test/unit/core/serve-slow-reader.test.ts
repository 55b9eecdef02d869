import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { MAX_BUFFERED_BYTES_PER_SOCKET } from '@shared/kernel/bridge';
import type { Dispatcher } from '../../../electron/core/kernel/dispatch/dispatcher';
import { startServe } from '../../../electron/core/kernel/serve/serve';
import type { ServeHandle } from '../../../electron/core/kernel/serve/serve';

// A page that subscribes and then stops reading (a frozen tab, a hostile client) must not make `toc serve`
// buffer without end: past a limit its socket is dropped and its subscriptions stopped.

const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-serve-slow-'));
let srv: ServeHandle;
let stopped = 0;
let pushedBytes = 0;

const chunk = 'x'.repeat(256 * 1024);
const dispatcher = {
  call: async () => ({ ok: true, data: { pong: true } }),
  subscribe: (_topic: string, _args: unknown, sink: (p: unknown) => void) => {
    const timer = setInterval(() => {
      for (let i = 0; i < 8; i++) sink(chunk);
      pushedBytes += 8 * chunk.length;
    }, 5);
    return {
      ok: true,
      data: {
        stop: () => {
          clearInterval(timer);
          stopped++;
        },
      },
    };
  },
} as unknown as Dispatcher;

beforeAll(async () => {
  mkdirSync(path.join(tmp, 'renderer'));
  writeFileSync(path.join(tmp, 'renderer', 'index.html'), '<!doctype html>');
  srv = await startServe({
    dispatcher,
    rendererDir: path.join(tmp, 'renderer'),
    token: 'T0KEN-slow-reader-xxxxxxxxxxxx',
    batchIntervalMs: 5,
  });
});
afterAll(async () => {
  await srv.close();
  rmSync(tmp, { recursive: true, force: true });
});

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/bridge?token=${srv.token}`, {
      headers: { Origin: `http://127.0.0.1:${srv.port}` },
      maxPayload: 1024 * 1024 * 1024,
    });
    ws.on('error', () => undefined);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', () => reject(new Error('refused')));
  });
}

describe('toc serve and a client that stops reading', () => {
  it('drops the socket once more than the limit is waiting for it, and stops its subscriptions', async () => {
    const slow = await connect();
    slow.send(JSON.stringify({ t: 'sub', id: 1, topic: 'anything', args: {} }));
    (slow as unknown as { _socket: Socket })._socket.pause();
    await expect.poll(() => stopped, { timeout: 20_000, interval: 50 }).toBe(1);
    // It was dropped for its backlog, not before: more than the limit had been produced for it.
    expect(pushedBytes).toBeGreaterThan(MAX_BUFFERED_BYTES_PER_SOCKET);
    const other = await connect();
    const answer = new Promise<unknown>((r) => other.once('message', (d) => r(JSON.parse(String(d)))));
    other.send(JSON.stringify({ t: 'call', id: 7, method: 'app.info', args: {} }));
    expect(await answer).toEqual({ t: 'result', id: 7, result: { ok: true, data: { pong: true } } });
    other.close();
    slow.terminate();
  }, 30_000);
});
