import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '@shared/kernel/csp';
import { APP_HOST, APP_SCHEME } from './app-origin';

// The renderer is served from app://console/ out of the built renderer folder and nothing else: no file://
// (which would let a page read any file the user can), no directory outside the root, no other host.

/**
 * Must run before the app is ready. `standard` gives app:// real origins and relative URL resolution,
 * `secure` makes it a secure context like https, `supportFetchAPI` lets the page fetch its own assets.
 * Not `bypassCSP`: the app's own pages obey the CSP like any other.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Installs the handler (after ready). Returns the function that removes it. */
export function handleAppProtocol(rootDir: string): () => void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rootDir));
  return () => protocol.unhandle(APP_SCHEME);
}

// Traversal spelled in the raw URL: dot segments (literal or percent-encoded), encoded separators, and an
// encoded percent sign (double encoding, for anything downstream that decodes twice). URL parsing would quietly
// fold some of these away; a request that contains one is refused outright instead. The built renderer has
// no file name that needs any of them.
const RAW_TRAVERSAL = /(?:^|[/\\]|%2f|%5c)(?:\.|%2e){2}(?:$|[/\\?#]|%2f|%5c)/i;
const RAW_FORBIDDEN = /%2f|%5c|%00|%25|\\|\0/i;

/**
 * The file under `rootDir` that an app:// URL names, or null when the URL must be refused: another scheme or
 * host, a port or credentials, traversal in any spelling, encoded separators, NUL, or a path that resolves
 * outside the root. `/` maps to index.html.
 */
export function resolveAppPath(rootDir: string, url: string): string | null {
  // Only the path matters: a query or fragment is never mapped to the disk.
  const rawPath = url.split(/[?#]/, 1)[0] ?? '';
  if (RAW_TRAVERSAL.test(rawPath) || RAW_FORBIDDEN.test(rawPath)) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host.toLowerCase() !== APP_HOST || u.username || u.password) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || s.includes('\0') || s.includes('\\'))) return null;
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const root = path.resolve(rootDir);
  const full = path.resolve(root, relative);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  return full;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every response; the CSP is what matters on HTML, the rest keeps browsers from guessing. */
export function responseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: responseHeaders('text/plain; charset=utf-8') });
}

/** The protocol handler itself, separate from Electron so tests can call it with plain Requests. */
export function createAppProtocolHandler(rootDir: string): (request: { url: string; method: string }) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = resolveAppPath(rootDir, request.url);
    if (!file) return plain(403, 'Forbidden');
    let body: Buffer;
    let served = file;
    try {
      body = await readFile(file);
    } catch {
      // Client-side routes (no file extension) get the app shell; a missing asset stays a 404.
      if (path.extname(file) !== '') return plain(404, 'Not found');
      served = path.join(path.resolve(rootDir), 'index.html');
      try {
        body = await readFile(served);
      } catch {
        return plain(404, 'Not found');
      }
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: responseHeaders(contentTypeOf(served)),
    });
  };
}
