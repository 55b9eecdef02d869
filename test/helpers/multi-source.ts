// Small fleets spread over several metric sources, for the tests that run one SLO fleet against two
// Prometheus servers, VictoriaMetrics, or a Mimir-like front: a few services with known error ratios (a tiny
// dataset, cheap to build), OpenSLO files that name their source or take the default, and a workspace file
// with one connection per source.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CounterSeries, Dataset } from './prometheus';

export interface ServiceTraffic {
  service: string;
  /** Share of 5xx responses (constant, or by sample time in unix seconds). */
  errorRatio: number | ((t: number) => number);
  /** Requests per second. Default 2. */
  rps?: number;
  metric?: string;
}

/** Two counters per service (code 200 and 500) at 5-minute steps over `days` days ending at `end`. */
export function trafficDataset(services: readonly ServiceTraffic[], end: number, days = 3, stepSeconds = 300): Dataset {
  const series: CounterSeries[] = services.flatMap((s) => {
    const rps = s.rps ?? 2;
    const name = s.metric ?? 'http_requests_total';
    const share =
      typeof s.errorRatio === 'number'
        ? (
            (r: number) => () =>
              r
          )(s.errorRatio)
        : s.errorRatio;
    return [
      { kind: 'counter', name, labels: { service: s.service, code: '200' }, increment: (t, dt) => rps * dt * (1 - share(t)) },
      { kind: 'counter', name, labels: { service: s.service, code: '500' }, increment: (t, dt) => rps * dt * share(t) },
    ] satisfies CounterSeries[];
  });
  return { end, days, series, stepSeconds };
}

export interface RatioSlo {
  name: string;
  service: string;
  metric?: string;
  /** metricSourceRef: the connection id; absent = the workspace's default SLO connection. */
  ref?: string;
  target?: number;
  window?: string;
}

/** An OpenSLO ratio SLO over a service's 5xx share. */
export function ratioSloYaml(s: RatioSlo): string {
  const metric = s.metric ?? 'http_requests_total';
  const source = (query: string): string[] =>
    s.ref !== undefined
      ? ['          metricSource:', `            metricSourceRef: ${s.ref}`, '            spec:', `              query: ${query}`]
      : ['          metricSource:', '            type: Prometheus', '            spec:', `              query: ${query}`];
  return [
    'apiVersion: openslo/v1',
    'kind: SLO',
    'metadata:',
    `  name: ${s.name}`,
    'spec:',
    `  service: ${s.service}`,
    '  indicator:',
    '    metadata:',
    `      name: ${s.name}-availability`,
    '    spec:',
    '      ratioMetric:',
    '        counter: true',
    '        bad:',
    ...source(`${metric}{service="${s.service}",code=~"5.."}`),
    '        total:',
    ...source(`${metric}{service="${s.service}"}`),
    '  timeWindow:',
    `    - duration: ${s.window ?? '30d'}`,
    '      isRolling: true',
    '  budgetingMethod: Occurrences',
    '  objectives:',
    `    - target: ${s.target ?? 0.999}`,
    '',
  ].join('\n');
}

export interface SourceConnection {
  id: string;
  name?: string;
  url: string;
  kind?: 'prometheus' | 'alertmanager';
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface MultiWorkspace {
  dir: string;
  config: string;
  dataDir: string;
  cleanup(): void;
}

/** A workspace with the given connections, `defaultConnection` as slos.connection and the SLO files given. */
export function multiSourceWorkspace(opts: {
  connections: readonly SourceConnection[];
  defaultConnection?: string;
  files: Record<string, string>;
  extra?: string[];
}): MultiWorkspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-multi-ws-'));
  const dataDir = path.join(dir, 'data');
  mkdirSync(path.join(dir, 'slos'));
  mkdirSync(dataDir);
  for (const [name, text] of Object.entries(opts.files)) writeFileSync(path.join(dir, 'slos', name), text);
  const lines = ['name: Multi-source test workspace', 'connections:'];
  for (const c of opts.connections) {
    lines.push(
      `  - id: ${c.id}`,
      `    kind: ${c.kind ?? 'prometheus'}`,
      `    name: ${JSON.stringify(c.name ?? c.id)}`,
      `    url: ${c.url}`,
      '    auth: {type: none}',
      `    timeoutMs: ${c.timeoutMs ?? 20_000}`,
    );
    if (c.headers) lines.push(`    headers: ${JSON.stringify(c.headers)}`);
  }
  lines.push('slos:');
  if (opts.defaultConnection !== undefined) lines.push(`  connection: ${opts.defaultConnection}`);
  lines.push('  files: ["slos/*.yaml"]', ...(opts.extra ?? []), '');
  const config = path.join(dir, 'toc.yaml');
  writeFileSync(config, lines.join('\n'));
  return { dir, config, dataDir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
