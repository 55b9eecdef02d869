import { readFile } from 'node:fs/promises';
import { Agent, ProxyAgent, fetch as undiciFetch } from 'undici';
import type { Dispatcher as UndiciDispatcher } from 'undici';
import { ContractFailure } from '@shared/kernel/result';
import type { HttpClient, HttpRequest, HttpResponse, QueryValue } from './types';
import { failureForStatus, htmlTextOf, htmlTitleOf, looksLikeLoginPage, parseRetryAfter } from './remote-errors';
import { cutCode, networkFailure, wasRefused } from './network-errors';
import { reportRefusal } from './refusal-watch';

export interface HttpClientOptions {
  name: string;
  connectionId?: string;
  baseUrl: string;
  /** Headers added to every request (the connection's extra headers). */
  headers?: Record<string, string>;
  /** Returns the Authorization header value, or null for none. `refresh` asks for a new token after a 401. */
  authorization?: (opts: { refresh: boolean }) => Promise<string | null>;
  caFile?: string;
  tls?: { certFile: string; keyFile: string; passphrase?: () => Promise<string | undefined> };
  proxy?: string;
  timeoutMs?: number;
  /** Attempts for idempotent reads (1 = no retry). */
  maxAttempts?: number;
  /** Longest Retry-After we wait for by ourselves; longer ones fail with the wait in the error. */
  maxRetryAfterSeconds?: number;
  /** Largest body read (default 64 MB): a bigger answer fails while streaming, before it is held in memory. */
  maxResponseBytes?: number;
  /**
   * The epoch ms by which every request must be done (a CLI command's overall deadline): each request's
   * timeout is cut to what is left, and nothing is retried past it, so "did not answer within N s" stays true.
   */
  deadlineAt?: number;
  /** Injected for tests; defaults to undici's fetch with our dispatcher. */
  fetchImpl?: typeof undiciFetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Longest Retry-After a read waits for by itself unless the connection says otherwise. */
export const DEFAULT_MAX_RETRY_AFTER_SECONDS = 30;

const sleepFor = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** "15 s", "2.5 s", "0.8 s": a duration as the messages state it, never rounded down to "0 s". */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`;
}

const formatMb = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

type FetchResponse = Awaited<ReturnType<typeof undiciFetch>>;

function withTries(e: ContractFailure, tries: number, startedMs: number): ContractFailure {
  return new ContractFailure(
    e.code,
    `${e.message.replace(/\.$/, '')} (${tries} tries, ${formatSeconds(Date.now() - startedMs)} in all).`,
    e.detail,
  );
}

/**
 * Reads a body as UTF-8 text, failing as soon as it grows past `limit` bytes: the bytes read so far are the
 * only ones held, so a hostile answer of any size costs at most the limit.
 */
async function readLimited(res: FetchResponse, limit: number, tooLarge: () => Error): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

export function buildUrl(baseUrl: string, path: string, query?: HttpRequest['query']): URL {
  if (/^[a-z]+:/i.test(path) || path.startsWith('//'))
    throw new ContractFailure('bad_request', 'Request paths are relative to the connection URL.');
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const url = new URL(path.replace(/^\/+/, ''), base);
  // Keep the request under the configured base: `..` in a path must not climb out of it.
  if (!url.pathname.startsWith(base.pathname)) throw new ContractFailure('bad_request', `Path ${path} leaves the connection's base URL.`);
  for (const [k, v] of Object.entries(query ?? {})) {
    const values: QueryValue[] = Array.isArray(v) ? v : [v];
    for (const one of values) if (one !== undefined) url.searchParams.append(k, String(one));
  }
  return url;
}

