// Authentication in AWX's order: OAuth2 Bearer token, then the session cookie, then HTTP Basic.
// A credential that does not check out is treated like no credential at all: every failure ends in the
// same 401 body (see http-kit.ts).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, forbidden, parseCookies } from './http-kit';
import type { SimState } from './state';
import type { SimSession, SimUser, TokenScope } from './types';

export const SESSION_COOKIE = 'awx_sessionid';
export const CSRF_COOKIE = 'csrftoken';

export interface AuthContext {
  user: SimUser;
  method: 'bearer' | 'session' | 'basic';
  scope: TokenScope;
  session?: SimSession;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function authenticate(headers: IncomingHttpHeaders, state: SimState): AuthContext | null {
  const authorization = headers.authorization ?? '';
  const [scheme = '', credential = ''] = authorization.split(/\s+/, 2);

  if (scheme.toLowerCase() === 'bearer' && credential) {
    const token = state.tokens.get(credential);
    const user = token ? state.user(token.userId) : undefined;
    if (token && user) return { user, method: 'bearer', scope: token.scope };
  }

  const sessionKey = parseCookies(headers.cookie).get(SESSION_COOKIE);
  if (sessionKey) {
    const session = state.sessions.get(sessionKey);
    const user = session ? state.user(session.userId) : undefined;
    if (session && user) return { user, method: 'session', scope: 'read write', session };
  }

  if (scheme.toLowerCase() === 'basic' && credential) {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      const user = state.userByName(decoded.slice(0, colon));
      if (user && sameText(user.password, decoded.slice(colon + 1))) {
        return { user, method: 'basic', scope: 'read write' };
      }
    }
  }
  return null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Write rules that hold before any view runs: token scope, and CSRF for cookie sessions. */
export function checkWriteAllowed(auth: AuthContext, method: string, headers: IncomingHttpHeaders): void {
  if (SAFE_METHODS.has(method)) return;
  if (auth.method === 'session') {
    const header = headers['x-csrftoken'];
    const sent = Array.isArray(header) ? header[0] : header;
    const cookie = parseCookies(headers.cookie).get(CSRF_COOKIE);
    if (!sent || !cookie) throw new ApiError(403, { detail: 'CSRF Failed: CSRF token missing.' });
    if (sent !== cookie) throw new ApiError(403, { detail: 'CSRF Failed: CSRF token incorrect.' });
  }
  if (!auth.scope.split(' ').includes('write')) throw forbidden();
}

export function canLaunch(auth: AuthContext): boolean {
  return auth.scope.split(' ').includes('write') && (auth.user.isSuperuser || auth.user.canLaunch);
}
