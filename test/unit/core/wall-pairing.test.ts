import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createCore } from '../../../electron/core/core';
import type { Core } from '../../../electron/core/core';
import { startServe } from '../../../electron/core/kernel/serve/serve';
import type { ServeHandle } from '../../../electron/core/kernel/serve/serve';
import { cookieValue, openWallPairing, WALL_COOKIE } from '../../../electron/core/kernel/serve/wall-pairing';
import type { WallPairing } from '../../../electron/core/kernel/serve/wall-pairing';
import { fakeSecrets } from '../../helpers/fake-secrets';

// A wall PC paired once stays paired across browser and server restarts, with no token in a bookmark — and
// the pairing is no way around the serve checks: a used or expired link, a forged cookie, another origin or
// another Host header are all refused.

const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-pairing-'));
const rendererDir = path.join(tmp, 'renderer');
const pairingFile = path.join(tmp, 'data', 'wall-pairing.json');
let core: Core;
const servers: ServeHandle[] = [];

beforeAll(async () => {
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>TOC</title>');
  core = await createCore({
    version: '0.0.0-test',
    transport: 'ws',
    workspaceFile: null,
    dataDir: path.join(tmp, 'data'),
    secrets: fakeSecrets(),
  });
});
afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function serve(pairing?: WallPairing): Promise<ServeHandle> {
  const s = await startServe({ dispatcher: core.dispatcher, rendererDir, batchIntervalMs: 5, ...(pairing ? { pairing } : {}) });
  servers.push(s);
  return s;
}

function get(
  srv: ServeHandle,
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

/** A WebSocket as the wall's page opens it: no token, its cookie, its own origin (unless told otherwise). */
function openWs(srv: ServeHandle, opts: { cookie?: string; origin?: string; host?: string; token?: string }): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/bridge${opts.token ? `?token=${opts.token}` : ''}`, {
      headers: {
        Origin: opts.origin ?? `http://127.0.0.1:${srv.port}`,
        ...(opts.cookie ? { Cookie: opts.cookie } : {}),
        ...(opts.host ? { Host: opts.host } : {}),
      },
    });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

async function pair(srv: ServeHandle, pairing: WallPairing): Promise<string> {
  const r = await get(srv, `/pair?code=${pairing.newCode()}`);
  expect(r.status).toBe(303);
  expect(r.headers.location).toBe('/#/wall');
  const set = String(r.headers['set-cookie']?.[0] ?? '');
  expect(set).toMatch(/HttpOnly/);
  expect(set).toMatch(/SameSite=Strict/);
  expect(set).toMatch(/Max-Age=31536000/);
  const key = cookieValue(set.split(';')[0], WALL_COOKIE);
  if (!key) throw new Error('no cookie');
  return `${WALL_COOKIE}=${key}`;
}

describe('pairing a wall with toc serve --wall', () => {
  it('a paired browser opens the bridge without a token, also after both the browser and the server restart', async () => {
    const pairing = await openWallPairing({ file: pairingFile });
    const first = await serve(pairing);
    expect(await openWs(first, {})).toBe(403);
    const cookie = await pair(first, pairing);
    expect(await openWs(first, { cookie })).toBe('open');
    await first.close();
    // A new server process: new port and token, the same pairing file.
    const again = await serve(await openWallPairing({ file: pairingFile }));
    expect(await openWs(again, { cookie: `theme=dark; ${cookie}` })).toBe('open');
  });

  it('a pairing link works once and only for ten minutes; an unknown code pairs nothing', async () => {
    let now = Date.now();
    const pairing = await openWallPairing({ file: path.join(tmp, 'once.json'), now: () => now });
    const srv = await serve(pairing);
    const code = pairing.newCode();
    expect((await get(srv, `/pair?code=${code}`)).status).toBe(303);
    const reused = await get(srv, `/pair?code=${code}`);
    expect(reused.status).toBe(403);
    expect(reused.body).toMatch(/already used or has expired/);
    expect(reused.headers['set-cookie']).toBeUndefined();
    const late = pairing.newCode();
    now += 10 * 60_000 + 1;
    expect((await get(srv, `/pair?code=${late}`)).status).toBe(403);
    expect((await get(srv, '/pair?code=guessed')).status).toBe(403);
    expect((await get(srv, '/pair')).status).toBe(403);
  });

  it('the serve checks still hold for a paired cookie: forged key, other origin, foreign Host', async () => {
    const pairing = await openWallPairing({ file: path.join(tmp, 'checks.json') });
    const srv = await serve(pairing);
    const cookie = await pair(srv, pairing);
    expect(await openWs(srv, { cookie: `${WALL_COOKIE}=forged-key` })).toBe(403);
    expect(await openWs(srv, { cookie: `${WALL_COOKIE}=${'x'.repeat(5000)}` })).toBe(403);
    expect(await openWs(srv, { cookie, origin: 'http://evil.example' })).toBe(403);
    expect(await openWs(srv, { cookie, origin: 'http://attacker.example', host: 'attacker.example' })).toBe(403);
    expect((await get(srv, `/pair?code=${pairing.newCode()}`, { Host: 'attacker.example' })).status).toBe(421);
  });

  it('the pairing file holds hashes only, readable by its owner only; unpairing forgets every wall', async () => {
    const file = path.join(tmp, 'hashes.json');
    const pairing = await openWallPairing({ file });
    const srv = await serve(pairing);
    const cookie = await pair(srv, pairing);
    const key = cookie.split('=')[1] ?? '';
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(key);
    expect(JSON.parse(text)).toMatchObject({ v: 1, devices: [{ hash: expect.stringMatching(/^[0-9a-f]{64}$/) as string }] });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
    await pairing.unpairAll();
    expect(await openWs(srv, { cookie })).toBe(403);
  });

  it('without --wall there is no pairing: /pair is not found and a cookie opens nothing', async () => {
    const srv = await serve();
    expect((await get(srv, '/pair?code=x')).status).toBe(404);
    expect(await openWs(srv, { cookie: `${WALL_COOKIE}=anything` })).toBe(403);
    // The token still works as before.
    expect(await openWs(srv, { token: srv.token })).toBe('open');
  });
});
