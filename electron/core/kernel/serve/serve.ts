import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import {
  ClientMessage,
  MAX_BRIDGE_FRAME_BYTES,
  MAX_BUFFERED_BYTES_PER_SOCKET,
  MAX_CALLS_IN_FLIGHT_PER_SOCKET,
  MAX_SUBSCRIPTIONS_PER_SOCKET,
} from '@shared/kernel/bridge';
import type { ServerMessage } from '@shared/kernel/bridge';
import type { ErrorCode } from '@shared/kernel/result';
import { CONTENT_SECURITY_POLICY } from '@shared/kernel/csp';
import type { Dispatcher, Subscription } from '../dispatch/dispatcher';
import { createBatchingSink } from '../dispatch/batching';
import { readStatic } from './static-files';
import { wallCookie } from './wall-pairing';
import type { WallPairing } from './wall-pairing';

export interface ServeOptions {
  dispatcher: Dispatcher;
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; random per run otherwise. */
  token?: string;
  batchIntervalMs?: number;
  log?: (line: string) => void;
  /** `toc serve --wall`: a paired wall's cookie opens the bridge in place of the token; `/pair?code=` pairs one. */
  pairing?: WallPairing;
}

export interface ServeHandle {
  url: string;
  port: number;
  token: string;
  /** The URL to open: carries the per-run token. */
  openUrl: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * `toc serve`: the built renderer and the WebSocket bridge on 127.0.0.1 only. Three checks stand between a web
 * page and the core: the Host header (no DNS rebinding), the Origin of the WebSocket (same origin only) and a
 * random per-run token (another local user or page cannot guess it).
 */
export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const log = opts.log ?? (() => undefined);
  let port = 0;
  const allowedHosts = (): Set<string> => new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const hostOk = (req: IncomingMessage): boolean => allowedHosts().has((req.headers.host ?? '').toLowerCase());
  const originOk = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    return origin !== undefined && origin === `http://${(req.headers.host ?? '').toLowerCase()}`;
  };
  const tokenOk = (given: string | null): boolean => {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };

  const server = http.createServer(async (req, res) => {
    const baseHeaders = {
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    if (!hostOk(req)) {
      res.writeHead(421, { 'Content-Type': 'text/plain', ...baseHeaders });
      res.end('Misdirected request: this server answers only to 127.0.0.1 and localhost.\n');
      return;
    }
    const reqUrl = new URL(req.url ?? '/', 'http://x');
    if (opts.pairing && reqUrl.pathname === '/pair' && req.method === 'GET') {
      const key = await opts.pairing.redeem(reqUrl.searchParams.get('code') ?? '');
      if (!key) {
        log('pairing: refused a used, expired or unknown pairing code');
        res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', ...baseHeaders });
        res.end('This pairing link was already used or has expired. Run "toc serve --wall" again on the console PC for a new one.\n');
        return;
      }
      log('pairing: a wall was paired');
      res.writeHead(303, { Location: '/#/wall', 'Set-Cookie': wallCookie(key), ...baseHeaders });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', ...baseHeaders });
      res.end();
      return;
    }
    const file = await readStatic(opts.rendererDir, reqUrl.pathname);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...baseHeaders });
      res.end('Not found\n');
      return;
    }
    const isHtml = file.type.startsWith('text/html');
    res.writeHead(200, {
      'Content-Type': file.type,
      ...baseHeaders,
      ...(isHtml ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Frame-Options': 'DENY' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_FRAME_BYTES });
  const refuse = (socket: Duplex, status: number, reason: string): void => {
    log(`bridge: refused a WebSocket (${reason})`);
    socket.end(
      `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Bad Request'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`,
    );
  };
  server.on('upgrade', (req, socket, head) => {
    // Node hands the raw socket over without its own error listener: a client that resets mid-handshake would
    // otherwise raise an unhandled 'error' and end the process.
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/bridge') return refuse(socket, 400, 'unknown path');
    if (!hostOk(req)) return refuse(socket, 403, 'host not allowed');
    if (!originOk(req)) return refuse(socket, 403, 'cross-origin WebSocket refused');
    const paired = opts.pairing?.isPaired(req.headers.cookie) ?? false;
    if (!paired && !tokenOk(url.searchParams.get('token'))) return refuse(socket, 403, 'missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => serveBridge(ws, opts.dispatcher, opts.batchIntervalMs ?? 30, log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `http://${HOST}:${port}/`;
  return {
    url,
    port,
    token,
    openUrl: `${url}?token=${encodeURIComponent(token)}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function serveBridge(ws: WebSocket, dispatcher: Dispatcher, batchIntervalMs: number, log: (line: string) => void): void {
  const subs = new Map<number, { sub: Subscription; flushClose: () => void }>();
  const calls = new Map<number, AbortController>();
  const send = (m: ServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(m);
    } catch (e) {
      log(`bridge: could not encode an answer (${(e as Error).message})`);
      return;
    }
    // A client that stops reading (a frozen tab, a hostile page) would make us queue its events without end.
    // Judged on the backlog before this message, so one large answer to a client that reads is never cut. A close
    // frame would wait behind the backlog, so the socket is cut; the page's bridge reconnects.
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES_PER_SOCKET) {
      log(`bridge: dropped a client that stopped reading (${Math.round(ws.bufferedAmount / 1_048_576)} MiB waiting)`);
      ws.terminate();
      return;
    }
    ws.send(text);
  };
  const refuse = (id: number, code: ErrorCode, message: string): void => send({ t: 'sub-error', id, error: { code, message } });
  // ws closes the socket itself (1009 for a frame over maxPayload, 1007 for text that is not UTF-8, 1002 for a
  // broken frame) and then reports the reason here; without a listener the report would end the process.
  ws.on('error', (e: Error & { code?: string }) => log(`bridge: closed a client socket (${e.code ?? 'error'}: ${e.message})`));
  ws.on('message', (data, isBinary) => {
    void handle(data, isBinary).catch((e: unknown) => log(`bridge: a message failed (${(e as Error).message})`));
  });
  const handle = async (data: WebSocket.RawData, isBinary: boolean): Promise<void> => {
    if (isBinary) return refuse(-1, 'bad_request', 'Binary messages are not part of the bridge.');
    let raw: unknown;
    try {
      raw = JSON.parse(String(data));
    } catch {
      return refuse(-1, 'bad_request', 'The message is not JSON.');
    }
    const parsed = ClientMessage.safeParse(raw);
    if (!parsed.success) return refuse(-1, 'bad_request', 'The message does not follow the bridge protocol.');
    const m = parsed.data;
    switch (m.t) {
      case 'call': {
        if (calls.size >= MAX_CALLS_IN_FLIGHT_PER_SOCKET) {
          send({
            t: 'result',
            id: m.id,
            result: {
              ok: false,
              error: {
                code: 'rate_limited',
                message: `This page has ${MAX_CALLS_IN_FLIGHT_PER_SOCKET} calls waiting already; wait for some to answer.`,
                detail: { retryable: true },
              },
            },
          });
          return;
        }
        const ac = new AbortController();
        calls.set(m.id, ac);
        try {
          const result = await dispatcher.call(m.method, m.args, { transport: 'ws', signal: ac.signal });
          send({ t: 'result', id: m.id, result });
        } finally {
          calls.delete(m.id);
        }
        return;
      }
      case 'cancel':
        calls.get(m.id)?.abort();
        return;
      case 'sub': {
        if (subs.has(m.id)) return refuse(m.id, 'bad_request', 'Subscription id already in use.');
        if (subs.size >= MAX_SUBSCRIPTIONS_PER_SOCKET)
          return refuse(
            m.id,
            'bad_request',
            `This page already holds ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions, the most one connection may have; close some first.`,
          );
        const sink = createBatchingSink<unknown>((batch) => send({ t: 'events', id: m.id, batch }), { intervalMs: batchIntervalMs });
        const r = dispatcher.subscribe(m.topic, m.args, (p) => sink.push(p));
        if (!r.ok) return send({ t: 'sub-error', id: m.id, error: r.error });
        subs.set(m.id, { sub: r.data, flushClose: () => sink.close() });
        return;
      }
      case 'unsub': {
        const s = subs.get(m.id);
        s?.sub.stop();
        s?.flushClose();
        subs.delete(m.id);
        return;
      }
    }
  };
  ws.on('close', () => {
    for (const s of subs.values()) s.sub.stop();
    subs.clear();
    for (const c of calls.values()) c.abort();
    calls.clear();
  });
}
