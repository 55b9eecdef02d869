// Small HTTP helpers: replies, AWX's error bodies, and request body parsing the way AWX's JSON parser does it.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface Reply {
  status: number;
  /** JSON body (DRF renders compact JSON). */
  json?: unknown;
  /** Text body (plain text stdout, HTML pages). */
  text?: string;
  /** Streamed body (stdout downloads). */
  stream?: Readable;
  contentType?: string;
  headers?: Record<string, string | string[]>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export const PERMISSION_DENIED = 'You do not have permission to perform this action.';
export const NOT_AUTHENTICATED = 'Authentication credentials were not provided. To establish a login session, visit /api/login/.';

export function notFound(): ApiError {
  return new ApiError(404, { detail: 'Not found.' });
}

export function forbidden(detail = PERMISSION_DENIED): ApiError {
  return new ApiError(403, { detail });
}

export function methodNotAllowed(method: string): ApiError {
  return new ApiError(405, { detail: `Method "${method}" not allowed.` });
}

export function notAuthenticated(): ApiError {
  return new ApiError(
    401,
    { detail: NOT_AUTHENTICATED },
    // Deliberately not `Basic`, so browsers never pop a login dialog (AWX does the same).
    { 'WWW-Authenticate': 'Bearer realm=api authorization_url=/api/o/authorize/' },
  );
}

export function badRequest(body: unknown): ApiError {
  return new ApiError(400, body);
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, json: body, ...(headers ? { headers } : {}) };
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, { detail: 'Request body too large.' });
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** AWX accepts only JSON bodies; an empty body is `{}`. */
export function parseJsonObject(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  if (raw.length === 0) return {};
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json') {
    throw new ApiError(415, {
      detail:
        'You did not use correct Content-Type in your HTTP request. If you are using our REST API, the Content-Type must be application/json',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw badRequest({ detail: `JSON parse error - ${message}` });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest({ detail: 'JSON parse error - not a JSON object' });
  }
  return parsed as Record<string, unknown>;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out.set(key, decodeURIComponent(value));
    } catch {
      out.set(key, value);
    }
  }
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
