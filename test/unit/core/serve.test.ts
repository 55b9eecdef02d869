import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createCore } from '../../../electron/core/core';
import type { Core } from '../../../electron/core/core';
import { startServe } from '../../../electron/core/kernel/serve/serve';
import type { ServeHandle } from '../../../electron/core/kernel/serve/serve';
import { resolveStaticPath } from '../../../electron/core/kernel/serve/static-files';
import { CONTENT_SECURITY_POLICY } from '@shared/kernel/csp';
import { fakeSecrets } from '../../helpers/fake-secrets';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-serve-'));
const rendererDir = path.join(tmp, 'renderer');
let core: Core;
let srv: ServeHandle;

beforeAll(async () => {
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>TOC</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(tmp, 'secret.txt'), 'do not serve');
  core = await createCore({
    version: '0.0.0-test',
    transport: 'ws',
    workspaceFile: null,
    dataDir: path.join(tmp, 'data'),
    secrets: fakeSecrets(),
  });
  srv = await startServe({ dispatcher: core.dispatcher, rendererDir, token: 'T0KEN-for-tests-only-xxxxxxxx', batchIntervalMs: 5 });
});
afterAll(async () => {
  await srv.close();
  rmSync(tmp, { recursive: true, force: true });
});

function get(
  p: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: srv.port, path: p, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openWs(opts: { token?: string; origin?: string; host?: string }): Promise<{ ws: WebSocket } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/bridge?token=${encodeURIComponent(opts.token ?? srv.token)}`, {
      headers: { ...(opts.origin !== undefined ? { Origin: opts.origin } : {}), ...(opts.host ? { Host: opts.host } : {}) },
    });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.on('error', () => undefined);
  });
}

const sameOrigin = (): string => `http://127.0.0.1:${srv.port}`;

describe('toc serve', () => {
  it('listens on 127.0.0.1 only and prints a URL with the token', () => {
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/`);
    expect(srv.openUrl).toBe(`http://127.0.0.1:${srv.port}/?token=T0KEN-for-tests-only-xxxxxxxx`);
  });

  it('serves the renderer with the strict CSP', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await get('/', { Host: 'attacker.example:80' });
    expect(r.status).toBe(421);
    expect(r.body).toContain('only to 127.0.0.1 and localhost');
  });

  it('never serves a file outside the renderer folder', async () => {
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/assets%2f..%2f..%2fsecret.txt')).status).toBe(404);
    expect(resolveStaticPath(rendererDir, '/assets/../../secret.txt')).toBeNull();
    expect(resolveStaticPath(rendererDir, '/assets/app.js')).toBe(path.join(rendererDir, 'assets', 'app.js'));
  });

  it('refuses a WebSocket without the token, with a wrong token, cross-origin, or with a foreign Host', async () => {
    expect(await openWs({ origin: sameOrigin(), token: 'wrong' })).toEqual({ refused: 403 });
    expect(await openWs({ origin: sameOrigin(), token: '' })).toEqual({ refused: 403 });
    expect(await openWs({ origin: 'http://evil.example' })).toEqual({ refused: 403 });
    expect(await openWs({})).toEqual({ refused: 403 });
    expect(await openWs({ origin: 'http://attacker.example', host: 'attacker.example' })).toEqual({ refused: 403 });
  });

  it('answers calls over an accepted same-origin WebSocket, and refuses malformed messages', async () => {
    const r = await openWs({ origin: sameOrigin() });
    if (!('ws' in r)) throw new Error(`refused ${r.refused}`);
    const ws = r.ws;
    const messages: unknown[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'settings.get', args: {} }));
    ws.send(JSON.stringify({ t: 'call', id: 2, method: 'process.exit', args: {} }));
    ws.send('not json');
    ws.send(JSON.stringify({ t: 'eval', code: '1' }));
    await new Promise((res) => setTimeout(res, 150));
    expect(messages).toContainEqual({ t: 'result', id: 1, result: { ok: true, data: expect.objectContaining({ theme: 'dark' }) } });
    expect(messages).toContainEqual({
      t: 'result',
      id: 2,
      result: { ok: false, error: { code: 'unknown_method', message: 'There is no call named "process.exit".' } },
    });
    expect(messages.filter((m) => (m as { t: string }).t === 'sub-error')).toHaveLength(2);
    ws.close();
  });

  it('delivers subscription batches and stops them on unsubscribe', async () => {
    const r = await openWs({ origin: sameOrigin() });
    if (!('ws' in r)) throw new Error('refused');
    const events: unknown[][] = [];
    r.ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { t: string; batch?: unknown[] };
      if (m.t === 'events' && m.batch) events.push(m.batch);
    });
    r.ws.send(JSON.stringify({ t: 'sub', id: 7, topic: 'settings.changed', args: {} }));
    // No acknowledgement for a subscription: give the server time to take it (generous for a busy machine).
    await new Promise((res) => setTimeout(res, 250));
    core.services.settings.updateUi({ theme: 'light' });
    await expect.poll(() => events.flat(), { timeout: 5000, interval: 20 }).toEqual([expect.objectContaining({ theme: 'light' })]);
    r.ws.send(JSON.stringify({ t: 'unsub', id: 7 }));
    await new Promise((res) => setTimeout(res, 250));
    core.services.settings.updateUi({ theme: 'dark' });
    // Several batch intervals (30 ms each): a change after the unsubscribe would have arrived by then.
    await new Promise((res) => setTimeout(res, 400));
    expect(events.flat()).toHaveLength(1);
    r.ws.close();
  });
});
