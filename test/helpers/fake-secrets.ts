import type { SecretStorePort } from '../../electron/core/core';
import type { SecretStatus } from '@shared/kernel/secrets';

/** An in-memory secret store with a settable status, for tests that are not about the keychain itself. */
export function fakeSecrets(
  initial: Record<string, string> = {},
): SecretStorePort & { values: Map<string, string>; setStatus(s: SecretStatus): void } {
  const values = new Map(Object.entries(initial));
  let status: SecretStatus = { backend: 'keychain', state: 'ok', checkedAt: new Date(0).toISOString() };
  const listeners = new Set<(s: SecretStatus) => void>();
  return {
    values,
    get: async (a) => values.get(a) ?? null,
    set: async (a, v) => void values.set(a, v),
    delete: async (a) => values.delete(a),
    has: async (a) => values.has(a),
    status: () => status,
    retry: async () => status,
    onStatusChange: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    setStatus: (s) => {
      status = s;
      listeners.forEach((l) => l(s));
    },
  };
}
