import { z } from 'zod';
import { ContractFailure } from '@shared/kernel/result';
import type { HttpClient } from '../../kernel/http/types';

// Alertmanager API v2, the calls the console makes. Facts checked against Alertmanager 0.25 (Debian):
//   - errors are JSON strings: 400 `"silence invalid: invalid label matcher 0: invalid regular expression …"`,
//     `"silence invalid: at least one matcher must not match the empty string"`; schema errors are 422
//     `{"code": 612, "message": "matchers in body should have at least 1 items"}`;
//   - POST /silences with the id of an unknown (or garbage-collected) silence: 404 `"silence not found"`;
//     with the id of an expired one, or with changed matchers, Alertmanager creates a NEW silence (new id);
//   - DELETE /silence/{id}: 200 also for an already expired silence; for an unknown id 0.25 answers 500
//     `"silence not found"` (later versions 404) — reported here as not_found, quoting it;
//   - GET /silence/{id} for an unknown id: 404 with an empty body.

const Str = z.string();
const LabelSet = z.record(z.string(), z.string());

export const AmMatcher = z.object({ name: Str, value: Str, isRegex: z.boolean(), isEqual: z.boolean().optional() });
export type AmMatcher = z.infer<typeof AmMatcher>;

export const AmAlert = z.object({
  fingerprint: Str,
  labels: LabelSet,
  annotations: LabelSet.optional(),
  startsAt: Str,
  updatedAt: Str.optional(),
  endsAt: Str.optional(),
  generatorURL: Str.optional(),
  receivers: z.array(z.object({ name: Str })).optional(),
  status: z.object({
    state: z.enum(['active', 'suppressed', 'unprocessed']),
    silencedBy: z.array(Str).nullable().optional(),
    inhibitedBy: z.array(Str).nullable().optional(),
  }),
});
export type AmAlert = z.infer<typeof AmAlert>;

export const AmGroup = z.object({ labels: LabelSet, receiver: z.object({ name: Str }), alerts: z.array(AmAlert) });
export type AmGroup = z.infer<typeof AmGroup>;

export const AmSilence = z.object({
  id: Str,
  status: z.object({ state: z.enum(['active', 'pending', 'expired']) }),
  updatedAt: Str,
  comment: Str,
  createdBy: Str,
  startsAt: Str,
  endsAt: Str,
  matchers: z.array(AmMatcher),
});
export type AmSilence = z.infer<typeof AmSilence>;

export const AmStatus = z.object({
  versionInfo: z.object({ version: Str.optional() }).partial().optional(),
  cluster: z.object({ status: Str.optional(), name: Str.optional(), peers: z.array(z.unknown()).nullable().optional() }).optional(),
  uptime: Str.optional(),
});
export type AmStatus = z.infer<typeof AmStatus>;

export interface PostableSilence {
  id?: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface AlertFilter {
  active?: boolean;
  silenced?: boolean;
  inhibited?: boolean;
  receiver?: string;
  /** Matcher strings as Alertmanager parses them, e.g. `instance=~"web-.*"`. */
  filter?: string[];
}

export class AlertmanagerClient {
  constructor(
    private readonly http: HttpClient,
    readonly name: string,
    readonly connectionId: string,
  ) {}

  async status(signal?: AbortSignal): Promise<AmStatus> {
    return this.read('/api/v2/status', AmStatus, {}, signal);
  }

  async groups(f: AlertFilter = {}, signal?: AbortSignal): Promise<AmGroup[]> {
    return this.read('/api/v2/alerts/groups', z.array(AmGroup), filterQuery(f), signal);
  }

  async alerts(f: AlertFilter = {}, signal?: AbortSignal): Promise<AmAlert[]> {
    return this.read('/api/v2/alerts', z.array(AmAlert), filterQuery(f), signal);
  }

  async silences(signal?: AbortSignal): Promise<AmSilence[]> {
    return this.read('/api/v2/silences', z.array(AmSilence), {}, signal);
  }

  /** One silence; an unknown id is not_found (Alertmanager answers 404 without a body). */
  async silence(id: string, signal?: AbortSignal): Promise<AmSilence> {
    try {
      return await this.read(`/api/v2/silence/${encodeURIComponent(id)}`, AmSilence, {}, signal);
    } catch (e) {
      if (e instanceof ContractFailure && e.code === 'not_found') {
        throw new ContractFailure(
          'not_found',
          `${this.name} has no silence ${id} (404): it never existed here, or it expired and Alertmanager has since deleted it.`,
          { ...e.detail, connectionId: this.connectionId },
        );
      }
      throw e;
    }
  }

  /** Creates a silence, or updates the one with `id`. Never retried: a second POST would make a second silence. */
  async postSilence(s: PostableSilence): Promise<string> {
    const res = await this.http.request<unknown>({ method: 'POST', path: '/api/v2/silences', json: s, idempotent: false });
    const parsed = z.object({ silenceID: Str }).safeParse(res.body);
    if (!parsed.success) throw this.badResponse('POST /api/v2/silences', res.body);
    return parsed.data.silenceID;
  }

  /** Expires a silence. Alertmanager 0.25 answers 500 "silence not found" for an unknown id: that is not_found. */
  async expireSilence(id: string): Promise<void> {
    try {
      await this.http.request({ method: 'DELETE', path: `/api/v2/silence/${encodeURIComponent(id)}`, idempotent: false });
    } catch (e) {
      if (e instanceof ContractFailure && e.code !== 'not_found' && /silence not found/i.test(e.detail?.remoteMessage ?? '')) {
        throw new ContractFailure('not_found', e.message, { ...e.detail, retryable: false });
      }
      throw e;
    }
  }

  private async read<T>(
    path: string,
    schema: z.ZodType<T>,
    query: Record<string, string | boolean | string[]>,
    signal?: AbortSignal,
  ): Promise<T> {
    const res = await this.http.request<unknown>({ path, query, idempotent: true, ...(signal ? { signal } : {}) });
    const parsed = schema.safeParse(res.body);
    if (!parsed.success) throw this.badResponse(`GET ${path}`, res.body);
    return parsed.data;
  }

  private badResponse(what: string, body: unknown): ContractFailure {
    const sample = typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body)?.slice(0, 200);
    return new ContractFailure(
      'bad_response',
      `${this.name} answered ${what} with something that is not Alertmanager API v2 data: ${sample ?? '(empty)'}`,
      {
        connectionId: this.connectionId,
      },
    );
  }
}

function filterQuery(f: AlertFilter): Record<string, string | boolean | string[]> {
  return {
    ...(f.active !== undefined ? { active: f.active } : {}),
    ...(f.silenced !== undefined ? { silenced: f.silenced } : {}),
    ...(f.inhibited !== undefined ? { inhibited: f.inhibited } : {}),
    ...(f.receiver ? { receiver: f.receiver } : {}),
    ...(f.filter?.length ? { filter: f.filter } : {}),
  };
}
