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

  it("a hanging token request ends by the command's deadline, not the connection's 15 s, and says so", async () => {
    let asked = 0;
    const hanging = ((_url: unknown, init?: { signal?: AbortSignal }) => {
      asked++;
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }) as typeof fetch;
    const auth = authorizationFor(spec, async () => 'x', hanging, Date.now() + 300);
    if (!auth) throw new Error('no authorization for oauth');
    const started = Date.now();
    const error = await auth({ refresh: false }).then(
      () => null,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(asked).toBe(1);
    expect(error?.code).toBe('timeout');
    expect(error?.message).toContain("all that was left of the command's deadline");
    expect(error?.message).toContain('OAuth token request');
    // Far below the connection's own 15 s: the deadline, not the connection timeout, ended the wait.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('sends no token request once the deadline has passed', async () => {
    const { fetchImpl, grants } = tokenServer();
    const auth = authorizationFor(spec, async () => 'x', fetchImpl, Date.now() - 1);
    if (!auth) throw new Error('no authorization for oauth');
    await expect(auth({ refresh: false })).rejects.toMatchObject({ code: 'timeout' });
    expect(grants).toHaveLength(0);
  });

  it('without a deadline, the connection timeout is what ends the wait (the message names no deadline)', async () => {
    const hanging = ((_url: unknown, init?: { signal?: AbortSignal }) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const auth = authorizationFor({ ...spec, timeoutMs: 200 }, async () => 'x', hanging);
    if (!auth) throw new Error('no authorization for oauth');
    const error = await auth({ refresh: false }).then(
      () => null,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(error?.code).toBe('timeout');
    expect(error?.message).not.toContain('deadline');
  });
});
