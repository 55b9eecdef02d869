import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowSim } from './server';
import type { SnowSim } from './sim-types';
import { call, list, parse, simAuth } from './test-helpers';

async function admin(sim: SnowSim, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

const incidents = (sim: SnowSim) =>
  call(sim, 'GET', '/api/now/table/incident', { params: { sysparm_limit: '3', sysparm_fields: 'number', sysparm_query: 'ORDERBYnumber' } });

describe('fault injection', () => {
  let sim: SnowSim;
  beforeAll(async () => {
    sim = await startServiceNowSim({ incidents: 30, seed: 4 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('reports health on /__sim/health without auth', async () => {
    const h = await admin(sim, 'GET', '/__sim/health');
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'ok', url: sim.url, fault: { mode: 'none' } });
    expect((h.body as { tables: Record<string, number> }).tables.incident).toBe(sim.table('incident').size);
  });

  it('answers 429 with Retry-After, rate-limit headers and the documented body, for `count` requests', async () => {
    expect((await admin(sim, 'POST', '/__sim/fault', { mode: '429', count: 2, retryAfterSeconds: 7 })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const r = await incidents(sim);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('7');
      expect(r.headers.get('x-ratelimit-limit')).toBe('100');
      expect(Number(r.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      expect(r.headers.get('x-ratelimit-rule')).toMatch(/^[0-9a-f]{32}$/);
      expect(parse(r)).toEqual({
        error: { message: 'Rate limit exceeded', detail: 'Rate limit of 100 requests per hour for Table API exceeded' },
        status: 'failure',
      });
    }
    expect((await incidents(sim)).status).toBe(200);
    expect(sim.currentFault().mode).toBe('none');
  });

  it('answers a semaphore 429 without rate-limit headers, and 202 with an empty body', async () => {
    sim.setFault({ mode: '429-semaphore', count: 1 });
    const r = await incidents(sim);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBeNull();
    expect(r.headers.get('x-ratelimit-limit')).toBeNull();
    sim.setFault({ mode: '202', count: 1 });
    const accepted = await incidents(sim);
    expect(accepted.status).toBe(202);
    expect(accepted.text).toBe('');
  });

  it('answers 500 and 503 with the failure envelope and 502 with a gateway page', async () => {
    sim.setFault({ mode: '500', count: 1 });
    const e500 = await incidents(sim);
    expect(e500.status).toBe(500);
    expect(parse(e500)).toMatchObject({ error: { message: 'Transaction cancelled: maximum execution time exceeded' }, status: 'failure' });
    sim.setFault({ mode: '503', count: 1 });
    const e503 = await incidents(sim);
    expect(e503.status).toBe(503);
    expect(parse(e503)).toMatchObject({ error: { message: 'Service Unavailable' }, status: 'failure' });
    sim.setFault({ mode: '502', count: 1 });
    const e502 = await incidents(sim);
    expect(e502.status).toBe(502);
    expect(e502.headers.get('content-type')).toBe('text/html');
    expect(e502.text).toContain('502 Bad Gateway');
  });

  it('delays responses in slow mode', async () => {
    sim.setFault({ mode: 'slow', delayMs: 300, count: 1 });
    const started = performance.now();
    const r = await incidents(sim);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(r.status).toBe(200);
  });

  it('serves an SSO login page as 200 text/html instead of JSON', async () => {
    sim.setFault({ mode: 'html-login', count: 1 });
    const r = await incidents(sim);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toContain('<form');
    expect(() => JSON.parse(r.text) as unknown).toThrow();
  });

  it('redirects to the login page with 302', async () => {
    sim.setFault({ mode: 'redirect-login', count: 2 });
    const manual = await fetch(`${sim.url}/api/now/table/incident?sysparm_limit=1`, {
      headers: { Authorization: simAuth(sim) },
      redirect: 'manual',
    });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe(`${sim.url}/login.do`);
    const followed = await fetch(`${sim.url}/api/now/table/incident?sysparm_limit=1`, { headers: { Authorization: simAuth(sim) } });
    expect(followed.status).toBe(200);
    expect(followed.url).toBe(`${sim.url}/login.do`);
    expect(followed.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('cuts the JSON body in half in truncated mode', async () => {
    const whole = await incidents(sim);
    sim.setFault({ mode: 'truncated', count: 1 });
    const cut = await incidents(sim);
    expect(cut.status).toBe(200);
    expect(cut.text).toBe(whole.text.slice(0, Math.floor(Buffer.byteLength(whole.text) / 2)));
    expect(() => JSON.parse(cut.text) as unknown).toThrow();
  });

  it('drops the connection in reset mode', async () => {
    sim.setFault({ mode: 'reset', count: 1 });
    await expect(incidents(sim)).rejects.toThrow();
    expect((await incidents(sim)).status).toBe(200);
  });

  it('limits a fault to matching paths and rejects bad admin requests', async () => {
    sim.setFault({ mode: '503', match: '/table/incident' });
    expect((await incidents(sim)).status).toBe(503);
    expect((await call(sim, 'GET', '/api/now/table/sys_user', { params: { sysparm_limit: '1' } })).status).toBe(200);
    expect((await admin(sim, 'POST', '/__sim/fault', { mode: 'none' })).status).toBe(200);
    expect((await incidents(sim)).status).toBe(200);
    expect((await admin(sim, 'POST', '/__sim/fault', { mode: 'explode' })).status).toBe(400);
    expect(sim.currentFault().mode).toBe('none');
  });
});

describe('request log, rate limit rules and ACLs', () => {
  let sim: SnowSim;
  beforeAll(async () => {
    sim = await startServiceNowSim({ incidents: 50, seed: 8 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('logs method, path, query, status and bytes of API requests', async () => {
    sim.clearRequests();
    const r = await call(sim, 'GET', '/api/now/table/incident', { params: { sysparm_limit: '2', sysparm_query: 'active=true' } });
    await call(sim, 'GET', '/api/now/table/nope');
    await admin(sim, 'GET', '/__sim/health');
    expect(sim.requests).toHaveLength(2);
    expect(sim.requests[0]).toMatchObject({
      method: 'GET',
      path: '/api/now/table/incident',
      query: { sysparm_limit: '2', sysparm_query: 'active=true' },
      status: 200,
      bytes: Buffer.byteLength(r.text),
      user: 'admin',
    });
    expect(sim.requests[1]).toMatchObject({ path: '/api/now/table/nope', status: 400 });
    const viaHttp = await admin(sim, 'GET', '/__sim/requests');
    expect((viaHttp.body as { requests: unknown[] }).requests).toHaveLength(2);
  });

  it('applies a rate-limit rule with headers on success and 429 + Retry-After after the limit', async () => {
    sim.setRateLimit({ limit: 3, windowSeconds: 3600 });
    for (let i = 0; i < 3; i++) {
      const r = await incidents(sim);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-ratelimit-limit')).toBe('3');
    }
    const limited = await incidents(sim);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect(parse(limited)).toEqual({
      error: { message: 'Rate limit exceeded', detail: 'Rate limit of 3 requests per hour for Table API exceeded' },
      status: 'failure',
    });
    sim.advanceTime(3_600_000);
    expect((await incidents(sim)).status).toBe(200);
    sim.setRateLimit(undefined);
  });

  it('hides fields, drops rows after the limit, 404s hidden records and refuses denied writes', async () => {
    const rows = sim.table('incident').all();
    const p1 = rows.filter((r) => r.priority === '1' || r.priority === '2');
    expect(p1.length).toBeGreaterThan(0);
    sim.setAcl({
      hiddenFields: { incident: ['description'] },
      hiddenRows: { incident: 'priorityIN1,2' },
      readOnlyTables: ['sys_user'],
      deniedTables: ['cmdb_ci'],
    });
    try {
      const page = await list(sim, 'incident', { sysparm_limit: String(rows.length) });
      expect(page.total).toBe(rows.length);
      expect(page.records).toHaveLength(rows.length - p1.length);
      expect(page.records.every((r) => !('description' in r))).toBe(true);
      expect(page.records[0]).toHaveProperty('short_description');

      const hidden = await call(sim, 'GET', `/api/now/table/incident/${p1[0]?.sys_id ?? ''}`);
      expect(hidden.status).toBe(404);

      const user = sim.table('sys_user').all()[0]?.sys_id ?? '';
      const denied = await call(sim, 'PATCH', `/api/now/table/sys_user/${user}`, { body: { title: 'x' } });
      expect(denied.status).toBe(403);
      expect(parse(denied)).toEqual({
        error: { message: 'Operation Failed', detail: 'ACL Exception Update Failed due to security constraints' },
        status: 'failure',
      });
      const api = await call(sim, 'GET', '/api/now/table/cmdb_ci');
      expect(api.status).toBe(403);
      expect(parse(api)).toEqual({
        error: { message: 'User Not Authorized', detail: 'Failed API level ACL Validation' },
        status: 'failure',
      });
    } finally {
      sim.setAcl(undefined);
    }
    expect((await call(sim, 'GET', '/api/now/table/cmdb_ci', { params: { sysparm_limit: '1' } })).status).toBe(200);
  });
});
