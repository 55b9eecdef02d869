import { ContractFailure } from '@shared/kernel/result';
import { andRaw, condition, partsOf } from '@shared/incidents/encoded-query';
import type { HttpClient, HttpResponse } from '../../kernel/http/types';
import { isRawRecord } from './values';
import type { RawRecord } from './values';

// The Table API as the incident features use it. Reads are idempotent (the HttpClient retries 429/5xx/timeouts
// and honours Retry-After; HTML login pages and login redirects become `login_required`); writes are sent once.
// Every list read names its fields and a unique sort, and skips count(*) unless asked (research §8, §11).

export type DisplayMode = 'false' | 'true' | 'all';

export interface ListRequest {
  table: string;
  query: string;
  fields: readonly string[];
  displayValue?: DisplayMode;
  limit: number;
  offset?: number;
  /** Ask for X-Total-Count (a count(*) on the instance); off by default. */
  count?: boolean;
  signal?: AbortSignal;
}

export interface ListPage {
  rows: RawRecord[];
  /** `rel="next"` in the Link header; undefined when the instance sent no Link header at all. */
  hasNext: boolean | undefined;
  total: number | undefined;
}

export interface ListAllRequest extends Omit<ListRequest, 'limit' | 'offset' | 'count'> {
  pageSize: number;
  /** Stop after this many rows (the result says it was truncated). */
  maxRows: number;
}

/** 202 Accepted with no body: the session queue was full (research §2.9). Reads try again a few times. */
const EMPTY_202_RETRIES = 2;

export class TableApi {
  /** Requests sent, for diagnostics and benchmarks. */
  requests = 0;
  /** Until one request has been answered, others wait for it: parallel first reads must not each sign in (OAuth). */
  private first: Promise<unknown> | null = null;
  private warmedUp = false;

  constructor(private readonly http: () => Promise<HttpClient>) {}

  private async gate<T>(fn: () => Promise<T>): Promise<T> {
    if (this.warmedUp) return fn();
    if (this.first) {
      await this.first.catch(() => undefined);
      return fn();
    }
    const p = fn();
    this.first = p;
    try {
      const v = await p;
      this.warmedUp = true;
      return v;
    } finally {
      this.first = null;
    }
  }

  private get<T>(path: string, query: Record<string, string | number>, signal?: AbortSignal): Promise<HttpResponse<T>> {
    return this.gate(() => this.getNow<T>(path, query, signal));
  }

  private async getNow<T>(path: string, query: Record<string, string | number>, signal?: AbortSignal): Promise<HttpResponse<T>> {
    const client = await this.http();
    for (let attempt = 0; ; attempt++) {
      this.requests++;
      const res = await client.request<T>({ path, query, idempotent: true, ...(signal ? { signal } : {}) });
      if (res.status !== 202 || attempt >= EMPTY_202_RETRIES) return res;
      await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
    }
  }

  async list(req: ListRequest): Promise<ListPage> {
    const res = await this.get<unknown>(
      `/api/now/table/${encodeURIComponent(req.table)}`,
      {
        sysparm_query: req.query,
        sysparm_fields: req.fields.join(','),
        sysparm_limit: req.limit,
        ...(req.offset ? { sysparm_offset: req.offset } : {}),
        sysparm_display_value: req.displayValue ?? 'false',
        sysparm_exclude_reference_link: 'true',
        ...(req.count ? {} : { sysparm_no_count: 'true' }),
      },
      req.signal,
    );
    const result = resultOf(res, req.table);
    if (!Array.isArray(result)) throw badShape(res, `a list of ${req.table} records`);
    const link = res.headers.link;
    const total = res.headers['x-total-count'];
    return {
      rows: result.filter(isRawRecord),
      hasNext: link === undefined ? undefined : /rel="?next"?/i.test(link),
      total: total !== undefined && /^\d+$/.test(total) ? Number(total) : undefined,
    };
  }

