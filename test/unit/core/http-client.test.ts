import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, buildUrl } from '../../../electron/core/kernel/http/http-client';
import { networkFailure } from '../../../electron/core/kernel/http/network-errors';
import { watchRefusals } from '../../../electron/core/kernel/http/refusal-watch';
import { ContractFailure } from '@shared/kernel/result';
import { json, startFixture } from '../../helpers/http-fixture';
import type { Fixture } from '../../helpers/http-fixture';
import { selfSignedCert } from '../../helpers/self-signed';
import { freePort } from '../../helpers/free-port';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(() => fx.close());
afterEach(() => {
  fx.hits.length = 0;
});

const noSleep = async (): Promise<void> => undefined;
const client = (extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
  createHttpClient({ name: 'Test system', connectionId: 'sys', baseUrl: fx.url, sleep: noSleep, timeoutMs: 2000, ...extra });

async function failure(p: Promise<unknown>): Promise<ContractFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ContractFailure) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('http client', () => {
  it('quotes a ServiceNow 401 body', async () => {
    fx.route('/api/now/table/incident', (_q, res) =>
      json(res, 401, { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' }),
    );
    const e = await failure((await client()).request({ path: '/api/now/table/incident', idempotent: true }));
    expect(e.code).toBe('unauthorized');
    expect(e.message).toBe('Test system answered 401 (not authenticated): User Not Authenticated: Required to provide Auth information');
    expect(e.detail?.retryable).toBe(false);
  });

  it('quotes AWX field errors', async () => {
    fx.route('/api/v2/job_templates/7/launch/', (_q, res) => json(res, 400, { variables_needed_to_start: ["'target' value missing"] }));
    const e = await failure((await client()).request({ method: 'POST', path: '/api/v2/job_templates/7/launch/', json: {} }));
    expect(e.code).toBe('validation');
    expect(e.detail?.fields).toEqual([{ path: 'variables_needed_to_start', message: "'target' value missing" }]);
  });

  it('reports an HTML login page as a login problem, not a JSON parse error', async () => {
    fx.route('/api/v1/query', (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(
        '<!doctype html><html><head><title>Sign in - Corp SSO</title></head><body><form><input type="password"></form></body></html>',
      );
    });
    const e = await failure((await client()).request({ path: '/api/v1/query', idempotent: true }));
    expect(e.code).toBe('login_required');
    expect(e.message).toContain('"Sign in - Corp SSO"');
  });

  it("quotes a proxy's HTML error page by its text, never its markup", async () => {
    // nginx and corporate proxies answer 403/502 with a bare page: no <title>, the words in the body.
    fx.route('/api/v2/jobs/', (_q, res) => {
      res.writeHead(403, { 'Content-Type': 'text/html' });
      res.end('<html>\r\n<head></head><body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body></html>');
    });
    const e = await failure((await client()).request({ path: '/api/v2/jobs/', idempotent: true }));
    expect(e.code).toBe('forbidden');
    expect(e.message).toContain('403 Forbidden nginx');
    expect(e.message).not.toMatch(/<[a-z/]/i);
    expect(e.detail?.remoteMessage).toBe('403 Forbidden nginx');
  });

  it('follows a redirect to a login page and says so', async () => {
    fx.route('/api/v2/me/', (_q, res) => {
      res.writeHead(302, { Location: '/sso/login?next=/api/v2/me/' });
      res.end();
    });
    fx.route('/sso/login', (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><title>Portal</title></html>');
    });
    const e = await failure((await client()).request({ path: '/api/v2/me/' }));
    expect(e.code).toBe('login_required');
  });

  it('reports a truncated JSON body as a bad response', async () => {
    fx.route('/api/v1/rules', (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"success","data":{"groups":[{"name":"slo"');
    });
    const e = await failure((await client({ maxAttempts: 1 })).request({ path: '/api/v1/rules', idempotent: true }));
    expect(e.code).toBe('bad_response');
    expect(e.message).toMatch(/not valid JSON/);
  });

  it('retries an idempotent read after 429 with Retry-After, and succeeds', async () => {
    let n = 0;
    fx.route('/api/now/table/sys_choice', (_q, res) => {
      n++;
      if (n < 3) json(res, 429, { error: { message: 'Rate limit exceeded' }, status: 'failure' }, { 'Retry-After': '1' });
      else json(res, 200, { result: [] });
    });
    const waits: number[] = [];
    const c = await client({ sleep: async (ms) => void waits.push(ms) });
    const r = await c.request<{ result: unknown[] }>({ path: '/api/now/table/sys_choice', idempotent: true });
    expect(r.body.result).toEqual([]);
    expect(n).toBe(3);
    expect(waits).toEqual([1000, 1000]);
  });

  it('never retries a write by itself', async () => {
    let n = 0;
    fx.route('/api/v2/job_templates/1/launch/', (_q, res) => {
      n++;
      json(res, 503, { detail: 'Service Unavailable' });
    });
    const e = await failure((await client()).request({ method: 'POST', path: '/api/v2/job_templates/1/launch/', json: {} }));
    expect(n).toBe(1);
    expect(e.code).toBe('remote_error');
    expect(e.detail?.retryable).toBe(true);
  });

  it('gives up on a Retry-After longer than it is willing to wait', async () => {
    fx.route('/slow-down', (_q, res) => json(res, 429, { detail: 'Request was throttled.' }, { 'Retry-After': '600' }));
    const e = await failure((await client()).request({ path: '/slow-down', idempotent: true }));
    expect(e.code).toBe('rate_limited');
    expect(e.detail?.retryAfter).toBe(600);
    expect(fx.hits.filter((h) => h.path === '/slow-down')).toHaveLength(1);
  });

  it('times out a server that never answers', async () => {
    fx.route('/hang', () => undefined);
    const e = await failure((await client({ maxAttempts: 1 })).request({ path: '/hang', timeoutMs: 300, idempotent: true }));
    expect(e.code).toBe('timeout');
  });

  it('says nothing is listening when the port is closed', async () => {
    const c = await createHttpClient({ name: 'Gone', baseUrl: `http://127.0.0.1:${await freePort()}`, sleep: noSleep, maxAttempts: 1 });
    const e = await failure(c.request({ path: '/api/v1/query' }));
    expect(e.code).toBe('unreachable');
    expect(e.message).toContain('connection refused');
  });

  it('tells a read watching for refusals of the first one at once, and still tries the read again behind it', async () => {
    const slept: number[] = [];
    const c = await createHttpClient({
      name: 'Gone',
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    const heard: { message: string; at: number }[] = [];
    const e = await failure(
      watchRefusals(
        (err) => heard.push({ message: err.message, at: slept.length }),
        () => c.request({ path: '/api/v1/query', idempotent: true }),
      ),
    );
    // Heard once, before the first back-off; the client still made its three tries.
    expect(heard).toEqual([{ message: expect.stringContaining('connection refused') as string, at: 0 }]);
    expect(slept).toHaveLength(2);
    expect(e.code).toBe('unreachable');
  });

  it('never tells of a refused write, nor a caller that does not watch', async () => {
    const c = await createHttpClient({ name: 'Gone', baseUrl: `http://127.0.0.1:${await freePort()}`, sleep: noSleep });
    const heard: string[] = [];
    await failure(
      watchRefusals(
        (err) => heard.push(err.message),
        () => c.request({ method: 'POST', path: '/x', json: {} }),
      ),
    );
    expect(heard).toEqual([]);
    // Outside any watch the read is refused after its retries, as before.
    const e = await failure(c.request({ path: '/api/v1/query', idempotent: true }));
    expect(e.message).toContain('connection refused');
    expect(heard).toEqual([]);
  });

  it('cancels when the caller aborts', async () => {
    fx.route('/hang2', () => undefined);
    const ac = new AbortController();
    const p = (await client()).request({ path: '/hang2', signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect((await failure(p)).code).toBe('cancelled');
  });

  it('sends the authorization and extra headers, and gets a new token once after a 401', async () => {
    let calls = 0;
    fx.route('/api/v2/me/', (req, res) => {
      calls++;
      if (req.headers.authorization === 'Bearer fresh') json(res, 200, { results: [{ username: 'ops' }] });
      else json(res, 401, { detail: 'Authentication credentials were not provided.' });
    });
    const asked: boolean[] = [];
    const c = await client({
      headers: { 'X-Team': 'toc' },
      authorization: async ({ refresh }) => (asked.push(refresh), refresh ? 'Bearer fresh' : 'Bearer old'),
    });
    const r = await c.request<{ results: { username: string }[] }>({ path: '/api/v2/me/' });
    expect(r.body.results[0]?.username).toBe('ops');
    expect(asked).toEqual([false, true]);
    expect(calls).toBe(2);
    expect(fx.hits.at(-1)?.headers['x-team']).toBe('toc');
  });

  it('posts long queries as a form body', async () => {
    fx.route('/api/v1/query', (_q, res, body) => json(res, 200, { status: 'success', data: { echo: body } }));
    const r = await (
      await client()
    ).request<{ data: { echo: string } }>({ method: 'POST', path: '/api/v1/query', form: { query: 'sum(rate(x[5m]))' } });
    expect(new URLSearchParams(r.body.data.echo).get('query')).toBe('sum(rate(x[5m]))');
    expect(fx.hits.at(-1)?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('keeps paths under the base URL', () => {
    expect(buildUrl('https://snow.example/base/', '/api/now/table/incident', { a: 1 }).toString()).toBe(
      'https://snow.example/base/api/now/table/incident?a=1',
    );
    expect(() => buildUrl('https://snow.example/base/', '/../../etc/passwd')).toThrow(/leaves the connection/);
    expect(() => buildUrl('https://snow.example/', 'https://evil.example/x')).toThrow(/relative/);
  });

  it('names DNS and TLS failures in words an engineer acts on', () => {
    const dns = networkFailure(
      { message: 'fetch failed', cause: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND prom.corp' } },
      { name: 'Prom', host: 'prom.corp' },
    );
    expect(dns.code).toBe('dns');
    expect(dns.message).toBe('Prom: the host name prom.corp does not resolve (ENOTFOUND).');
    const tls = networkFailure(
      { cause: { code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' } },
      { name: 'AWX', host: 'awx:443' },
    );
    expect(tls.code).toBe('tls');
    expect(tls.message).toContain('certificate has expired');
  });
});

describe('http client over TLS', () => {
  const cert = selfSignedCert();
  let tlsFx: Fixture;
  beforeAll(async () => {
    tlsFx = await startFixture({ key: cert.key, cert: cert.cert });
    tlsFx.route('/api/v1/status/buildinfo', (_q, res) => json(res, 200, { status: 'success', data: { version: '2.42.0' } }));
  });
  afterAll(async () => {
    await tlsFx.close();
    cert.cleanup();
  });

  it('refuses an unknown self-signed certificate with a TLS error', async () => {
    const c = await createHttpClient({ name: 'Prom', baseUrl: tlsFx.url, maxAttempts: 1 });
    const e = await failure(c.request({ path: '/api/v1/status/buildinfo' }));
    expect(e.code).toBe('tls');
    expect(e.message).toMatch(/self[- ]signed|CA file/i);
  });

  it('trusts it with the connection CA file', async () => {
    const c = await createHttpClient({ name: 'Prom', baseUrl: tlsFx.url, caFile: cert.certFile });
    const r = await c.request<{ data: { version: string } }>({ path: '/api/v1/status/buildinfo' });
    expect(r.body.data.version).toBe('2.42.0');
  });

  it('says when the CA file is missing', async () => {
    const e = await failure(createHttpClient({ name: 'Prom', baseUrl: tlsFx.url, caFile: '/nonexistent/ca.pem' }));
    expect(e.code).toBe('config');
    expect(e.message).toContain('/nonexistent/ca.pem');
  });
});
