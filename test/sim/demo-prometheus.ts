// The demo's Prometheus: a real Prometheus over 30-odd days of generated history for ten SLOs, at least one in
// every error budget policy tier (normal, caution, restricted, emergency, and one with no data), plus
// ALERTS series for the alert timeline (a past page on checkout, a page and a ticket firing now).
//
// Time: the history ends now (to the minute, with 1-minute samples over the last hours as a scrape would give),
// so the demo opens on live-looking data. It is built in two parts: everything before today's UTC midnight
// (placed against that midnight, so it is the same all day: built once a day, about 12 s on 2 cores, then
// cached) and today so far (a few seconds). Live alerting rules (the Workbook's burn-rate pairs) then keep ALERTS and /api/v1/alerts current.
// Numbers move as the history ends further back while a demo runs for hours; restart it to catch up.
//
// The OpenSLO files for these series are written to resources/demo/slos/ (static, committed; they name metrics
// only), so the demo workspace and `toc slo status` read the same definitions.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildDataset,
  startPrometheus,
  type CounterSeries,
  type Dataset,
  type HistogramSeries,
  type SeriesSpec,
} from '../helpers/prometheus';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_SLO_DIR = path.join(ROOT, 'resources/demo/slos');
const DAY = 86_400;
const HOUR = 3_600;
const STEP = 300;

/** Deterministic noise in [0, 1) per series seed and time, so the same day always builds the same blocks. */
function noise(seed: number, t: number): number {
  let x = (Math.floor(t / STEP) ^ Math.imul(seed, 0x9e3779b1)) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x ^= x >>> 16;
  return (x >>> 0) / 4_294_967_296;
}

/** Traffic follows the day: highest mid-afternoon UTC, lowest at night. */
function diurnal(t: number): number {
  const hour = (t % DAY) / HOUR;
  return 1 + 0.45 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
}

interface DemoSlo {
  name: string;
  displayName: string;
  service: string;
  description: string;
  targetPercent: number;
  window: { duration: string; rolling: boolean };
  labels: Record<string, string>;
  /** Ratio queries; a latency SLO uses good/total. */
  bad?: string;
  good?: string;
  total: string;
  /** The tier this SLO shows at any time of the dataset's first day. */
  tier: 'normal' | 'caution' | 'restricted' | 'emergency' | 'no-data';
  /** An SLI document shared by another SLO (the calendar-month twin). */
  sliRef?: string;
}

const availability = (service: string): { bad: string; total: string } => ({
  bad: `http_requests_total{service="${service}",code=~"5.."}`,
  total: `http_requests_total{service="${service}"}`,
});

