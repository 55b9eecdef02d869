import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import type { Core } from '../../electron/core/core';
import { IncidentService } from '../../electron/core/features/incidents/incident-service';
import type { IncidentServiceOptions } from '../../electron/core/features/incidents/incident-service';
import type { SnowSim } from '../sim/servicenow';
import { fakeSecrets } from './fake-secrets';
import { coreCalls } from './core-calls';
import type { CoreCalls } from './core-calls';

// A core wired to a ServiceNow simulator through a real workspace file, for the incident integration tests.

export interface SnowHarness extends CoreCalls {
  core: Core;
  dir: string;
  /** A service of its own over the same connections and audit log, with test timings. */
  service(opts?: IncidentServiceOptions): IncidentService;
  close(): Promise<void>;
}

export interface HarnessOptions {
  auth?: 'basic' | 'oauth';
  password?: string;
  clientSecret?: string;
  timeoutMs?: number;
  wall?: boolean;
  /** The operator (TOC_OPERATOR); default the API account's user name, so "assign to me" finds a sys_user. */
  operator?: string;
  /** More top-level workspace lines (e.g. an `incidents:` section). */
  workspaceLines?: string[];
  /** 'ws' wires the core as `toc serve` does: reads fall back to the offline copy (its background sync stays off). */
  transport?: 'direct' | 'ws';
}

export async function snowHarness(sim: SnowSim, opts: HarnessOptions = {}): Promise<SnowHarness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-incidents-'));
  const auth =
    opts.auth === 'oauth'
      ? `{type: oauth, clientId: ${sim.credentials.clientId}, clientSecret: {secret: {keychain: "snow:clientSecret"}}, username: ${sim.credentials.username}, password: {secret: {keychain: "snow:password"}}}`
      : `{type: basic, username: ${sim.credentials.username}, password: {secret: {keychain: "snow:password"}}}`;
  const file = path.join(dir, 'toc.yaml');
  writeFileSync(
    file,
    [
      'name: Incident tests',
      'connections:',
      '  - id: snow',
      '    kind: servicenow',
      '    name: ServiceNow sim',
      `    url: ${sim.url}`,
      `    auth: ${auth}`,
      ...(opts.timeoutMs ? [`    timeoutMs: ${opts.timeoutMs}`] : []),
      ...(opts.workspaceLines ?? []),
      '',
    ].join('\n'),
  );
  const secrets = fakeSecrets({
    'snow:password': opts.password ?? sim.credentials.password,
    'snow:clientSecret': opts.clientSecret ?? sim.credentials.clientSecret,
  });
  const core = await createCore({
    version: '0.0.0-test',
    transport: opts.transport ?? 'direct',
    workspaceFile: file,
    dataDir: path.join(dir, 'data'),
    secrets,
    validateOutput: true,
    wall: opts.wall ?? false,
    env: { ...process.env, TOC_OPERATOR: opts.operator ?? sim.credentials.username, TOC_OFFLINE_SYNC: 'off' },
  });
  const services: IncidentService[] = [];
  const calls = coreCalls(core);
  return {
    core,
    dir,
    ...calls,
    service: (o) => {
      const s = new IncidentService(
        { connections: core.services.connections, audit: core.services.audit, operator: () => core.services.operator().name },
        o,
      );
      services.push(s);
      return s;
    },
    close: async () => {
      for (const s of services) s.stopAll();
      await core.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `pred` holds, polling every 20 ms (fails after `ms`). */
export async function until(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
