// The hostile upstream misbehaves exactly as it promises: if it quietly behaved, every test built on it would
// pass for the wrong reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { ESCAPES, startHostileServer } from './server';
import type { HostileServer } from './server';

let h: HostileServer;
beforeAll(async () => {
  h = await startHostileServer();
});
afterAll(async () => h.close());

function get(
  path: string,
  init: { headers?: Record<string, string>; body?: string; method?: string } = {},
  timeoutMs = 2000,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; timedOut?: 'headers' | 'body' }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${h.url}${path}`, { method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      const t = setTimeout(() => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), timedOut: 'body' });
      }, timeoutMs);
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(t);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', () => undefined);
    });
    const t = setTimeout(() => {
      req.destroy();
      resolve({ status: 0, headers: {}, body: Buffer.alloc(0), timedOut: 'headers' });
    }, timeoutMs);
    req.on('response', () => clearTimeout(t));
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    req.end(init.body);
  });
}

describe('hostile upstream', () => {
  it('echoes basic, bearer and OAuth form credentials in error bodies and headers, and records them', async () => {
    h.set({ kind: 'echo', status: 401 });
    const basic = `Basic ${Buffer.from('ops:s3cr3t-pass').toString('base64')}`;
    const r1 = await get('/api/v1/query', { headers: { Authorization: basic } });
    expect(r1.status).toBe(401);
    expect(r1.body.toString()).toContain('s3cr3t-pass');
    expect(r1.body.toString()).toContain(basic);
    expect(decodeURIComponent(String(r1.headers['x-echo-authorization']))).toBe(basic);
    const r2 = await get('/api/now/table/incident', { headers: { Authorization: 'Bearer tok-abc-123' } });
    expect(r2.body.toString()).toContain('tok-abc-123');
    h.set({ kind: 'echo', status: 500 });
    const r3 = await get('/oauth_token.do', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&client_secret=cs-999&password=pw-888',
    });
    expect(r3.status).toBe(500);
    expect(r3.body.toString()).toContain('cs-999');
    expect(r3.body.toString()).toContain('pw-888');
    expect(h.credentialsReceived()).toEqual(expect.arrayContaining(['s3cr3t-pass', 'tok-abc-123', 'cs-999', 'pw-888']));
  });

  it('echoes in plausible 200 bodies for each kind', async () => {
    h.set({ kind: 'echo', status: 200 });
    const auth = { Authorization: 'Bearer tok-200' };
    const prom = JSON.parse((await get('/api/v1/query', { headers: auth })).body.toString()) as { data: { result: unknown[] } };
    expect(JSON.stringify(prom.data.result)).toContain('tok-200');
    const am = JSON.parse((await get('/api/v2/alerts', { headers: auth })).body.toString()) as { annotations: unknown }[];
    expect(JSON.stringify(am[0]?.annotations)).toContain('tok-200');
    const snow = JSON.parse((await get('/api/now/table/incident', { headers: auth })).body.toString()) as { result: unknown[] };
    expect(JSON.stringify(snow.result)).toContain('tok-200');
    const awx = JSON.parse((await get('/api/v2/job_templates/', { headers: auth })).body.toString()) as { results: { name: string }[] };
    expect(awx.results[0]?.name).toContain('tok-200');
  });

  it('answers junk that parses and junk that does not', async () => {
    h.set({ kind: 'junk-json' });
    expect(JSON.parse((await get('/api/v1/query')).body.toString())).toEqual({ status: 'UP' });
    h.set({ kind: 'junk-text' });
    const junk = (await get('/api/v1/query')).body.toString();
    expect(() => JSON.parse(junk) as unknown).toThrow();
  });

  it('hangs before headers and mid-body', async () => {
    h.set({ kind: 'hang-headers' });
    expect((await get('/api/v1/query', {}, 300)).timedOut).toBe('headers');
    h.set({ kind: 'hang-body' });
    const r = await get('/api/v1/query', {}, 300);
    expect(r.status).toBe(200);
    expect(r.timedOut).toBe('body');
    expect(r.body.length).toBeGreaterThan(0);
  });

  it('streams a huge body without holding it', async () => {
    h.set({ kind: 'huge', bytes: 8 * 1024 * 1024 + 3 });
    const r = await get('/api/v1/query', {}, 10_000);
    expect(r.body.length).toBe(8 * 1024 * 1024 + 3);
    expect(JSON.parse(r.body.toString())).toMatchObject({ status: 'success' });
  });

  it('sends invalid UTF-8, terminal escapes, cross-origin redirects and a long Retry-After', async () => {
    h.set({ kind: 'invalid-utf8', status: 500 });
    const bad = (await get('/x')).body;
    expect(Buffer.from(bad.toString('utf8'), 'utf8').equals(bad)).toBe(false);
    h.set({ kind: 'escapes', status: 500 });
    expect((await get('/x')).body.toString()).toContain(JSON.stringify(ESCAPES).slice(1, -1));
    h.set({ kind: 'redirect', to: 'http://127.0.0.2:9' });
    const red = await get('/api/v1/query?a=1');
    expect(red.status).toBe(302);
    expect(red.headers.location).toBe('http://127.0.0.2:9/api/v1/query?a=1');
    h.set({ kind: 'retry-after', seconds: 3600 });
    const ra = await get('/x');
    expect([ra.status, ra.headers['retry-after']]).toEqual([429, '3600']);
  });

  it('routes by longest prefix and stops by itself', async () => {
    h.set({ kind: 'ok' });
    h.route('/api/', { kind: 'junk-json' });
    h.route('/api/v2/', { kind: 'retry-after', seconds: 5 });
    expect((await get('/api/v2/x')).status).toBe(429);
    expect(JSON.parse((await get('/api/v1/x')).body.toString())).toEqual({ status: 'UP' });
    h.clearRoutes();
    const short = await startHostileServer({ lifetimeMs: 100 });
    await new Promise((r) => setTimeout(r, 300));
    await expect(fetch(`${short.url}/`)).rejects.toThrow();
  });
});
