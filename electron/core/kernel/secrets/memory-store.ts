// Session-only secrets: a Map in this process and nothing else. It is the fallback when the keychain cannot be
// used (never a plaintext file) and the test double for code that needs a SecretStore.

import { StatusEmitter, validateAccount, validateSecretValue, type SecretStatus, type SecretStore } from './secret-store';

export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
  private readonly emitter = new StatusEmitter();
  private current: SecretStatus;

  constructor(status?: Partial<Omit<SecretStatus, 'backend'>>) {
    this.current = { state: 'ok', checkedAt: new Date().toISOString(), ...status, backend: 'memory' };
  }

  status(): SecretStatus {
    return { ...this.current };
  }

  /** The fallback's status follows the keychain's: why it is in use and what would fix it. */
  setStatus(status: Omit<SecretStatus, 'backend'>): void {
    this.current = { ...status, backend: 'memory' };
    this.emitter.emit(this.status());
  }

  onStatusChange(cb: (s: SecretStatus) => void): () => void {
    return this.emitter.on(cb);
  }

  async retry(): Promise<SecretStatus> {
    return this.status();
  }

  async get(account: string): Promise<string | null> {
    validateAccount(account);
    return this.values.get(account) ?? null;
  }

  async set(account: string, value: string): Promise<void> {
    validateAccount(account);
    validateSecretValue(value);
    this.values.set(account, value);
  }

  async delete(account: string): Promise<boolean> {
    validateAccount(account);
    return this.values.delete(account);
  }

  async has(account: string): Promise<boolean> {
    validateAccount(account);
    return this.values.has(account);
  }

  /** Synchronous peeks for the resilient store, which must not yield between check and use. */
  peek(account: string): string | null {
    return this.values.get(account) ?? null;
  }

  put(account: string, value: string): void {
    this.values.set(account, value);
  }

  remove(account: string): boolean {
    return this.values.delete(account);
  }

  accounts(): string[] {
    return [...this.values.keys()];
  }

  clear(): void {
    this.values.clear();
  }
}
