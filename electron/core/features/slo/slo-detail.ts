import {
  alignedRange,
  burnDown,
  downsampleMinMax,
  idealLine,
  resolveWindow,
  scaledAlertPairs,
  stepParts,
  stepSamples,
  type Part,
  type SloDefinition,
} from '@shared/slo';
import { ContractFailure } from '@shared/kernel/result';
import type { ChartPoint, SloDetail, SloFleet } from '@shared/slo/contract';
import type { FetchKind } from '../../systems/prometheus/range-cache';
import type { SloDefinitions } from './slo-definitions';
import { alertSpans, alertTimelineQuery } from './alert-timeline';
import { errorText } from './error-text';

// One SLO's detail charts: budget burn-down over the whole window, SLI, request and error rates and the alert
// timeline over the range shown, each a per-step range query through the connection's step-aligned cache.

/** Smallest step for per-step increase() charts: below the sample interval a step holds no samples. */
export const MIN_CHART_STEP = 300;

/** The narrowest chart range (drag-to-zoom stops there): a few steps of the finest step the charts use. */
export const MIN_VIEW_SECONDS = 10 * 60;

export interface DetailDeps {
  /** The fleet the SLO `id` is read from (the last one known while its Prometheus is down: see `fleetFor`). */
  fleet: (id: string) => Promise<SloFleet>;
  definitions: SloDefinitions;
  now: () => number;
}

/** The indicator of one SLO of the fleet and its Prometheus (for "open in Prometheus" links). */
export async function indicatorOf(
  deps: DetailDeps,
  id: string,
): Promise<{ indicator: SloDefinition['indicator']; connectionId: string | undefined } | undefined> {
  const fleet = await deps.fleet(id);
  const status = fleet.statuses.find((s) => s.id === id);
  const def = status ? deps.definitions.current?.slos.find((s) => s.key === status.key) : undefined;
  return def ? { indicator: def.indicator, connectionId: status?.connectionId ?? def.connectionId } : undefined;
}

/**
 * `view` (epoch ms) narrows the SLI, rate and alert charts to part of the window at a finer step (the range
 * picker, drag-to-zoom); the budget burn-down is always computed over the whole window (it is cumulative)
 * and reported over it too — the renderer shows the same span on every chart.
 */
