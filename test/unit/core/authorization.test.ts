import { describe, expect, it } from 'vitest';
import { authorizationFor } from '../../../electron/core/kernel/connections/authorization';
import type { ConnectionSpec } from '@shared/connections/model';

const spec: ConnectionSpec = {
  id: 'snow',
  kind: 'servicenow',
  name: 'ServiceNow',
  url: 'https://snow.example',
  auth: {
    type: 'oauth',
    clientId: 'cid',
    clientSecret: { secret: { keychain: 'cs' } },
    username: 'ops',
    password: { secret: { keychain: 'pw' } },
  },
};

function tokenServer(): { fetchImpl: typeof fetch; grants: URLSearchParams[] } {
  const grants: URLSearchParams[] = [];
  const fetchImpl = (async (_url: unknown, init?: { body?: unknown }) => {
    const form = new URLSearchParams(String(init?.body ?? ''));
    grants.push(form);
    await new Promise((r) => setTimeout(r, 10));
    const n = grants.length;
    return new Response(JSON.stringify({ access_token: `access-${n}`, refresh_token: `refresh-${n}`, expires_in: 1800 }), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  }) as typeof fetch;
  return { fetchImpl, grants };
}

describe('OAuth password grant', () => {
  it('signs in once for parallel first requests', async () => {
    const { fetchImpl, grants } = tokenServer();
    const auth = authorizationFor(spec, async (ref) => ('keychain' in ref.secret ? `value-of-${ref.secret.keychain}` : ''), fetchImpl);
    if (!auth) throw new Error('no authorization for oauth');
    const headers = await Promise.all(Array.from({ length: 5 }, () => auth({ refresh: false })));
    expect(grants).toHaveLength(1);
    expect(grants[0]?.get('grant_type')).toBe('password');
    expect(grants[0]?.get('client_secret')).toBe('value-of-cs');
    expect(new Set(headers)).toEqual(new Set(['Bearer access-1']));
  });

  it('uses the refresh token after a 401, once for parallel callers', async () => {
    const { fetchImpl, grants } = tokenServer();
    const auth = authorizationFor(spec, async () => 'x', fetchImpl);
    if (!auth) throw new Error('no authorization for oauth');
    await auth({ refresh: false });
    const after = await Promise.all([auth({ refresh: true }), auth({ refresh: true })]);
    expect(grants.map((g) => g.get('grant_type'))).toEqual(['password', 'refresh_token']);
    expect(grants[1]?.get('refresh_token')).toBe('refresh-1');
    expect(after).toEqual(['Bearer access-2', 'Bearer access-2']);
  });
});
