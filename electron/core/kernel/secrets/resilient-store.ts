// The store the app uses: the keychain when it works, session memory when it does not, and a way back.
//
// - At open, a probe (write, read back, delete a sentinel, each with a timeout) picks the backend.
// - Every value read or written this session is also kept in memory, so when the keychain starts failing
//   mid-session (locked, daemon gone, hanging prompt) nothing the user typed or the app already used is lost.
// - In memory mode, writes and deletes are remembered as pending; retry() re-probes and, when the keychain is
//   back, replays them into it before switching over.

import { KeychainError, KeytarSecretStore, type KeytarLoader } from './keytar-store';
import { remedyFor } from './classify';
import { MemorySecretStore } from './memory-store';
import { secretRegistry, type SecretRegistry } from './redact';
import {
  StatusEmitter,
  silentLog,
  validateAccount,
  validateSecretValue,
  type SecretLog,
  type SecretStatus,
  type SecretStore,
} from './secret-store';

export interface OpenSecretStoreOptions {
  service?: string;
  /** Per keychain call, probe steps included. Default 5 s. */
  timeoutMs?: number;
  /** Injected in tests; defaults to `import('keytar')`. */
  loadKeytar?: KeytarLoader;
  platform?: NodeJS.Platform;
  /** Values are registered here so logs and audit can scrub them. */
  registry?: SecretRegistry;
  log?: SecretLog;
  now?: () => Date;
  /**
   * On Linux a locked keyring answers reads with "nothing stored" rather than an error. When a read finds
   * nothing and no keychain write has succeeded for this long, a probe checks the keychain still accepts
   * writes before the answer is believed. Default 10 s; 0 checks every miss.
   */
  missCheckMs?: number;
  maxPendingTimedOut?: number;
}

export async function openSecretStore(opts: OpenSecretStoreOptions = {}): Promise<ResilientSecretStore> {
  const store = new ResilientSecretStore(opts);
  await store.retry();
  return store;
}

export class ResilientSecretStore implements SecretStore {
  private readonly keychain: KeytarSecretStore;
  private readonly session = new MemorySecretStore();
  private readonly registry: SecretRegistry;
  private readonly log: SecretLog;
  private readonly now: () => Date;
  private readonly platform: NodeJS.Platform;
  private readonly missCheckMs: number;
  private readonly emitter = new StatusEmitter();

  private mode: 'keychain' | 'memory' = 'memory';
  private current: SecretStatus;
  /** Accounts whose session value has not reached the keychain. */
  private readonly unsaved = new Set<string>();
  /** Accounts deleted while in memory mode: the keychain still holds their old value. */
  private readonly undeleted = new Set<string>();
  private lastKeychainWriteAt = 0;
  /** Bumped by every write or delete of an account, so a read that overlapped one does not overwrite it. */
  private readonly generations = new Map<string, number>();
  /** Set while retry() probes and migrates; every call waits for it so none interleaves with the replay. */
  private transition: Promise<SecretStatus> | null = null;

  constructor(opts: OpenSecretStoreOptions = {}) {
    this.registry = opts.registry ?? secretRegistry;
    this.log = opts.log ?? silentLog;
    this.now = opts.now ?? (() => new Date());
    this.platform = opts.platform ?? process.platform;
    this.missCheckMs = opts.missCheckMs ?? 10_000;
    this.keychain = new KeytarSecretStore({
      log: this.log,
      now: this.now,
      platform: this.platform,
      ...(opts.service !== undefined ? { service: opts.service } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.loadKeytar ? { loadKeytar: opts.loadKeytar } : {}),
      ...(opts.maxPendingTimedOut !== undefined ? { maxPendingTimedOut: opts.maxPendingTimedOut } : {}),
    });
    // Until the first probe answers, secrets stay in memory; nothing is known about the keychain yet.
    this.current = {
      backend: 'memory',
      state: 'unknown',
      reason: 'the keychain has not been checked yet',
      checkedAt: this.now().toISOString(),
    };
  }

  status(): SecretStatus {
    return { ...this.current };
  }

  onStatusChange(cb: (s: SecretStatus) => void): () => void {
    return this.emitter.on(cb);
  }

  /** Accounts entered or deleted this session that the keychain does not reflect yet (names only). */
  pendingAccounts(): string[] {
    return [...new Set([...this.unsaved, ...this.undeleted])].sort();
  }

  async get(account: string): Promise<string | null> {
    validateAccount(account);
    await this.settled();
    if (this.mode === 'keychain') {
      const generation = this.generationOf(account);
      try {
        const value = await this.keychain.get(account);
        // A write that started after this read owns the session copy; the read's answer is already stale.
        const current = generation === this.generationOf(account);
        if (value !== null) {
          this.registry.add(value);
          if (current) this.session.put(account, value);
          return value;
        }
        if (!(await this.missIsSuspicious())) {
          if (current) this.session.remove(account);
          return null;
        }
      } catch (e) {
        this.degrade(e, account);
      }
    }
    return this.session.peek(account);
  }

  async has(account: string): Promise<boolean> {
    return (await this.get(account)) !== null;
  }

