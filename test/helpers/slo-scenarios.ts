// The standard SLO scenarios: one Prometheus dataset (31 days at 5-minute steps, 21 series) whose history puts
// every SLO in test/fixtures/slo/ into a known state at STANDARD_END, plus the expected states.
//
// Traffic is 2 requests per second (600 per 5-minute step) unless noted; error ratios change at the times given. The last
// sample is at STANDARD_END, and all queries are evaluated at that instant (`time=`), so results do not depend
// on the wall clock and the built blocks are cached across runs.
//
// Sloth/Pyrra recording rules (fixtures/slo/rules/*.rules.yml) only evaluate from the server's start onwards,
// and the data ends in the past, so their history is backfilled while the dataset is built: a temporary server
// over the raw blocks answers `promtool tsdb create-blocks-from rules` for the last hour before STANDARD_END.
// An hour is enough because the console reads the latest recorded sample (instant queries); the 30d period rule
// is the plain events ratio, so it does not need 30 days of recorded 5m ratios.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BurnWindow, PolicyTier, SloState, AlertSeverity } from '@shared/slo';
import type { CounterSeries, Dataset, HistogramSeries, Labels, Sampling, SeriesSpec } from './prometheus';

export const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/slo');

/** 2026-11-15T12:00:00Z: mid-month, so the calendar-month SLO covers 14.5 days. */
export const STANDARD_END = Date.UTC(2026, 10, 15, 12, 0, 0) / 1000;
export const STANDARD_DAYS = 31;
const STEP = 300;
const MIN = 60;
const HOUR = 3_600;
const DAY = 86_400;

/** Two counters (code 200 and 500) whose 5xx share follows errorRatio(t); rps(t) null = scrape gap. */
function ratioCounters(
  name: string,
  labels: Labels,
  errorRatio: (t: number) => number,
  opts: { rps?: (t: number) => number | null; resetAt?: (t: number) => boolean } & Sampling = {},
): CounterSeries[] {
  const rps = opts.rps ?? (() => 2);
  const part = (share: (t: number) => number) => (t: number, dt: number) => {
    const r = rps(t);
    return r === null ? null : r * dt * share(t);
  };
  const common = {
    ...(opts.resetAt ? { resetAt: opts.resetAt } : {}),
    ...(opts.from !== undefined ? { from: opts.from } : {}),
    ...(opts.denseTail ? { denseTail: opts.denseTail } : {}),
  };
  return [
    { kind: 'counter', name, labels: { ...labels, code: '200' }, increment: part((t) => 1 - errorRatio(t)), ...common },
    { kind: 'counter', name, labels: { ...labels, code: '500' }, increment: part(errorRatio), ...common },
  ];
}

const E = STANDARD_END;
const last = (seconds: number) => (t: number) => t > E - seconds;

export function standardSeries(): SeriesSpec[] {
  const latency: HistogramSeries = {
    kind: 'histogram',
    name: 'http_request_duration_seconds',
    labels: { service: 'api' },
    buckets: [0.1, 0.3, 1],
    requests: (_t, dt) => 2 * dt,
    fractionBelow: (le) => (le >= 1 ? 0.999 : le >= 0.3 ? 0.996 : 0.9),
  };
  const restarts = (t: number): boolean => (t - (E - 31 * DAY)) % (5 * DAY) === 0 || t === E - 3 * HOUR || t === E - 50 * MIN;
  return [
    ...ratioCounters('http_requests_total', { service: 'checkout' }, () => 0.0004),
    ...ratioCounters('http_requests_total', { service: 'payments' }, (t) => (last(90 * MIN)(t) ? 0.03 : 0.0002)),
    ...ratioCounters('http_requests_total', { service: 'search' }, (t) => (last(2 * DAY)(t) ? 0.004 : 0.0005)),
    ...ratioCounters('http_requests_total', { service: 'reports' }, () => 0.001, {
      rps: (t) => (last(3 * HOUR)(t) ? 0 : 1),
    }),
    ...ratioCounters('http_requests_total', { service: 'nightly' }, () => 0.001, {
      rps: (t) => (last(40 * MIN)(t) ? null : 1),
    }),
    ...ratioCounters('http_requests_total', { service: 'auth' }, () => 0.0004, { resetAt: restarts }),
    ...ratioCounters('http_requests_total', { service: 'login' }, () => 0.0015, { from: E - 8 * DAY }),
    // 1-minute samples for the last 3 hours: the rules evaluate between the 5-minute grid points.
    ...ratioCounters('catalog_requests_total', { service: 'catalog' }, (t) => (last(2 * HOUR)(t) ? 0.2 : 0.002), {
      denseTail: { seconds: 3 * HOUR, step: MIN },
    }),
    latency,
  ];
}

