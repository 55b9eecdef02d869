import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AclPolicy } from './acl';
import { handleAdmin } from './admin-api';
import { AuthService } from './auth';
import type { SessionUser } from './business-rules';
import { snErrors } from './errors';
import { BAD_GATEWAY_HTML, FaultInjector, loginPageHtml } from './faults';
import type { ActiveFault, FaultConfig, FaultMode } from './faults';
import { emptyResponse, errorResponse, jsonResponse } from './http-response';
import type { SimResponse } from './http-response';
import { addIncident, closeIncident, insertAs, touchIncidents, updateAs } from './mutations';
import type { MutationDeps } from './mutations';
import { Prng } from './prng';
import { RateLimiter } from './rate-limit';
import type { RateLimitRule } from './rate-limit';
import { ADMIN_SYS_ID, seedDatabase } from './seed';
import type { RequestLogEntry, SimCredentials, SnowSim, SnowSimOptions } from './sim-types';
import { handleStats } from './stats-api';
import { handleTable } from './table-api';
import type { ApiContext } from './table-api';
import { ResultCache } from './table-query';
import { Database } from './table-store';
import { isValidTimeZone, UserLocale } from './time-format';

// The HTTP front: routing, authentication, rate limiting, fault injection and the request log around
// the Table and Aggregate API handlers. node:http only; listens on 127.0.0.1.

const MAX_BODY = 10 * 1024 * 1024;
const TABLE_RE = /^\/api\/now\/(?:v[12]\/)?table\/([^/]+)(?:\/([^/]+))?\/?$/;
const STATS_RE = /^\/api\/now\/(?:v[12]\/)?stats\/([^/]+)\/?$/;

function env(name: string): string | undefined {
  const v = process.env[name];
  return v !== undefined && v !== '' ? v : undefined;
}

