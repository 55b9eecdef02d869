// startAwxSim: the HTTP server (node:http), routing, AWX's response headers, the request log and the
// websocket upgrade. Everything listens on 127.0.0.1 only.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticate, checkWriteAllowed, type AuthContext } from './auth';
import { nowMs, sleep } from './clock';
import { ApiError, notAuthenticated, parseJsonObject, readBody, type Reply } from './http-kit';
import { DEFAULT_TIMING, JobService, type JobTiming } from './jobs';
import type { AuthedContext, RequestContext, Route } from './router';
import { coreRoutes } from './routes-core';
import { jobRoutes } from './routes-jobs';
import { AWX_VERSION, DEFAULT_LIMITS, defaultUsers, generateToken, NODE_NAME, SimState, type SimLimits, type SimUserInput } from './state';
import type { ApiBasePath, RequestLogEntry, SimEvent, SimJob, TokenScope, WsMode } from './types';
import { WebsocketHub } from './websocket';

export interface AwxSimOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  apiBasePath?: ApiBasePath;
  /** Replaces the default users (admin/password, viewer/viewer-password); the first one is "the" user. */
  users?: SimUserInput[];
  /** Write-scoped token of the first user; generated when absent. */
  token?: string;
  wsMode?: WsMode;
  /** Seeds the simulator's randomness (flush order, lossy delivery, ids). */
  seed?: number;
  timing?: Partial<JobTiming>;
  /** Callback-receiver workers (AWX JOB_EVENT_WORKERS, default 4); 1 saves events strictly in order. */
  eventWorkers?: number;
  /** In `drop` mode, event messages a connection receives before it is cut. */
  wsDropAfter?: number;
  limits?: Partial<SimLimits>;
}

export interface AwxSim {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly apiBase: ApiBasePath;
  /** `ws://127.0.0.1:PORT/websocket/`. */
  readonly websocketUrl: string;
  readonly token: string;
  readonly username: string;
  readonly password: string;
  readonly wsMode: WsMode;
  readonly state: SimState;
  readonly requests: RequestLogEntry[];
  setWsMode(mode: WsMode): void;
  /** While set, the callback receiver never saves these counters (of any job), yet reports them processed. */
  setLostCounters(counters: number[]): void;
  /** A new token for any user, e.g. a read-scoped one. */
  issueToken(username: string, scope?: TokenScope): string;
  jobs(): SimJob[];
  job(id: number): SimJob | undefined;
  /** Saved events of a job in AWX's default order (start_line). */
  events(jobId: number): SimEvent[];
  waitForJob(id: number, until: (job: SimJob) => boolean, timeoutMs?: number): Promise<SimJob>;
  stop(): Promise<void>;
}

const SAFE_TO_REDIRECT = new Set(['GET', 'HEAD']);
const MAX_LOGGED_REQUESTS = 10_000;

function findRoute(routes: Route[], path: string): { route: Route; params: string[] } | null {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1).filter((p): p is string => p !== undefined) };
  }
  return null;
}

function writeReply(res: ServerResponse, reply: Reply, headers: Record<string, string | string[]>, head: boolean): void {
  const all: Record<string, string | string[]> = { ...headers, ...(reply.headers ?? {}) };
  if (reply.stream) {
    res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'text/plain', ...all });
    if (head) {
      res.end();
      return;
    }
    reply.stream.pipe(res);
    return;
  }
  let body = '';
  let type = reply.contentType;
  if (reply.json !== undefined) {
    body = JSON.stringify(reply.json);
    type = 'application/json';
  } else if (reply.text !== undefined) {
    body = reply.text;
  }
  const payload = Buffer.from(body, 'utf8');
  const out: Record<string, string | string[]> = { ...all, 'Content-Length': String(payload.length) };
  if (body !== '' || reply.status !== 204) out['Content-Type'] = type ?? 'text/plain';
  res.writeHead(reply.status, out);
  res.end(head ? undefined : payload);
}