export const DEMO_SLOS: readonly DemoSlo[] = [
  {
    name: 'storefront-availability',
    displayName: 'Storefront pages without a 5xx',
    service: 'storefront',
    description: 'Shop pages served without a server error.',
    targetPercent: 99.9,
    window: { duration: '30d', rolling: true },
    labels: { team: 'web', tier: 'gold' },
    ...availability('storefront'),
    tier: 'normal',
  },
  {
    name: 'storefront-monthly',
    displayName: 'Storefront availability this month',
    service: 'storefront',
    description: 'The same SLI against the calendar month the SLA is reported on.',
    targetPercent: 99.9,
    window: { duration: '1M', rolling: false },
    labels: { team: 'web', tier: 'gold' },
    ...availability('storefront'),
    tier: 'normal',
    sliRef: 'storefront-availability',
  },
  {
    name: 'login-availability',
    displayName: 'Logins that succeed',
    service: 'login',
    description: 'Login requests answered without a 5xx, over a week.',
    targetPercent: 99.5,
    window: { duration: '7d', rolling: true },
    labels: { team: 'identity', tier: 'gold' },
    ...availability('login'),
    tier: 'normal',
  },
  {
    name: 'checkout-availability',
    displayName: 'Checkout without a 5xx',
    service: 'checkout',
    description: 'Checkout requests that do not fail; an outage twelve days ago still weighs on the budget.',
    targetPercent: 99.9,
    window: { duration: '30d', rolling: true },
    labels: { team: 'shop', tier: 'gold' },
    ...availability('checkout'),
    tier: 'caution',
  },
  {
    name: 'search-latency',
    displayName: 'Search answers within 300 ms',
    service: 'search',
    description: 'Search requests answered within 300 ms (histogram bucket le="0.3" over the count).',
    targetPercent: 99,
    window: { duration: '28d', rolling: true },
    labels: { team: 'discovery', tier: 'silver' },
    good: 'http_request_duration_seconds_bucket{service="search",le="0.3"}',
    total: 'http_request_duration_seconds_count{service="search"}',
    tier: 'caution',
  },
  {
    name: 'payments-availability',
    displayName: 'Payments authorised without error',
    service: 'payments',
    description: 'A slow burn for five days: the 3-day ticket alert fires.',
    targetPercent: 99.95,
    window: { duration: '30d', rolling: true },
    labels: { team: 'payments', tier: 'gold' },
    ...availability('payments'),
    tier: 'restricted',
  },
  {
    name: 'inventory-availability',
    displayName: 'Inventory lookups without error',
    service: 'inventory',
    description: 'A steady error rate a little too high for the target.',
    targetPercent: 99.9,
    window: { duration: '30d', rolling: true },
    labels: { team: 'shop', tier: 'silver' },
    ...availability('inventory'),
    tier: 'restricted',
  },
  {
    name: 'notifications-delivery',
    displayName: 'Notifications delivered',
    service: 'notifications',
    description: 'A fast burn since four days ago: pages now, budget overspent.',
    targetPercent: 99.9,
    window: { duration: '30d', rolling: true },
    labels: { team: 'messaging', tier: 'silver' },
    ...availability('notifications'),
    tier: 'emergency',
  },
  {
    name: 'api-gateway-availability',
    displayName: 'API gateway without a 5xx',
    service: 'api-gateway',
    description: 'Burning at 0.84x for a month: no alert, but little budget is left.',
    targetPercent: 99.5,
    window: { duration: '30d', rolling: true },
    labels: { team: 'platform', tier: 'gold' },
    ...availability('api-gateway'),
    tier: 'emergency',
  },
  {
    name: 'recommendations-availability',
    displayName: 'Recommendations without a 5xx',
    service: 'recommendations',
    description: 'Its metric was never exported: no data, which must never look healthy.',
    targetPercent: 99.5,
    window: { duration: '30d', rolling: true },
    labels: { team: 'discovery', tier: 'bronze' },
    bad: 'recs_requests_total{service="recommendations",code=~"5.."}',
    total: 'recs_requests_total{service="recommendations"}',
    tier: 'no-data',
  },
];

// ---- data ------------------------------------------------------------------------------------------------------

/** Today's UTC midnight for a wall-clock time: the anchor every pattern is placed against. */
export function demoAnchor(nowMs: number): number {
  return Math.floor(nowMs / 1000 / DAY) * DAY;
}

function service(name: string, seed: number, rps: number, errorRatio: (t: number) => number): CounterSeries[] {
  const share = (t: number): number => Math.min(1, errorRatio(t) * (0.75 + 0.5 * noise(seed, t)));
  const events = (t: number, dt: number): number => rps * diurnal(t) * dt;
  return [
    {
      kind: 'counter',
      name: 'http_requests_total',
      labels: { service: name, code: '200' },
      increment: (t, dt) => events(t, dt) * (1 - share(t)),
    },
    {
      kind: 'counter',
      name: 'http_requests_total',
      labels: { service: name, code: '500' },
      increment: (t, dt) => events(t, dt) * share(t),
    },
  ];
}

