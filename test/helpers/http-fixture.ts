import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface Fixture {
  url: string;
  port: number;
  hits: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  route(path: string, fn: Route): void;
  close(): Promise<void>;
}

/** A loopback HTTP(S) server with programmable routes, for testing clients against exact server behaviour. */
export async function startFixture(tls?: { key: string; cert: string }): Promise<Fixture> {
  const routes = new Map<string, Route>();
  const hits: Fixture['hits'] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      hits.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
      const fn = routes.get(path);
      if (!fn) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ detail: 'Not found.' }));
        return;
      }
      fn(req, res, body);
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    hits,
    route: (p, fn) => routes.set(p, fn),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
