import { describe, expect, it } from 'vitest';
import {
  openSecretStore,
  type ResilientSecretStore,
  type OpenSecretStoreOptions,
} from '../../../electron/core/kernel/secrets/resilient-store';
import { SecretRegistry } from '../../../electron/core/kernel/secrets/redact';
import { KEYCHAIN_SERVICE, type SecretLogEvent, type SecretStatus } from '../../../electron/core/kernel/secrets/secret-store';
import type { KeytarModule } from '../../../electron/core/kernel/secrets/keytar-store';
import { FakeKeytar, MESSAGES } from './fake-keytar';

interface Harness {
  fake: FakeKeytar;
  store: ResilientSecretStore;
  statuses: SecretStatus[];
  logs: SecretLogEvent[];
  registry: SecretRegistry;
}

async function open(fake = new FakeKeytar(), opts: OpenSecretStoreOptions = {}): Promise<Harness> {
  const logs: SecretLogEvent[] = [];
  const registry = new SecretRegistry();
  const store = await openSecretStore({
    loadKeytar: fake.loader(),
    timeoutMs: 100,
    platform: 'linux',
    registry,
    log: (e) => logs.push(e),
    ...opts,
  });
  const statuses: SecretStatus[] = [];
  store.onStatusChange((s) => statuses.push(s));
  return { fake, store, statuses, logs, registry };
}

const stored = (h: Harness, account: string): string | undefined => h.fake.value(KEYCHAIN_SERVICE, account);

