// Route table types shared by the route modules.
import type { IncomingMessage } from 'node:http';
import type { AuthContext } from './auth';
import type { Reply } from './http-kit';
import type { JobService } from './jobs';
import type { SerializeContext } from './serialize';
import type { SimState } from './state';

export interface RequestContext {
  req: IncomingMessage;
  method: string;
  /** Path and query exactly as requested (AWX builds next/previous links from it). */
  fullPath: string;
  query: URLSearchParams;
  params: string[];
  state: SimState;
  jobs: JobService;
  /** `http://host:port`, for the absolute Location header. */
  origin: string;
  body(): Promise<Record<string, unknown>>;
  rawBody(): Promise<Buffer>;
}

export interface AuthedContext extends RequestContext {
  auth: AuthContext;
  ser: SerializeContext;
}

export type PublicHandler = (ctx: RequestContext & { auth: AuthContext | null }) => Reply | Promise<Reply>;
export type Handler = (ctx: AuthedContext) => Reply | Promise<Reply>;

export type Route =
  | { pattern: RegExp; public: true; handlers: Partial<Record<string, PublicHandler>> }
  | { pattern: RegExp; public?: false; handlers: Partial<Record<string, Handler>> };

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `under('/api/v2/', 'jobs/(\\d+)/')` → a pattern for `/api/v2/jobs/5/`. */
export function under(base: string, rest: string): RegExp {
  return new RegExp(`^${escapeRegex(base)}${rest}$`);
}

export function idParam(ctx: { params: string[] }, index = 0): number {
  return Number(ctx.params[index]);
}
