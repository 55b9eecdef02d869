// The secrets module's public surface; the rest of the core imports from here.

export {
  KEYCHAIN_SERVICE,
  MAX_ACCOUNT_LENGTH,
  MAX_SECRET_BYTES,
  SECRET_KINDS,
  accountFor,
  validateAccount,
  validateSecretValue,
  type SecretFailureState,
  type SecretKind,
  type SecretLog,
  type SecretLogEvent,
  type SecretStatus,
  type SecretStore,
} from './secret-store';
export { classifyKeychainError, isDaemonLost, remedyFor } from './classify';
export {
  DEFAULT_TIMEOUT_MS,
  KeychainError,
  PROBE_ACCOUNT,
  KeytarSecretStore,
  loadKeytar,
  type KeytarLoader,
  type KeytarModule,
} from './keytar-store';
export { MemorySecretStore } from './memory-store';
export { ResilientSecretStore, openSecretStore, type OpenSecretStoreOptions } from './resilient-store';
export { MIN_REDACT_LENGTH, REDACTED, SecretRegistry, redact, redactSecrets, secretRegistry } from './redact';
