// Reading batched fleet answers back per SLO (the labels fleet-plan.ts tagged them with) and turning each SLO's
// measurements into its statuses: budget, burn rates, alerts, policy tier. Pure: the caller brings the answers.

import { burnRate, readErrorRatio, type RatioReading, type WindowMeasurement } from './burn-rate';
import { budgetMinutesLeft, budgetRemaining, errorsAllowed, errorsRemaining, timeToExhaustion } from './error-budget';
import { firingAlerts, type AlertPair, WORKBOOK_ALERT_PAIRS } from './alerts';
import { DEFAULT_POLICY, policyTier, type PolicyThresholds } from './policy';
import { readVectorResponse } from './prom-values';
import { BURN_WINDOWS, type BurnWindow, type QueryWindow, type SloDefinition, type SloStatus } from './types';
import { resolveWindow } from './windows';
import {
  PART_LABEL,
  readsWindow,
  SLO_LABEL,
  sloRatioSource,
  type FleetPlan,
  type FleetQuery,
  type NaiveQuery,
  type Part,
} from './fleet-plan';

// ---- splitting -------------------------------------------------------------------------------------------------

/** What a caller got for one query: the decoded JSON body, or a transport error in words. */
export type QueryOutcome = { query: FleetQuery; body: unknown } | { query: FleetQuery; error: string };

export interface SloMeasurements {
  windows: Partial<Record<QueryWindow, WindowMeasurement>>;
  errors: string[];
  /**
   * The server answered but said the answer may be incomplete: API `warnings` (Thanos with a store down and
   * partial responses allowed, Prometheus's own notes). The numbers are kept and shown, marked degraded.
   */
  degraded?: string[];
}

function emptyMeasurements(): SloMeasurements {
  return { windows: {}, errors: [] };
}

/** Records a server's warnings against one SLO's window, once each. */
function noteWarnings(m: SloMeasurements, window: QueryWindow, warnings: readonly string[]): void {
  for (const w of warnings) {
    const text = `${window}: ${w}`;
    const list = (m.degraded = m.degraded ?? []);
    if (!list.includes(text)) list.push(text);
  }
}

/** Splits batched results back per SLO. SLOs that no outcome covers for a window get an error for it. */
export function splitFleetResults(plan: FleetPlan, outcomes: readonly QueryOutcome[]): Map<string, SloMeasurements> {
  const out = new Map<string, SloMeasurements>();
  for (const slo of plan.slos) out.set(slo.key, emptyMeasurements());
  const covered = new Set<string>();

  for (const o of outcomes) {
    const { query } = o;
    const keys = new Set(query.sloKeys);
    const error = 'error' in o ? o.error : null;
    const read = error === null ? readVectorResponse((o as { body: unknown }).body) : null;
    for (const key of query.sloKeys) {
      covered.add(`${key}\u0000${query.window}`);
      const m = out.get(key);
      if (!m) continue;
      if (error !== null) m.errors.push(`${query.window}: ${error}`);
      else if (read && !read.ok) m.errors.push(`${query.window}: ${read.errorType}: ${read.error}`);
      else {
        m.windows[query.window] = m.windows[query.window] ?? {};
        if (read?.ok) noteWarnings(m, query.window, read.warnings);
      }
    }
    if (!read || !read.ok) continue;
    const seen = new Set<string>();
    for (const s of read.samples) {
      const key = s.labels[SLO_LABEL];
      const part = s.labels[PART_LABEL] as Part | undefined;
      if (key === undefined || part === undefined || !keys.has(key)) continue;
      const m = out.get(key);
      const w = m?.windows[query.window];
      if (!m || !w) continue;
      const id = `${key}\u0000${part}`;
      if (seen.has(id)) {
        m.errors.push(`${query.window}: the ${part} expression returned more than one series`);
        continue;
      }
      seen.add(id);
      w[part] = s.value;
    }
  }
  for (const slo of plan.slos) {
    for (const window of plan.windows) {
      if (!readsWindow(slo, window)) continue;
      if (!covered.has(`${slo.key}\u0000${window}`)) out.get(slo.key)?.errors.push(`${window}: no result`);
    }
  }
  return out;
}

// ---- evaluation ----------------------------------------------------------------------------------------------

export interface EvaluateOptions {
  policy?: PolicyThresholds;
  alertPairs?: readonly AlertPair[];
  /** Burn window used for time-to-exhaustion; default 1h ("now"). */
  exhaustionBasis?: BurnWindow;
}

function describeGap(r: RatioReading): string {
  return r.gap === 'no-traffic' ? 'no traffic' : r.gap === 'invalid' ? 'invalid data' : 'no data';
}

/**
 * One message for a status's errors: every window failing for the same reason (a Prometheus that is down) is
 * said once, not once per window; one window failing, or different reasons, keep their windows ("6h: …",
 * "5m, 1h: …; period: …").
 * Errors arrive as "<window>: <message>".
 */