describe('openSecretStore', () => {
  it('uses the keychain when the probe passes and leaves no sentinel behind', async () => {
    const h = await open();
    expect(h.store.status()).toMatchObject({ backend: 'keychain', state: 'ok' });
    await h.store.set('snow:password', 'pw-snow-1');
    expect(stored(h, 'snow:password')).toBe('pw-snow-1');
    expect(h.fake.accounts(KEYCHAIN_SERVICE)).toEqual(['snow:password']);
  });

  it.each([
    [MESSAGES.noDaemon, 'no-daemon', /gnome-keyring/],
    [MESSAGES.noDbusX11, 'no-dbus', /D-Bus session/],
    [MESSAGES.lockedCollection, 'locked', /[Uu]nlock/],
    [MESSAGES.noLoginCollection, 'locked', /[Uu]nlock or create/],
  ] as const)('falls back to memory on "%s" with a %s banner', async (message, state, remedy) => {
    const fake = new FakeKeytar();
    fake.mode = { kind: 'error', message };
    const h = await open(fake);
    expect(h.store.status()).toMatchObject({ backend: 'memory', state, reason: message });
    expect(h.store.status().remedy).toMatch(remedy);
    await h.store.set('awx:token', 'awx-token-1');
    expect(await h.store.get('awx:token')).toBe('awx-token-1');
    expect(h.fake.items.size).toBe(0);
  });

  it('falls back to memory when keytar cannot even load', async () => {
    const store = await openSecretStore({
      platform: 'linux',
      registry: new SecretRegistry(),
      loadKeytar: async () => {
        throw new Error("Cannot find module '../build/Release/keytar.node'");
      },
    });
    expect(store.status()).toMatchObject({ backend: 'memory', state: 'unavailable' });
    await store.set('a:token', 'token-value');
    expect(await store.get('a:token')).toBe('token-value');
  });

  it('turns a hanging keychain into a timeout banner within the timeout, then works from memory', async () => {
    const fake = new FakeKeytar();
    fake.mode = { kind: 'hang' };
    const t0 = Date.now();
    const h = await open(fake, { timeoutMs: 80 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(h.store.status()).toMatchObject({ backend: 'memory', state: 'timeout' });
    expect(h.store.status().remedy).toMatch(/prompt/);
    await h.store.set('prom:token', 'prom-token-1');
    expect(await h.store.get('prom:token')).toBe('prom-token-1');
    // The write went to memory without waiting on the hung keychain again.
    expect(h.fake.calls.filter((c) => c.account === 'prom:token')).toHaveLength(0);
    fake.releaseHung();
  });
});

describe('mid-session failure', () => {
  it('switches to memory, keeps everything read or written this session, and announces it once', async () => {
    const h = await open();
    h.fake.items.set(`${KEYCHAIN_SERVICE}\u0000old:password`, 'stored-before-start');
    await h.store.set('a:password', 'typed-before-failure');
    expect(await h.store.get('old:password')).toBe('stored-before-start');

    h.fake.mode = { kind: 'error', message: MESSAGES.daemonLost };
    await h.store.set('b:token', 'typed-after-failure');
    expect(h.store.status()).toMatchObject({ backend: 'memory', state: 'no-daemon', reason: MESSAGES.daemonLost });
    expect(h.store.status().remedy).toMatch(/restart TOC Console/);

    expect(await h.store.get('a:password')).toBe('typed-before-failure');
    expect(await h.store.get('old:password')).toBe('stored-before-start');
    expect(await h.store.get('b:token')).toBe('typed-after-failure');
    expect(await h.store.has('never:seen')).toBe(false);
    expect(h.statuses.map((s) => `${s.backend}/${s.state}`)).toEqual(['memory/no-daemon']);
    expect(h.store.pendingAccounts()).toEqual(['b:token']);
  });

  it('does not lose a value whose keychain write hangs', async () => {
    const h = await open(undefined, { timeoutMs: 60 });
    h.fake.mode = { kind: 'hang' };
    await h.store.set('a:password', 'typed-during-hang');
    expect(h.store.status()).toMatchObject({ backend: 'memory', state: 'timeout' });
    expect(await h.store.get('a:password')).toBe('typed-during-hang');
    h.fake.releaseHung();
  });

  it('notices a keyring that was locked behind its back (reads answer "nothing" on Linux)', async () => {
    const h = await open(undefined, { missCheckMs: 0 });
    await h.store.set('a:password', 'known-this-session');
    h.fake.mode = { kind: 'locked' };
    expect(await h.store.get('a:password')).toBe('known-this-session');
    expect(h.store.status()).toMatchObject({ backend: 'memory', state: 'locked', reason: MESSAGES.lockedCollection });
  });

  it('believes a miss while the keychain accepts writes', async () => {
    const h = await open(undefined, { missCheckMs: 0 });
    expect(await h.store.get('absent:token')).toBeNull();
    expect(h.store.status().backend).toBe('keychain');
    // A recent successful write makes the probe unnecessary.
    const h2 = await open(undefined, { missCheckMs: 60_000 });
    h2.fake.calls.length = 0;
    expect(await h2.store.get('absent:token')).toBeNull();
    expect(h2.fake.calls.map((c) => c.op)).toEqual(['get']);
  });

  it('registers every value it sees for redaction and never logs one', async () => {
    const h = await open();
    h.fake.items.set(`${KEYCHAIN_SERVICE}\u0000read:token`, 'value-read-from-keychain');
    await h.store.set('w:password', 'value-written-by-user');
    await h.store.get('read:token');
    h.fake.mode = { kind: 'error', message: MESSAGES.lockedCollection };
    await h.store.set('m:password', 'value-written-to-memory');
    await h.store.retry();
    for (const v of ['value-read-from-keychain', 'value-written-by-user', 'value-written-to-memory']) {
      expect(h.registry.has(v)).toBe(true);
      expect(JSON.stringify(h.logs)).not.toContain(v);
      expect(JSON.stringify(h.statuses)).not.toContain(v);
    }
    expect(h.logs.some((l) => l.event === 'secrets.fallback-to-memory' && l.account === 'm:password' && l.state === 'locked')).toBe(true);
  });

  it('rejects values over the keychain limit even in memory mode (so they cannot fail later on migration)', async () => {
    const fake = new FakeKeytar();
    fake.mode = { kind: 'error', message: MESSAGES.noDaemon };
    const h = await open(fake);
    await expect(h.store.set('a:token', 't'.repeat(2561))).rejects.toMatchObject({ code: 'bad_request' });
    expect(await h.store.get('a:token')).toBeNull();
  });
});

describe('retry', () => {
  it('stays on memory while the keychain still fails, with a fresh check time', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const fake = new FakeKeytar();
    fake.mode = { kind: 'error', message: MESSAGES.noDaemon };
    const h = await open(fake, { now: () => new Date(clock) });
    const first = h.store.status().checkedAt;
    clock += 60_000;
    const s = await h.store.retry();
    expect(s).toMatchObject({ backend: 'memory', state: 'no-daemon' });
    expect(s.checkedAt).not.toBe(first);
    expect(h.statuses).toHaveLength(1);
  });

  it('moves secrets entered meanwhile into the keychain, replays deletes, and switches back', async () => {
    const h = await open();
    await h.store.set('keep:password', 'in-keychain-before');
    await h.store.set('gone:password', 'deleted-while-down');
    h.fake.mode = { kind: 'error', message: MESSAGES.noDaemon };
    await h.store.set('new:token', 'entered-while-down');
    await h.store.set('keep:password', 'changed-while-down');
    expect(await h.store.delete('gone:password')).toBe(true);
    expect(h.store.pendingAccounts()).toEqual(['gone:password', 'keep:password', 'new:token']);

    h.fake.mode = { kind: 'ok' };
    const s = await h.store.retry();
    expect(s).toMatchObject({ backend: 'keychain', state: 'ok' });
    expect(stored(h, 'new:token')).toBe('entered-while-down');
    expect(stored(h, 'keep:password')).toBe('changed-while-down');
    expect(stored(h, 'gone:password')).toBeUndefined();
    expect(h.fake.accounts(KEYCHAIN_SERVICE)).toEqual(['keep:password', 'new:token']);
    expect(h.store.pendingAccounts()).toEqual([]);
    expect(h.statuses.map((x) => `${x.backend}/${x.state}`)).toEqual(['memory/no-daemon', 'keychain/ok']);
    expect(h.logs.filter((l) => l.event.startsWith('secrets.migrated')).map((l) => l.account)).toEqual([
      'keep:password',
      'new:token',
      'gone:password',
    ]);
  });

  it('keeps what it could not migrate and stays on memory when the keychain fails again mid-migration', async () => {
    const fake = new FakeKeytar();
    const mod = fake.module();
    let realWrites = 0;
    let lockAfter = Number.POSITIVE_INFINITY;
    // The probe's sentinel passes; real writes start failing after `lockAfter` of them, like a keyring locking.
    const flaky: KeytarModule = {
      ...mod,
      setPassword: async (service, account, password) => {
        if (!account.startsWith('__') && ++realWrites > lockAfter) throw new Error(MESSAGES.lockedCollection);
        return mod.setPassword(service, account, password);
      },
    };
    fake.mode = { kind: 'error', message: MESSAGES.noDaemon };
    const store = await openSecretStore({
      loadKeytar: async () => flaky,
      timeoutMs: 100,
      platform: 'linux',
      registry: new SecretRegistry(),
    });
    await store.set('a:token', 'token-a-value');
    await store.set('b:token', 'token-b-value');

    fake.mode = { kind: 'ok' };
    lockAfter = 1;
    const result = await store.retry();
    expect(result).toMatchObject({ backend: 'memory', state: 'locked', reason: MESSAGES.lockedCollection });
    expect(fake.value(KEYCHAIN_SERVICE, 'a:token')).toBe('token-a-value');
    expect(store.pendingAccounts()).toEqual(['b:token']);
    expect(await store.get('b:token')).toBe('token-b-value');
    expect(await store.get('a:token')).toBe('token-a-value');

    lockAfter = Number.POSITIVE_INFINITY;
    expect(await store.retry()).toMatchObject({ backend: 'keychain', state: 'ok' });
    expect(fake.value(KEYCHAIN_SERVICE, 'b:token')).toBe('token-b-value');
  });

  it('runs one probe for concurrent retries, and calls wait for the migration', async () => {
    const fake = new FakeKeytar();
    fake.mode = { kind: 'error', message: MESSAGES.noDaemon };
    const h = await open(fake);
    await h.store.set('a:token', 'before-retry');
    fake.mode = { kind: 'ok' };
    fake.delayMs = 15;
    fake.calls.length = 0;
    const r1 = h.store.retry();
    const r2 = h.store.retry();
    const write = h.store.set('a:token', 'during-retry');
    expect(r1).toBe(r2);
    await Promise.all([r1, write]);
    expect(fake.calls.filter((c) => c.op === 'set' && c.account.startsWith('__'))).toHaveLength(1);
    expect(stored(h, 'a:token')).toBe('during-retry');
    expect(fake.calls.filter((c) => c.account === 'a:token').map((c) => c.op)).toEqual(['set', 'set']);
  });
});
