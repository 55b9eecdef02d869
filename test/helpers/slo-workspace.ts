// A throw-away workspace for SLO tests: a toc.yaml with one Prometheus connection (id prom-main, the id the
// fixture files name in metricSourceRef) used as the default SLO connection, and copies of the SLO files.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURE_DIR } from './slo-scenarios';

export interface SloWorkspace {
  dir: string;
  config: string;
  dataDir: string;
  sloDir: string;
  cleanup(): void;
}

export interface SloWorkspaceOptions {
  prometheusUrl: string;
  /** Fixture file names to copy (default: the standard fleet, without broken.yaml). */
  files?: string[];
  /** Extra files written into the SLO folder: name → text. */
  extra?: Record<string, string>;
  policy?: { caution: number; restricted: number; emergency: number };
  connectionId?: string;
}

export const STANDARD_FILES = [
  'api-latency.yaml',
  'auth.yaml',
  'catalog.yaml',
  'checkout.yaml',
  'ghost.yaml',
  'login.yaml',
  'nightly.yaml',
  'payments.yaml',
  'reports.yaml',
  'search.yaml',
];

export function makeSloWorkspace(opts: SloWorkspaceOptions): SloWorkspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-slo-ws-'));
  const sloDir = path.join(dir, 'slos');
  const dataDir = path.join(dir, 'data');
  mkdirSync(sloDir);
  mkdirSync(dataDir);
  for (const f of opts.files ?? STANDARD_FILES) copyFileSync(path.join(FIXTURE_DIR, f), path.join(sloDir, f));
  for (const [name, text] of Object.entries(opts.extra ?? {})) writeFileSync(path.join(sloDir, name), text);
  const id = opts.connectionId ?? 'prom-main';
  const config = path.join(dir, 'toc.yaml');
  writeFileSync(
    config,
    [
      'name: SLO test workspace',
      'connections:',
      `  - id: ${id}`,
      '    kind: prometheus',
      '    name: Prometheus (test)',
      `    url: ${opts.prometheusUrl}`,
      '    auth: {type: none}',
      '    timeoutMs: 20000',
      'slos:',
      `  connection: ${id}`,
      '  files: ["slos/*.yaml"]',
      ...(opts.policy
        ? [
            'policy:',
            `  tiers: {caution: ${opts.policy.caution}, restricted: ${opts.policy.restricted}, emergency: ${opts.policy.emergency}}`,
          ]
        : []),
      '',
    ].join('\n'),
  );
  return { dir, config, dataDir, sloDir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
