import { z } from 'zod';
import { method, topic } from '../kernel/define';
import { BURN_WINDOWS } from './types';
import type { BurnWindow, SloProblem, SloStatus } from './types';
import { OfflineMark } from '../offline/contract';

// The SLO feature's part of the contract: the fleet (pushed on every refresh), one SLO's charts, the firing
// Prometheus alerts, definition problems and importing an OpenSLO file. Numbers are plain JSON: unknown is
// null, never NaN or Infinity (zod's number() refuses both, so a leak fails output validation).

const None = z.object({}).strict();

export const BurnWindowId = z.enum(BURN_WINDOWS);
export const PolicyTierId = z.enum(['normal', 'caution', 'restricted', 'emergency', 'no-data']);
export type PolicyTierId = z.infer<typeof PolicyTierId>;

const nullableNumber = z.number().nullable();

export const SloBurnRates = z.object(
  Object.fromEntries(BURN_WINDOWS.map((w) => [w, nullableNumber])) as Record<BurnWindow, typeof nullableNumber>,
);

export const SloFiringAlert = z.object({
  severity: z.enum(['page', 'ticket']),
  long: BurnWindowId,
  short: BurnWindowId,
  factor: z.number(),
  longBurn: z.number(),
  shortBurn: z.number(),
});

/** A chart point: t in epoch milliseconds, v null for a gap (no sample, or no traffic). */
export const ChartPoint = z.object({ t: z.number(), v: z.number().nullable() });
export type ChartPoint = z.infer<typeof ChartPoint>;

/** One objective of one SLO as the engine evaluated it (shared/slo SloStatus), plus freshness. */
export const SloStatusView = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  displayName: z.string().optional(),
  service: z.string(),
  objective: z.string().optional(),
  target: z.number(),
  window: z.string(),
  windowSeconds: z.number(),
  elapsedSeconds: z.number(),
  source: z.enum(['openslo', 'sloth', 'pyrra']),
  connectionId: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  sli: nullableNumber,
  errorBudgetRemaining: nullableNumber,
  events: z.object({ total: nullableNumber, bad: nullableNumber }),
  errorsAllowed: nullableNumber,
  errorsRemaining: nullableNumber,
  budgetMinutesLeft: nullableNumber,
  burnRates: SloBurnRates,
  alerts: z.array(SloFiringAlert),
  timeToExhaustion: z.object({
    state: z.enum(['exhausted', 'burning', 'not-burning', 'unknown']),
    seconds: nullableNumber,
    basis: BurnWindowId,
  }),
  policy: PolicyTierId,
  status: z.enum(['ok', 'no-data', 'error']),
  error: z.string().optional(),
  warnings: z.array(z.string()),
  /** The server warned the answer may be incomplete (partial response): "<window>: <its words>". */
  degraded: z.array(z.string()).optional(),
  /** When these numbers were read from Prometheus (ISO); null if never. */
  fetchedAt: z.string().nullable(),
  /** The last refresh failed and these are the last good numbers. */
  stale: z.boolean(),
  staleReason: z.string().optional(),
  /** Budget left (fraction) over the compliance window, a few dozen points, for the tile's sparkline. */
  sparkline: z.array(ChartPoint),
});
export type SloStatusView = z.infer<typeof SloStatusView>;

export const SloProblemView = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int().optional(),
  field: z.string(),
  message: z.string(),
});
export type SloProblemView = z.infer<typeof SloProblemView>;

// The engine's types (./types) and the wire schemas above describe the same things; the compiler keeps them in
// step: a field added to one and not the other fails type checking here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusInStep: Same<Omit<SloStatusView, 'fetchedAt' | 'stale' | 'staleReason' | 'sparkline'>, SloStatus> = true;
const problemInStep: Same<SloProblemView, SloProblem> = true;
void statusInStep;
void problemInStep;

/** Something about the data that cannot be right: a rule that fails to evaluate, a connection that is down. */
export const SloWarning = z.object({
  connectionId: z.string().optional(),
  kind: z.enum(['rule-error', 'connection', 'data', 'config']),
  message: z.string(),
  /** Rule group file / rule name when the warning is about a rule. */
  file: z.string().optional(),
  group: z.string().optional(),
  rule: z.string().optional(),
});
export type SloWarning = z.infer<typeof SloWarning>;

export const SloConnectionState = z.object({
  id: z.string(),
  name: z.string(),
  ok: z.boolean(),
  error: z.string().optional(),
  /** Last successful refresh (ISO). */
  fetchedAt: z.string().nullable(),
  /** When the compliance-window numbers were last read (the loop re-reads them every few minutes). */
  periodReadAt: z.string().nullable(),
  queryCount: z.number().int(),
  /** Still waiting for this connection's answer: its SLOs show their last numbers until it comes. */
  pending: z.boolean().optional(),
  /** The connection answered with warnings (a partial response): some of its numbers are degraded. */
  degraded: z.boolean().optional(),
});

