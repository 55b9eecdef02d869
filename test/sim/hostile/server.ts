// A hostile upstream: one loopback HTTP server that misbehaves on purpose, per path prefix, the way gateways,
// proxies and half-broken instances do in the field. It speaks just enough of Prometheus, Alertmanager,
// ServiceNow and AWX (./bodies) to be pointed at by any of the four connection kinds, and it records what it
// received so a test can tell which credentials reached it. It stops by itself after `lifetimeMs`.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { plausibleBody } from './bodies';

export type HostileMode =
  /** Behaves: a plausible 200 for the path, with harmless text. */
  | { kind: 'ok' }
  /** Quotes every credential it received in the body (plausible 200 or an error body) and in headers. */
  | { kind: 'echo'; status: number }
  /** 200 with JSON that parses but means nothing (`{"status":"UP"}`). */
  | { kind: 'junk-json' }
  /** 200 application/json that does not parse. */
  | { kind: 'junk-text' }
  /** Accepts the connection and the request, never sends a header. */
  | { kind: 'hang-headers' }
  /** Sends headers and half a body, then nothing. */
  | { kind: 'hang-body' }
  /** A valid JSON answer of `bytes` bytes, streamed with back-pressure (never held in memory). */
  | { kind: 'huge'; bytes: number; declareLength?: boolean }
  /** A JSON error body whose text is not valid UTF-8. */
  | { kind: 'invalid-utf8'; status: number }
  /** An error whose text carries terminal escape sequences (clear screen, set title, hyperlink). */
  | { kind: 'escapes'; status: number }
  /** 302 to the same path on another origin (where a credential-forwarding client would send the secret). */
  | { kind: 'redirect'; to: string; status?: number }
  /** 429 with a Retry-After far longer than anyone should wait. */
  | { kind: 'retry-after'; seconds: number }
  /**
   * Forwards the request to a real server (a simulator) and, with `dropAnswer`, never passes its answer back:
   * the write happened, the client never hears so. `'reset'` cuts the connection once the real server has
   * answered, as a load balancer restarting mid-request does.
   */
  | { kind: 'proxy'; to: string; dropAnswer?: boolean | 'reset' };

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Every credential found in the request: Authorization header, its basic user:password or bearer token,
   *  OAuth client secret / password / refresh token from a form body, passwords in a JSON body. */
  credentials: string[];
  at: number;
}

export interface HostileOptions {
  mode?: HostileMode;
  /** The server closes itself after this long (tests that forget to close must not keep the run alive). */
  lifetimeMs?: number;
}

export interface HostileServer {
  url: string;
  origin: string;
  port: number;
  received: ReceivedRequest[];
  /** The mode for every path without an override. */
  set(mode: HostileMode): void;
  /** The mode for paths starting with `prefix` (longest prefix wins). */
  route(prefix: string, mode: HostileMode): void;
  clearRoutes(): void;
  /** All credential strings received so far (deduplicated). */
  credentialsReceived(): string[];
  close(): Promise<void>;
}

export const ESCAPES = '\u001b[2J\u001b]0;pwned\u0007\u001b]8;;http://evil.invalid\u001b\\click\u001b]8;;\u001b\\\u009b31m';

const FORM_SECRETS = ['client_secret', 'password', 'refresh_token'];

function credentialsOf(headers: IncomingMessage['headers'], body: string): string[] {
  const out = new Set<string>();
  const auth = headers.authorization;
  if (auth) {
    out.add(auth);
    const [scheme, value = ''] = auth.split(/\s+/, 2);
    if (value) out.add(value);
    if (/^basic$/i.test(scheme ?? '')) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      out.add(decoded);
      const colon = decoded.indexOf(':');
      if (colon >= 0) out.add(decoded.slice(colon + 1));
    }
  }
  const ctype = String(headers['content-type'] ?? '');
  if (/x-www-form-urlencoded/.test(ctype)) {
    const form = new URLSearchParams(body);
    for (const k of FORM_SECRETS) {
      const v = form.get(k);
      if (v) out.add(v);
    }
  } else if (/json/.test(ctype)) {
    try {
      const j = JSON.parse(body) as Record<string, unknown>;
      for (const k of FORM_SECRETS) if (typeof j[k] === 'string') out.add(j[k]);
    } catch {
      // not JSON after all: nothing to collect
    }
  }
  return [...out].filter((c) => c.length > 0);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', ...headers });
  res.end(text);
}

/** Writes `bytes` bytes of valid JSON in 64 KiB chunks, waiting for the socket to drain between them. */
function streamHuge(res: ServerResponse, bytes: number, declareLength: boolean): void {
  const head = '{"status":"success","data":{"resultType":"vector","result":[]},"pad":"';
  const tail = '"}';
  const padTotal = Math.max(0, bytes - head.length - tail.length);
  res.writeHead(200, { 'Content-Type': 'application/json', ...(declareLength ? { 'Content-Length': String(bytes) } : {}) });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let left = padTotal;
  res.write(head);
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(tail);
  };
  res.on('close', () => (left = 0));
  pump();
}

