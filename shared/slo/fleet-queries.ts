// Batched fleet queries: a refresh costs one instant query per window (7 burn windows + 1 compliance window =
// 8), however many SLOs there are, instead of (windows x parts x SLOs).
//
// Scheme: every SLO contributes one single-series expression per part (bad|good, total, or an error ratio),
// tagged with two labels and OR'ed together:
//
//   label_replace(label_replace(sum(increase(SEL_BAD[1h])), "__slo__", "checkout", "", ""), "__part__", "bad", "", "")
//   or label_replace(label_replace(sum(increase(SEL_TOTAL[1h])), "__slo__", "checkout", "", ""), "__part__", "total", "", "")
//   or ...next SLO...
//
// label_replace with an empty source and regex always matches, so it simply sets the label. Each expression is
// aggregated to one series with no labels first, so the tags make every series unique and `or` keeps them all.
// The compliance-window query mixes windows freely (28d for one SLO, 30d or "since the 1st" for another): PromQL
// ranges are per expression. Splitting is a lookup on the two labels; an SLO with no series for a part simply
// has that part missing (see burn-rate.ts for what missing means).
//
// Queries are long (a few hundred characters per SLO), so callers must POST them as a form body. A plan splits
// a window into several queries when the text would pass `maxQueryLength`. One broken expression fails the
// whole batch (bad_data); `runFleetQueries` then bisects the batch to pin the error on the SLO that caused it.

import { burnRate, readErrorRatio, type RatioReading, type WindowMeasurement } from './burn-rate';
import { budgetMinutesLeft, budgetRemaining, errorsAllowed, errorsRemaining, timeToExhaustion } from './error-budget';
import { firingAlerts, type AlertPair, WORKBOOK_ALERT_PAIRS } from './alerts';
import { DEFAULT_POLICY, policyTier, type PolicyThresholds } from './policy';
import { readVectorResponse } from './prom-values';
import { averageOver, counterIncrease, fillWindow, hasWindowPlaceholder, promString } from './promql';
import { BURN_WINDOWS, type BurnWindow, type QueryWindow, type SloDefinition, type SloStatus } from './types';
import { queryWindowSeconds, resolveWindow } from './windows';

export type Part = 'good' | 'bad' | 'total' | 'ratio';
export const SLO_LABEL = '__slo__';
export const PART_LABEL = '__part__';

export interface PartExpression {
  part: Part;
  expr: string;
}

/** Events over W for a ratio-indicator query; see RatioIndicator.counter for the three forms. */
function eventsExpr(query: string, counter: boolean, seconds: number): string {
  // Sloth-style templates are complete expressions: the author decided how the window is applied.
  if (hasWindowPlaceholder(query)) return `sum(${fillWindow(query, seconds)})`;
  if (counter) return counterIncrease(query, seconds);
  // counter: false means the query already yields per-second rates; the time average times W estimates the
  // events (the ratio of good to total, which is what matters, is exact whatever the unit).
  return `(sum(${averageOver(query, seconds)}) * ${seconds})`;
}

/** Error-ratio expression of a raw ratio query: the conservative series if it returns several. */
function rawRatioExpr(query: string, rawType: 'success' | 'failure', seconds: number): string {
  const inner = hasWindowPlaceholder(query) ? fillWindow(query, seconds) : averageOver(query, seconds);
  return rawType === 'failure' ? `max(${inner})` : `(1 - min(${inner}))`;
}

/** The single-series expressions one SLO needs for one window, at evaluation time `at` (unix seconds). */
export function sloPartExpressions(slo: SloDefinition, window: QueryWindow, at: number): PartExpression[] {
  const seconds = queryWindowSeconds(window, slo.window, at);
  const ind = slo.indicator;
  switch (ind.kind) {
    case 'ratio': {
      const out: PartExpression[] = [];
      if (ind.good !== undefined) out.push({ part: 'good', expr: eventsExpr(ind.good, ind.counter, seconds) });
      if (ind.bad !== undefined) out.push({ part: 'bad', expr: eventsExpr(ind.bad, ind.counter, seconds) });
      out.push({ part: 'total', expr: eventsExpr(ind.total, ind.counter, seconds) });
      return out;
    }
    case 'raw-ratio':
      return [{ part: 'ratio', expr: rawRatioExpr(ind.query, ind.rawType, seconds) }];
    case 'recorded': {
      if (window !== 'period') {
        const expr = ind.errorRatio[window];
        return expr === undefined ? [] : [{ part: 'ratio', expr }];
      }
      const p = ind.period;
      if (p.kind === 'ratio') return [{ part: 'ratio', expr: p.errorRatio }];
      const out: PartExpression[] = [];
      if (p.good !== undefined) out.push({ part: 'good', expr: p.good });
      if (p.bad !== undefined) out.push({ part: 'bad', expr: p.bad });
      out.push({ part: 'total', expr: p.total });
      return out;
    }
  }
}

