// The one HTTP surface the core's API clients use. Implementations: `createHttpClient` (undici, real network)
// and test doubles. Every failure is thrown as a ContractFailure carrying status, the remote system's own
// message and whether retrying helps, so clients never parse transport errors themselves.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | undefined;

export interface HttpRequest {
  method?: HttpMethod;
  /** Path relative to the connection's base URL, e.g. `/api/v1/query`. Never a full URL. */
  path: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  /** Sent as application/x-www-form-urlencoded (Prometheus long queries). */
  form?: Record<string, string | string[]>;
  /** Sent as application/json. */
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Per-request timeout; defaults to the connection's. */
  timeoutMs?: number;
  /**
   * Reads are retried with back-off (and Retry-After) only when this is true. Writes are never retried by
   * the client: a launch or a work note sent twice is worse than one that failed visibly.
   */
  idempotent?: boolean;
  /** What body we expect: JSON (default, content type checked), text, or nothing. */
  expect?: 'json' | 'text' | 'none';
  /** Skip the connection's auth (for OAuth token calls that carry their own). */
  noAuth?: boolean;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
  /** Final URL after redirects (for "redirected to a login page" detection). */
  url: string;
}

export interface HttpClient {
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
}
