import { describe, expect, it } from 'vitest';
import { KeychainError, KeytarSecretStore, PROBE_ACCOUNT } from '../../../electron/core/kernel/secrets/keytar-store';
import { KEYCHAIN_SERVICE, type SecretLogEvent, type SecretStatus } from '../../../electron/core/kernel/secrets/secret-store';
import { FakeKeytar, MESSAGES } from './fake-keytar';

function store(fake: FakeKeytar, extra: Partial<ConstructorParameters<typeof KeytarSecretStore>[0]> = {}): KeytarSecretStore {
  return new KeytarSecretStore({ loadKeytar: fake.loader(), timeoutMs: 200, platform: 'linux', ...extra });
}

async function keychainError(p: Promise<unknown>): Promise<KeychainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KeychainError) return e;
    throw e;
  }
  throw new Error('expected a KeychainError');
}

describe('KeytarSecretStore', () => {
  it('stores under one service with the account as given', async () => {
    const fake = new FakeKeytar();
    const s = store(fake);
    await s.set('c1:password', 'pw-one');
    await s.set('c1:token', 'tok-one');
    expect(fake.accounts(KEYCHAIN_SERVICE)).toEqual(['c1:password', 'c1:token']);
    expect(await s.get('c1:password')).toBe('pw-one');
    expect(await s.has('c1:token')).toBe(true);
    expect(await s.delete('c1:token')).toBe(true);
    expect(await s.has('c1:token')).toBe(false);
    expect(s.status()).toMatchObject({ backend: 'keychain', state: 'ok' });
  });

  it('loads keytar only on first use', async () => {
    let loads = 0;
    const fake = new FakeKeytar();
    const s = new KeytarSecretStore({
      loadKeytar: async () => {
        loads++;
        return fake.module();
      },
    });
    expect(loads).toBe(0);
    await s.get('a:token');
    await s.get('a:token');
    expect(loads).toBe(1);
  });

  it('degrades to "unavailable" when the native module cannot load, without throwing anything else', async () => {
    const s = new KeytarSecretStore({
      platform: 'linux',
      loadKeytar: async () => {
        throw new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory');
      },
    });
    const e = await keychainError(s.get('a:token'));
    expect(e.state).toBe('unavailable');
    expect(e.code).toBe('secret_store');
    expect(s.status()).toMatchObject({ state: 'unavailable', reason: expect.stringContaining('libsecret-1.so.0') });
    expect(s.status().remedy).toMatch(/libsecret/);
    expect((await s.probe()).state).toBe('unavailable');
  });

  it('treats a module without the keytar functions as unavailable', async () => {
    const s = new KeytarSecretStore({ loadKeytar: async () => ({ default: { hello: 1 } }) });
    expect((await keychainError(s.set('a:token', 'value-1'))).state).toBe('unavailable');
  });

  it.each([
    [MESSAGES.noDaemon, 'no-daemon'],
    [MESSAGES.noDbusX11, 'no-dbus'],
    [MESSAGES.lockedCollection, 'locked'],
    [MESSAGES.activationTimeout, 'timeout'],
    [MESSAGES.winBadData, 'unknown'],
  ] as const)('classifies "%s" as %s and keeps the keychain\'s words', async (message, state) => {
    const fake = new FakeKeytar();
    fake.mode = { kind: 'error', message };
    const s = store(fake);
    const e = await keychainError(s.set('a:password', 'value-1'));
    expect(e.state).toBe(state);
    expect(e.reason).toBe(message);
    expect(s.status()).toMatchObject({ backend: 'keychain', state, reason: message });
  });

  it('scrubs the value from an error that quotes it', async () => {
    const fake = new FakeKeytar();
    fake.mode = { kind: 'error', message: 'bad secret "correct-horse-battery" for item' };
    const logs: SecretLogEvent[] = [];
    const s = store(fake, { log: (e) => logs.push(e) });
    const e = await keychainError(s.set('a:password', 'correct-horse-battery'));
    expect(e.message).not.toContain('correct-horse-battery');
    expect(JSON.stringify(logs)).not.toContain('correct-horse-battery');
    expect(JSON.stringify(s.status())).not.toContain('correct-horse-battery');
    expect(logs.at(-1)).toMatchObject({ account: 'a:password', state: 'unknown' });
  });

  it('times out a hanging call and says so', async () => {
    const fake = new FakeKeytar();
    fake.mode = { kind: 'hang' };
    const s = store(fake, { timeoutMs: 50 });
    const t0 = Date.now();
    const e = await keychainError(s.get('a:password'));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(e.state).toBe('timeout');
    expect(s.status().remedy).toMatch(/0\.1 s|prompt/);
    expect(s.pendingTimeouts()).toBe(1);
    fake.releaseHung();
    await new Promise((r) => setTimeout(r, 0));
    expect(s.pendingTimeouts()).toBe(0);
  });

  it('stops issuing native calls while too many timed-out ones still hold thread-pool threads', async () => {
    const fake = new FakeKeytar();
    fake.mode = { kind: 'hang' };
    const s = store(fake, { timeoutMs: 30, maxPendingTimedOut: 2 });
    await keychainError(s.get('a:password'));
    await keychainError(s.get('b:password'));
    const callsBefore = fake.calls.length;
    const e = await keychainError(s.get('c:password'));
    expect(e.state).toBe('timeout');
    expect(e.reason).toMatch(/still waiting/);
    expect(fake.calls.length).toBe(callsBefore);
    fake.releaseHung();
  });

  it('shares one keychain read among concurrent gets of an account (one prompt, not three)', async () => {
    const fake = new FakeKeytar();
    fake.delayMs = 20;
    const s = store(fake);
    await s.set('a:password', 'pw-1');
    fake.calls.length = 0;
    const results = await Promise.all([s.get('a:password'), s.get('a:password'), s.has('a:password')]);
    expect(results).toEqual(['pw-1', 'pw-1', true]);
    expect(fake.calls.filter((c) => c.op === 'get')).toHaveLength(1);
  });

  it('serialises calls per account, in order, and never joins a read to one from before a write', async () => {
    const fake = new FakeKeytar();
    fake.delayMs = 10;
    const s = store(fake);
    await s.set('a:password', 'old');
    const before = s.get('a:password');
    const write = s.set('a:password', 'new');
    const after = s.get('a:password');
    const other = s.get('b:password');
    expect(await before).toBe('old');
    await write;
    expect(await after).toBe('new');
    expect(await other).toBeNull();
    expect(fake.maxInFlightPerAccount.get('a:password')).toBe(1);
    expect(fake.calls.filter((c) => c.account === 'a:password').map((c) => c.op)).toEqual(['set', 'get', 'set', 'get']);
  });

  it('probes with a sentinel it removes again, and emits status changes', async () => {
    const fake = new FakeKeytar();
    const s = store(fake);
    const seen: SecretStatus[] = [];
    s.onStatusChange((st) => seen.push(st));
    expect((await s.probe()).state).toBe('ok');
    expect(fake.calls.map((c) => `${c.op}:${c.account}`)).toEqual([
      `set:${PROBE_ACCOUNT}`,
      `get:${PROBE_ACCOUNT}`,
      `delete:${PROBE_ACCOUNT}`,
    ]);
    expect(fake.accounts(KEYCHAIN_SERVICE)).toEqual([]);
    fake.mode = { kind: 'locked' };
    expect((await s.probe()).state).toBe('locked');
    expect(seen.map((x) => x.state)).toEqual(['ok', 'locked']);
  });

  it('rejects invalid input before touching the keychain', async () => {
    const fake = new FakeKeytar();
    const s = store(fake);
    await expect(s.set('a:token', 'x'.repeat(3000))).rejects.toThrow(/at most 2,560 bytes/);
    await expect(s.get('')).rejects.toThrow(/non-empty/);
    expect(fake.calls).toHaveLength(0);
  });
});
