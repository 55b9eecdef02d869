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

//
// This module writes the queries; fleet-results.ts reads their answers back per SLO, fleet-run.ts runs them.

import { averageOver, counterIncrease, fillWindow, hasWindowPlaceholder, promString } from './promql';
import { BURN_WINDOWS, type BurnWindow, type QueryWindow, type SloDefinition } from './types';
import { queryWindowSeconds } from './windows';

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