export async function sloDetail(
  deps: DetailDeps,
  id: string,
  widthPx: number,
  signal?: AbortSignal,
  view?: { from?: number; to?: number },
): Promise<SloDetail> {
  const fleet = await deps.fleet(id);
  const status = fleet.statuses.find((s) => s.id === id);
  if (!status) throw new ContractFailure('not_found', `There is no SLO "${id}".`);
  const def = deps.definitions.current?.slos.find((s) => s.key === status.key);
  if (!def) throw new ContractFailure('not_found', `The SLO "${id}" is no longer defined.`);
  const at = fleet.evaluatedAt ?? Math.floor(deps.now() / 1000);
  const w = resolveWindow(def.window, at);
  const windowStart = at - w.lookbackSeconds;
  const windowEnd = def.window.kind === 'calendar' ? windowStart + w.fullSeconds : at;
  const whole = alignedRange(windowStart, at, widthPx, MIN_CHART_STEP);
  const viewFrom = Math.max(windowStart, view?.from !== undefined ? Math.floor(view.from / 1000) : windowStart);
  const viewTo = Math.min(at, view?.to !== undefined ? Math.ceil(view.to / 1000) : at);
  if (viewTo - viewFrom < MIN_VIEW_SECONDS)
    throw new ContractFailure(
      'bad_request',
      `The chart range must be at least ${MIN_VIEW_SECONDS / 60} minutes inside the SLO's window (${new Date(windowStart * 1000).toISOString()} – ${new Date(at * 1000).toISOString()}).`,
    );
  const zoomed = viewFrom > windowStart || viewTo < at;
  const range = zoomed ? alignedRange(viewFrom, viewTo, widthPx, MIN_CHART_STEP) : whole;
  const notes: string[] = [];
  const burnTable = scaledAlertPairs(status.windowSeconds).map((p) => {
    const longBurn = status.burnRates[p.long];
    const shortBurn = status.burnRates[p.short];
    return {
      severity: p.severity,
      long: p.long,
      short: p.short,
      factor: p.factor,
      budgetShare: p.budgetPerMille / 1000,
      longBurn,
      shortBurn,
      firing: longBurn !== null && shortBurn !== null && longBurn > p.factor && shortBurn > p.factor,
    };
  });
  const empty: SloDetail = {
    status,
    range: { start: range.start * 1000, end: range.end * 1000, stepSeconds: range.step },
    windowEnd: windowEnd * 1000,
    budget: { actual: [], ideal: idealLine(windowStart, windowEnd) },
    sli: [],
    requests: null,
    errors: null,
    burnTable,
    alertTimeline: [],
    widthPx,
    queryCount: 0,
    rangeFetch: 'cached',
    fetchedAt: new Date(deps.now()).toISOString(),
    notes,
  };
  const connId = deps.definitions.connectionOf(def);
  if (connId === undefined) return { ...empty, notes: ['No Prometheus connection for this SLO.'] };
  const client = deps.definitions.clientFor(connId);

  const parts = stepParts(def, range.step);
  const kinds: FetchKind[] = [];
  const before = client.stats().queries;
  const readParts = (r: typeof range, ps: typeof parts): Promise<{ part: Part; series: { points: { t: number; v: number }[] }[] }[]> =>
    Promise.all(
      ps.map(async (p) => {
        const got = await client.rangeCached(p.expr, r, signal);
        kinds.push(got.fetch);
        return { part: p.part, series: got.series };
      }),
    );
  const partResults = await readParts(range, parts);
  // Zoomed: the burn-down still needs the whole window (it is cumulative), at the whole window's step.
  const wholeResults = zoomed ? await readParts(whole, stepParts(def, whole.step)) : partResults;
  let timeline: SloDetail['alertTimeline'] = [];
  try {
    const r = await client.rangeCached(alertTimelineQuery(def, range.step), range, signal);
    kinds.push(r.fetch);
    timeline = alertSpans(r.series, range.step, range.end);
  } catch (e) {
    if (signal?.aborted) throw e;
    notes.push(`The alert timeline could not be read: ${errorText(e)}`);
  }
  const valuesOf = (results: typeof partResults): Partial<Record<Part, Map<number, number>>> => {
    const values: Partial<Record<Part, Map<number, number>>> = {};
    for (const r of results) {
      const m = new Map<number, number>();
      // Each part is one aggregated series; several would mean a non-aggregating expression: sum them.
      for (const s of r.series) for (const p of s.points) m.set(p.t, (m.get(p.t) ?? 0) + p.v);
      values[r.part] = m;
    }
    return values;
  };
  const samples = stepSamples(valuesOf(partResults), range.start, range.end, range.step);
  const wholeSamples = zoomed ? stepSamples(valuesOf(wholeResults), whole.start, whole.end, whole.step) : samples;
  const counts = parts.some((p) => p.part === 'total');
  if (!counts) notes.push('This SLO has no event counts (recorded or raw ratios): the burn-down is time-weighted and rates are not shown.');
  const width = widthPx;
  const ds = (points: ChartPoint[]): ChartPoint[] => downsampleMinMax(points, width);
  const inWindow = samples.filter((s) => s.t > windowStart);
  // The newest step ends after `at` (the grid is ceiled): it holds only the seconds up to `at`.
  const covered = (t: number): number => (t > at ? Math.max(1, Math.min(range.step, at - (t - range.step))) : range.step);
  return {
    ...empty,
    budget: {
      actual: ds(
        burnDown(wholeSamples, {
          windowStart,
          target: status.target,
          windowSeconds: w.fullSeconds,
          remaining: status.errorBudgetRemaining,
        }),
      ),
      ideal: idealLine(windowStart, windowEnd),
    },
    sli: ds(inWindow.map((s) => ({ t: s.t * 1000, v: s.errorRatio === null ? null : 1 - s.errorRatio }))),
    requests: counts ? ds(inWindow.map((s) => ({ t: s.t * 1000, v: s.total === null ? null : s.total / covered(s.t) }))) : null,
    errors: counts ? ds(inWindow.map((s) => ({ t: s.t * 1000, v: s.bad === null ? null : s.bad / covered(s.t) }))) : null,
    alertTimeline: timeline,
    queryCount: client.stats().queries - before,
    rangeFetch: combineKinds(kinds),
    notes,
  };
}

function combineKinds(kinds: FetchKind[]): SloDetail['rangeFetch'] {
  const set = new Set(kinds);
  if (set.size === 0) return 'cached';
  if (set.size === 1) return kinds[0] ?? 'cached';
  return 'mixed';
}
