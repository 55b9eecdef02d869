import { describe, expect, it } from 'vitest';
import { ContractFailure } from '@shared/kernel/result';
import { FailoverHttpClient, memberDown, neverSent } from '../../../electron/core/kernel/http/failover-client';
import type { HttpClient, HttpRequest, HttpResponse } from '../../../electron/core/kernel/http/types';

// The cluster client's one rule that matters most: a write goes to a second member only when the first
// certainly never received it; anything that may have been applied is reported, not repeated.

const refused = (): ContractFailure =>
  new ContractFailure('unreachable', 'AM: nothing is listening at 127.0.0.1:1 (connection refused).', {
    remoteMessage: 'connect ECONNREFUSED 127.0.0.1:1',
    retryable: true,
  });
const timedOut = (): ContractFailure => new ContractFailure('timeout', 'AM did not answer within 5 s.', { retryable: true });
const cut = (): ContractFailure =>
  new ContractFailure('unreachable', 'AM: the connection to 127.0.0.1:1 was cut (ECONNRESET).', { remoteMessage: 'other side closed' });
const badRequest = (): ContractFailure =>
  new ContractFailure('validation', 'AM refused: silence invalid', { status: 400, remoteMessage: 'silence invalid: bad matcher' });
const unavailable = (): ContractFailure => new ContractFailure('remote_error', 'AM: 503', { status: 503 });

function member(behaviour: () => HttpResponse | ContractFailure): HttpClient & { calls: HttpRequest[] } {
  const calls: HttpRequest[] = [];
  return {
    calls,
    request: <T>(req: HttpRequest): Promise<HttpResponse<T>> => {
      calls.push(req);
      const r = behaviour();
      return r instanceof ContractFailure ? Promise.reject(r) : Promise.resolve(r as HttpResponse<T>);
    },
  };
}
const ok = (body: unknown): HttpResponse => ({ status: 200, headers: {}, body, url: 'x' });
const read: HttpRequest = { path: '/api/v2/alerts', idempotent: true };
const write: HttpRequest = { method: 'POST', path: '/api/v2/silences', json: {}, idempotent: false };

describe('FailoverHttpClient', () => {
  it('classifies failures: refused was never sent; a timeout or a cut connection may have been', () => {
    expect(neverSent(refused())).toBe(true);
    expect(neverSent(new ContractFailure('dns', 'no such host'))).toBe(true);
    expect(neverSent(timedOut())).toBe(false);
    expect(neverSent(cut())).toBe(false);
    expect(neverSent(badRequest())).toBe(false);
    expect(memberDown(timedOut())).toBe(true);
    expect(memberDown(unavailable())).toBe(true);
    expect(memberDown(badRequest())).toBe(false);
  });

  it('reads from the next member when one is down, then stays with the one that answered', async () => {
    const a = member(() => refused());
    const b = member(() => ok(['from b']));
    const c = new FailoverHttpClient('AM', [
      { url: 'http://a', client: a },
      { url: 'http://b', client: b },
    ]);
    expect((await c.request(read)).body).toEqual(['from b']);
    expect((await c.request(read)).body).toEqual(['from b']);
    expect(a.calls).toHaveLength(1);
    expect(b.calls).toHaveLength(2);
    expect(c.current()).toBe('http://b');
  });

  it('does not send a write to a second member after a timeout or a cut connection (it may have been applied)', async () => {
    for (const failure of [timedOut, cut]) {
      const a = member(() => failure());
      const b = member(() => ok({ silenceID: 'second' }));
      const c = new FailoverHttpClient('AM', [
        { url: 'http://a', client: a },
        { url: 'http://b', client: b },
      ]);
      await expect(c.request(write)).rejects.toMatchObject({ code: failure().code });
      expect(b.calls).toHaveLength(0);
    }
  });

  it('sends a write to the next member when the first refused the connection', async () => {
    const a = member(() => refused());
    const b = member(() => ok({ silenceID: 's1' }));
    const c = new FailoverHttpClient('AM', [
      { url: 'http://a', client: a },
      { url: 'http://b', client: b },
    ]);
    expect((await c.request(write)).body).toEqual({ silenceID: 's1' });
    expect(b.calls).toHaveLength(1);
  });

  it("returns the cluster's answer about the request itself without asking the other member", async () => {
    const a = member(() => badRequest());
    const b = member(() => ok('never'));
    const c = new FailoverHttpClient('AM', [
      { url: 'http://a', client: a },
      { url: 'http://b', client: b },
    ]);
    await expect(c.request(read)).rejects.toMatchObject({ code: 'validation', detail: { remoteMessage: 'silence invalid: bad matcher' } });
    expect(b.calls).toHaveLength(0);
  });

  it('names every member and its failure when none answers', async () => {
    const c = new FailoverHttpClient(
      'AM',
      [
        { url: 'http://a', client: member(() => refused()) },
        { url: 'http://b', client: member(() => timedOut()) },
      ],
      'am',
    );
    const e = await c.request(read).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ContractFailure);
    const f = e as ContractFailure;
    expect(f.code).toBe('timeout');
    expect(f.message).toContain('http://a: AM: nothing is listening');
    expect(f.message).toContain('http://b: AM did not answer within 5 s.');
    expect(f.detail?.connectionId).toBe('am');
  });
});
