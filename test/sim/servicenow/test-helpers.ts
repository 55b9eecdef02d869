import type { SnowSim } from './sim-types';

// Small fetch wrappers for the simulator's own tests: real HTTP, nothing mocked.

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
}

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export function simAuth(sim: SnowSim): string {
  return basicHeader(sim.credentials.username, sim.credentials.password);
}

export function apiUrl(sim: SnowSim, path: string, params: Record<string, string> = {}): string {
  const u = new URL(path, sim.url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}

export async function call(
  sim: SnowSim,
  method: string,
  path: string,
  opts: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string>; auth?: string | null } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  const auth = opts.auth === undefined ? simAuth(sim) : opts.auth;
  if (auth !== null) headers.Authorization = auth;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(apiUrl(sim, path, opts.params), { method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export type Json = null | string | number | boolean | Json[] | { [key: string]: Json };

export function parse(r: HttpResult): Json {
  return JSON.parse(r.text) as Json;
}

export function asObject(v: Json | undefined): Record<string, Json> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`expected an object, got ${JSON.stringify(v)}`);
  return v;
}

export function asArray(v: Json | undefined): Json[] {
  if (!Array.isArray(v)) throw new Error(`expected an array, got ${JSON.stringify(v)}`);
  return v;
}

/** GET a list and return {records, total, link}. */
export async function list(
  sim: SnowSim,
  table: string,
  params: Record<string, string> = {},
): Promise<{ records: Record<string, Json>[]; total: number | undefined; link: string | null; status: number }> {
  const r = await call(sim, 'GET', `/api/now/table/${table}`, { params });
  if (r.status !== 200) throw new Error(`GET ${table} → ${r.status}: ${r.text}`);
  const records = asArray(asObject(parse(r)).result).map(asObject);
  const total = r.headers.get('x-total-count');
  return { records, total: total === null ? undefined : Number(total), link: r.headers.get('link'), status: r.status };
}

/** Link header → rel → URL. */
export function parseLink(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(/,(?=<)/)) {
    const m = /^<([^>]+)>;rel="(\w+)"$/.exec(part.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[2]] = m[1];
  }
  return out;
}

export function str(v: Json | undefined): string {
  if (typeof v !== 'string') throw new Error(`expected a string, got ${JSON.stringify(v)}`);
  return v;
}
