// Domain types of the SLO engine. Everything here is plain data so it can cross IPC, the WebSocket bridge and
// `toc slo status --json` unchanged: no class instances, no Infinity/NaN in outputs (null says "unknown").

import type { PolicyTier } from './policy';

/** Look-back windows for burn rates, shortest first. The SRE Workbook alert pairs use all of them. */
export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type BurnWindow = (typeof BURN_WINDOWS)[number];

/** Window of a fleet query: one of the burn windows, or each SLO's own compliance window. */
export type QueryWindow = BurnWindow | 'period';

export type SloWindow =
  | { kind: 'rolling'; duration: string; seconds: number }
  | {
      kind: 'calendar';
      duration: string;
      count: number;
      unit: 'd' | 'w' | 'M' | 'Q' | 'Y';
      timeZone: string;
      /** Anchor for day/week periods, unix seconds (OpenSLO calendar.startTime). */
      anchor: number;
    };

/**
 * How the SLI is measured.
 * - `ratio`: event counters (or, with counter=false, per-second rates) for good or bad events and for all events.
 * - `raw-ratio`: one query that already yields a success or failure ratio (OpenSLO ratioMetric.raw).
 * - `recorded`: series recorded by another generator (Sloth, Pyrra); every query is complete PromQL that
 *   yields at most one series, so the engine only reads them.
 */
export type SloIndicator = RatioIndicator | RawRatioIndicator | RecordedIndicator;

export interface RatioIndicator {
  kind: 'ratio';
  /** Exactly one of good / bad is set. */
  good?: string;
  bad?: string;
  total: string;
  /** true: queries are counter selectors wrapped as sum(increase(Q[W])). false: see fleet-queries.ts. */
  counter: boolean;
  /** Set when good is a histogram bucket (`..._bucket{le="0.3"}`): the latency threshold in seconds. */
  latencyThreshold?: number;
}

export interface RawRatioIndicator {
  kind: 'raw-ratio';
  query: string;
  rawType: 'success' | 'failure';
}

export interface RecordedIndicator {
  kind: 'recorded';
  generator: 'sloth' | 'pyrra';
  /** Error-ratio expression per burn window; windows the generator did not record are absent. */
  errorRatio: Partial<Record<BurnWindow, string>>;
  /** Compliance-window numbers: either an error ratio, or event counts (which also give "errors left"). */
  period: { kind: 'ratio'; errorRatio: string } | { kind: 'counts'; good?: string; bad?: string; total: string };
}

export interface SloObjective {
  displayName?: string;
  /** Fraction in [0, 1): 0.999 for 99.9 %. */
  target: number;
}

export type SloOrigin = { kind: 'openslo'; file: string; line: number } | { kind: 'sloth' | 'pyrra'; ruleGroup: string; file?: string };

export interface SloDefinition {
  /** Unique within a fleet; used to tag fleet query results. */
  key: string;
  name: string;
  displayName?: string;
  description?: string;
  service: string;
  labels: Record<string, string>;
  /** OpenSLO metricSourceRef: the connection the queries go to; undefined = the default connection. */
  connectionId?: string;
  indicator: SloIndicator;
  window: SloWindow;
  budgetingMethod: 'Occurrences';
  objectives: SloObjective[];
  origin: SloOrigin;
}

/** A problem found while reading definitions: where, which field, what. Line is 1-based; 0 = unknown. */
export interface SloProblem {
  file: string;
  line: number;
  column?: number;
  field: string;
  message: string;
}

export type AlertSeverity = 'page' | 'ticket';

export interface FiringAlert {
  severity: AlertSeverity;
  long: BurnWindow;
  short: BurnWindow;
  /** Burn-rate threshold both windows exceed. */
  factor: number;
  longBurn: number;
  shortBurn: number;
}

export type ExhaustionState = 'exhausted' | 'burning' | 'not-burning' | 'unknown';

export interface TimeToExhaustion {
  state: ExhaustionState;
  /** Seconds until the remaining budget is gone at the current burn; null unless state is 'burning'. */
  seconds: number | null;
  /** Burn window the projection used. */
  basis: BurnWindow;
}

export type SloState = 'ok' | 'no-data' | 'error';

export interface SloStatus {
  /** `key`, plus `#<n>` for the second and later objectives of one SLO. */
  id: string;
  key: string;
  name: string;
  displayName?: string;
  service: string;
  objective?: string;
  target: number;
  /** Compliance window as written ("30d", "1M"). */
  window: string;
  /** Full window length in seconds (a calendar month: the length of the current month). */
  windowSeconds: number;
  /** Seconds of the window covered by the query (less than windowSeconds inside a calendar period). */
  elapsedSeconds: number;
  source: 'openslo' | 'sloth' | 'pyrra';
  connectionId?: string;
  labels: Record<string, string>;
  /** good / total over the window; null with no traffic or no data. */
  sli: number | null;
  /** 1 = untouched, 0 = spent, negative = overspent. */
  errorBudgetRemaining: number | null;
  /** Event counts over the window, when the source has them (Sloth records ratios only). */
  events: { total: number | null; bad: number | null };
  /** Bad events the whole window may contain: (1 - target) x total. */
  errorsAllowed: number | null;
  /** errorsAllowed - bad; negative when overspent. */
  errorsRemaining: number | null;
  /** Remaining budget expressed as full-outage minutes: remaining x (1 - target) x window. */
  budgetMinutesLeft: number | null;
  burnRates: Record<BurnWindow, number | null>;
  alerts: FiringAlert[];
  timeToExhaustion: TimeToExhaustion;
  policy: PolicyTier;
  status: SloState;
  error?: string;
  /** Data-quality notes (bad > total, +Inf ratios, missing good series...). */
  warnings: string[];
  /**
   * Set when the server answered with API warnings (Thanos partial responses, a store that did not answer):
   * the numbers may be incomplete. Each entry is "<window>: <the server's words>".
   */
  degraded?: string[];
}
