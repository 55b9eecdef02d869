import { z } from 'zod';
import { ContractFailure } from '@shared/kernel/result';
import { MAX_POINTS_PER_SERIES, parsePromValue, readVectorResponse, type VectorSample } from '@shared/slo';
import type { HttpClient } from '../../kernel/http/types';
import { Limiter, type LimiterStats } from './limiter';
import { RangeCache, type CachedRange, type RangeCacheStats, type RangeSeries, type StepRange } from './range-cache';

// The Prometheus HTTP API as the SLO feature uses it. Every query is POSTed as a form body (batched fleet
// queries run to tens of kilobytes, past what proxies accept in a URL), read with `idempotent: true` so
// transient failures retry, and runs inside the connection's concurrency limit. Values are strings on the
// wire ("+Inf", "-Inf", "NaN" mapped by hand in parsePromValue). Errors keep Prometheus's own words: the
// HttpClient turns JSON error bodies and proxy HTML pages into ContractFailures that quote them.

/** Prometheus error types a query can fail with (web/api/v1/api.go). */
const PROM_ERROR_TYPES = ['bad_data', 'execution', 'timeout', 'canceled', 'internal', 'not_found', 'unavailable', 'not_acceptable'];

export interface PrometheusClientOptions {
  connectionId: string;
  name: string;
  /** Resolves the connection's HttpClient at request time (it is rebuilt when the connection changes). */
  http: () => Promise<HttpClient>;
  /** Requests in flight at once on this connection. Default 4. */
  concurrency?: number;
  /** Server-side query timeout sent as `timeout=` (Prometheus can only lower its own). */
  queryTimeout?: string;
  cache?: RangeCache;
}

export interface PromRuleGroup {
  name: string;
  file?: string;
  rules: PromRule[];
}

export interface PromRule {
  name: string;
  query: string;
  type?: string;
  health?: string;
  lastError?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  activeAt?: string;
  value: number | null;
}

const matrixSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
  }),
  warnings: z.array(z.string()).optional(),
});

const ruleSchema = z.object({
  name: z.string(),
  query: z.string(),
  type: z.string().optional(),
  health: z.string().optional(),
  lastError: z.string().optional(),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
});
const rulesSchema = z.object({
  status: z.literal('success'),
  data: z.object({ groups: z.array(z.object({ name: z.string(), file: z.string().optional(), rules: z.array(ruleSchema) })) }),
});

const alertsSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    alerts: z.array(
      z.object({
        labels: z.record(z.string(), z.string()).nullish(),
        annotations: z.record(z.string(), z.string()).nullish(),
        state: z.string(),
        activeAt: z.string().optional(),
        value: z.string().optional(),
      }),
    ),
  }),
});

export interface PrometheusClientStats extends LimiterStats {
  requests: number;
  queries: number;
  cache: RangeCacheStats;
}

export class PrometheusClient {
  readonly connectionId: string;
  readonly name: string;
  private readonly limiter: Limiter;
  private readonly cache: RangeCache;
  private requests = 0;
  private queries = 0;

  constructor(private readonly opts: PrometheusClientOptions) {
    this.connectionId = opts.connectionId;
    this.name = opts.name;
    this.limiter = new Limiter(opts.concurrency ?? 4);
    this.cache = opts.cache ?? new RangeCache();
  }

  stats(): PrometheusClientStats {
    return { ...this.limiter.stats(), requests: this.requests, queries: this.queries, cache: this.cache.stats() };
  }

  private async send<T>(
    path: string,
    form: Record<string, string> | undefined,
    signal?: AbortSignal,
    query?: Record<string, string>,
  ): Promise<T> {
    return this.limiter.run(async () => {
      this.requests++;
      const http = await this.opts.http();
      const res = await http.request<T>({
        method: form ? 'POST' : 'GET',
        path,
        ...(form ? { form } : {}),
        ...(query ? { query } : {}),
        idempotent: true,
        ...(signal ? { signal } : {}),
      });
      return res.body;
    }, signal);
  }

  /**
   * An instant query whose answer is the decoded body even when Prometheus refused the expression
   * (`{status: "error", errorType: "bad_data", ...}`), so a batch can be bisected. Transport failures throw.
   */
  async instantRaw(query: string, time: number, signal?: AbortSignal): Promise<unknown> {
    this.queries++;
    try {
      return await this.send<unknown>('/api/v1/query', this.form({ query, time: String(time) }), signal);
    } catch (e) {
      const env = promErrorOf(e);
      if (env) return env;
      throw e;
    }
  }

  /** An instant vector; a refused query throws with Prometheus's errorType and message. */
  async instant(query: string, time: number, signal?: AbortSignal): Promise<VectorSample[]> {
    const body = await this.instantRaw(query, time, signal);
    const read = readVectorResponse(body);
    if (!read.ok) throw this.queryFailure(read.errorType, read.error);
    return read.samples;
  }