  /**
   * Every row of a query. Without its own ORDERBY the query is read by keyset on sys_id (`sys_id>last`), which
   * inserts and deletes during the read cannot shift; with one it is read by offset with a sys_id tiebreak and
   * de-duplicated. A short page is not the end while the Link header says `next` (row ACLs apply after the limit).
   */
  async listAll(req: ListAllRequest): Promise<{ rows: RawRecord[]; truncated: boolean; pages: number }> {
    const ordered = partsOf(req.query).orderBy.length > 0;
    const seen = new Map<string, RawRecord>();
    let after: string | null = null;
    let offset = 0;
    let pages = 0;
    for (;;) {
      const query = ordered
        ? andRaw(req.query, [], [{ field: 'sys_id' }])
        : andRaw(req.query, after ? [condition('sys_id', '>', after)] : [], [{ field: 'sys_id' }]);
      const page = await this.list({ ...req, query, limit: req.pageSize, offset });
      pages++;
      for (const row of page.rows) {
        const id = typeof row.sys_id === 'string' ? row.sys_id : '';
        if (id && !seen.has(id)) seen.set(id, row);
        if (seen.size > req.maxRows) return { rows: [...seen.values()].slice(0, req.maxRows), truncated: true, pages };
      }
      const full = page.rows.length >= req.pageSize;
      const more = page.hasNext ?? full;
      if (!more) break;
      const last = page.rows[page.rows.length - 1];
      if (!ordered && full && typeof last?.sys_id === 'string' && last.sys_id !== '') {
        after = last.sys_id;
        offset = 0;
      } else {
        // Offset paging, or a keyset page shortened by row ACLs: step over the hidden rows.
        offset += req.pageSize;
      }
      if (pages > 10_000) throw new ContractFailure('bad_response', 'ServiceNow kept announcing more pages; stopped after 10,000.');
    }
    return { rows: [...seen.values()], truncated: false, pages };
  }

  async read(table: string, sysId: string, fields: readonly string[], displayValue: DisplayMode = 'false'): Promise<RawRecord> {
    const res = await this.get<unknown>(`/api/now/table/${encodeURIComponent(table)}/${encodeURIComponent(sysId)}`, {
      sysparm_fields: fields.join(','),
      sysparm_display_value: displayValue,
      sysparm_exclude_reference_link: 'true',
    });
    const result = resultOf(res, table);
    if (!isRawRecord(result)) throw badShape(res, `a ${table} record`);
    return result;
  }

  /** One PATCH, never retried (a write sent twice is worse than one that failed visibly). */
  async patch(table: string, sysId: string, body: Record<string, string>, fields: readonly string[]): Promise<RawRecord> {
    const client = await this.http();
    this.requests++;
    const res = await this.gate(() =>
      client.request<unknown>({
        method: 'PATCH',
        path: `/api/now/table/${encodeURIComponent(table)}/${encodeURIComponent(sysId)}`,
        query: { sysparm_fields: fields.join(','), sysparm_display_value: 'false', sysparm_exclude_reference_link: 'true' },
        json: body,
        idempotent: false,
      }),
    );
    const result = resultOf(res, table);
    if (!isRawRecord(result)) throw badShape(res, `the updated ${table} record`);
    return result;
  }
}

function resultOf(res: HttpResponse<unknown>, table: string): unknown {
  if (res.status === 202) {
    throw new ContractFailure(
      'rate_limited',
      `ServiceNow accepted the read of ${table} without answering (202): too many requests are queued in this session.`,
      {
        status: 202,
        retryable: true,
      },
    );
  }
  const body = res.body;
  if (typeof body !== 'object' || body === null || !('result' in body)) throw badShape(res, '{"result": …}');
  return (body as { result: unknown }).result;
}

function badShape(res: HttpResponse<unknown>, expected: string): ContractFailure {
  const got = typeof res.body === 'string' ? `${res.body.length} bytes of text` : JSON.stringify(res.body).slice(0, 120);
  return new ContractFailure('bad_response', `ServiceNow answered ${res.status} without ${expected} (got ${got}).`, { status: res.status });
}
