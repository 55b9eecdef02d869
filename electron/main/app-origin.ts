// Where the renderer lives. The app is served from its own privileged scheme rather than file:// so that it
// has a real origin (CSP 'self', fetch and IPC sender checks mean something) and cannot read the disk.

export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The origin of a URL as the console compares them, or null for anything without one. Node's URL reports the
 * origin of non-special schemes such as app: as "null", so app: is spelled out here; http(s) keep their usual
 * origin (the electron-vite dev server in development).
 */
export function originOf(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.username || u.password) return null;
  if (u.protocol === `${APP_SCHEME}:`) return u.host ? `${APP_SCHEME}://${u.host.toLowerCase()}` : null;
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin;
  return null;
}

/** True when `url` belongs to one of the console's own origins. */
export function isAppUrl(url: string, allowedOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && allowedOrigins.includes(origin);
}