export function summarizeWindowErrors(errors: readonly string[]): string {
  const byMessage = new Map<string, string[]>();
  for (const e of errors) {
    const m = /^(period|5m|30m|1h|2h|6h|1d|3d): ([\s\S]*)$/.exec(e);
    const [win, msg] = m ? [m[1] ?? '', m[2] ?? ''] : ['', e];
    const list = byMessage.get(msg) ?? [];
    if (win && !list.includes(win)) list.push(win);
    byMessage.set(msg, list);
  }
  // One reason for several windows: the system, not a window, is the problem.
  const [only] = byMessage;
  if (byMessage.size === 1 && only && only[1].length !== 1) return only[0];
  return [...byMessage].map(([msg, wins]) => (wins.length ? `${wins.join(', ')}: ${msg}` : msg)).join('; ');
}

/** Status of every objective of one SLO from its measurements at `at`. */
export function evaluateSlo(slo: SloDefinition, m: SloMeasurements, at: number, opts: EvaluateOptions = {}): SloStatus[] {
  const resolved = resolveWindow(slo.window, at);
  const warnings: string[] = [];
  const read = (w: QueryWindow): RatioReading => {
    const r = readErrorRatio(m.windows[w], sloRatioSource(slo, w));
    if (r.warning) warnings.push(`${w}: ${r.warning}`);
    return r;
  };
  const period = read('period');
  const windowReadings = Object.fromEntries(BURN_WINDOWS.map((w) => [w, read(w)])) as Record<BurnWindow, RatioReading>;
  const status: SloStatus['status'] = m.errors.length > 0 ? 'error' : period.errorRatio === null ? 'no-data' : 'ok';
  const basis = opts.exhaustionBasis ?? '1h';

  return slo.objectives.map((obj, i) => {
    const target = obj.target;
    const burnRates = Object.fromEntries(BURN_WINDOWS.map((w) => [w, burnRate(windowReadings[w].errorRatio, target)])) as Record<
      BurnWindow,
      number | null
    >;
    const remaining = budgetRemaining(period.errorRatio, target);
    const s: SloStatus = {
      id: i === 0 ? slo.key : `${slo.key}#${i}`,
      key: slo.key,
      name: slo.name,
      service: slo.service,
      target,
      window: slo.window.duration,
      windowSeconds: resolved.fullSeconds,
      elapsedSeconds: resolved.lookbackSeconds,
      source: slo.origin.kind,
      labels: slo.labels,
      sli: period.errorRatio === null ? null : 1 - period.errorRatio,
      errorBudgetRemaining: remaining,
      events: { total: period.total, bad: period.bad },
      errorsAllowed: errorsAllowed(period.total, target),
      errorsRemaining: errorsRemaining(period.bad, period.total, target),
      budgetMinutesLeft: budgetMinutesLeft(remaining, target, resolved.fullSeconds),
      burnRates,
      alerts: firingAlerts(burnRates, resolved.fullSeconds, opts.alertPairs ?? WORKBOOK_ALERT_PAIRS),
      timeToExhaustion: timeToExhaustion(remaining, burnRates[basis], resolved.fullSeconds, basis),
      policy: policyTier(remaining, opts.policy ?? DEFAULT_POLICY),
      status,
      warnings: [...warnings],
    };
    if (slo.displayName !== undefined) s.displayName = slo.displayName;
    if (obj.displayName !== undefined) s.objective = obj.displayName;
    if (slo.connectionId !== undefined) s.connectionId = slo.connectionId;
    if (status === 'error') s.error = summarizeWindowErrors(m.errors);
    if (status === 'no-data') s.warnings.push(`period: ${describeGap(period)}`);
    if (m.degraded && m.degraded.length > 0) s.degraded = [...m.degraded];
    return s;
  });
}

/** Fleet status from the outcomes of a plan's queries (plus any bisected sub-queries). */
export function evaluateFleet(plan: FleetPlan, outcomes: readonly QueryOutcome[], opts: EvaluateOptions = {}): SloStatus[] {
  const measured = splitFleetResults(plan, outcomes);
  return plan.slos.flatMap((slo) => evaluateSlo(slo, measured.get(slo.key) ?? emptyMeasurements(), plan.at, opts));
}

// ---- naive comparison ------------------------------------------------------------------------------------------

export type NaiveOutcome = { query: NaiveQuery; body: unknown } | { query: NaiveQuery; error: string };

/** Same statuses as evaluateFleet, computed from per-SLO answers (for benchmarks and cross-checks). */
export function evaluateNaive(
  slos: readonly SloDefinition[],
  at: number,
  outcomes: readonly NaiveOutcome[],
  opts: EvaluateOptions = {},
): SloStatus[] {
  const measured = new Map<string, SloMeasurements>(slos.map((s) => [s.key, emptyMeasurements()]));
  for (const o of outcomes) {
    const m = measured.get(o.query.sloKey);
    if (!m) continue;
    const { window, part } = o.query;
    if ('error' in o) {
      m.errors.push(`${window}: ${o.error}`);
      continue;
    }
    const read = readVectorResponse(o.body);
    if (!read.ok) {
      m.errors.push(`${window}: ${read.errorType}: ${read.error}`);
      continue;
    }
    const w = (m.windows[window] = m.windows[window] ?? {});
    noteWarnings(m, window, read.warnings);
    if (read.samples.length > 1) m.errors.push(`${window}: the ${part} expression returned more than one series`);
    const first = read.samples[0];
    if (first) w[part] = first.value;
  }
  return slos.flatMap((slo) => evaluateSlo(slo, measured.get(slo.key) ?? emptyMeasurements(), at, opts));
}
