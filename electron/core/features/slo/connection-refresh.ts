import {
  alignedRange,
  burnDown,
  downsampleMinMax,
  evaluateFleet,
  evaluateSlo,
  resolveWindow,
  runFleetQueries,
  splitStepSeries,
  stepSamples,
  type PolicyThresholds,
  type QueryOutcome,
  type QueryWindow,
  type SloDefinition,
  type StepSample,
} from '@shared/slo';
import type { SloStatusView, SloWarning } from '@shared/slo/contract';
import type { ConnectionSpec } from '@shared/connections/model';
import type { ConnectionService } from '../../kernel/connections/connection-service';
import type { PrometheusClient } from '../../systems/prometheus/prometheus-client';
import { FleetPlanCache } from './fleet-plan-cache';
import type { SloDefinitions } from './slo-definitions';
import { MIN_CHART_STEP } from './slo-detail';
import { view } from './status-view';
import { errorText } from './error-text';

// One connection's part of a fleet refresh: its batched window queries (the plan kept between refreshes, the
// long windows' answers reused for a few minutes), the sparklines' range query beside them, the statuses they
// give, and the last good numbers that stand in, stale, when the connection fails.

/** Sparklines never reach back further than this (a quarter's window shows its last weeks). */
const SPARKLINE_MAX_SECONDS = 35 * 86_400;

/** Windows whose answers the loop reuses for `periodTtlMs`. */
const LONG_WINDOWS: ReadonlySet<QueryWindow> = new Set<QueryWindow>(['1d', '3d', 'period']);

interface PeriodCache {
  fingerprint: string;
  readAtMs: number;
  outcomes: QueryOutcome[];
}

export interface ConnResult {
  statuses: SloStatusView[];
  warnings: SloWarning[];
  queries: number;
}

export interface ConnState {
  ok: boolean;
  error?: string;
  fetchedAt: string | null;
  queryCount: number;
}

export interface ConnectionRefreshOptions {
  connections: Pick<ConnectionService, 'get' | 'recordHealth'>;
  definitions: SloDefinitions;
  now: () => number;
  /** See SloServiceOptions.periodTtlMs. */
  periodTtlMs?: number;
  concurrency?: number;
  maxQueryLength?: number;
  sparklineWidth?: number;
}

export class ConnectionRefresh {
  private readonly lastGood = new Map<string, SloStatusView>();
  private readonly states = new Map<string, ConnState>();
  private readonly periodCache = new Map<string, PeriodCache>();
  private readonly plans = new Map<string, FleetPlanCache>();

  constructor(private readonly opts: ConnectionRefreshOptions) {}

  /** How the connection's last refresh went. */
  state(connId: string): ConnState | undefined {
    return this.states.get(connId);
  }

  /** Records a refresh that failed before any query (the connection's earlier answer time is kept). */
  failed(connId: string, error: string): void {
    this.states.set(connId, { ok: false, error, fetchedAt: this.states.get(connId)?.fetchedAt ?? null, queryCount: 0 });
  }

  /** When the long windows in use were read, ISO; null when none are kept. */
  periodReadAt(connId: string): string | null {
    const p = this.periodCache.get(connId);
    return p ? new Date(p.readAtMs).toISOString() : null;
  }

  /** The last good numbers of a connection's SLOs, marked stale with `reason`; an error where there are none. */
  lastNumbers(connId: string, defs: readonly SloDefinition[], at: number, policy: PolicyThresholds, reason: string): SloStatusView[] {
    return defs.flatMap((def) =>
      evaluateSlo(def, { windows: {}, errors: [reason] }, at, { policy }).map((s) => {
        const prev = this.lastGood.get(s.id);
        return prev ? { ...prev, stale: true, staleReason: reason } : view(s, connId, null, false);
      }),
    );
  }

  private planCache(connectionId: string): FleetPlanCache {
    let c = this.plans.get(connectionId);
    if (!c) this.plans.set(connectionId, (c = new FleetPlanCache(this.opts.maxQueryLength)));
    return c;
  }

