import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

// Inbound authentication: Basic, OAuth bearer tokens from /oauth_token.do, and the x-sn-apikey header.
// Token endpoint failures use the instance's non-RFC body {"error_description":"access_denied","error":"server_error"}.

export interface Account {
  readonly username: string;
  readonly password: string;
}

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Real lifetime of access tokens; the default instance value is 1800 s (expires_in says 1799). */
  readonly tokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /** The client_credentials grant needs a system property on real instances; on by default here. */
  readonly allowClientCredentials: boolean;
}

export interface AuthConfig {
  readonly account: Account;
  /** Hardened (zBoot) instances refuse Basic for interactive users; false reproduces that. */
  readonly allowBasic: boolean;
  readonly oauth: OAuthClient | undefined;
  readonly apiKey: string | undefined;
}

interface Grant {
  userName: string;
  clientId: string;
  expiresAt: number;
}

export interface TokenResponse {
  status: number;
  body: Record<string, string | number>;
}

const TOKEN_FAILURE: TokenResponse = { status: 401, body: { error_description: 'access_denied', error: 'server_error' } };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class AuthService {
  private readonly accessTokens = new Map<string, Grant>();
  private readonly refreshTokens = new Map<string, Grant>();

  constructor(
    readonly config: AuthConfig,
    private readonly clock: () => number,
  ) {}

  /** The authenticated user_name, or undefined (→ 401). */
  authenticate(headers: IncomingHttpHeaders): string | undefined {
    const header = headers.authorization ?? '';
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const credential = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'basic' && this.config.allowBasic) {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return undefined;
      const user = decoded.slice(0, colon);
      const pass = decoded.slice(colon + 1);
      const { account } = this.config;
      return same(user, account.username) && same(pass, account.password) ? account.username : undefined;
    }
    if (scheme === 'bearer') {
      const grant = this.accessTokens.get(credential);
      if (!grant) return undefined;
      if (grant.expiresAt <= this.clock()) {
        this.accessTokens.delete(credential);
        return undefined;
      }
      return grant.userName;
    }
    const apiKey = headers['x-sn-apikey'];
    if (this.config.apiKey !== undefined && typeof apiKey === 'string' && same(apiKey, this.config.apiKey))
      return this.config.account.username;
    return undefined;
  }

  /** POST /oauth_token.do with an application/x-www-form-urlencoded body. */
  token(form: URLSearchParams): TokenResponse {
    const client = this.config.oauth;
    if (!client) return TOKEN_FAILURE;
    const clientId = form.get('client_id') ?? '';
    const clientSecret = form.get('client_secret') ?? '';
    if (!same(clientId, client.clientId) || !same(clientSecret, client.clientSecret)) return TOKEN_FAILURE;
    const now = this.clock();
    switch (form.get('grant_type')) {
      case 'password': {
        const { account } = this.config;
        if (!same(form.get('username') ?? '', account.username) || !same(form.get('password') ?? '', account.password))
          return TOKEN_FAILURE;
        return this.issue(account.username, client, now, undefined);
      }
      case 'refresh_token': {
        const refresh = form.get('refresh_token') ?? '';
        const grant = this.refreshTokens.get(refresh);
        if (!grant || grant.clientId !== clientId || grant.expiresAt <= now) return TOKEN_FAILURE;
        return this.issue(grant.userName, client, now, refresh);
      }
      case 'client_credentials':
        // Runs as the "OAuth Application User" configured on the registry entry: here, the account.
        return client.allowClientCredentials ? this.issue(this.config.account.username, client, now, undefined) : TOKEN_FAILURE;
      default:
        return TOKEN_FAILURE;
    }
  }

  private issue(userName: string, client: OAuthClient, now: number, keepRefresh: string | undefined): TokenResponse {
    const accessToken = randomBytes(48).toString('base64url');
    const ttl = client.tokenTtlSeconds;
    this.accessTokens.set(accessToken, { userName, clientId: client.clientId, expiresAt: now + ttl * 1000 });
    let refreshToken = keepRefresh;
    if (refreshToken === undefined) {
      refreshToken = randomBytes(48).toString('base64url');
      this.refreshTokens.set(refreshToken, { userName, clientId: client.clientId, expiresAt: now + client.refreshTokenTtlSeconds * 1000 });
    }
    return {
      status: 200,
      body: {
        access_token: accessToken,
        refresh_token: refreshToken,
        scope: 'useraccount',
        token_type: 'Bearer',
        // Instances report one second less than the configured lifespan (1800 → 1799).
        expires_in: Math.max(ttl - 1, 0),
      },
    };
  }

  /** Makes every issued access token expired (refresh tokens keep working). */
  expireAccessTokens(): void {
    const now = this.clock();
    for (const grant of this.accessTokens.values()) grant.expiresAt = Math.min(grant.expiresAt, now);
  }

  /** Revokes everything, as an admin deleting the OAuth credentials would. */
  revokeAll(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }
}
