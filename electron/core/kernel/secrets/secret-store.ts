// The one surface the rest of the core uses for credentials. Values live in the OS keychain; when it cannot be
// used they live in process memory for this session only. No implementation ever writes a value to a file,
// returns one across the contract, or puts one in a log line or error message.

import { ContractFailure } from '@shared/kernel/result';
import type { SecretStatus } from '@shared/kernel/secrets';

export type SecretKind = 'password' | 'token' | 'client-secret' | 'refresh-token' | 'passphrase';

export const SECRET_KINDS: readonly SecretKind[] = ['password', 'token', 'client-secret', 'refresh-token', 'passphrase'];

// One definition of the status for both sides: the contract's zod schema (shared/kernel/secrets.ts) is the
// shape the renderer's banner receives.
export type { SecretStatus } from '@shared/kernel/secrets';

/** Why secrets are not (or no longer) going to the keychain. */
export type SecretFailureState = Exclude<SecretStatus['state'], 'ok'>;

export interface SecretStore {
  status(): SecretStatus;
  /**
   * The stored value, or null when there is none. While the store runs on memory (status().backend), null
   * also means "not entered this session": callers should word a missing secret with the status in mind.
   */
  get(account: string): Promise<string | null>;
  /** Throws ContractFailure('bad_request') for an invalid account or value; never loses the value otherwise. */
  set(account: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
  has(account: string): Promise<boolean>;
  /** Returns the unsubscribe function. */
  onStatusChange(cb: (s: SecretStatus) => void): () => void;
  /** Checks the keychain again; when it works, secrets entered meanwhile move into it. */
  retry(): Promise<SecretStatus>;
}

/** One keychain service for the whole app; accounts distinguish connections and kinds. */
export const KEYCHAIN_SERVICE = 'com.tocconsole.app';

/**
 * Windows Credential Manager refuses blobs over CRED_MAX_CREDENTIAL_BLOB_SIZE (2,560 bytes, "The stub received
 * bad data"); keytar 7.9 writes the UTF-8 bytes of the value, so that is the real ceiling (the research's
 * ~1,280 characters is the UTF-16 worst case). It applies on every platform so a workspace that works on
 * Linux does not fail on a Windows desk.
 */
export const MAX_SECRET_BYTES = 2560;

/** Windows caps the credential's user name at 513 characters; accounts are ids, far shorter in practice. */
export const MAX_ACCOUNT_LENGTH = 256;

export function accountFor(connectionId: string, kind: SecretKind): string {
  if (!SECRET_KINDS.includes(kind)) throw new ContractFailure('bad_request', `Unknown secret kind "${String(kind)}".`);
  const account = `${connectionId}:${kind}`;
  validateAccount(account);
  return account;
}

// Lone surrogates cannot be encoded as UTF-8: the keychain would silently store U+FFFD instead.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

export function validateAccount(account: string): void {
  if (typeof account !== 'string' || account.length === 0) {
    throw new ContractFailure('bad_request', 'A secret needs a non-empty account name.');
  }
  if (account.length > MAX_ACCOUNT_LENGTH) {
    throw new ContractFailure('bad_request', `Secret account names are limited to ${MAX_ACCOUNT_LENGTH} characters.`);
  }
  if (hasControlChar(account) || LONE_SURROGATE.test(account)) {
    throw new ContractFailure('bad_request', 'Secret account names cannot contain control characters.');
  }
}

/** Error messages describe the value by size only: they end up in logs and on screen. */
export function validateSecretValue(value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ContractFailure('bad_request', 'The secret is empty. Enter a value, or delete the secret instead.');
  }
  // libsecret takes a C string: everything after a NUL would be dropped without an error.
  if (value.includes('\u0000')) {
    throw new ContractFailure('bad_request', 'The secret contains a NUL character, which the OS keychain cannot store.');
  }
  if (LONE_SURROGATE.test(value)) {
    throw new ContractFailure('bad_request', 'The secret contains an invalid Unicode character (an unpaired surrogate).');
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_SECRET_BYTES) {
    throw new ContractFailure(
      'bad_request',
      `The secret is ${bytes.toLocaleString('en-US')} bytes; the OS keychain holds at most ${MAX_SECRET_BYTES.toLocaleString('en-US')} bytes per secret ` +
        '(Windows Credential Manager limit). Use a shorter token, or a client secret from which a token is requested at run time.',
    );
  }
}

/** Log events carry the account and the class of failure, never a value. */
export interface SecretLogEvent {
  level: 'info' | 'warn';
  event: string;
  account?: string;
  state?: SecretStatus['state'];
  backend?: SecretStatus['backend'];
  /** The keychain's own words, already scrubbed of any value the call carried. */
  message?: string;
}

export type SecretLog = (e: SecretLogEvent) => void;

export const silentLog: SecretLog = () => {};

/** Shared by the stores: deliver a status to listeners without one faulty listener stopping the others. */
export class StatusEmitter {
  private readonly listeners = new Set<(s: SecretStatus) => void>();

  on(cb: (s: SecretStatus) => void): () => void {
    this.listeners.add(cb);
    return () => {
      this.listeners.delete(cb);
    };
  }

  emit(s: SecretStatus): void {
    for (const cb of [...this.listeners]) {
      try {
        cb(s);
      } catch {
        // A listener's bug must not turn a keychain failure into a crash of the store.
      }
    }
  }
}
