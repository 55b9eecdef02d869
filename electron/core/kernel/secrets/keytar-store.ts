// The OS keychain through keytar. Every failure comes out as a KeychainError carrying the failure class and the
// keychain's own words; the resilient store decides what to do with it. This class never falls back by itself.

import { ContractFailure } from '@shared/kernel/result';
import { classifyKeychainError, remedyFor } from './classify';
import { redactSecrets } from './redact';
import {
  KEYCHAIN_SERVICE,
  StatusEmitter,
  silentLog,
  validateAccount,
  validateSecretValue,
  type SecretFailureState,
  type SecretLog,
  type SecretStatus,
  type SecretStore,
} from './secret-store';

/**
 * The part of keytar this store uses. findCredentials is deliberately absent: on a locked gnome-keyring
 * collection keytar 7.9 dereferences a secret that was never loaded and the whole process dies with SIGSEGV
 * (reproduced here), so the app never enumerates.
 */
export interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Resolves to the keytar module (or something that must turn out to look like it). */
export type KeytarLoader = () => Promise<unknown>;

// A literal specifier so bundlers see the dependency (electron-vite keeps it external); loading is still lazy so a
// missing or broken native build only costs the keychain, not the app's start.
export const loadKeytar: KeytarLoader = () => import('keytar');

export class KeychainError extends ContractFailure {
  readonly state: SecretFailureState;
  /** The keychain's own words, scrubbed of the value the call carried. */
  readonly reason: string;
  readonly account: string | undefined;

  constructor(state: SecretFailureState, reason: string, account?: string) {
    super('secret_store', `The OS keychain is not usable (${state}): ${reason}`, {
      retryable: state !== 'unavailable',
      remoteMessage: reason,
    });
    this.name = 'KeychainError';
    this.state = state;
    this.reason = reason;
    this.account = account;
  }
}

export interface KeytarStoreOptions {
  service?: string;
  /** Per call; keychain calls can wait forever on an unlock prompt. */
  timeoutMs?: number;
  loadKeytar?: KeytarLoader;
  platform?: NodeJS.Platform;
  /**
   * A timed-out native call keeps one libuv thread-pool thread (4 by default, shared with fs, dns and crypto)
   * until the keychain answers. Past this many, calls fail at once instead of starving the rest of the app.
   */
  maxPendingTimedOut?: number;
  log?: SecretLog;
  now?: () => Date;
}

export const DEFAULT_TIMEOUT_MS = 5000;

/** Written, read back and deleted by probe(); never holds a real secret. */
export const PROBE_ACCOUNT = '__toc-probe__';

type Op = 'get' | 'set' | 'delete' | 'load';

function isKeytarModule(x: unknown): x is KeytarModule {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  return typeof m.getPassword === 'function' && typeof m.setPassword === 'function' && typeof m.deletePassword === 'function';
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : 'unknown error';
}

export class KeytarSecretStore implements SecretStore {
  private readonly service: string;
  readonly timeoutMs: number;
  private readonly loader: KeytarLoader;
  readonly platform: NodeJS.Platform;
  private readonly maxPendingTimedOut: number;
  private readonly log: SecretLog;
  private readonly now: () => Date;
  private readonly emitter = new StatusEmitter();

  private modulePromise: Promise<KeytarModule> | null = null;
  private current: SecretStatus;
  private pendingTimedOut = 0;
  /** Tail of each account's queue: calls on one account run one after another, in order. */
  private readonly tails = new Map<string, Promise<unknown>>();
  /** A get already queued for an account, shared by gets that arrive before the next write. */
  private readonly sharedGets = new Map<string, Promise<string | null>>();
  private probing: Promise<SecretStatus> | null = null;

  constructor(opts: KeytarStoreOptions = {}) {
    this.service = opts.service ?? KEYCHAIN_SERVICE;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.loader = opts.loadKeytar ?? loadKeytar;
    this.platform = opts.platform ?? process.platform;
    this.maxPendingTimedOut = opts.maxPendingTimedOut ?? 2;
    this.log = opts.log ?? silentLog;
    this.now = opts.now ?? (() => new Date());
    // Unknown until the first call or probe says otherwise.
    this.current = { backend: 'keychain', state: 'unknown', reason: 'not checked yet', checkedAt: this.now().toISOString() };
  }

  status(): SecretStatus {
    return { ...this.current };
  }

  onStatusChange(cb: (s: SecretStatus) => void): () => void {
    return this.emitter.on(cb);
  }

  /** Number of native calls that timed out and have not answered yet. */
  pendingTimeouts(): number {
    return this.pendingTimedOut;
  }

  async get(account: string): Promise<string | null> {
    validateAccount(account);
    const shared = this.sharedGets.get(account);
    if (shared) return shared;
    const p = this.serial(account, () => this.call('get', account, [], (m) => m.getPassword(this.service, account)));
    this.sharedGets.set(account, p);
    const clear = (): void => {
      if (this.sharedGets.get(account) === p) this.sharedGets.delete(account);
    };
    p.then(clear, clear);
    return p;
  }

  async has(account: string): Promise<boolean> {
    return (await this.get(account)) !== null;
  }