export const SloFleet = z.object({
  statuses: z.array(SloStatusView),
  /** Last refresh that reached at least one Prometheus (ISO), null before the first. */
  fetchedAt: z.string().nullable(),
  /** The instant the numbers describe, epoch seconds. */
  evaluatedAt: z.number().nullable(),
  /** PromQL queries the last refresh sent (instant + range), for every connection together. */
  queryCount: z.number().int(),
  durationMs: z.number(),
  /** Some numbers are the last good ones because a refresh failed, or the snapshot is over 2x refreshMs old. */
  stale: z.boolean(),
  refreshMs: z.number().int(),
  connections: z.array(SloConnectionState),
  warnings: z.array(SloWarning),
  problems: z.array(SloProblemView),
});
export type SloFleet = z.infer<typeof SloFleet>;

export const SloBurnRow = z.object({
  severity: z.enum(['page', 'ticket']),
  long: BurnWindowId,
  short: BurnWindowId,
  /** Burn-rate threshold both windows must exceed. */
  factor: z.number(),
  /** Share of the budget this row guards in its long window (0.02 = 2 %). */
  budgetShare: z.number(),
  longBurn: nullableNumber,
  shortBurn: nullableNumber,
  firing: z.boolean(),
});
export type SloBurnRow = z.infer<typeof SloBurnRow>;

export const SloAlertSpan = z.object({
  alertname: z.string(),
  state: z.enum(['firing', 'pending']),
  severity: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  /** Epoch ms; end is the last step seen active (open when it reaches the range end). */
  start: z.number(),
  end: z.number(),
  open: z.boolean(),
});
export type SloAlertSpan = z.infer<typeof SloAlertSpan>;

export const SloDetail = z.object({
  status: SloStatusView,
  /** Chart range in epoch ms and the query step in seconds. */
  range: z.object({ start: z.number(), end: z.number(), stepSeconds: z.number() }),
  /** Where the compliance window ends (calendar windows end in the future; rolling ones at `range.end`). */
  windowEnd: z.number(),
  /** Budget left over the window (1 = untouched) against the ideal straight line to 0 at the window end. */
  budget: z.object({ actual: z.array(ChartPoint), ideal: z.array(ChartPoint) }),
  /** SLI of each step (good / total), against the target. */
  sli: z.array(ChartPoint),
  /** Requests and errors per second; null when the SLO has no event counts (recorded ratios). */
  requests: z.array(ChartPoint).nullable(),
  errors: z.array(ChartPoint).nullable(),
  burnTable: z.array(SloBurnRow),
  alertTimeline: z.array(SloAlertSpan),
  widthPx: z.number().int(),
  queryCount: z.number().int(),
  /** How the range data was obtained: from scratch, by fetching only the new tail, or all from the cache. */
  rangeFetch: z.enum(['full', 'tail', 'cached', 'mixed']),
  fetchedAt: z.string(),
  notes: z.array(z.string()),
  /** Set when Prometheus did not answer and this is the offline copy (charts may be missing: see `missing`). */
  offline: OfflineMark.optional(),
});
export type SloDetail = z.infer<typeof SloDetail>;

export const PromAlertView = z.object({
  connectionId: z.string(),
  alertname: z.string(),
  state: z.string(),
  severity: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  activeAt: z.string().optional(),
  value: nullableNumber,
  /** annotations.runbook_url when it is an http(s) link. */
  runbookUrl: z.string().optional(),
  /** The fleet SLO id the alert belongs to (by its slo / sloth_id label), when there is one. */
  sloId: z.string().optional(),
});
export type PromAlertView = z.infer<typeof PromAlertView>;

export const SloAlerts = z.object({
  alerts: z.array(PromAlertView),
  fetchedAt: z.string(),
  /** Connections that could not be asked, in their own words. */
  errors: z.array(z.object({ connectionId: z.string(), message: z.string() })),
});
export type SloAlerts = z.infer<typeof SloAlerts>;

export const SloImportResult = z.object({
  /** Where the file was saved (absolute path in the data folder). */
  file: z.string(),
  slos: z.array(z.string()),
  replaced: z.boolean(),
});

export const sloMethods = {
  /** The fleet: the last refresh (run now when there is none yet, or when `refresh` is set). */
  'slo.fleet': method(z.object({ refresh: z.boolean().optional() }).strict(), SloFleet),
  /** One objective's charts, each series downsampled to `widthPx` points at most. */
  'slo.detail': method(
    z
      .object({
        id: z.string().min(1).max(300),
        widthPx: z.number().int().min(20).max(4000),
        /** Narrow the charts to part of the window (epoch ms): the range picker and drag-to-zoom. */
        from: z.number().int().min(0).optional(),
        to: z.number().int().min(0).optional(),
      })
      .strict(),
    SloDetail,
  ),
  /** Alerts Prometheus holds right now (GET /api/v1/alerts) on every SLO connection. */
  'slo.alerts': method(None, SloAlerts),
  /** Problems found in the SLO files (file, line, field) and in recorded rules. */
  'slo.problems': method(None, z.array(SloProblemView)),
  /** Validates an OpenSLO file and saves it in the console's SLO folder; refused with its problems if invalid. */
  'slo.import': method(
    z
      .object({
        filename: z.string().min(1).max(200),
        yaml: z.string().min(1).max(1_000_000),
      })
      .strict(),
    SloImportResult,
    { action: true },
  ),
};

export const sloTopics = {
  /** Every fleet refresh; subscribing keeps the refresh loop running. */
  'slo.fleet': topic(None, SloFleet),
};