/**
 * ALERTS{...} = 1 from `from` to `to`, as Prometheus records a firing alert (the live rules below carry the
 * same labels, so the series simply continues once the server runs). `first` is the dataset's first sample
 * time: the counter the generator writes starts at 0 there, so the first active sample adds 1.
 */
function alertSeries(labels: Record<string, string>, from: number, to: number, first: number): CounterSeries {
  const start = Math.max(from, first);
  return {
    kind: 'counter',
    name: 'ALERTS',
    labels: { alertname: 'ErrorBudgetBurn', alertstate: 'firing', ...labels },
    from: start,
    increment: (t) => (t < start || t > to ? null : t < start + STEP ? 1 : 0),
  };
}

/** Every series, with patterns placed against `anchor` (a UTC midnight); `first` is the dataset's first sample. */
function demoSeries(anchor: number, first: number): SeriesSpec[] {
  const far = anchor + 2 * DAY;
  const incident = { from: anchor - 12 * DAY, to: anchor - 12 * DAY + 2 * HOUR };
  const latency: HistogramSeries = {
    kind: 'histogram',
    name: 'http_request_duration_seconds',
    labels: { service: 'search' },
    buckets: [0.3],
    requests: (t, dt) => 3 * diurnal(t) * dt,
    fractionBelow: (_le, t) => 1 - 0.0035 * (0.75 + 0.5 * noise(7, t)),
  };
  return [
    ...service('storefront', 1, 12, () => 0.0001),
    ...service('login', 2, 4, () => 0.0003),
    ...service('checkout', 3, 3, (t) => (t > incident.from && t <= incident.to ? 0.05 : 0.0002)),
    ...service('payments', 4, 2, (t) => (t > anchor - 5 * DAY ? 0.0009 : 0.0002)),
    ...service('inventory', 5, 5, () => 0.0006),
    ...service('notifications', 6, 2, (t) => (t > anchor - 4 * DAY ? 0.025 : 0.0005)),
    ...service('api-gateway', 8, 20, () => 0.0042),
    latency,
    alertSeries(
      { severity: 'page', slo: 'checkout-availability', long: '1h', short: '5m' },
      incident.from + STEP,
      incident.to + STEP,
      first,
    ),
    alertSeries({ severity: 'page', slo: 'notifications-delivery', long: '1h', short: '5m' }, anchor - 4 * DAY + STEP, far, first),
    alertSeries({ severity: 'page', slo: 'notifications-delivery', long: '6h', short: '30m' }, anchor - 4 * DAY + 20 * 60, far, first),
    alertSeries({ severity: 'ticket', slo: 'payments-availability', long: '3d', short: '6h' }, anchor - 5 * DAY + 40 * HOUR, far, first),
  ];
}

const HISTORY_DAYS = 32;

/**
 * The demo history in two parts: everything before today's UTC midnight (the same all day, so built once a
 * day and cached) and today up to the current minute (small: a few seconds to build).
 * Counters restart at 0 at midnight, which increase() and rate() take as a counter reset.
 */
export function demoDatasets(nowMs = Date.now()): { history: Dataset; today: Dataset; end: number } {
  const anchor = demoAnchor(nowMs);
  // Rounded to the minute, with 1-minute samples over today's last hours (as a real scrape would give): a
  // 5-minute burn window needs at least two samples inside it at any evaluation time.
  const end = Math.floor(nowMs / 1000 / 60) * 60;
  const historyEnd = anchor - STEP;
  const historyFirst = historyEnd - HISTORY_DAYS * DAY;
  const dense = { seconds: Math.min(6 * HOUR, end - anchor), step: 60 };
  return {
    history: { end: historyEnd, days: HISTORY_DAYS, stepSeconds: STEP, series: demoSeries(anchor, historyFirst) },
    today: {
      end,
      days: (end - anchor) / DAY,
      stepSeconds: STEP,
      series: demoSeries(anchor, anchor).map((x) => ({ ...x, denseTail: dense })),
    },
    end,
  };
}