/** Which counter the SLO's numbers for `window` are built from (see readErrorRatio). */
export function sloRatioSource(slo: SloDefinition, window: QueryWindow): 'good' | 'bad' | 'ratio' {
  const ind = slo.indicator;
  if (ind.kind === 'ratio') return ind.good !== undefined ? 'good' : 'bad';
  if (ind.kind === 'raw-ratio') return 'ratio';
  if (window !== 'period' || ind.period.kind === 'ratio') return 'ratio';
  return ind.period.good !== undefined ? 'good' : 'bad';
}

/** label_replace's replacement expands $1 etc.; "$$" is a literal dollar. (A function, because a replacement
 * *string* "$$" would itself mean one dollar to replaceAll.) */
function replacement(value: string): string {
  return promString(value.replaceAll('$', () => '$$'));
}

export function tagExpression(expr: string, sloKey: string, part: Part): string {
  return `label_replace(label_replace(${expr}, "${SLO_LABEL}", ${replacement(sloKey)}, "", ""), ` + `"${PART_LABEL}", "${part}", "", "")`;
}

// ---- plan ----------------------------------------------------------------------------------------------------

export interface FleetQuery {
  id: string;
  window: QueryWindow;
  sloKeys: string[];
  query: string;
}

export interface FleetPlan {
  /** Evaluation time, unix seconds: pass it as `time=` so every query sees the same instant. */
  at: number;
  windows: QueryWindow[];
  slos: SloDefinition[];
  queries: FleetQuery[];
}

export interface FleetPlanOptions {
  at: number;
  /** Burn windows to query; default all seven. The compliance window is always queried. */
  burnWindows?: readonly BurnWindow[];
  /** Split a window's query once its text would pass this many characters. Default 100,000. */
  maxQueryLength?: number;
  /**
   * Characters an SLO adds to a window's query, when the caller sends something shorter than the engine's
   * tagged expressions (the core asks plain counters once per metric: a few characters per SLO). Undefined
   * for an SLO means the engine's own length.
   */
  costOf?: (slo: SloDefinition, window: QueryWindow) => number | undefined;
}

export const DEFAULT_MAX_QUERY_LENGTH = 100_000;

/** One window's query over the given SLOs; null when none of them has anything to read in that window. */
export function buildWindowQuery(slos: readonly SloDefinition[], window: QueryWindow, at: number, id: string = window): FleetQuery | null {
  const terms: string[] = [];
  const keys: string[] = [];
  for (const slo of slos) {
    const parts = sloPartExpressions(slo, window, at);
    if (parts.length === 0) continue;
    keys.push(slo.key);
    for (const p of parts) terms.push(tagExpression(p.expr, slo.key, p.part));
  }
  if (terms.length === 0) return null;
  return { id, window, sloKeys: keys, query: terms.join('\nor ') };
}

/** Whether an SLO has anything to read in a window: only a recorded SLO can lack one (no rule for it). */
export function readsWindow(slo: SloDefinition, window: QueryWindow): boolean {
  const ind = slo.indicator;
  return ind.kind !== 'recorded' || window === 'period' || ind.errorRatio[window] !== undefined;
}

/** One window's queries over the SLOs, split where the text would pass the plan's length limit. */
export function planWindowQueries(slos: readonly SloDefinition[], window: QueryWindow, opts: FleetPlanOptions): FleetQuery[] {
  const max = opts.maxQueryLength ?? DEFAULT_MAX_QUERY_LENGTH;
  const queries: FleetQuery[] = [];
  // Greedy chunking: keep adding SLOs while the query stays under the limit. One SLO alone may exceed it; it
  // then gets its own query rather than being dropped.
  let chunk: SloDefinition[] = [];
  let length = 0;
  const flush = (): void => {
    const n = queries.length;
    const q = buildWindowQuery(chunk, window, opts.at, n === 0 ? window : `${window}#${n}`);
    if (q) queries.push(q);
    chunk = [];
    length = 0;
  };
  for (const slo of slos) {
    const cost =
      opts.costOf?.(slo, window) ?? sloPartExpressions(slo, window, opts.at).reduce((a, p) => a + p.expr.length + 120 + slo.key.length, 0);
    if (chunk.length > 0 && length + cost > max) flush();
    chunk.push(slo);
    length += cost;
  }
  if (chunk.length > 0) flush();
  return queries;
}

