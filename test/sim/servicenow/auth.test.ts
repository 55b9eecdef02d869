import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowSim } from './server';
import type { SnowSim } from './sim-types';
import { basicHeader, call, parse } from './test-helpers';

const NOT_AUTHENTICATED = {
  error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
  status: 'failure',
};
const TOKEN_DENIED = { error_description: 'access_denied', error: 'server_error' };

async function token(sim: SnowSim, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}/oauth_token.do`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function passwordGrant(sim: SnowSim): Record<string, string> {
  const c = sim.credentials;
  return { grant_type: 'password', client_id: c.clientId, client_secret: c.clientSecret, username: c.username, password: c.password };
}

function bearer(t: unknown): string {
  if (typeof t !== 'string') throw new Error('no token');
  return `Bearer ${t}`;
}

describe('authentication', () => {
  let sim: SnowSim;
  beforeAll(async () => {
    sim = await startServiceNowSim({
      incidents: 20,
      basic: { username: 'toc.integration', password: 's3cret' },
      oauth: { clientId: 'client-a', clientSecret: 'secret-a', tokenTtlSeconds: 60, refreshTokenTtlSeconds: 600 },
      apiKey: 'key-123',
    });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('answers 401 with the platform body and WWW-Authenticate when credentials are missing', async () => {
    const r = await call(sim, 'GET', '/api/now/table/incident', { auth: null, params: { sysparm_limit: '1' } });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('BASIC realm="Service-now"');
    expect(r.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(parse(r)).toEqual(NOT_AUTHENTICATED);
  });

  it('answers the same 401 for a wrong password and an unknown user', async () => {
    for (const auth of [basicHeader('toc.integration', 'wrong'), basicHeader('nobody', 's3cret'), 'Bearer not-a-token']) {
      const r = await call(sim, 'GET', '/api/now/table/incident', { auth, params: { sysparm_limit: '1' } });
      expect(r.status).toBe(401);
      expect(parse(r)).toEqual(NOT_AUTHENTICATED);
    }
  });

  it('accepts Basic auth and attributes writes to the account', async () => {
    const r = await call(sim, 'GET', '/api/now/table/incident', { params: { sysparm_limit: '1' } });
    expect(r.status).toBe(200);
    const created = await call(sim, 'POST', '/api/now/table/incident', { body: { short_description: 'basic auth write' } });
    expect(created.status).toBe(201);
    expect(JSON.parse(created.text).result.sys_created_by).toBe('toc.integration');
  });

  it('accepts the x-sn-apikey header', async () => {
    const r = await call(sim, 'GET', '/api/now/table/sys_user', {
      auth: null,
      headers: { 'x-sn-apikey': 'key-123' },
      params: { sysparm_limit: '1' },
    });
    expect(r.status).toBe(200);
    const bad = await call(sim, 'GET', '/api/now/table/sys_user', {
      auth: null,
      headers: { 'x-sn-apikey': 'key-124' },
      params: { sysparm_limit: '1' },
    });
    expect(bad.status).toBe(401);
  });

  it('issues tokens with the password grant in the documented shape', async () => {
    const t = await token(sim, passwordGrant(sim));
    expect(t.status).toBe(200);
    expect(Object.keys(t.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(t.body).toMatchObject({ scope: 'useraccount', token_type: 'Bearer', expires_in: 59 });
    expect(typeof t.body.access_token).toBe('string');
    expect(String(t.body.access_token).length).toBeGreaterThan(40);
    const r = await call(sim, 'GET', '/api/now/table/incident', { auth: bearer(t.body.access_token), params: { sysparm_limit: '1' } });
    expect(r.status).toBe(200);
  });

  it('refuses bad client or user credentials with 401 access_denied/server_error', async () => {
    const good = passwordGrant(sim);
    for (const form of [
      { ...good, client_secret: 'nope' },
      { ...good, client_id: 'other' },
      { ...good, password: 'nope' },
      { ...good, grant_type: 'authorization_code' },
    ]) {
      const t = await token(sim, form);
      expect(t.status).toBe(401);
      expect(t.body).toEqual(TOKEN_DENIED);
    }
  });

  it('enforces access-token expiry and lets the refresh grant mint a new one', async () => {
    const t = await token(sim, passwordGrant(sim));
    const first = bearer(t.body.access_token);
    sim.advanceTime(61_000);
    const expired = await call(sim, 'GET', '/api/now/table/incident', { auth: first, params: { sysparm_limit: '1' } });
    expect(expired.status).toBe(401);
    expect(parse(expired)).toEqual(NOT_AUTHENTICATED);

    const c = sim.credentials;
    const refreshed = await token(sim, {
      grant_type: 'refresh_token',
      refresh_token: String(t.body.refresh_token),
      client_id: c.clientId,
      client_secret: c.clientSecret,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(t.body.access_token);
    const ok = await call(sim, 'GET', '/api/now/table/incident', {
      auth: bearer(refreshed.body.access_token),
      params: { sysparm_limit: '1' },
    });
    expect(ok.status).toBe(200);

    const wrongClient = await token(sim, {
      grant_type: 'refresh_token',
      refresh_token: String(t.body.refresh_token),
      client_id: c.clientId,
      client_secret: 'x',
    });
    expect(wrongClient.body).toEqual(TOKEN_DENIED);
    sim.advanceTime(601_000);
    const deadRefresh = await token(sim, {
      grant_type: 'refresh_token',
      refresh_token: String(t.body.refresh_token),
      client_id: c.clientId,
      client_secret: c.clientSecret,
    });
    expect(deadRefresh.status).toBe(401);
    expect(deadRefresh.body).toEqual(TOKEN_DENIED);
  });

  it('supports client_credentials, revocation and forced expiry', async () => {
    const c = sim.credentials;
    const t = await token(sim, { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret });
    expect(t.status).toBe(200);
    const auth = bearer(t.body.access_token);
    expect((await call(sim, 'GET', '/api/now/table/incident', { auth, params: { sysparm_limit: '1' } })).status).toBe(200);
    sim.expireTokens();
    expect((await call(sim, 'GET', '/api/now/table/incident', { auth, params: { sysparm_limit: '1' } })).status).toBe(401);
    const again = await token(sim, {
      grant_type: 'refresh_token',
      refresh_token: String(t.body.refresh_token),
      client_id: c.clientId,
      client_secret: c.clientSecret,
    });
    expect(again.status).toBe(200);
    sim.revokeTokens();
    expect(
      (await call(sim, 'GET', '/api/now/table/incident', { auth: bearer(again.body.access_token), params: { sysparm_limit: '1' } })).status,
    ).toBe(401);
  });
});

describe('authentication on a hardened instance with short-lived tokens', () => {
  let sim: SnowSim;
  beforeAll(async () => {
    sim = await startServiceNowSim({ incidents: 5, allowBasic: false, oauth: { clientId: 'c', clientSecret: 's', tokenTtlSeconds: 1 } });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('refuses Basic even with the right password but still grants OAuth tokens', async () => {
    const r = await call(sim, 'GET', '/api/now/table/incident', { params: { sysparm_limit: '1' } });
    expect(r.status).toBe(401);
    const t = await token(sim, passwordGrant(sim));
    expect(t.status).toBe(200);
    expect(t.body.expires_in).toBe(0);
  });

  it('lets tokens expire on the wall clock', async () => {
    const t = await token(sim, passwordGrant(sim));
    const auth = bearer(t.body.access_token);
    expect((await call(sim, 'GET', '/api/now/table/incident', { auth, params: { sysparm_limit: '1' } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call(sim, 'GET', '/api/now/table/incident', { auth, params: { sysparm_limit: '1' } })).status).toBe(401);
  });
});