const rate = (service: string, errors: boolean, w: string): string =>
  `sum(rate(http_requests_total{service="${service}"${errors ? ',code=~"5.."' : ''}}[${w}]))`;
const burnOver = (service: string, w: string, threshold: number): string =>
  `(${rate(service, true, w)} / ${rate(service, false, w)} > ${threshold})`;

/**
 * Live multiwindow burn-rate alerts (SRE Workbook pairs on the raw counters) for two demo SLOs, so
 * /api/v1/alerts has firing alerts with runbook links and ALERTS keeps growing while the demo runs.
 */
export const DEMO_ALERT_RULES = `groups:
  - name: demo-slo-burn-alerts
    interval: 15s
    rules:
      - alert: ErrorBudgetBurn
        expr: ${burnOver('notifications', '1h', 0.0144)} and ${burnOver('notifications', '5m', 0.0144)}
        labels: {severity: page, slo: notifications-delivery, long: 1h, short: 5m}
        annotations:
          summary: Notifications burn their 30-day error budget over 14.4 times too fast.
          description: At this rate the whole monthly budget is gone within two days; page the on-call engineer.
          runbook_url: https://runbooks.example.com/notifications/error-budget-burn
          dashboard_url: toc://slo/notifications-delivery
      - alert: ErrorBudgetBurn
        expr: ${burnOver('notifications', '6h', 0.006)} and ${burnOver('notifications', '30m', 0.006)}
        labels: {severity: page, slo: notifications-delivery, long: 6h, short: 30m}
        annotations:
          summary: Notifications burn their 30-day error budget over 6 times too fast.
          runbook_url: toc://runbook/notifications-burn
          dashboard_url: toc://slo/notifications-delivery
      - alert: ErrorBudgetBurn
        expr: ${burnOver('payments', '3d', 0.0005)} and ${burnOver('payments', '6h', 0.0005)}
        labels: {severity: ticket, slo: payments-availability, long: 3d, short: 6h}
        annotations:
          summary: Payments burn their error budget faster than it refills (slow burn over 3 days).
          runbook_url: toc://runbook/restart-service
          dashboard_url: toc://slo/payments-availability
`;

// ---- OpenSLO files ---------------------------------------------------------------------------------------------

function sliSpec(s: DemoSlo, indent: string): string[] {
  const source = (q: string): string[] => ['metricSource:', '  type: Prometheus', '  spec:', `    query: '${q}'`];
  const part = (key: string, q: string): string[] => [`${key}:`, ...source(q).map((l) => `  ${l}`)];
  return [
    'ratioMetric:',
    '  counter: true',
    ...(s.good ? part('good', s.good) : part('bad', s.bad ?? '')).map((l) => `  ${l}`),
    ...part('total', s.total).map((l) => `  ${l}`),
  ].map((l) => `${indent}${l}`);
}

/** The OpenSLO text of one demo SLO. */
export function demoSloYaml(s: DemoSlo): string {
  const out = [
    `# Demo SLO (${s.tier} tier in the demo data). Generated by test/sim/demo-prometheus.ts from the same`,
    '# definitions as the demo Prometheus series; edit both together.',
  ];
  const sharesSli = DEMO_SLOS.some((o) => o.sliRef === s.name);
  if (sharesSli) {
    out.push(
      'apiVersion: openslo/v1',
      'kind: SLI',
      'metadata:',
      `  name: ${s.name}-sli`,
      `  displayName: ${JSON.stringify(s.displayName)}`,
      'spec:',
      ...sliSpec(s, '  '),
      '---',
    );
  }
  out.push(
    'apiVersion: openslo/v1',
    'kind: SLO',
    'metadata:',
    `  name: ${s.name}`,
    `  displayName: ${JSON.stringify(s.displayName)}`,
    '  labels:',
    ...Object.entries(s.labels).map(([k, v]) => `    ${k}: ${v}`),
    'spec:',
    `  description: ${JSON.stringify(s.description)}`,
    `  service: ${s.service}`,
  );
  if (s.sliRef) out.push(`  indicatorRef: ${s.sliRef}-sli`);
  else if (sharesSli) out.push(`  indicatorRef: ${s.name}-sli`);
  else out.push('  indicator:', '    metadata:', `      name: ${s.name}-sli`, '    spec:', ...sliSpec(s, '      '));
  out.push(
    '  timeWindow:',
    `    - duration: ${s.window.duration}`,
    `      isRolling: ${s.window.rolling}`,
    ...(s.window.rolling ? [] : ['      calendar:', "        startTime: '2026-01-01 00:00:00'", '        timeZone: UTC']),
    '  budgetingMethod: Occurrences',
    '  objectives:',
    `    - targetPercent: ${s.targetPercent}`,
  );
  return `${out.join('\n')}\n`;
}

