import { MemorySecretStore, openSecretStore, secretRegistry } from './index';
import type { SecretStore } from './index';

export interface CoreSecrets {
  store: SecretStore;
  /** Scrubs every secret value this process has used from a text (logs, audit, crash output). */
  redact: (text: string) => string;
  /** Registers a value read for a request, so it is scrubbed too. */
  remember: (value: string) => void;
}

/**
 * The desktop app and `toc serve` use the OS keychain (falling back to session memory with a banner). The
 * one-shot CLI commands read secrets from environment references and do not touch the keychain unless asked
 * (TOC_CLI_KEYCHAIN=1): a pipeline step must not hang on a keyring prompt.
 */
export async function openCoreSecretStore(opts: { useKeychain: boolean }): Promise<CoreSecrets> {
  const useKeychain = opts.useKeychain || process.env.TOC_CLI_KEYCHAIN === '1';
  const store: SecretStore = useKeychain
    ? await openSecretStore({ registry: secretRegistry })
    : new MemorySecretStore({
        reason: 'The command line reads secrets from environment variables.',
        remedy: 'Reference secrets as {secret: {env: VAR}} in the workspace file, or set TOC_CLI_KEYCHAIN=1.',
      });
  return {
    store,
    redact: (t) => secretRegistry.redact(t),
    remember: (v) => secretRegistry.add(v),
  };
}