  async set(account: string, value: string): Promise<void> {
    validateAccount(account);
    validateSecretValue(value);
    // A get queued after this write must not share the answer of one queued before it.
    this.sharedGets.delete(account);
    return this.serial(account, () => this.call('set', account, [value], (m) => m.setPassword(this.service, account, value)));
  }

  async delete(account: string): Promise<boolean> {
    validateAccount(account);
    this.sharedGets.delete(account);
    return this.serial(account, () => this.call('delete', account, [], (m) => m.deletePassword(this.service, account)));
  }

  /** Write, read back and delete a sentinel; resolves to the resulting status (never throws). */
  retry(): Promise<SecretStatus> {
    return this.probe();
  }

  probe(): Promise<SecretStatus> {
    if (this.probing) return this.probing;
    const run = async (): Promise<SecretStatus> => {
      const nonce = `probe-${Math.random().toString(36).slice(2)}-${Date.now()}`;
      try {
        await this.set(PROBE_ACCOUNT, nonce);
        const back = await this.get(PROBE_ACCOUNT);
        await this.delete(PROBE_ACCOUNT);
        // Another instance probing at the same moment may have replaced the nonce; any value proves reads work.
        if (back === null)
          this.fail(new KeychainError('unknown', 'the keychain accepted a test entry but returned nothing when it was read back'));
      } catch (e) {
        if (!(e instanceof KeychainError)) throw e;
      }
      return this.status();
    };
    this.probing = run().finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  private serial<T>(account: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(account) ?? Promise.resolve();
    const next = prev.then(task, task);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(account, tail);
    void tail.then(() => {
      if (this.tails.get(account) === tail) this.tails.delete(account);
    });
    return next;
  }

  private module(): Promise<KeytarModule> {
    // A failed import is cached by the ESM loader anyway; caching it here keeps the error's words stable.
    this.modulePromise ??= (async () => {
      let loaded: unknown;
      try {
        loaded = await this.loader();
      } catch (e) {
        throw new KeychainError('unavailable', messageOf(e));
      }
      // keytar is CommonJS: the namespace may carry the functions directly or only under `default`.
      const candidate =
        typeof loaded === 'object' && loaded !== null && 'default' in loaded ? (loaded as { default: unknown }).default : undefined;
      if (isKeytarModule(candidate)) return candidate;
      if (isKeytarModule(loaded)) return loaded;
      throw new KeychainError('unavailable', 'the keytar module loaded but does not provide getPassword/setPassword/deletePassword');
    })();
    return this.modulePromise;
  }

  private async call<T>(op: Op, account: string, values: readonly string[], fn: (m: KeytarModule) => Promise<T>): Promise<T> {
    let mod: KeytarModule;
    try {
      mod = await this.module();
    } catch (e) {
      throw this.fail(e instanceof KeychainError ? e : new KeychainError('unavailable', messageOf(e)), account, op);
    }
    if (this.pendingTimedOut >= this.maxPendingTimedOut) {
      throw this.fail(
        new KeychainError('timeout', `${this.pendingTimedOut} earlier keychain calls are still waiting for an answer`, account),
        account,
        op,
      );
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const started = (async () => fn(mod))();
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new KeychainError('timeout', `no answer from the keychain within ${this.timeoutMs} ms`, account));
      }, this.timeoutMs);
      // The pending native call keeps the process alive if it must; the timer alone should not.
      timer.unref?.();
    });
    try {
      const result = await Promise.race([started, deadline]);
      this.succeed();
      return result;
    } catch (e) {
      if (timedOut) {
        this.pendingTimedOut++;
        const settle = (): void => {
          this.pendingTimedOut--;
        };
        // The late answer is dropped: by now the caller has moved on (and the store to memory).
        started.then(settle, settle);
        throw this.fail(e instanceof KeychainError ? e : new KeychainError('timeout', messageOf(e), account), account, op);
      }
      const reason = redactSecrets(messageOf(e), values);
      throw this.fail(new KeychainError(classifyKeychainError(reason), reason, account), account, op);
    } finally {
      clearTimeout(timer);
    }
  }

  private succeed(): void {
    const was = this.current.state;
    this.record({ backend: 'keychain', state: 'ok', checkedAt: this.now().toISOString() });
    if (was !== 'ok') this.log({ level: 'info', event: 'secrets.keychain.ok', backend: 'keychain', state: 'ok' });
  }

  private fail(e: KeychainError, account?: string, op?: Op): KeychainError {
    const next: SecretStatus = {
      backend: 'keychain',
      state: e.state,
      reason: e.reason,
      remedy: remedyFor(e.state, this.platform, e.reason, this.timeoutMs),
      checkedAt: this.now().toISOString(),
    };
    this.log({
      level: 'warn',
      event: `secrets.keychain.${op ?? 'probe'}.failed`,
      ...(account ? { account } : {}),
      backend: 'keychain',
      state: e.state,
      message: e.reason,
    });
    this.record(next);
    return e;
  }

  /** Every outcome refreshes checkedAt; listeners hear only about a different state or different words. */
  private record(next: SecretStatus): void {
    const prev = this.current;
    this.current = next;
    if (prev.state !== next.state || prev.reason !== next.reason) this.emitter.emit(this.status());
  }
}