export async function startHostileServer(opts: HostileOptions = {}): Promise<HostileServer> {
  let fallback: HostileMode = opts.mode ?? { kind: 'ok' };
  const routes = new Map<string, HostileMode>();
  const received: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();

  const modeFor = (path: string): HostileMode => {
    let best: [string, HostileMode] | undefined;
    for (const [prefix, mode] of routes) if (path.startsWith(prefix) && (!best || prefix.length > best[0].length)) best = [prefix, mode];
    return best ? best[1] : fallback;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://hostile.invalid');
    const path = url.pathname;
    const credentials = credentialsOf(req.headers, body);
    received.push({ method: req.method ?? 'GET', path, headers: req.headers, body, credentials, at: Date.now() });
    const mode = modeFor(path);
    switch (mode.kind) {
      case 'ok':
        return send(res, 200, plausibleBody(path, 'harmless'));
      case 'echo': {
        const quoted = credentials.join(' | ') || 'no credentials';
        // Headers can only carry latin-1; encode anything else so the server never throws on an exotic secret.
        const headerSafe = encodeURIComponent(quoted);
        const headers = {
          'X-Echo-Authorization': req.headers.authorization ? encodeURIComponent(req.headers.authorization) : 'none',
          'WWW-Authenticate': `Basic realm="${headerSafe}"`,
          'X-Echo-Credentials': headerSafe,
        };
        if (mode.status < 400) {
          // OAuth token calls must still succeed so the echo reaches the API calls behind them.
          if (path.endsWith('/oauth_token.do'))
            return send(res, 200, { access_token: `tok-${quoted}`, refresh_token: `ref-${quoted}`, expires_in: 1800 }, headers);
          return send(res, mode.status, plausibleBody(path, quoted), headers);
        }
        if (path.endsWith('/oauth_token.do'))
          return send(res, mode.status, { error: 'invalid_client', error_description: `You sent ${quoted}` }, headers);
        return send(
          res,
          mode.status,
          {
            error: { message: `Invalid credentials: ${quoted}`, detail: `You sent ${quoted}` },
            detail: `You sent ${quoted}`,
            message: `Invalid credentials: ${quoted}`,
            status: 'failure',
          },
          headers,
        );
      }
      case 'junk-json':
        return send(res, 200, { status: 'UP' });
      case 'junk-text':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"status":"success","data":{"resultType":"vector","result":[{"metric":');
        return;
      case 'hang-headers':
        return; // the socket stays open; close() destroys it
      case 'hang-body':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100000' });
        res.write('{"status":"success","data":{"resultType":"vector","result":[');
        return;
      case 'huge':
        return streamHuge(res, mode.bytes, mode.declareLength ?? false);
      case 'invalid-utf8': {
        const bad = Buffer.concat([
          Buffer.from('{"error":"bad \u00e9 '),
          Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
          Buffer.from('","message":"broken \u2603 '),
          Buffer.from([0xe2, 0x82]),
          Buffer.from('"}'),
        ]);
        res.writeHead(mode.status, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(bad);
        return;
      }
      case 'escapes':
        return send(res, mode.status, {
          error: { message: `Gateway fault ${ESCAPES}`, detail: ESCAPES },
          detail: `Gateway fault ${ESCAPES}`,
          message: `Gateway fault ${ESCAPES}`,
          status: 'failure',
        });
      case 'redirect':
        res.writeHead(mode.status ?? 302, { Location: `${mode.to.replace(/\/$/, '')}${url.pathname}${url.search}` });
        res.end();
        return;
      case 'proxy': {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
        const method = req.method ?? 'GET';
        void fetch(`${mode.to.replace(/\/$/, '')}${url.pathname}${url.search}`, {
          method,
          headers,
          ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
          redirect: 'manual',
        })
          .then(async (r) => {
            const text = await r.text();
            if (mode.dropAnswer === 'reset') {
              req.socket.destroy();
              return;
            }
            if (mode.dropAnswer) return; // the socket stays open; close() destroys it
            res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/json' });
            res.end(text);
          })
          .catch(() => res.destroy());
        return;
      }
      case 'retry-after':
        return send(
          res,
          429,
          { error: { message: 'Too many requests' }, detail: 'Too many requests' },
          { 'Retry-After': String(mode.seconds) },
        );
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => undefined);
    res.on('error', () => undefined);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  server.on('clientError', (_e, s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((r) => {
      clearTimeout(lifetime);
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
    return closed;
  };
  const lifetime = setTimeout(() => void close(), opts.lifetimeMs ?? 10 * 60_000);
  lifetime.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    set: (m) => {
      fallback = m;
    },
    route: (prefix, m) => void routes.set(prefix, m),
    clearRoutes: () => routes.clear(),
    credentialsReceived: () => [...new Set(received.flatMap((r) => r.credentials))],
    close,
  };
}