  /** A range query; refuses locally what Prometheus would refuse (over 11,000 points per series). */
  async range(query: string, start: number, end: number, step: number, signal?: AbortSignal): Promise<RangeSeries[]> {
    if (!(step > 0)) throw new ContractFailure('bad_request', `A range query needs a positive step, not ${step}.`);
    if (end < start) throw new ContractFailure('bad_request', 'A range query cannot end before it starts.');
    const points = Math.floor((end - start) / step) + 1;
    if (points > MAX_POINTS_PER_SERIES) {
      throw new ContractFailure(
        'bad_request',
        `The range query would return ${points} points per series; Prometheus allows ${MAX_POINTS_PER_SERIES}.`,
      );
    }
    this.queries++;
    let body: unknown;
    try {
      body = await this.send<unknown>(
        '/api/v1/query_range',
        this.form({ query, start: String(start), end: String(end), step: String(step) }),
        signal,
      );
    } catch (e) {
      const env = promErrorOf(e);
      if (env) throw this.queryFailure(env.errorType, env.error);
      throw e;
    }
    const parsed = matrixSchema.safeParse(body);
    if (!parsed.success) {
      const read = readVectorResponse(body);
      if (!read.ok && read.errorType !== 'bad_response') throw this.queryFailure(read.errorType, read.error);
      throw new ContractFailure('bad_response', `${this.name} did not answer the range query with a matrix.`, {
        connectionId: this.connectionId,
      });
    }
    return parsed.data.data.result.map((r) => ({
      labels: r.metric,
      points: r.values.map(([t, v]) => ({ t, v: parsePromValue(v) ?? Number.NaN })),
    }));
  }

  /** A range query through the step-aligned cache: a refresh fetches only the points after the settled ones. */
  rangeCached(query: string, range: StepRange, signal?: AbortSignal): Promise<CachedRange> {
    return this.cache.get(query, range, (start, end, step) => this.range(query, start, end, step, signal));
  }

  /** GET /api/v1/rules, optionally only recording or alerting rules. */
  async rules(type?: 'record' | 'alert', signal?: AbortSignal): Promise<{ body: unknown; groups: PromRuleGroup[] }> {
    const body = await this.send<unknown>('/api/v1/rules', undefined, signal, type ? { type } : undefined);
    const parsed = rulesSchema.safeParse(body);
    if (!parsed.success) throw new ContractFailure('bad_response', `${this.name} did not answer /api/v1/rules as Prometheus does.`);
    const groups = parsed.data.data.groups.map((g) => ({
      name: g.name,
      ...(g.file !== undefined ? { file: g.file } : {}),
      rules: g.rules.map((r) => ({
        name: r.name,
        query: r.query,
        ...(r.type !== undefined ? { type: r.type } : {}),
        ...(r.health !== undefined ? { health: r.health } : {}),
        ...(r.lastError ? { lastError: r.lastError } : {}),
        ...(r.labels ? { labels: r.labels } : {}),
        ...(r.annotations ? { annotations: r.annotations } : {}),
      })),
    }));
    return { body, groups };
  }

  /** GET /api/v1/alerts: pending and firing alerts with their labels and annotations. */
  async alerts(signal?: AbortSignal): Promise<PromAlert[]> {
    const body = await this.send<unknown>('/api/v1/alerts', undefined, signal);
    const parsed = alertsSchema.safeParse(body);
    if (!parsed.success) throw new ContractFailure('bad_response', `${this.name} did not answer /api/v1/alerts as Prometheus does.`);
    return parsed.data.data.alerts.map((a) => {
      const value = a.value === undefined ? null : parsePromValue(a.value);
      return {
        labels: a.labels ?? {},
        annotations: a.annotations ?? {},
        state: a.state,
        ...(a.activeAt !== undefined ? { activeAt: a.activeAt } : {}),
        value: value !== null && Number.isFinite(value) ? value : null,
      };
    });
  }

  private form(f: Record<string, string>): Record<string, string> {
    return this.opts.queryTimeout ? { ...f, timeout: this.opts.queryTimeout } : f;
  }

  private queryFailure(errorType: string, error: string): ContractFailure {
    const code =
      errorType === 'timeout' ? 'timeout' : errorType === 'bad_data' || errorType === 'execution' ? 'validation' : 'remote_error';
    return new ContractFailure(code, `${this.name} refused the query: ${errorType}: ${error}`, {
      remoteMessage: `${errorType}: ${error}`,
      connectionId: this.connectionId,
    });
  }
}

/**
 * The Prometheus error envelope inside a ContractFailure from the HttpClient, which quotes JSON error bodies as
 * "errorType: error". Null for anything else (network, auth, proxy pages).
 */
export function promErrorOf(e: unknown): { status: 'error'; errorType: string; error: string } | null {
  if (!(e instanceof ContractFailure)) return null;
  const status = e.detail?.status;
  const remote = e.detail?.remoteMessage;
  if (status === undefined || remote === undefined) return null;
  const m = /^([a-z_]+): ([\s\S]*)$/.exec(remote);
  if (!m || m[1] === undefined || m[2] === undefined || !PROM_ERROR_TYPES.includes(m[1])) return null;
  return { status: 'error', errorType: m[1], error: m[2] };
}
