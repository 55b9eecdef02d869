// The secret store against a real Secret Service: gnome-keyring-daemon on a private D-Bus session bus (see
// test/helpers/keyring.ts), plus the real ways a keychain fails: no bus at all, a bus without a keyring, a locked
// keyring, a keyring that hangs, and a daemon that dies mid-session.
//
// In-process tests bind this worker's libsecret to one keyring for good (GDBus keeps the first bus it reaches);
// every scenario that needs another bus, no bus, or a fresh start runs in a child process.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecretStore } from '../../electron/core/kernel/secrets/resilient-store';
import { SecretRegistry } from '../../electron/core/kernel/secrets/redact';
import { KEYCHAIN_SERVICE, accountFor, type SecretStatus } from '../../electron/core/kernel/secrets/secret-store';
import { PROBE_ACCOUNT } from '../../electron/core/kernel/secrets/keytar-store';
import {
  envWithoutSessionBus,
  keyringToolsAvailable,
  runKeychainChild,
  sandboxDirsEnv,
  startKeyring,
  type ChildOutcome,
  type ChildStepResult,
  type TestKeyring,
} from '../helpers/keyring';
import { scanForSecrets } from '../helpers/secret-scan';

interface KeytarFind {
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

async function keytarFind(): Promise<KeytarFind> {
  const m = (await import('keytar')) as unknown as { default: KeytarFind };
  return m.default;
}

function canLoadKeytar(): boolean {
  try {
    // Synchronous, checked before the suite. Loading libsecret does not connect to any bus yet.
    createRequire(import.meta.url)('keytar');
    return true;
  } catch {
    return false;
  }
}

const available = keyringToolsAvailable() && canLoadKeytar();

// Every secret value the tests write, through every path, so the leak scan can look for all of them.
const run = Math.random().toString(36).slice(2, 8);
const secret = (name: string): string => `${name}-${run}-Zq9!"é`;
const written = new Set<string>();
const w = (name: string): string => {
  const v = secret(name);
  written.add(v);
  return v;
};

function step(o: ChildOutcome, i: number): ChildStepResult {
  const s = o.steps[i];
  if (!s) throw new Error(`child has no step ${i}: ${JSON.stringify(o.steps)}\n${o.stderr}`);
  return s;
}

function expectChildOk(o: ChildOutcome, opts: { mayLinger?: boolean } = {}): void {
  expect(o.stderr, 'child stderr').toBe('');
  expect(o.completed, 'child ran its whole plan').toBe(true);
  if (opts.mayLinger && o.killedAfterDone) return;
  expect(o.exitCode, `child exit (${o.signal ?? ''})`).toBe(0);
}

describe('secrets against a real keychain (gnome-keyring on a private D-Bus)', () => {
  // No silent skip: a machine without the keyring tools fails here and says what to install.
  it('has gnome-keyring, dbus and a built keytar', () => {
    expect(available, 'install gnome-keyring dbus libsecret-1-dev (scripts/setup.sh) and run npm ci').toBe(true);
  });

  let keyring: TestKeyring;
  const dirsToScan: string[] = [];
  const extraKeyrings: TestKeyring[] = [];
  const sandboxes: string[] = [];
  const savedEnv: Record<string, string | undefined> = {};

  function sandbox(): { dir: string; env: NodeJS.ProcessEnv } {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-secrets-sandbox-'));
    sandboxes.push(dir);
    const env = sandboxDirsEnv(dir);
    for (const v of Object.values(env)) if (v) mkdirSync(v, { recursive: true, mode: 0o700 });
    return { dir, env };
  }

  async function extraKeyring(mode: 'no-daemon' | 'locked' | 'hang'): Promise<TestKeyring> {
    const k = await startKeyring({ mode });
    extraKeyrings.push(k);
    return k;
  }

  beforeAll(async () => {
    keyring = await startKeyring();
    // Before keytar's first call in this process: libsecret reads the variable when it first connects.
    for (const k of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY']) savedEnv[k] = process.env[k];
    process.env.DBUS_SESSION_BUS_ADDRESS = keyring.busAddress;
    delete process.env.DISPLAY;
    delete process.env.WAYLAND_DISPLAY;
  });

  afterAll(async () => {
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await Promise.all([keyring?.stop(), ...extraKeyrings.map((k) => k.stop())]);
    for (const d of sandboxes) rmSync(d, { recursive: true, force: true });
  });

  describe('in this process', () => {
    it('sets, replaces, gets, checks and deletes: one service, one account per connection and kind', async () => {
      const store = await openSecretStore({ registry: new SecretRegistry() });
      expect(store.status()).toMatchObject({ backend: 'keychain', state: 'ok' });

      await store.set(accountFor('snow-prod', 'password'), w('snow-pw-1'));
      await store.set(accountFor('snow-prod', 'client-secret'), w('snow-client-secret'));
      await store.set(accountFor('awx-prod', 'token'), w('awx-token'));
      await store.set(accountFor('snow-prod', 'password'), w('snow-pw-2'));

      expect(await store.get('snow-prod:password')).toBe(secret('snow-pw-2'));
      expect(await store.get('awx-prod:token')).toBe(secret('awx-token'));
      expect(await store.has('snow-prod:client-secret')).toBe(true);
      expect(await store.has('awx-prod:password')).toBe(false);
      expect(await store.get('nobody:token')).toBeNull();

      const creds = await (await keytarFind()).findCredentials(KEYCHAIN_SERVICE);
      // Replacing kept one item per account; the probe's sentinel is gone.
      expect(creds.map((c) => c.account).sort()).toEqual(['awx-prod:token', 'snow-prod:client-secret', 'snow-prod:password']);
      expect(creds.find((c) => c.account === 'snow-prod:password')?.password).toBe(secret('snow-pw-2'));
      expect(creds.some((c) => c.account === PROBE_ACCOUNT)).toBe(false);

      expect(await store.delete('snow-prod:client-secret')).toBe(true);
      expect(await store.delete('snow-prod:client-secret')).toBe(false);
      expect(await store.has('snow-prod:client-secret')).toBe(false);
      expect((await (await keytarFind()).findCredentials(KEYCHAIN_SERVICE)).map((c) => c.account).sort()).toEqual([
        'awx-prod:token',
        'snow-prod:password',
      ]);
    });

    it('keeps secrets across a new store instance and a new process', async () => {
      const again = await openSecretStore({ registry: new SecretRegistry() });
      expect(await again.get('snow-prod:password')).toBe(secret('snow-pw-2'));

      const box = sandbox();
      const child = await runKeychainChild(
        { steps: [{ op: 'get', account: 'snow-prod:password' }, { op: 'get', account: 'awx-prod:token' }, { op: 'accounts' }] },
        { ...keyring.env, ...box.env },
        box.dir,
      ).done;
      expectChildOk(child);
      expect(child.opened).toMatchObject({ backend: 'keychain', state: 'ok' });
      expect(step(child, 0).result).toBe(secret('snow-pw-2'));
      expect(step(child, 1).result).toBe(secret('awx-token'));
      expect(step(child, 2).result).toEqual(['awx-prod:token', 'snow-prod:password']);
      dirsToScan.push(box.dir);
    });

    it('falls back to memory when the keyring is locked mid-session, and moves secrets back once unlocked', async () => {
      const store = await openSecretStore({ registry: new SecretRegistry(), missCheckMs: 0 });
      const seen: SecretStatus[] = [];
      store.onStatusChange((s) => seen.push(s));
      expect(await store.get('awx-prod:token')).toBe(secret('awx-token'));

      await keyring.lock();
      await store.set('grafana:token', w('typed-while-locked'));
      expect(store.status()).toMatchObject({
        backend: 'memory',
        state: 'locked',
        reason: 'Cannot create an item in a locked collection',
      });
      expect(store.status().remedy).toMatch(/[Uu]nlock/);
      // Read before the lock, still there; typed during it, still there.
      expect(await store.get('awx-prod:token')).toBe(secret('awx-token'));
      expect(await store.get('grafana:token')).toBe(secret('typed-while-locked'));
      expect(await store.retry()).toMatchObject({ backend: 'memory', state: 'locked' });

      await keyring.unlock();
      expect(await store.retry()).toMatchObject({ backend: 'keychain', state: 'ok' });
      expect(store.pendingAccounts()).toEqual([]);
      const creds = await (await keytarFind()).findCredentials(KEYCHAIN_SERVICE);
      expect(creds.find((c) => c.account === 'grafana:token')?.password).toBe(secret('typed-while-locked'));
      expect(seen.map((s) => `${s.backend}/${s.state}`)).toEqual(['memory/locked', 'memory/locked', 'keychain/ok']);
    });

    it('notices a keyring locked behind its back even on a read (libsecret answers "nothing" then)', async () => {
      const store = await openSecretStore({ registry: new SecretRegistry(), missCheckMs: 0 });
      expect(await store.get('snow-prod:password')).toBe(secret('snow-pw-2'));
      await keyring.lock();
      expect(await store.get('snow-prod:password')).toBe(secret('snow-pw-2'));
      expect(store.status()).toMatchObject({ backend: 'memory', state: 'locked' });
      await keyring.unlock();
      expect(await store.retry()).toMatchObject({ backend: 'keychain', state: 'ok' });
    });

    // Last of the in-process tests: after this, libsecret in this process stays bound to the dead daemon.
    it('survives the daemon dying mid-session: nothing typed is lost, the banner says to restart the app', async () => {
      const store = await openSecretStore({ registry: new SecretRegistry() });
      expect(await store.get('awx-prod:token')).toBe(secret('awx-token'));

      await keyring.stopDaemon();
      await store.set('late:password', w('typed-after-daemon-died'));
      expect(store.status()).toMatchObject({ backend: 'memory', state: 'no-daemon' });
      expect(store.status().reason).toMatch(/was not provided by any \.service files/);
      expect(await store.get('late:password')).toBe(secret('typed-after-daemon-died'));
      expect(await store.get('awx-prod:token')).toBe(secret('awx-token'));

      // The daemon comes back, but libsecret in this process keeps talking to the old one: only a restart helps,
      // and the banner says so.
      await keyring.startDaemon();
      const after = await store.retry();
      expect(after).toMatchObject({ backend: 'memory', state: 'no-daemon' });
      expect(after.remedy).toMatch(/restart TOC Console/);

      // A new process (the app restarted) sees the keyring, with what was stored before the crash on disk.
      const box = sandbox();
      const child = await runKeychainChild(
        {
          steps: [
            { op: 'get', account: 'awx-prod:token' },
            { op: 'set', account: 'late:password', value: secret('typed-after-daemon-died') },
            { op: 'accounts' },
          ],
        },
        { ...keyring.env, ...box.env },
        box.dir,
      ).done;
      expectChildOk(child);
      expect(child.opened).toMatchObject({ backend: 'keychain', state: 'ok' });
      expect(step(child, 0).result).toBe(secret('awx-token'));
      expect(step(child, 2).result).toEqual(['awx-prod:token', 'grafana:token', 'late:password', 'snow-prod:password']);
      dirsToScan.push(box.dir);
    });
  });

  describe('in a fresh process per failure', () => {
    it("with no D-Bus session at all: memory, with the keychain's words and a D-Bus remedy", async () => {
      const box = sandbox();
      const child = await runKeychainChild(
        {
          timeoutMs: 3000,
          steps: [
            { op: 'set', account: 'snow-prod:password', value: w('no-dbus-pw') },
            { op: 'get', account: 'snow-prod:password' },
            { op: 'has', account: 'other:token' },
          ],
        },
        envWithoutSessionBus(process.env, box.env),
        box.dir,
      ).done;
      expectChildOk(child);
      // Without DISPLAY, libsecret says "Cannot autolaunch D-Bus without X11 $DISPLAY" (checked on Debian 12).
      expect(child.opened.backend).toBe('memory');
      expect(['no-dbus', 'no-daemon']).toContain(child.opened.state);
      expect(child.opened.reason).toBeTruthy();
      if (child.opened.state === 'no-dbus') expect(child.opened.remedy).toMatch(/D-Bus session bus/);
      expect(child.openMs).toBeLessThan(3000);
      expect(step(child, 0).ok).toBe(true);
      expect(step(child, 1).result).toBe(secret('no-dbus-pw'));
      expect(step(child, 2).result).toBe(false);
      dirsToScan.push(box.dir);
    });

    it('with a bus but no keyring daemon: memory, then Retry moves the secret into the keyring once one starts', async () => {
      const k = await extraKeyring('no-daemon');
      const box = sandbox();
      const child = runKeychainChild(
        {
          timeoutMs: 5000,
          steps: [
            { op: 'set', account: 'awx-prod:token', value: w('entered-before-keyring') },
            { op: 'pause' },
            { op: 'retry' },
            { op: 'get', account: 'awx-prod:token' },
            { op: 'accounts' },
          ],
        },
        { ...k.env, ...box.env },
        box.dir,
      );
      await child.paused();
      await k.startDaemon();
      child.resume();
      const o = await child.done;
      expectChildOk(o);
      expect(o.opened).toMatchObject({ backend: 'memory', state: 'no-daemon' });
      expect(o.opened.reason).toMatch(/org\.freedesktop\.secrets was not provided by any \.service files/);
      expect(o.opened.remedy).toMatch(/gnome-keyring/);
      expect(step(o, 2).result).toMatchObject({ backend: 'keychain', state: 'ok' });
      expect(step(o, 3).result).toBe(secret('entered-before-keyring'));
      expect(step(o, 4).result).toEqual(['awx-prod:token']);
      expect(o.events.map((s) => `${s.backend}/${s.state}`)).toEqual(['keychain/ok']);
      const migrated = o.logs.filter((l) => (l as { event?: string }).event === 'secrets.migrated');
      expect(migrated).toEqual([{ level: 'info', event: 'secrets.migrated', account: 'awx-prod:token', backend: 'keychain' }]);
      dirsToScan.push(box.dir, k.dir);
    });

    it('with a locked keyring at start: memory with a "locked" banner', async () => {
      const k = await extraKeyring('locked');
      const box = sandbox();
      const o = await runKeychainChild(
        {
          steps: [
            { op: 'set', account: 'snow-prod:passphrase', value: w('locked-at-start') },
            { op: 'get', account: 'snow-prod:passphrase' },
          ],
        },
        { ...k.env, ...box.env },
        box.dir,
      ).done;
      expectChildOk(o);
      expect(o.opened).toMatchObject({ backend: 'memory', state: 'locked', reason: 'Cannot create an item in a locked collection' });
      expect(step(o, 1).result).toBe(secret('locked-at-start'));
      dirsToScan.push(box.dir, k.dir);
    });

    it('with a keyring that never answers: a timeout banner within the timeout, and the app keeps working', async () => {
      const k = await extraKeyring('hang');
      const box = sandbox();
      const o = await runKeychainChild(
        {
          timeoutMs: 1000,
          steps: [
            { op: 'set', account: 'prom:token', value: w('typed-while-hanging') },
            { op: 'get', account: 'prom:token' },
            { op: 'retry' },
            { op: 'retry' },
          ],
        },
        { ...k.env, ...box.env },
        box.dir,
      ).done;
      // Its timed-out calls keep the process from exiting until libsecret gives up (see ChildOutcome).
      expectChildOk(o, { mayLinger: true });
      expect(o.opened).toMatchObject({ backend: 'memory', state: 'timeout' });
      expect(o.opened.remedy).toMatch(/1 s/);
      expect(o.openMs).toBeGreaterThanOrEqual(900);
      expect(o.openMs).toBeLessThan(5000);
      // Memory mode does not wait on the keychain again.
      expect(step(o, 0).ms).toBeLessThan(500);
      expect(step(o, 1).result).toBe(secret('typed-while-hanging'));
      // One more hung call is allowed (it times out); after that, calls fail at once instead of piling up threads.
      expect(step(o, 2).result).toMatchObject({ backend: 'memory', state: 'timeout' });
      expect(step(o, 3).result).toMatchObject({ backend: 'memory', state: 'timeout', reason: expect.stringMatching(/still waiting/) });
      expect(step(o, 3).ms).toBeLessThan(500);
      dirsToScan.push(box.dir, k.dir);
    });
  });

  it('never wrote a secret to a file: keyring data, HOME, TMPDIR, XDG dirs and working dirs of every path', async () => {
    expect(written.size).toBeGreaterThanOrEqual(8);
    const roots = [keyring.dir, ...dirsToScan];
    const findings = (await Promise.all(roots.map(async (r) => (await scanForSecrets(r, [...written])).map((f) => `${r}/${f}`)))).flat();
    expect(findings).toEqual([]);
  });
});