  async run(
    connId: string,
    defs: SloDefinition[],
    at: number,
    fetchedAt: string,
    policy: PolicyThresholds,
    full: boolean,
  ): Promise<ConnResult> {
    const warnings: SloWarning[] = [];
    let client: PrometheusClient;
    let spec: ConnectionSpec | null = null;
    try {
      client = this.opts.definitions.clientFor(connId);
      spec = this.opts.connections.get(connId);
    } catch (e) {
      const msg = errorText(e);
      this.states.set(connId, { ok: false, error: msg, fetchedAt: null, queryCount: 0 });
      const statuses = defs.flatMap((def) =>
        evaluateSlo(def, { windows: {}, errors: [msg] }, at, { policy }).map((s) => view(s, connId, null, false)),
      );
      return { statuses, warnings: [{ kind: 'config', connectionId: connId, message: msg }], queries: 0 };
    }

    const { plan, rewriteOf } = this.planCache(connId).plan(defs, at);
    // The long windows' answers of a recent refresh stand in for a new read while they are young and the
    // definitions are the same (see periodTtlMs).
    const fingerprint = JSON.stringify(defs.map((d) => [d.key, d.indicator, d.window]));
    const cachedPeriod = this.periodCache.get(connId);
    const reusePeriod =
      !full &&
      cachedPeriod !== undefined &&
      cachedPeriod.fingerprint === fingerprint &&
      this.opts.now() - cachedPeriod.readAtMs < (this.opts.periodTtlMs ?? 300_000);
    let queries = 0;
    // Each planned window query is sent grouped by metric (grouped-queries.ts) and its answer rewritten back;
    // sub-queries from bisecting a refused batch go as the engine wrote them.
    // The sparklines' range query goes out with the window queries rather than after them (it queues behind
    // them in the connection's limit); its answer is dropped when the connection turns out to be down.
    const sparkRun = this.sparklines(client, defs, at).then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, error: errorText(e) }),
    );
    const ran = await runFleetQueries(
      reusePeriod ? { ...plan, queries: plan.queries.filter((q) => !LONG_WINDOWS.has(q.window)) } : plan,
      async (text, t) => {
        queries++;
        const rewrite = rewriteOf(text);
        if (!rewrite) return client.instantRaw(text, t);
        return rewrite.decode(await client.instantRaw(rewrite.query, t));
      },
      { concurrency: this.opts.concurrency ?? 4 },
    );
    const outcomes = reusePeriod && cachedPeriod ? [...ran, ...cachedPeriod.outcomes] : ran;
    const transportErrors = ran.filter((o): o is Extract<typeof o, { error: string }> => 'error' in o);
    const down = ran.length > 0 && transportErrors.length === ran.length;
    if (!reusePeriod) {
      const period = ran.filter((o) => LONG_WINDOWS.has(o.query.window));
      if (period.some((o) => o.query.window === 'period') && period.every((o) => !('error' in o)))
        this.periodCache.set(connId, { fingerprint, readAtMs: this.opts.now(), outcomes: period });
      else this.periodCache.delete(connId);
    }
    const evaluated = evaluateFleet(plan, outcomes, { policy });

    let sparks = new Map<string, { samples: StepSample[]; windowStart: number }>();
    const spark = await sparkRun;
    if (!down) {
      if (spark.ok) {
        sparks = spark.r.samples;
        queries += spark.r.queries;
      } else warnings.push({ kind: 'data', connectionId: connId, message: `Budget sparklines could not be read: ${spark.error}` });
    }

    const prevState = this.states.get(connId);
    if (down) {
      const msg = transportErrors[0]?.error ?? 'no answer';
      this.states.set(connId, { ok: false, error: msg, fetchedAt: prevState?.fetchedAt ?? null, queryCount: queries });
      this.opts.connections.recordHealth(spec, false, msg);
      // Network errors already start with the connection's name: name it once.
      const message = msg.startsWith(client.name) ? msg : `${client.name} could not be reached: ${msg}`;
      warnings.push({ kind: 'connection', connectionId: connId, message });
    } else {
      this.states.set(connId, { ok: true, fetchedAt, queryCount: queries });
      this.opts.connections.recordHealth(spec, true);
    }

    const statuses = evaluated.map((s) => {
      const prev = this.lastGood.get(s.id);
      if (s.status === 'error' && prev) return { ...prev, stale: true, staleReason: s.error ?? 'the refresh failed' };
      const spark = sparks.get(s.key);
      const line = spark
        ? downsampleMinMax(
            burnDown(spark.samples, {
              windowStart: spark.windowStart,
              target: s.target,
              windowSeconds: s.windowSeconds,
              remaining: s.errorBudgetRemaining,
            }),
            this.opts.sparklineWidth ?? 60,
          )
        : [];
      const v = view(s, connId, down ? null : fetchedAt, false, line);
      if (s.status !== 'error') this.lastGood.set(s.id, v);
      return v;
    });
    return { statuses, warnings, queries };
  }

  /** Per-step events of every SLO on a connection for the sparklines: one batched range query (cached, tail-fetched). */
  private async sparklines(
    client: PrometheusClient,
    defs: SloDefinition[],
    at: number,
  ): Promise<{ samples: Map<string, { samples: StepSample[]; windowStart: number }>; queries: number }> {
    const out = new Map<string, { samples: StepSample[]; windowStart: number }>();
    const withWindows = defs.map((d) => ({ d, w: resolveWindow(d.window, at) }));
    const longest = Math.min(SPARKLINE_MAX_SECONDS, Math.max(...withWindows.map((x) => x.w.lookbackSeconds)));
    const range = alignedRange(at - longest, at, this.opts.sparklineWidth ?? 60, MIN_CHART_STEP);
    const grouped = this.planCache(client.connectionId).stepQuery(defs, range.step);
    if (grouped === null) return { samples: out, queries: 0 };
    const res = await client.rangeCached(grouped.query, range);
    const values = splitStepSeries(grouped.decode(res.series));
    for (const { d, w } of withWindows) {
      const samples = stepSamples(values.get(d.key), range.start, range.end, range.step);
      out.set(d.key, { samples, windowStart: at - Math.min(w.lookbackSeconds, SPARKLINE_MAX_SECONDS) });
    }
    // Counted from the answer, not the client's counter: the window queries run at the same time.
    return { samples: out, queries: res.fetch === 'cached' ? 0 : 1 };
  }
}
