import { ContractFailure } from '@shared/kernel/result';
import type { Auth, ConnectionSpec, SecretRef } from '@shared/connections/model';
import { buildUrl } from '../http/http-client';

export type ResolveSecret = (ref: SecretRef, field: string) => Promise<string>;

/**
 * The Authorization header for a connection, read from the secret store at request time: secrets are never
 * cached beyond what a token grant needs. ServiceNow OAuth uses the password grant and refreshes its token.
 */
export function authorizationFor(
  spec: ConnectionSpec,
  resolve: ResolveSecret,
  fetchImpl: typeof fetch = fetch,
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
        try {
          res = await fetchImpl(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: new URLSearchParams(form).toString(),
            signal: AbortSignal.timeout(spec.timeoutMs ?? 15_000),
          });
        } catch (e) {
          throw new ContractFailure('unreachable', `${spec.name}: the OAuth token request failed: ${(e as Error).message}`, {
            retryable: true,
          });
        }
        const text = await res.text();
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // ServiceNow answers some OAuth errors with an empty or HTML body.
        }
        if (!res.ok || typeof body.access_token !== 'string') {
          const words = [body.error, body.error_description].filter((x) => typeof x === 'string').join(': ') || `HTTP ${res.status}`;
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