export function buildFleetPlan(slos: readonly SloDefinition[], opts: FleetPlanOptions): FleetPlan {
  const windows: QueryWindow[] = [...(opts.burnWindows ?? BURN_WINDOWS), 'period'];
  return { at: opts.at, windows, slos: [...slos], queries: windows.flatMap((w) => planWindowQueries(slos, w, opts)) };
}

/** Splits a failed batch in two so the caller can find which SLO's expression breaks it. [] when it has one SLO. */
export function bisectFleetQuery(plan: FleetPlan, q: FleetQuery): FleetQuery[] {
  if (q.sloKeys.length < 2) return [];
  const byKey = new Map(plan.slos.map((s) => [s.key, s]));
  const slos = q.sloKeys.map((k) => byKey.get(k)).filter((s): s is SloDefinition => s !== undefined);
  const mid = Math.ceil(slos.length / 2);
  return [
    buildWindowQuery(slos.slice(0, mid), q.window, plan.at, `${q.id}.a`),
    buildWindowQuery(slos.slice(mid), q.window, plan.at, `${q.id}.b`),
  ].filter((x): x is FleetQuery => x !== null);
}

// ---- results -------------------------------------------------------------------------------------------------

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

// ---- running -------------------------------------------------------------------------------------------------

/** Executes one instant query (POST form: query, time) and resolves to the decoded JSON body. */
export type InstantQueryExecutor = (query: string, at: number) => Promise<unknown>;

/**
 * Runs a plan's queries with bounded concurrency. A batch that the server rejects because of its expression
 * (bad_data, execution) is bisected until the offending SLO is alone, so one broken SLO cannot blank the fleet.
 * Transport failures (thrown) and timeouts are not bisected: they are not about any one SLO.
 */
export async function runFleetQueries(
  plan: FleetPlan,
  exec: InstantQueryExecutor,
  opts: { concurrency?: number } = {},
): Promise<QueryOutcome[]> {
  const outcomes: QueryOutcome[] = [];
  const queue: FleetQuery[] = [...plan.queries];
  const worker = async (): Promise<void> => {
    for (let q = queue.shift(); q !== undefined; q = queue.shift()) {
      let body: unknown;
      try {
        body = await exec(q.query, plan.at);
      } catch (e) {
        outcomes.push({ query: q, error: e instanceof Error ? e.message : String(e) });
        continue;
      }
      const read = readVectorResponse(body);
      const halves = !read.ok && (read.errorType === 'bad_data' || read.errorType === 'execution') ? bisectFleetQuery(plan, q) : [];
      if (halves.length > 0) queue.push(...halves);
      else outcomes.push({ query: q, body });
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 4, plan.queries.length));
  // Workers share the queue; bisected halves join it while others still run.
  let active: Promise<void>[] = Array.from({ length: n }, () => worker());
  while (active.length > 0) {
    await Promise.all(active);
    active = queue.length > 0 ? Array.from({ length: Math.min(n, queue.length) }, () => worker()) : [];
  }
  return outcomes;
}

// ---- naive comparison ------------------------------------------------------------------------------------------

/** One query per SLO, window and part: what a straightforward client (or Pyrra's 2N + 1) issues. */
export interface NaiveQuery {
  id: string;
  sloKey: string;
  window: QueryWindow;
  part: Part;
  query: string;
}

export function buildNaiveQueries(slos: readonly SloDefinition[], opts: FleetPlanOptions): NaiveQuery[] {
  const windows: QueryWindow[] = [...(opts.burnWindows ?? BURN_WINDOWS), 'period'];
  const out: NaiveQuery[] = [];
  for (const slo of slos) {
    for (const window of windows) {
      for (const p of sloPartExpressions(slo, window, opts.at)) {
        out.push({ id: `${slo.key}/${window}/${p.part}`, sloKey: slo.key, window, part: p.part, query: p.expr });
      }
    }
  }
  return out;
}

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