export function ruleFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURE_DIR, 'rules', name), 'utf8');
}

export const RULE_FILES = ['catalog-sloth.rules.yml', 'catalog-pyrra.rules.yml'] as const;

export function standardDataset(): Dataset {
  return {
    end: STANDARD_END,
    days: STANDARD_DAYS,
    stepSeconds: STEP,
    series: standardSeries(),
    rules: RULE_FILES.map((name) => ({ name, content: ruleFixture(name), backfillSeconds: HOUR })),
  };
}

/** The OpenSLO files of the standard fleet (broken.yaml is left out on purpose). */
export function standardSloFiles(): { file: string; text: string }[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.yaml') && f !== 'broken.yaml')
    .sort()
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(FIXTURE_DIR, f), 'utf8') }));
}

export function fixtureFile(name: string): { file: string; text: string } {
  return { file: name, text: fs.readFileSync(path.join(FIXTURE_DIR, name), 'utf8') };
}

export interface Expectation {
  status: SloState;
  policy: PolicyTier;
  /** Severities expected among firing alerts (exactly this set). */
  alerts: AlertSeverity[];
  /** Burn windows expected to be null (unknown). */
  nullBurn?: BurnWindow[];
  /** Approximate burn rate everywhere it is known (steady scenarios). */
  steadyBurn?: number;
  /** Approximate remaining budget. */
  remaining?: number;
}

/** Expected state of each SLO status id at STANDARD_END. */
export const EXPECTED: Record<string, Expectation> = {
  checkout: { status: 'ok', policy: 'caution', alerts: [], steadyBurn: 0.4, remaining: 0.6 },
  'checkout#1': { status: 'ok', policy: 'normal', alerts: [], steadyBurn: 0.04, remaining: 0.96 },
  'checkout-monthly': { status: 'ok', policy: 'restricted', alerts: [], steadyBurn: 0.4 / 0.7, remaining: 1 - 0.4 / 0.7 },
  payments: { status: 'ok', policy: 'caution', alerts: ['page'], remaining: 1 - (0.045 + 718.5 * 0.0002) / 720 / 0.001 },
  search: { status: 'ok', policy: 'restricted', alerts: ['ticket'], remaining: 1 - (28 * 0.0005 + 2 * 0.004) / 30 / 0.001 },
  reports: { status: 'ok', policy: 'normal', alerts: [], nullBurn: ['5m', '30m', '1h', '2h'], remaining: 0.9 },
  nightly: { status: 'ok', policy: 'normal', alerts: [], nullBurn: ['5m', '30m'], remaining: 0.9 },
  ghost: { status: 'no-data', policy: 'no-data', alerts: [], nullBurn: ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] },
  auth: { status: 'ok', policy: 'caution', alerts: [], steadyBurn: 0.4, remaining: 0.6 },
  'api-latency': { status: 'ok', policy: 'caution', alerts: [], steadyBurn: 0.4, remaining: 0.6 },
  login: { status: 'ok', policy: 'caution', alerts: ['ticket'], steadyBurn: 0.3, remaining: 0.7 },
  catalog: { status: 'ok', policy: 'caution', alerts: ['page'], remaining: 1 - (0.4 + 718 * 0.002) / 720 / 0.01 },
  'sloth/catalog-requests-availability': {
    status: 'ok',
    policy: 'caution',
    alerts: ['page'],
    remaining: 1 - (0.4 + 718 * 0.002) / 720 / 0.01,
  },
  'pyrra/catalog-pyrra': {
    status: 'ok',
    policy: 'caution',
    alerts: ['page'],
    nullBurn: ['3d'],
    remaining: 1 - (0.4 + 670 * 0.002) / 672 / 0.01,
  },
};