export async function createHttpClient(opts: HttpClientOptions): Promise<HttpClient> {
  const base = new URL(opts.baseUrl);
  const target = { name: opts.name, host: base.host, ...(opts.connectionId ? { connectionId: opts.connectionId } : {}) };
  const connect: Record<string, unknown> = {};
  if (opts.caFile) {
    try {
      connect.ca = await readFile(opts.caFile, 'utf8');
    } catch (e) {
      throw new ContractFailure(
        'config',
        `${opts.name}: the CA file ${opts.caFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
  }
  if (opts.tls) {
    try {
      connect.cert = await readFile(opts.tls.certFile, 'utf8');
      connect.key = await readFile(opts.tls.keyFile, 'utf8');
    } catch (e) {
      throw new ContractFailure(
        'config',
        `${opts.name}: the client certificate or key cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
    const passphrase = await opts.tls.passphrase?.();
    if (passphrase) connect.passphrase = passphrase;
  }
  const dispatcher: UndiciDispatcher = opts.proxy
    ? new ProxyAgent({ uri: opts.proxy, requestTls: connect })
    : new Agent({ connect, keepAliveTimeout: 10_000 });
  const doFetch = opts.fetchImpl ?? undiciFetch;
  const sleep = opts.sleep ?? sleepFor;
  const maxAttempts = opts.maxAttempts ?? 3;
  const maxRetryAfter = opts.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS;
  const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const deadlineAt = opts.deadlineAt;
  /**
   * After a request finally timed out, the system is not asked again for a while: requests queued behind it
   * would each wait as long, and a page (or a command) would take a multiple of what its message says. In a
   * one-shot command (with a deadline) that is for the rest of the command; elsewhere for one timeout's length.
   */
  let quiet: { forMs: number; until: number; at: number } | undefined;
  const goQuiet = (forMs: number): void => {
    quiet = { forMs, until: deadlineAt !== undefined ? Infinity : Date.now() + forMs, at: Date.now() };
  };
  const hhmmss = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
  const pastDeadline = (): ContractFailure =>
    new ContractFailure('timeout', `${opts.name} was not asked: the command's deadline has passed.`, {
      retryable: true,
      ...(opts.connectionId ? { connectionId: opts.connectionId } : {}),
    });

  async function once<T>(req: HttpRequest, refreshAuth: boolean): Promise<HttpResponse<T>> {
    const url = buildUrl(opts.baseUrl, req.path, req.query);
    const headers: Record<string, string> = { ...(opts.headers ?? {}), ...(req.headers ?? {}) };
    const expect = req.expect ?? 'json';
    if (!headers.Accept && !headers.accept) headers.Accept = expect === 'json' ? 'application/json' : '*/*';
    if (!req.noAuth && opts.authorization) {
      const auth = await opts.authorization({ refresh: refreshAuth });
      if (auth) headers.Authorization = auth;
    }
    let body: string | undefined;
    if (req.form) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(req.form)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
      body = p.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['Content-Type'] = 'application/json';
    }
    const ownTimeoutMs = req.timeoutMs ?? opts.timeoutMs ?? 15_000;
    const left = deadlineAt === undefined ? Infinity : deadlineAt - Date.now();
    if (left <= 0) throw pastDeadline();
    if (quiet && Date.now() < quiet.until) {
      const again = quiet.until === Infinity ? 'not asked again by this command' : `not asked again until ${hhmmss(quiet.until)} UTC`;
      // Not 'timeout': nothing was sent, so a write refused here has no unknown outcome to check.
      throw new ContractFailure(
        'unreachable',
        `${opts.name} did not answer within ${formatSeconds(quiet.forMs)} at ${hhmmss(quiet.at)} UTC; ${again}.`,
        {
          retryable: false,
          ...(opts.connectionId ? { connectionId: opts.connectionId } : {}),
        },
      );
    }
    const timeoutMs = Math.min(ownTimeoutMs, left);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const tooLarge = (): ContractFailure =>
      new ContractFailure(
        'bad_response',
        `${opts.name} answered with more than ${formatMb(maxBytes)}, the limit for this connection; the answer was not read. Narrow the request, or raise maxResponseMB for this connection in the workspace file.`,
        { retryable: false, ...(opts.connectionId ? { connectionId: opts.connectionId } : {}) },
      );
    let res: FetchResponse;
    let text: string;
    try {
      res = await doFetch(url, { method: req.method ?? 'GET', headers, body, signal, dispatcher, redirect: 'follow' });
      text = expect === 'none' ? '' : await readLimited(res, maxBytes, tooLarge);
    } catch (e) {
      if (e instanceof ContractFailure) throw e;
      if (req.signal?.aborted) throw new ContractFailure('cancelled', 'The request was cancelled.');
      if (timeout.aborted) {
        const cut = timeoutMs < ownTimeoutMs ? " (all that was left of the command's deadline)" : '';
        // Only reads: after a write timed out, the next requests are the ones that check whether it landed.
        if (deadlineAt !== undefined && !quiet && req.idempotent) goQuiet(timeoutMs);
        throw new ContractFailure('timeout', `${opts.name} did not answer within ${formatSeconds(timeoutMs)}${cut}.`, {
          retryable: true,
          ...(opts.connectionId ? { connectionId: opts.connectionId } : {}),
        });
      }
      const method = (req.method ?? 'GET').toUpperCase();
      const cut = !req.idempotent && method !== 'GET' && method !== 'HEAD' ? cutCode(e) : undefined;
      if (cut) {
        // A write cut after it left is like one that timed out: the system may have applied it. Reported as a
        // timeout so every writer's "did it land?" check runs, never as a refusal to be retried blindly.
        throw new ContractFailure('timeout', `${opts.name}: the connection to ${target.host} was cut (${cut}) before an answer came.`, {
          retryable: true,
          remoteMessage: networkFailure(e, target).detail?.remoteMessage ?? cut,
          ...(opts.connectionId ? { connectionId: opts.connectionId } : {}),
        });
      }
      const failure = networkFailure(e, target);
      // A caller watching for refusals (a detail read with an offline copy) hears of it now, not after the retries.
      if (req.idempotent && wasRefused(e)) reportRefusal(failure.toJSON());
      throw failure;
    }
    const resHeaders: Record<string, string> = {};
    res.headers.forEach((v, k) => (resHeaders[k] = v));
    const ctype = resHeaders['content-type'] ?? '';
    const isHtml = /text\/html/i.test(ctype) || /^\s*<(!doctype|html)/i.test(text.slice(0, 200));
    const finalUrl = res.url || url.toString();

    if (isHtml && expect === 'json') {
      // A proxy or SSO gateway answered instead of the API: the most common "JSON parse error" in the field.
      const title = htmlTitleOf(text);
      if (looksLikeLoginPage(text, finalUrl, res.status) || res.redirected) {
        // Named by its title, else by its words (a title-less sign-in page still says what it asks).
        const words = htmlTextOf(text);
        throw new ContractFailure(
          'login_required',
          `${opts.name} answered with a login page${words ? ` ("${words}")` : ''} instead of data: the session expired or an SSO login is needed. Sign in through the browser or check the credentials.`,
          { status: res.status, ...(words ? { remoteMessage: words } : {}), retryable: false },
        );
      }
      if (!res.ok) {
        throw failureForStatus(res.status, htmlTextOf(text), {
          connectionName: opts.name,
          ...(opts.connectionId ? { connectionId: opts.connectionId } : {}),
        });
      }
      throw new ContractFailure(
        'bad_response',
        `${opts.name} answered with an HTML page${title ? ` ("${title}")` : ''} where JSON was expected.`,
        {
          status: res.status,
          ...(title ? { remoteMessage: title } : {}),
        },
      );
    }

    let parsed: unknown = text;
    if (expect === 'json' && text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (res.ok) {
          throw new ContractFailure(
            'bad_response',
            `${opts.name} sent a response that is not valid JSON (${text.length} bytes${ctype ? `, ${ctype}` : ''}); it may have been cut off.`,
            { status: res.status, retryable: true },
          );
        }
        parsed = text;
      }
    }
    if (!res.ok) {
      throw failureForStatus(res.status, parsed, {
        connectionName: opts.name,
        ...(opts.connectionId ? { connectionId: opts.connectionId } : {}),
        ...(parseRetryAfter(resHeaders['retry-after']) !== undefined ? { retryAfter: parseRetryAfter(resHeaders['retry-after']) } : {}),
      });
    }
    if (expect === 'json' && text.length > 0 && !/json/i.test(ctype)) {
      // Some servers omit the header; the body parsed as JSON, so accept it but never HTML (handled above).
    }
    return { status: res.status, headers: resHeaders, body: parsed as T, url: finalUrl };
  }

  return {
    async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
      const attempts = req.idempotent ? maxAttempts : 1;
      const started = Date.now();
      let refreshed = false;
      for (let attempt = 1; ; attempt++) {
        try {
          return await once<T>(req, refreshed);
        } catch (e) {
          if (!(e instanceof ContractFailure)) throw e;
          // A 401 with a refreshable token gets one new token, for writes too: nothing reached the system.
          if (e.code === 'unauthorized' && !refreshed && opts.authorization && !req.noAuth) {
            refreshed = true;
            attempt--;
            continue;
          }
          const retryable = e.detail?.retryable === true;
          // In a one-shot command a timeout is final (see `quiet`); elsewhere a read is tried again, and the
          // last message counts the tries so its "within N s" is not mistaken for the whole wait.
          if (e.code === 'timeout' && deadlineAt !== undefined) throw e;
          if (!retryable || attempt >= attempts) {
            if (e.code !== 'timeout' || !req.idempotent) throw e;
            if (!quiet || Date.now() >= quiet.until) goQuiet(req.timeoutMs ?? opts.timeoutMs ?? 15_000);
            throw attempt > 1 ? withTries(e, attempt, started) : e;
          }
          const retryAfter = e.detail?.retryAfter;
          if (retryAfter !== undefined && retryAfter > maxRetryAfter) throw e;
          const backoff = retryAfter !== undefined ? retryAfter * 1000 : 250 * 2 ** (attempt - 1) + Math.random() * 100;
          if (deadlineAt !== undefined && Date.now() + backoff >= deadlineAt) throw e;
          await sleep(backoff);
          if (req.signal?.aborted) throw new ContractFailure('cancelled', 'The request was cancelled.');
        }
      }
    },
  };
}