export function defaultCredentials(): SimCredentials {
  return {
    username: env('SNOW_SIM_USER') ?? 'admin',
    password: env('SNOW_SIM_PASSWORD') ?? 'admin',
    clientId: env('SNOW_SIM_CLIENT_ID') ?? 'toc-console-sim',
    clientSecret: env('SNOW_SIM_CLIENT_SECRET') ?? 'sim-client-secret',
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY) break;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function faultResponse(fault: ActiveFault, baseUrl: string, now: number): SimResponse | undefined {
  switch (fault.mode) {
    case '429':
      return errorResponse(
        snErrors.rateLimited(
          100,
          fault.retryAfterSeconds,
          Math.ceil(now / 1000) + fault.retryAfterSeconds,
          '4f1b2c3d5b2310103a8e1c2f3e4d5a6b',
          true,
        ),
      );
    case '429-semaphore':
      return errorResponse(snErrors.rateLimited(100, fault.retryAfterSeconds, 0, '', false));
    case '202':
      return emptyResponse(202);
    case '500':
      // What a transaction-quota cancellation looks like; the generic envelope with a 500.
      return jsonResponse(500, {
        error: {
          message: 'Transaction cancelled: maximum execution time exceeded',
          detail:
            'Transaction cancelled: maximum execution time exceeded Check logs for error trace or enable glide.rest.debug property to verify REST request processing',
        },
        status: 'failure',
      });
    case '502':
      return { status: 502, headers: { 'Content-Type': 'text/html' }, body: BAD_GATEWAY_HTML };
    case '503':
      return jsonResponse(
        503,
        {
          error: { message: 'Service Unavailable', detail: 'The instance is temporarily unable to service this request' },
          status: 'failure',
        },
        { 'Retry-After': String(fault.retryAfterSeconds) },
      );
    case 'html-login':
      return { status: 200, headers: { 'Content-Type': 'text/html;charset=UTF-8' }, body: loginPageHtml(baseUrl) };
    case 'redirect-login':
      return { status: 302, headers: { Location: `${baseUrl}/login.do`, 'Content-Type': 'text/html;charset=UTF-8' }, body: '' };
    default:
      return undefined;
  }
}

export async function startServiceNowSim(opts: SnowSimOptions = {}): Promise<SnowSim> {
  const defaults = defaultCredentials();
  const account = opts.basic ?? { username: defaults.username, password: defaults.password };
  const oauth =
    opts.oauth === false
      ? undefined
      : {
          clientId: opts.oauth?.clientId ?? defaults.clientId,
          clientSecret: opts.oauth?.clientSecret ?? defaults.clientSecret,
          tokenTtlSeconds: opts.oauth?.tokenTtlSeconds ?? Number(env('SNOW_SIM_TOKEN_TTL') ?? 1800),
          refreshTokenTtlSeconds: opts.oauth?.refreshTokenTtlSeconds ?? 8_640_000,
          allowClientCredentials: opts.oauth?.allowClientCredentials ?? true,
        };
  const timeZone = opts.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw new Error(`unknown time zone ${timeZone}`);

  const baseClock = opts.clock ?? Date.now;
  let clockOffset = 0;
  const now = (): number => baseClock() + clockOffset;
  const seed = opts.seed ?? 1;
  const open = opts.incidents ?? 400;

  const db = new Database();
  seedDatabase(db, new Prng(seed), {
    openIncidents: open,
    historyIncidents: opts.historyIncidents ?? Math.min(2500, Math.round(open / 4)),
    users: opts.users ?? 80,
    changes: opts.changes ?? 14,
    now: now(),
    apiUserName: account.username,
    ...(opts.historyDays !== undefined ? { historyDays: opts.historyDays } : {}),
    ...(opts.historyChanges !== undefined ? { historyChanges: opts.historyChanges } : {}),
  });
  // Runtime ids come from their own stream so seeding more data never shifts them.
  const runtimePrng = new Prng(seed ^ 0x5eed5eed);
  const locale = new UserLocale(timeZone, opts.dateFormat ?? 'yyyy-MM-dd');
  const auth = new AuthService({ account, allowBasic: opts.allowBasic ?? true, oauth, apiKey: opts.apiKey }, now);
  const faults = new FaultInjector();
  const rateLimiter = new RateLimiter(now);
  rateLimiter.set(opts.rateLimit);
  let acl: AclPolicy | undefined = opts.acl;
  const cache = new ResultCache();
  const requests: RequestLogEntry[] = [];
  const logLimit = opts.requestLogLimit ?? 20_000;

  const sessionUser = (userName: string): SessionUser => {
    const row = db.table('sys_user').findBy('user_name', userName);
    return { sysId: row?.sys_id ?? ADMIN_SYS_ID, userName, name: row?.name ?? userName };
  };
  const userGroups = (sysId: string) => (): string[] =>
    (db.table('sys_user_grmember').indexBy('user').get(sysId) ?? []).map((m) => m.group ?? '').filter((g) => g !== '');

  const deps: MutationDeps = { db, prng: runtimePrng, now, user: () => sessionUser(account.username), locale };

  const route = async (
    req: IncomingMessage,
    url: URL,
    method: string,
    baseUrl: string,
    logUser: (u: string) => void,
  ): Promise<SimResponse> => {
    const path = url.pathname;
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY) {
      req.resume();
      return errorResponse(snErrors.payloadTooLarge(declared));
    }
    const raw = await readBody(req);
    if (raw.length > MAX_BODY) return errorResponse(snErrors.payloadTooLarge(raw.length));
    const text = raw.toString('utf8');

    if (path === '/login.do' || path === '/login_with_sso.do' || path === '/navpage.do') {
      return { status: 200, headers: { 'Content-Type': 'text/html;charset=UTF-8' }, body: loginPageHtml(baseUrl) };
    }
    if (path === '/oauth_token.do') {
      if (method !== 'POST') return errorResponse(snErrors.methodNotAllowed());
      const r = auth.token(new URLSearchParams(text));
      return jsonResponse(r.status, r.body);
    }
    const page = recordPage(path, url, db);
    if (page) return page;
    if (!path.startsWith('/api/')) {
      return {
        status: 404,
        headers: { 'Content-Type': 'text/html;charset=UTF-8' },
        body: '<html><body><h1>Page not found</h1></body></html>',
      };
    }

    const userName = auth.authenticate(req.headers);
    if (userName === undefined) return errorResponse(snErrors.notAuthenticated());
    logUser(userName);
    const limited = rateLimiter.check(userName);
    if ('error' in limited) return errorResponse(limited.error);

    let body: unknown;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      try {
        body = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
      } catch {
        return withHeaders(errorResponse(snErrors.badRequestBody('The payload is not valid JSON.')), limited.headers);
      }
    }
    const user = sessionUser(userName);
    const ctx: ApiContext = {
      db,
      locale,
      baseUrl,
      requestUrl: url,
      headers: req.headers,
      user,
      now: now(),
      newSysId: () => runtimePrng.sysId(),
      acl,
      invalidQueryReturnsNoRows: opts.invalidQueryReturnsNoRows ?? false,
      cache,
      userGroups: userGroups(user.sysId),
    };
    const readMethod = method === 'HEAD' ? 'GET' : method;
    const table = TABLE_RE.exec(path);
    if (table)
      return withHeaders(
        handleTable(
          ctx,
          readMethod,
          decodeURIComponent(table[1] ?? ''),
          table[2] !== undefined ? decodeURIComponent(table[2]) : undefined,
          body,
        ),
        limited.headers,
      );
    const stats = STATS_RE.exec(path);
    if (stats && opts.aggregateApi !== false)
      return withHeaders(handleStats(ctx, readMethod, decodeURIComponent(stats[1] ?? '')), limited.headers);
    return withHeaders(errorResponse(snErrors.noResource()), limited.headers);
  };

  const send = (res: ServerResponse, r: SimResponse, head: boolean, truncate: boolean): number => {
    let buf = Buffer.from(r.body ?? '', 'utf8');
    if (truncate && buf.length > 1) buf = buf.subarray(0, Math.floor(buf.length / 2));
    const headers: Record<string, string> = { ...r.headers };
    if (r.status !== 204 && r.status !== 304) headers['Content-Length'] = String(buf.length);
    res.writeHead(r.status, headers);
    res.end(head || r.status === 204 ? undefined : buf);
    return head ? 0 : buf.length;
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const at = new Date().toISOString();
    const host = req.headers.host ?? `127.0.0.1:${port}`;
    const baseUrl = `http://${host}`;
    const url = new URL(req.url ?? '/', baseUrl);
    let method = (req.method ?? 'GET').toUpperCase();
    const override = req.headers['x-http-method-override'];
    if (method === 'POST' && typeof override === 'string' && override !== '') method = override.toUpperCase();

    if (url.pathname.startsWith('/__sim/')) {
      const raw = (await readBody(req)).toString('utf8');
      let body: unknown;
      try {
        body = raw.trim() === '' ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        send(res, jsonResponse(400, { error: 'body is not JSON' }), false, false);
        return;
      }
      send(res, handleAdmin(sim, method, url.pathname, body), false, false);
      return;
    }

    let user: string | undefined;
    const record = (status: number, bytes: number, fault: string | undefined): void => {
      const entry: RequestLogEntry = {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        search: url.search.replace(/^\?/, ''),
        status,
        bytes,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        at,
        ...(user !== undefined ? { user } : {}),
        ...(fault !== undefined ? { fault } : {}),
      };
      requests.push(entry);
      if (requests.length > logLimit) requests.splice(0, requests.length - logLimit);
    };

    const fault = faults.take(url.pathname, method);
    if (fault?.mode === 'reset') {
      record(0, 0, fault.mode);
      req.socket.destroy();
      return;
    }
    if (fault?.mode === 'slow') await sleep(fault.delayMs);
    const injected = fault ? faultResponse(fault, baseUrl, now()) : undefined;
    if (injected) {
      req.resume();
      record(injected.status, send(res, injected, method === 'HEAD', false), fault?.mode);
      return;
    }
    const response = await route(req, url, method, baseUrl, (u) => {
      user = u;
    });
    if (fault?.mode === 'late-answer') await sleep(fault.delayMs);
    if (fault?.mode === 'applied-reset') {
      record(response.status, 0, fault.mode);
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return record(response.status, 0, fault?.mode);
    record(response.status, send(res, response, method === 'HEAD', fault?.mode === 'truncated'), fault?.mode);
  };

  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) {
        send(res, jsonResponse(500, { error: { message: 'Internal Server Error', detail: message }, status: 'failure' }), false, false);
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  let stopped: Promise<void> | undefined;
  const sim: SnowSim = {
    url,
    port,
    credentials: {
      username: account.username,
      password: account.password,
      clientId: oauth?.clientId ?? '',
      clientSecret: oauth?.clientSecret ?? '',
    },
    db,
    get apiUser() {
      return sessionUser(account.username);
    },
    table: (name) => db.table(name),
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    setFault: (f: FaultMode | FaultConfig) => faults.set(f),
    currentFault: () => faults.current(),
    setAcl: (policy) => {
      acl = policy;
    },
    setRateLimit: (rule: RateLimitRule | undefined) => rateLimiter.set(rule),
    now,
    advanceTime: (ms) => {
      clockOffset += ms;
    },
    expireTokens: () => auth.expireAccessTokens(),
    revokeTokens: () => auth.revokeAll(),
    touchIncidents: (n, o) => touchIncidents(deps, n, o),
    closeIncident: (ref, o) => closeIncident(deps, ref, o),
    addIncident: (fields) => addIncident(deps, fields),
    insert: (t, fields) => insertAs(deps, t, fields),
    update: (t, sysId, fields) => updateAs(deps, t, sysId, fields),
    remove: (t, sysId) => db.table(t).delete(sysId),
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
  return sim;
}

function withHeaders(r: SimResponse, extra: Record<string, string>): SimResponse {
  return Object.keys(extra).length === 0 ? r : { ...r, headers: { ...extra, ...r.headers } };
}

const escapeHtml = (t: string): string => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * "Open in ServiceNow": `/nav_to.do?uri=incident.do?sys_id=…` (and `/<table>.do?sys_id=…`) answer a plain page
 * with the record's fields, so a link the console hands out leads somewhere in the demo and the tests.
 */
function recordPage(path: string, url: URL, db: Database): { status: number; headers: Record<string, string>; body: string } | undefined {
  let target: URL | null = null;
  if (path === '/nav_to.do') {
    const uri = url.searchParams.get('uri') ?? '';
    target = new URL(uri.startsWith('/') ? uri : `/${uri}`, url);
  } else if (/^\/[a-z_]+\.do$/.test(path) && url.searchParams.has('sys_id')) target = url;
  if (!target) return undefined;
  const table = target.pathname.replace(/^\//, '').replace(/\.do$/, '');
  const sysId = target.searchParams.get('sys_id') ?? '';
  let row: Record<string, string> | undefined;
  try {
    row = db.table(table).get(sysId);
  } catch {
    row = undefined;
  }
  const html = (status: number, title: string, inner: string) => ({
    status,
    headers: { 'Content-Type': 'text/html;charset=UTF-8' },
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${inner}</body></html>`,
  });
  if (!row) return html(404, 'Record not found', `<p>No ${escapeHtml(table)} record ${escapeHtml(sysId)}.</p>`);
  const rows = Object.keys(row)
    .sort()
    .filter((k) => (row?.[k] ?? '') !== '')
    .map((k) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(row?.[k] ?? '')}</td></tr>`)
    .join('');
  return html(200, `${row.number ?? table} — ServiceNow simulator`, `<table>${rows}</table>`);
}