/** Writes the demo SLO files (only those whose text changed) and returns their folder. */
export function writeDemoSloFiles(dir = DEMO_SLO_DIR): string {
  mkdirSync(dir, { recursive: true });
  for (const s of DEMO_SLOS) {
    const file = path.join(dir, `${s.name}.yaml`);
    const text = demoSloYaml(s);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
  }
  return dir;
}

// ---- start ----------------------------------------------------------------------------------------------------

export interface DemoPrometheus {
  url: string;
  sloDir: string;
  stop(): Promise<void>;
}

/** Builds (history once a day and cached; today's part each start, a few seconds) and starts the demo Prometheus. */
export async function startDemoPrometheus(
  opts: { log?: (line: string) => void; now?: number; alertmanager?: string } = {},
): Promise<DemoPrometheus> {
  const log = opts.log ?? (() => undefined);
  const bin = process.env['TOC_PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';
  if (!existsSync(bin))
    throw new Error(
      `Prometheus is not installed (${bin} is missing); install it with "apt-get install prometheus" to see SLOs in the demo.`,
    );
  const sloDir = writeDemoSloFiles();
  const t0 = Date.now();
  log('Prometheus: preparing 32 days of demo history…');
  const ds = demoDatasets(opts.now ?? Date.now());
  const [history, today] = [await buildDataset(ds.history), await buildDataset(ds.today)];
  // One data folder holding both parts (startPrometheus copies it again into the server's private folder).
  const merged = mkdtempSync(path.join(os.tmpdir(), 'toc-demo-prom-'));
  try {
    for (const part of [history, today]) {
      for (const block of readdirSync(part.dataDir)) cpSync(path.join(part.dataDir, block), path.join(merged, block), { recursive: true });
    }
    const prom = await startPrometheus({
      dataDir: merged,
      ruleFiles: [{ name: 'demo-slo-alerts.yml', content: DEMO_ALERT_RULES }],
      ...(opts.alertmanager ? { alertmanagers: [opts.alertmanager] } : {}),
      // Rules run once a minute. An alert sent at the first run, before Prometheus reached the Alertmanager, is
      // resent only once the resend delay (1 m by default) has passed at a later run — which can be the third
      // run, two minutes in. 10 s makes the second run resend it, so the demo's Alerts view fills within ~1 m.
      ...(opts.alertmanager ? { args: ['--rules.alert.resend-delay=10s'] } : {}),
    });
    const built = [history, today].filter((p) => !p.cached).reduce((a, p) => a + p.buildMs, 0);
    log(
      `Prometheus: ready at ${prom.url} (${built > 0 ? `history built in ${Math.round(built / 1000)} s` : 'history from the cache'}, ${Math.round((Date.now() - t0) / 1000)} s in all)`,
    );
    return { url: prom.url, sloDir, stop: () => prom.stop() };
  } finally {
    rmSync(merged, { recursive: true, force: true });
  }
}
