import path from 'node:path';
import { createCore } from '../core/core';
import type { Core } from '../core/core';
import { openCoreSecretStore } from '../core/kernel/secrets/bootstrap';
import { demoNoticesFromEnv } from '../core/features/app/demo-notices';
import { defaultDataDir, packageVersion } from './paths';

export interface RuntimeOptions {
  config?: string;
  transport: 'ws' | 'direct';
  wall?: boolean;
  /** The CLI reads secrets from env references; only `toc serve` opens the keychain. */
  keychain: boolean;
  demoNotices?: string[];
}

export async function openRuntime(opts: RuntimeOptions): Promise<Core> {
  const dataDir = defaultDataDir();
  const secrets = await openCoreSecretStore({ useKeychain: opts.keychain });
  const demoNotices = opts.demoNotices ?? (process.env.TOC_DEMO === '1' ? demoNoticesFromEnv(process.env.TOC_DEMO_NOTICES) : undefined);
  return createCore({
    version: packageVersion(),
    transport: opts.transport,
    workspaceFile: opts.config ? path.resolve(opts.config) : (process.env.TOC_WORKSPACE ?? null),
    dataDir,
    secrets: secrets.store,
    redact: secrets.redact,
    onSecretUsed: secrets.remember,
    wall: opts.wall ?? false,
    ...(opts.transport === 'ws' ? { healthIntervalMs: 60_000 } : {}),
    ...(demoNotices ? { demo: { notices: demoNotices } } : {}),
  });
}