export async function startAwxSim(options: AwxSimOptions = {}): Promise<AwxSim> {
  const base: ApiBasePath = options.apiBasePath ?? '/api/v2/';
  const users = options.users ?? defaultUsers('password');
  const state = new SimState(base, users, options.seed ?? 1, { ...DEFAULT_LIMITS, ...(options.limits ?? {}) });
  const firstUser = state.users[0];
  if (!firstUser) throw new Error('awx-sim needs at least one user');
  const token = options.token ?? generateToken();
  state.addToken(firstUser.id, token, 'write', 'awx-sim default token');

  const rootDir = await mkdtemp(join(tmpdir(), 'awx-sim-'));
  const hub = new WebsocketHub(state, options.wsMode ?? 'faithful', options.wsDropAfter ?? 5);
  let origin = 'http://127.0.0.1';
  const jobs = new JobService(
    state,
    hub,
    { ...DEFAULT_TIMING, ...(options.timing ?? {}) },
    rootDir,
    () => origin,
    options.eventWorkers ?? 4,
  );
  const routes = [...coreRoutes(state), ...jobRoutes(state)];
  const wsPaths = new Set(['/websocket/', '/api/websocket/', `${base}websocket/`]);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = nowMs();
    const method = (req.method ?? 'GET').toUpperCase();
    const fullPath = req.url ?? '/';
    const url = new URL(fullPath, 'http://127.0.0.1');
    const path = url.pathname;
    let auth: AuthContext | null = null;
    let reply: Reply;
    let allow = '';
    try {
      auth = authenticate(req.headers, state);
      if (method === 'GET' && (path === '/' || path.startsWith('/execution/'))) {
        // "Open in AWX": the console links `/#/jobs/playbook/N/output`; the hash never reaches a server, so the
        // page lists the jobs and marks the one the hash names.
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(jobsPage(state));
        return;
      }
      const found = findRoute(routes, path);
      if (!found) {
        const slashed = findRoute(routes, `${path}/`);
        if (slashed && SAFE_TO_REDIRECT.has(method)) {
          reply = { status: 301, text: '', headers: { Location: `${path}/${url.search}` } };
        } else {
          reply = { status: 404, json: { detail: 'The requested resource could not be found.' } };
        }
      } else {
        const { route, params } = found;
        allow = [...Object.keys(route.handlers), 'OPTIONS'].join(', ');
        const lookup = method === 'HEAD' ? 'GET' : method;
        let cachedBody: Buffer | null = null;
        const rawBody = async (): Promise<Buffer> => (cachedBody ??= await readBody(req));
        const ctx: RequestContext = {
          req,
          method,
          fullPath,
          query: url.searchParams,
          params,
          state,
          jobs,
          origin: req.headers.host ? `http://${req.headers.host}` : origin,
          rawBody,
          body: async () => parseJsonObject(await rawBody(), req.headers['content-type']),
        };
        if (!route.public && !auth) throw notAuthenticated();
        if (auth) checkWriteAllowed(auth, method, req.headers);
        if (method === 'OPTIONS') {
          reply = { status: 200, json: { name: '', description: '', renders: ['application/json'], parses: ['application/json'] } };
        } else if (route.public) {
          const handler = route.handlers[lookup];
          if (!handler) throw new ApiError(405, { detail: `Method "${method}" not allowed.` });
          reply = await handler({ ...ctx, auth });
        } else {
          const handler = route.handlers[lookup];
          if (!handler) throw new ApiError(405, { detail: `Method "${method}" not allowed.` });
          const authed = auth as AuthContext;
          const full: AuthedContext = { ...ctx, auth: authed, ser: { state, auth: authed } };
          reply = await handler(full);
        }
      }
    } catch (error) {
      if (error instanceof ApiError) {
        reply = { status: error.status, json: error.body, headers: error.headers };
      } else {
        reply = { status: 500, json: { detail: 'A server error has occurred.' } };
        process.stderr.write(`awx-sim: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      }
    }
    const took = ((nowMs() - started) / 1000).toFixed(3);
    const headers: Record<string, string> = {
      'X-API-Product-Name': 'AWX',
      'X-API-Node': NODE_NAME,
      'X-API-Time': `${took}s`,
      'X-API-Total-Time': `${took}s`,
      'X-API-Request-Id': randomUUID().replaceAll('-', ''),
      Vary: 'Accept, Cookie, Origin',
    };
    if (auth) headers['X-API-Product-Version'] = AWX_VERSION;
    if (allow) headers.Allow = allow;
    // Keep the log bounded for long demo sessions; tests look at recent requests only.
    if (state.requests.length >= MAX_LOGGED_REQUESTS) state.requests.splice(0, state.requests.length - MAX_LOGGED_REQUESTS + 1);
    state.requests.push({
      at: started,
      method,
      path,
      query: url.search,
      status: reply.status,
      user: auth?.user.username ?? null,
      auth: auth?.method ?? null,
      durationMs: nowMs() - started,
    });
    writeReply(res, reply, headers, method === 'HEAD');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`awx-sim: ${String(error)}\n`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (!wsPaths.has(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    hub.handleUpgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  let stopped: Promise<void> | null = null;
  const sim: AwxSim = {
    url: origin,
    port,
    apiBase: base,
    websocketUrl: `ws://127.0.0.1:${port}/websocket/`,
    token,
    username: firstUser.username,
    password: firstUser.password,
    get wsMode() {
      return hub.currentMode;
    },
    state,
    requests: state.requests,
    setWsMode: (mode) => hub.setMode(mode),
    setLostCounters: (counters) => (state.lostCounters = new Set(counters)),
    issueToken: (username, scope = 'write') => {
      const user = state.userByName(username);
      if (!user) throw new Error(`awx-sim: no user ${username}`);
      return state.addToken(user.id, generateToken(), scope, '').token;
    },
    jobs: () => [...state.jobs.values()],
    job: (id) => state.job(id),
    events: (jobId) => state.eventsOf(jobId),
    waitForJob: async (id, until, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = state.job(id);
        if (job && until(job)) return job;
        if (Date.now() > deadline) {
          throw new Error(
            `awx-sim: job ${id} did not reach the expected state within ${timeoutMs} ms (status ${job?.status ?? 'missing'})`,
          );
        }
        await sleep(25);
      }
    },
    stop: () =>
      (stopped ??= (async () => {
        await jobs.stopAll();
        hub.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rm(rootDir, { recursive: true, force: true });
      })()),
  };
  return sim;
}

const esc = (t: string): string => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function jobsPage(state: SimState): string {
  const rows = [...state.jobs.values()]
    .sort((a, b) => b.id - a.id)
    .slice(0, 200)
    .map(
      (j) =>
        `<tr id="job-${j.id}"><td>#${j.id}</td><td>${esc(j.name)}</td><td>${esc(j.status)}</td><td><code>${esc(JSON.stringify(j.extraVars))}</code></td></tr>`,
    )
    .join('');
  const mark =
    'var m=/jobs\\/playbook\\/(\\d+)/.exec(location.hash)||/jobs\\/playbook\\/(\\d+)/.exec(location.pathname);' +
    "if(m){var r=document.getElementById('job-'+m[1]);if(r){r.style.background='#ffd';r.scrollIntoView();document.title='AWX job #'+m[1];}}";
  return `<!doctype html><html><head><meta charset="utf-8"><title>AWX simulator</title></head><body><h1>AWX simulator: jobs</h1><table><tr><th>Job</th><th>Name</th><th>Status</th><th>Variables</th></tr>${rows}</table><script>${mark}</script></body></html>`;
}