  async set(account: string, value: string): Promise<void> {
    validateAccount(account);
    validateSecretValue(value);
    // Registered before the keychain sees it, so an error on the way cannot carry it into a log unscrubbed.
    this.registry.add(value);
    await this.settled();
    // Kept in session first: whatever happens to the keychain call, what the user typed survives.
    this.bump(account);
    this.session.put(account, value);
    this.undeleted.delete(account);
    if (this.mode === 'keychain') {
      try {
        await this.keychain.set(account, value);
        this.lastKeychainWriteAt = this.now().getTime();
        // A later set of the same account may have replaced the session value meanwhile; only ours is saved.
        if (this.session.peek(account) === value) this.unsaved.delete(account);
        return;
      } catch (e) {
        this.degrade(e, account);
      }
    }
    this.unsaved.add(account);
    this.log({ level: 'info', event: 'secrets.session.set', account, backend: 'memory', state: this.current.state });
  }

  async delete(account: string): Promise<boolean> {
    validateAccount(account);
    await this.settled();
    this.bump(account);
    const hadSession = this.session.remove(account);
    this.unsaved.delete(account);
    if (this.mode === 'keychain') {
      try {
        const deleted = await this.keychain.delete(account);
        this.undeleted.delete(account);
        return deleted || hadSession;
      } catch (e) {
        this.degrade(e, account);
      }
    }
    this.undeleted.add(account);
    return hadSession;
  }

  /** Probe the keychain; when it works, replay this session's writes and deletes into it and switch over. */
  retry(): Promise<SecretStatus> {
    if (this.transition) return this.transition;
    const run = async (): Promise<SecretStatus> => {
      const probed = await this.keychain.probe();
      if (probed.state !== 'ok') {
        this.toMemory(probed);
        return this.status();
      }
      this.lastKeychainWriteAt = this.now().getTime();
      try {
        await this.migrate();
      } catch (e) {
        if (!(e instanceof KeychainError)) throw e;
        this.toMemory(this.statusFrom(e));
        return this.status();
      }
      const wasMemory = this.mode === 'memory';
      this.mode = 'keychain';
      this.replace({ backend: 'keychain', state: 'ok', checkedAt: probed.checkedAt });
      if (wasMemory) this.log({ level: 'info', event: 'secrets.keychain.in-use', backend: 'keychain', state: 'ok' });
      return this.status();
    };
    this.transition = run().finally(() => {
      this.transition = null;
    });
    return this.transition;
  }

  private async migrate(): Promise<void> {
    for (const account of [...this.unsaved].sort()) {
      const value = this.session.peek(account);
      if (value !== null) await this.keychain.set(account, value);
      this.unsaved.delete(account);
      this.log({ level: 'info', event: 'secrets.migrated', account, backend: 'keychain' });
    }
    for (const account of [...this.undeleted].sort()) {
      await this.keychain.delete(account);
      this.undeleted.delete(account);
      this.log({ level: 'info', event: 'secrets.migrated-delete', account, backend: 'keychain' });
    }
  }

  private generationOf(account: string): number {
    return this.generations.get(account) ?? 0;
  }

  private bump(account: string): void {
    this.generations.set(account, this.generationOf(account) + 1);
  }

  /** Calls wait for a running retry() so a replay and a new write never race on one account. */
  private async settled(): Promise<void> {
    while (this.transition) await this.transition.catch(() => undefined);
  }

  /**
   * A read found nothing. On Linux that is also what a locked keyring says, so unless a keychain write
   * succeeded recently, check with a probe. True when the keychain turned out not to be usable.
   */
  private async missIsSuspicious(): Promise<boolean> {
    if (this.now().getTime() - this.lastKeychainWriteAt < this.missCheckMs) return false;
    const probed = await this.keychain.probe();
    if (probed.state === 'ok') {
      this.lastKeychainWriteAt = this.now().getTime();
      return false;
    }
    this.toMemory(probed);
    return true;
  }

  private degrade(e: unknown, account: string): void {
    if (!(e instanceof KeychainError)) throw e;
    this.toMemory(this.statusFrom(e), account);
  }

  // From the error itself, not keychain.status(): an overlapping call may already have recorded another outcome.
  private statusFrom(e: KeychainError): SecretStatus {
    return {
      backend: 'keychain',
      state: e.state,
      reason: e.reason,
      remedy: remedyFor(e.state, this.platform, e.reason, this.keychain.timeoutMs),
      checkedAt: this.now().toISOString(),
    };
  }

  private toMemory(s: SecretStatus, account?: string): void {
    const state = s.state === 'ok' ? 'unknown' : s.state;
    const next: SecretStatus = {
      backend: 'memory',
      state,
      ...(s.reason !== undefined ? { reason: s.reason } : {}),
      remedy: s.remedy ?? remedyFor(state, this.platform, s.reason, this.keychain.timeoutMs),
      checkedAt: s.checkedAt,
    };
    // Logged when secrets stop reaching the keychain, and whenever the reason changes (the first probe included).
    const news = this.mode === 'keychain' || this.current.state !== state || this.current.reason !== s.reason;
    if (news) {
      this.log({
        level: 'warn',
        event: 'secrets.fallback-to-memory',
        ...(account ? { account } : {}),
        backend: 'memory',
        state,
        ...(s.reason !== undefined ? { message: s.reason } : {}),
      });
    }
    this.mode = 'memory';
    this.session.setStatus(next);
    this.replace(next);
  }

  private replace(s: SecretStatus): void {
    const prev = this.current;
    this.current = s;
    // Every probe result is announced (its checkedAt is news to a banner); otherwise only real changes.
    if (prev.backend !== s.backend || prev.state !== s.state || prev.reason !== s.reason || prev.checkedAt !== s.checkedAt) {
      this.emitter.emit(this.status());
    }
  }
}
