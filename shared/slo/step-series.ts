// Per-step series for charts: events (or the error ratio) inside each step of a range query, from which the
// budget burn-down, the SLI trend and the request/error rates all follow with two range queries per SLO.
//
//   counter: true   sum(increase(Q[STEP]))        events in (t - step, t]; consecutive steps do not overlap,
//                                                 so their running sum is the events since the window start
//   counter: false  (sum(avg_over_time((Q)[STEP:res])) * STEP)
//   {{.window}}     sum(Q with the window = STEP)
//   raw / recorded  avg_over_time((RATIO)[STEP:res])  (error ratio; the burn-down is then time-weighted)
//
// Every expression depends on the step only, never on the evaluation time, so refreshes reuse the range cache
// and fetch only the new tail.

import { averageOver, counterIncrease, fillWindow, hasWindowPlaceholder } from './promql';
import { budgetRemaining } from './error-budget';
import { PART_LABEL, SLO_LABEL, type Part, type PartExpression } from './fleet-plan';
import type { RangeSeries } from './prom-values';
import { BURN_WINDOWS, type SloDefinition } from './types';
import type { ChartPoint } from './contract';

function eventsInStep(query: string, counter: boolean, step: number): string {
  if (hasWindowPlaceholder(query)) return `sum(${fillWindow(query, step)})`;
  if (counter) return counterIncrease(query, step);
  return `(sum(${averageOver(query, step)}) * ${step})`;
}

/** The expressions whose per-step values chart one SLO. */
export function stepParts(slo: SloDefinition, step: number): PartExpression[] {
  const ind = slo.indicator;
  switch (ind.kind) {
    case 'ratio': {
      const out: PartExpression[] = [];
      if (ind.good !== undefined) out.push({ part: 'good', expr: eventsInStep(ind.good, ind.counter, step) });
      if (ind.bad !== undefined) out.push({ part: 'bad', expr: eventsInStep(ind.bad, ind.counter, step) });
      out.push({ part: 'total', expr: eventsInStep(ind.total, ind.counter, step) });
      return out;
    }
    case 'raw-ratio': {
      const inner = averageOver(ind.query, step);
      return [{ part: 'ratio', expr: ind.rawType === 'failure' ? `max(${inner})` : `(1 - min(${inner}))` }];
    }
    case 'recorded': {
      // The shortest recorded error ratio, averaged over each step.
      const w = BURN_WINDOWS.find((x) => ind.errorRatio[x] !== undefined);
      const expr = w ? ind.errorRatio[w] : undefined;
      return expr ? [{ part: 'ratio', expr: averageOver(expr, step) }] : [];
    }
  }
}

export type StepValues = Partial<Record<Part, Map<number, number>>>;

/** Splits a batched (or single-SLO, untagged) range answer into per-SLO, per-part maps of t → value. */
export function splitStepSeries(
  series: readonly RangeSeries[],
  singleKey?: { key: string; parts: readonly Part[] },
): Map<string, StepValues> {
  const out = new Map<string, StepValues>();
  for (const s of series) {
    const key = s.labels[SLO_LABEL] ?? singleKey?.key;
    const part = (s.labels[PART_LABEL] as Part | undefined) ?? (singleKey?.parts.length === 1 ? singleKey.parts[0] : undefined);
    if (key === undefined || part === undefined) continue;
    let v = out.get(key);
    if (!v) out.set(key, (v = {}));
    const m = (v[part] = v[part] ?? new Map<number, number>());
    for (const p of s.points) m.set(p.t, p.v);
  }
  return out;
}

export interface StepSample {
  /** Unix seconds: the end of the step. */
  t: number;
  bad: number | null;
  total: number | null;
  /** Error ratio in the step; null without traffic. */
  errorRatio: number | null;
}

const finite = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/** Bad/total/error ratio per step on the grid [start, end] from the parts an SLO's step query returned. */
export function stepSamples(values: StepValues | undefined, start: number, end: number, step: number): StepSample[] {
  const out: StepSample[] = [];
  for (let t = start; t <= end; t += step) {
    const total = finite(values?.total?.get(t));
    const ratio = finite(values?.ratio?.get(t));
    let bad: number | null = null;
    if (total !== null) {
      if (values?.bad) bad = finite(values.bad.get(t)) ?? 0;
      else if (values?.good) {
        const good = finite(values.good.get(t));
        bad = good === null ? (total > 0 ? total : 0) : Math.max(0, total - good);
      }
    }
    let errorRatio: number | null = null;
    if (ratio !== null) errorRatio = Math.max(0, ratio);
    else if (total !== null && total > 0 && bad !== null) errorRatio = Math.min(1, bad / total);
    out.push({ t, bad, total, errorRatio });
  }
  return out;
}

/**
 * Budget left after each step of the window, as a fraction (1 untouched). Events-based when counts exist,
 * time-weighted error ratios otherwise. When the engine's number for the whole window is known, the curve is
 * scaled to end exactly on it, so the tile and the chart never disagree (they come from different queries:
 * increase over W vs a sum of per-step increases).
 */
export function burnDown(
  samples: readonly StepSample[],
  opts: { windowStart: number; target: number; windowSeconds: number; remaining: number | null },
): ChartPoint[] {
  const inWindow = samples.filter((s) => s.t > opts.windowStart);
  const counts = inWindow.some((s) => s.total !== null);
  const weight = (s: StepSample): number => (counts ? (s.bad ?? 0) : (s.errorRatio ?? 0));
  const spentTotal = inWindow.reduce((a, s) => a + weight(s), 0);
  const budget = 1 - opts.target;
  let allowed: number | null = null;
  if (counts) {
    const total = inWindow.reduce((a, s) => a + (s.total ?? 0), 0);
    allowed = total > 0 ? budget * total : null;
  } else if (inWindow.length > 0) {
    allowed = budget * inWindow.length;
  }
  const spentFraction = opts.remaining !== null ? 1 - opts.remaining : allowed !== null && allowed > 0 ? spentTotal / allowed : null;
  const out: ChartPoint[] = [];
  let spent = 0;
  let seenData = false;
  for (const s of inWindow) {
    const hasData = counts ? s.total !== null : s.errorRatio !== null;
    spent += weight(s);
    seenData = seenData || hasData;
    if (!seenData || spentFraction === null) {
      out.push({ t: s.t * 1000, v: null });
      continue;
    }
    const share = spentTotal > 0 ? spent / spentTotal : 0;
    out.push({ t: s.t * 1000, v: 1 - share * spentFraction });
  }
  return out;
}

/** The ideal line: the whole budget spent evenly from the window start (1) to its end (0). */
export function idealLine(windowStart: number, windowEnd: number, points = 2): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (let i = 0; i < points; i++) {
    const t = windowStart + ((windowEnd - windowStart) * i) / Math.max(1, points - 1);
    out.push({ t: t * 1000, v: 1 - i / Math.max(1, points - 1) });
  }
  return out;
}

/** Budget remaining as the engine computes it, from a burn-down's events (for cross-checks in tests). */
export function remainingFromSamples(samples: readonly StepSample[], windowStart: number, target: number): number | null {
  const inWindow = samples.filter((s) => s.t > windowStart);
  const bad = inWindow.reduce((a, s) => a + (s.bad ?? 0), 0);
  const total = inWindow.reduce((a, s) => a + (s.total ?? 0), 0);
  return total > 0 ? budgetRemaining(bad / total, target) : null;
}
