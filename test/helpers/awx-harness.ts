import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import type { Core } from '../../electron/core/core';
import type { JobStreamItem } from '@shared/jobs/model';
import { logText } from '@shared/jobs/jobs';
import { ContractFailure } from '@shared/kernel/result';
import type { AwxSim } from '../sim/awx';
import type { SnowSim } from '../sim/servicenow';
import { fakeSecrets } from './fake-secrets';
import { coreCalls } from './core-calls';
import type { CoreCalls } from './core-calls';

// A core wired to the AWX simulator (and optionally the ServiceNow simulator) through a real workspace file,
// with its own runbook folder, for the AWX integration tests.

export interface AwxHarness extends CoreCalls {
  core: Core;
  dir: string;
  runbookDir: string;
  /** Subscribes to jobs.events until `end` or a fatal error; returns every item in order. */
  follow(jobId: number, opts?: { connectionId?: string; fromCounter?: number; timeoutMs?: number }): Promise<FollowResult>;
  close(): Promise<void>;
}

export interface FollowResult {
  items: JobStreamItem[];
  lines: string[];
  text: string;
  end: Extract<JobStreamItem, { kind: 'end' }> | null;
  error: Extract<JobStreamItem, { kind: 'error' }> | null;
}

export interface AwxHarnessOptions {
  snow?: SnowSim;
  /** Extra runbook files: name → content. */
  runbooks?: Record<string, string>;
  /** Token the AWX connection uses (default: the simulator's admin token). */
  token?: string;
  environment?: string;
}

export async function awxHarness(sim: AwxSim, opts: AwxHarnessOptions = {}): Promise<AwxHarness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-awx-'));
  const runbookDir = path.join(dir, 'runbooks');
  mkdirSync(runbookDir);
  for (const [name, text] of Object.entries(opts.runbooks ?? {})) writeFileSync(path.join(runbookDir, name), text);
  const lines = [
    'name: AWX tests',
    'connections:',
    '  - id: awx',
    '    kind: awx',
    '    name: AWX sim',
    `    url: ${sim.url}`,
    `    apiBasePath: ${sim.apiBase}`,
    ...(opts.environment ? [`    environment: ${opts.environment}`] : []),
    '    auth: {type: bearer, token: {secret: {keychain: "awx:token"}}}',
  ];
  if (opts.snow) {
    lines.push(
      '  - id: snow',
      '    kind: servicenow',
      '    name: ServiceNow sim',
      `    url: ${opts.snow.url}`,
      `    auth: {type: basic, username: ${opts.snow.credentials.username}, password: {secret: {keychain: "snow:password"}}}`,
    );
  }
  lines.push('runbooks:', `  folders: [${JSON.stringify(runbookDir)}]`, '');
  const file = path.join(dir, 'toc.yaml');
  writeFileSync(file, lines.join('\n'));
  const secrets = fakeSecrets({
    'awx:token': opts.token ?? sim.token,
    ...(opts.snow ? { 'snow:password': opts.snow.credentials.password } : {}),
  });
  const core = await createCore({
    version: '0.0.0-test',
    transport: 'direct',
    workspaceFile: file,
    dataDir: path.join(dir, 'data'),
    secrets,
    validateOutput: true,
  });
  const calls = coreCalls(core);
  return {
    core,
    dir,
    runbookDir,
    ...calls,
    follow: (jobId, o = {}) =>
      new Promise<FollowResult>((resolve, reject) => {
        const items: JobStreamItem[] = [];
        let stop: (() => void) | null = null;
        const timer = setTimeout(() => {
          stop?.();
          reject(
            new Error(
              `job ${jobId} did not end within ${o.timeoutMs ?? 90_000} ms; last items: ${JSON.stringify(items.slice(-3)).slice(0, 800)}`,
            ),
          );
        }, o.timeoutMs ?? 90_000);
        const done = (): void => {
          clearTimeout(timer);
          queueMicrotask(() => stop?.());
          const lines = items.flatMap((i) => (i.kind === 'lines' ? i.lines : []));
          resolve({
            items,
            lines,
            text: logText(lines),
            end: items.find((i): i is Extract<JobStreamItem, { kind: 'end' }> => i.kind === 'end') ?? null,
            error: items.find((i): i is Extract<JobStreamItem, { kind: 'error' }> => i.kind === 'error') ?? null,
          });
        };
        const sub = core.dispatcher.subscribe(
          'jobs.events',
          { connectionId: o.connectionId ?? 'awx', jobId, ...(o.fromCounter ? { fromCounter: o.fromCounter } : {}) },
          (p) => {
            const item = p as JobStreamItem;
            items.push(item);
            if (item.kind === 'end' || (item.kind === 'error' && item.fatal)) done();
          },
        );
        if (!sub.ok) {
          clearTimeout(timer);
          reject(new ContractFailure(sub.error.code, sub.error.message, sub.error.detail));
          return;
        }
        stop = () => sub.data.stop();
      }),
    close: async () => {
      await core.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** AWX's txt output with `\r\n` normalised, as the comparison target. */
export const normalise = (text: string): string => text.replaceAll('\r\n', '\n');
