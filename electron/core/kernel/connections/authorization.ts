import { ContractFailure } from '@shared/kernel/result';
import type { Auth, ConnectionSpec, SecretRef } from '@shared/connections/model';
import { buildUrl, formatSeconds } from '../http/http-client';
import { failureForStatus, parseRetryAfter, remoteMessageOf } from '../http/remote-errors';

/** A token answer is a few hundred bytes; anything past this is not one. */
const TOKEN_BODY_LIMIT = 1024 * 1024;

async function readCapped(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ContractFailure(
        'bad_response',
        `The OAuth token request was answered with more than ${limit / (1024 * 1024)} MB; a token answer is a few hundred bytes.`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

export type ResolveSecret = (ref: SecretRef, field: string) => Promise<string>;

/**
 * The Authorization header for a connection, read from the secret store at request time: secrets are never
 * cached beyond what a token grant needs. ServiceNow OAuth uses the password grant and refreshes its token.
 */
export function authorizationFor(
  spec: ConnectionSpec,
  resolve: ResolveSecret,
  fetchImpl: typeof fetch = fetch,
  /** A one-shot command's overall deadline (epoch ms): the token request ends by then too. */
  deadlineAt?: number,
): ((o: { refresh: boolean }) => Promise<string | null>) | undefined {
  const auth: Auth = spec.auth;
  switch (auth.type) {
    case 'none':
    case 'mtls':
      return undefined;
    case 'basic':
      return async () => `Basic ${Buffer.from(`${auth.username}:${await resolve(auth.password, 'password')}`).toString('base64')}`;
    case 'bearer':
      return async () => `Bearer ${await resolve(auth.token, 'token')}`;
    case 'oauth': {
      let token: { access: string; refresh?: string; expiresAt: number } | null = null;
      const grant = async (form: Record<string, string>): Promise<typeof token> => {
        const url = buildUrl(spec.url, '/oauth_token.do');
        let res: Response;
        let text: string;
        const ownTimeoutMs = spec.timeoutMs ?? 15_000;
        const left = deadlineAt === undefined ? Infinity : deadlineAt - Date.now();
        if (left <= 0)
          throw new ContractFailure('timeout', `${spec.name}: the OAuth token request was not sent: the command's deadline has passed.`, {
            retryable: true,
          });
        const timeoutMs = Math.min(ownTimeoutMs, left);
        // Said when the command's deadline, not the connection's own timeout, cut the wait short.
        const cut = timeoutMs < ownTimeoutMs ? " (all that was left of the command's deadline)" : '';
        const signal = AbortSignal.timeout(timeoutMs);
        try {
          res = await fetchImpl(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: new URLSearchParams(form).toString(),
            signal,
            // A 307/308 keeps the body: following it would hand the client secret and password to wherever
            // the redirect points.
            redirect: 'manual',
          });
          text = res.status >= 300 && res.status < 400 ? '' : await readCapped(res, TOKEN_BODY_LIMIT);
        } catch (e) {
          if (e instanceof ContractFailure) throw e;
          if (signal.aborted)
            throw new ContractFailure(
              'timeout',
              `${spec.name} did not answer within ${formatSeconds(timeoutMs)}${cut} (the OAuth token request).`,
              {
                retryable: true,
              },
            );
          throw new ContractFailure('unreachable', `${spec.name}: the OAuth token request failed: ${(e as Error).message}`, {
            retryable: true,
          });
        }
        if (res.status >= 300 && res.status < 400) {
          const to = res.headers.get('location') ?? '(no Location)';
          throw new ContractFailure(
            'bad_response',
            `${spec.name}: the OAuth token request was answered with a redirect (HTTP ${res.status} to ${to.slice(0, 200)}); the client secret and password are not sent on. Check the connection URL.`,
            { status: res.status },
          );
        }
        let body: Record<string, unknown> = {};
        let parsed = false;
        try {
          const j = JSON.parse(text) as unknown;
          if (typeof j === 'object' && j !== null) [body, parsed] = [j as Record<string, unknown>, true];
        } catch {
          // ServiceNow answers some OAuth errors with an empty or HTML body.
        }
        const words =
          [body.error, body.error_description].filter((x) => typeof x === 'string').join(': ') ||
          remoteMessageOf(body) ||
          `HTTP ${res.status}`;
        if (res.status === 429 || res.status >= 500) {
          const retryAfter = parseRetryAfter(res.headers.get('retry-after') ?? undefined);
          throw failureForStatus(res.status, parsed ? body : text.slice(0, 200), {
            connectionName: `${spec.name} (OAuth token request)`,
            connectionId: spec.id,
            ...(retryAfter !== undefined ? { retryAfter } : {}),
          });
        }
        if (res.ok && !parsed)
          throw new ContractFailure(
            'bad_response',
            `${spec.name} answered the OAuth token request with something that is not valid JSON (${text.length} bytes).`,
            { status: res.status },
          );
        if (!res.ok || typeof body.access_token !== 'string') {
          throw new ContractFailure('unauthorized', `${spec.name}: the OAuth token was refused (${words}).`, {
            status: res.status,
            remoteMessage: words,
          });
        }
        return {
          access: body.access_token,
          ...(typeof body.refresh_token === 'string' ? { refresh: body.refresh_token } : {}),
          expiresAt: Date.now() + (Number(body.expires_in) || 1800) * 1000,
        };
      };
      const passwordGrant = async (): Promise<typeof token> =>
        grant({
          grant_type: 'password',
          client_id: auth.clientId,
          client_secret: await resolve(auth.clientSecret, 'clientSecret'),
          username: auth.username,
          password: await resolve(auth.password, 'password'),
        });
      // One grant at a time: parallel first requests must share a token, not each sign in.
      let inFlight: Promise<void> | null = null;
      const renew = async (): Promise<void> => {
        if (token?.refresh) {
          try {
            token = await grant({
              grant_type: 'refresh_token',
              client_id: auth.clientId,
              client_secret: await resolve(auth.clientSecret, 'clientSecret'),
              refresh_token: token.refresh,
            });
            return;
          } catch {
            // an expired or revoked refresh token: sign in again with the password
          }
        }
        token = await passwordGrant();
      };
      return async ({ refresh }) => {
        const stale = !token || token.expiresAt - 30_000 < Date.now();
        if ((refresh || stale) && !inFlight) {
          inFlight = renew().finally(() => {
            inFlight = null;
          });
        }
        if (inFlight) await inFlight;
        return token ? `Bearer ${token.access}` : null;
      };
    }
  }
}
