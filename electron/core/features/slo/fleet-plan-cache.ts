import {
  groupedCost,
  groupedStepQuery,
  groupedWindowQuery,
  planWindowQueries,
  queryWindowSeconds,
  BURN_WINDOWS,
  type FleetPlan,
  type FleetQuery,
  type QueryWindow,
  type RangeRewrite,
  type Rewrite,
  type SloDefinition,
} from '@shared/slo';

// One connection's fleet plan, kept between refreshes. The plan (the engine's batched window queries, and their
// rewrites asking once per metric) depends on the definitions and on each SLO's look-back per window, not on
// the evaluation instant, except for calendar windows whose elapsed part grows. Building it for 500 SLOs costs
// more console CPU than reading the answers, so a refresh rebuilds only the windows whose look-backs changed
// (the compliance window of calendar SLOs) and everything when a definition changed.

interface WindowPlan {
  /** Each SLO's look-back in this window, in order: the plan holds while it is the same. */
  signature: string;
  queries: FleetQuery[];
  /** Rewrite per planned query text (null: sent as the engine wrote it). */
  rewrites: Map<string, Rewrite | null>;
}

export interface ConnectionPlan {
  plan: FleetPlan;
  /** The by-metric form of a planned query's text; null for text the plan did not write (bisected halves). */
  rewriteOf(query: string): Rewrite | null;
}

const sameDefinitions = (a: readonly SloDefinition[], b: readonly SloDefinition[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

export class FleetPlanCache {
  private defs: readonly SloDefinition[] = [];
  private readonly windows = new Map<QueryWindow, WindowPlan>();
  private readonly steps = new Map<number, RangeRewrite | null>();

  constructor(private readonly maxQueryLength?: number) {}

  /** Definitions are compared by identity: the SLO files are parsed again only when one of them changed. */
  private use(defs: readonly SloDefinition[]): void {
    if (sameDefinitions(this.defs, defs)) return;
    this.defs = [...defs];
    this.windows.clear();
    this.steps.clear();
  }

  plan(defs: readonly SloDefinition[], at: number): ConnectionPlan {
    this.use(defs);
    const windows: QueryWindow[] = [...BURN_WINDOWS, 'period'];
    const queries: FleetQuery[] = [];
    const rewrites = new Map<string, Rewrite | null>();
    for (const window of windows) {
      const seconds = defs.map((d) => queryWindowSeconds(window, d.window, at));
      const signature = seconds.join(',');
      let wp = this.windows.get(window);
      if (wp?.signature !== signature) {
        const secondsOf = new Map(defs.map((d, i) => [d, seconds[i] ?? 0]));
        const planned = planWindowQueries(defs, window, {
          at,
          ...(this.maxQueryLength !== undefined ? { maxQueryLength: this.maxQueryLength } : {}),
          // Plain counters travel as one selector per metric (grouped-queries.ts): an SLO adds its label values
          // to the group's regex, not its own expressions, so thousands fit in one query per window.
          costOf: (slo) => groupedCost(slo, secondsOf.get(slo) ?? 0),
        });
        const byKey = new Map(defs.map((d) => [d.key, d]));
        const own = new Map<string, Rewrite | null>();
        for (const q of planned) {
          const members = q.sloKeys.map((k) => byKey.get(k)).filter((d): d is SloDefinition => d !== undefined);
          own.set(q.query, groupedWindowQuery(members, window, at));
        }
        wp = { signature, queries: planned, rewrites: own };
        this.windows.set(window, wp);
      }
      queries.push(...wp.queries);
      for (const [text, r] of wp.rewrites) rewrites.set(text, r);
    }
    return {
      plan: { at, windows, slos: [...defs], queries },
      rewriteOf: (text) => rewrites.get(text) ?? null,
    };
  }

  /** The sparklines' per-step query over the definitions (steps depend on the longest window only). */
  stepQuery(defs: readonly SloDefinition[], step: number): RangeRewrite | null {
    this.use(defs);
    if (!this.steps.has(step)) {
      if (this.steps.size > 8) this.steps.clear();
      this.steps.set(step, groupedStepQuery(defs, step));
    }
    return this.steps.get(step) ?? null;
  }
}
