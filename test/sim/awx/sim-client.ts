// Small clients the simulator's own tests use: REST with a chosen credential, and a websocket that records
// every message it receives.
import { WebSocket } from 'ws';
import type { AwxSim } from './server';

export type Credential = { bearer: string } | { basic: [string, string] } | { cookie: string } | null;

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

function authHeaders(credential: Credential): Record<string, string> {
  if (!credential) return {};
  if ('bearer' in credential) return { Authorization: `Bearer ${credential.bearer}` };
  if ('basic' in credential) {
    return { Authorization: `Basic ${Buffer.from(`${credential.basic[0]}:${credential.basic[1]}`).toString('base64')}` };
  }
  return { Cookie: credential.cookie };
}

export async function call(
  sim: AwxSim,
  method: string,
  path: string,
  options: { credential?: Credential; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<ApiResponse> {
  const credential = options.credential === undefined ? { bearer: sim.token } : options.credential;
  const headers: Record<string, string> = { ...authHeaders(credential), ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${sim.url}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let json: unknown = undefined;
  if ((response.headers.get('content-type') ?? '').includes('application/json') && text !== '') json = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, json };
}

export const get = (sim: AwxSim, path: string, credential?: Credential): Promise<ApiResponse> =>
  call(sim, 'GET', path, credential === undefined ? {} : { credential });

export const post = (sim: AwxSim, path: string, body?: unknown, credential?: Credential): Promise<ApiResponse> =>
  call(sim, 'POST', path, { ...(body === undefined ? {} : { body }), ...(credential === undefined ? {} : { credential }) });

/** Record-typed view of a JSON body, for tests that read fields. */
export function obj(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`not an object: ${String(value)}`);
  return value as Record<string, unknown>;
}

export function list(value: unknown): Record<string, unknown>[] {
  const results = obj(value).results;
  if (!Array.isArray(results)) throw new Error('no results');
  return results.map(obj);
}

export async function waitUntil<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every REST event of a job, following `next` links with the largest page size. */
export async function allEvents(
  sim: AwxSim,
  jobId: number,
  query = 'order_by=counter&no_truncate=true',
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let next: string | null = `${sim.apiBase}jobs/${jobId}/job_events/?page_size=200&${query}`;
  while (next) {
    const page = await get(sim, next);
    out.push(...list(page.json));
    const link = obj(page.json).next;
    next = typeof link === 'string' ? link : null;
  }
  return out;
}

export interface RecordingSocket {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  closed: Promise<{ code: number }>;
  send(payload: unknown): void;
  waitFor(predicate: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

export function openSocket(
  sim: AwxSim,
  options: { credential?: Credential; csrf?: string | null; path?: string } = {},
): Promise<RecordingSocket> {
  const credential = options.credential === undefined ? { bearer: sim.token } : options.credential;
  const headers: Record<string, string> = authHeaders(credential);
  if (options.csrf !== null) {
    const csrf = `csrftoken=${options.csrf ?? 'test-csrf-token'}`;
    headers.Cookie = headers.Cookie ? `${headers.Cookie}; ${csrf}` : csrf;
  }
  const ws = new WebSocket(`ws://127.0.0.1:${sim.port}${options.path ?? '/websocket/'}`, { headers });
  const messages: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(obj(JSON.parse(String(data))));
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })));
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        closed,
        send: (payload) => ws.send(JSON.stringify(payload)),
        waitFor: (predicate, timeoutMs = 30_000) =>
          new Promise((found, fail) => {
            const check = (): void => {
              const hit = messages.find(predicate);
              if (hit) {
                waiters.delete(check);
                clearTimeout(timer);
                found(hit);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error('timed out waiting for a websocket message'));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
      }),
    );
  });
}

/** AWX job stdout rebuilt from events: those with output, `\r\n` → `\n`, one newline after each. */
export function stdoutFromEvents(events: Record<string, unknown>[]): string {
  return [...events]
    .sort((a, b) => Number(a.start_line) - Number(b.start_line))
    .map((e) => String(e.stdout))
    .filter((s) => s !== '')
    .map((s) => `${s.replaceAll('\r\n', '\n')}\n`)
    .join('');
}
