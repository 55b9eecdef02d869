import {
  alignedRange,
  detectRecordedSlos,
  downsampleMinMax,
  evaluateFleet,
  evaluateSlo,
  parseOpenSlo,
  resolveWindow,
  runFleetQueries,
  scaledAlertPairs,
  type Part,
  type PolicyThresholds,
  type QueryWindow,
  type QueryOutcome,
  type SloDefinition,
  type SloProblem,
  type SloStatus,
  burnDown,
  idealLine,
  splitStepSeries,
  stepParts,
  stepSamples,
  type StepSample,
} from '@shared/slo';
import { ContractFailure } from '@shared/kernel/result';
import type { ChartPoint, SloAlerts, SloDetail, SloFleet, SloProblemView, SloStatusView, SloWarning } from '@shared/slo/contract';
import type { ConnectionSpec } from '@shared/connections/model';
import type { Workspace } from '../../kernel/workspace/load-workspace';
import type { ConnectionService } from '../../kernel/connections/connection-service';
import type { AuditLog } from '../../kernel/audit/audit-log';
import { PrometheusPool } from '../../systems/prometheus/pool';
import type { PrometheusClient } from '../../systems/prometheus/prometheus-client';
import type { FetchKind } from '../../systems/prometheus/range-cache';
import { mergedRulesBody, ruleHealthWarnings } from '../../systems/prometheus/rules';
import { checkImport, importedFiles, readSloFiles, saveImport } from './slo-files';
import { FleetPlanCache } from './fleet-plan-cache';
import { alertSpans, alertTimelineQuery, alertView } from './alert-timeline';

// The SLO feature's engine room. Definitions come from the workspace's OpenSLO files, files imported from the
// UI, and Sloth/Pyrra recording rules found on the SLO connections. A fleet refresh is the pure engine's plan
// (one instant query per window, whatever the fleet size) plus one batched range query for the sparklines,
// per connection. The last good numbers survive a failed refresh, marked stale with the reason; the refresh
// loop runs while someone subscribes to the fleet and backs off while a connection is down.
//
// Several connections are asked at once, each under its own concurrency limit; the fleet is published when all
// have answered or at the answer deadline, and a late answer is published when it comes, so one slow or dead
// server never holds up or blanks the others. (Over 400 lines: the refresh, the per-connection answers, the
// last good numbers and the loop share that state; the pure parts live in shared/slo and the modules beside.)

export interface SloServiceOptions {
  workspace: () => Workspace;
  connections: Pick<ConnectionService, 'get' | 'client' | 'recordHealth'>;
  /** The console's data folder: imported SLO files live in `<dataDir>/slos/`. */
  dataDir: string;
  audit?: Pick<AuditLog, 'append'>;
  pool?: PrometheusPool;
  /** Refresh interval of the loop and the age after which `fleet()` refreshes. Default 60 s. */
  refreshMs?: number;
  /** Wall clock in ms; the CLI's `--at` evaluates the fleet at another instant. */
  now?: () => number;
  /** Requests in flight per connection. Default 4. */
  concurrency?: number;
  /** How long recording-rule discovery is reused. Default 5 minutes. */
  rulesTtlMs?: number;
  maxQueryLength?: number;
  /** Points of the fleet sparklines. Default 60. */
  sparklineWidth?: number;
  /**
   * How long the answers of the long windows are reused by the refresh loop: the compliance window (increase
   * over 30 days: by far the costliest query) and the 1d and 3d burn windows (measured on 2,000 SLOs, the three
   * were four fifths of the samples a refresh made Prometheus read). Default 5 minutes (Pyrra caches month-long
   * ranges as long); 5 minutes move a 30-day budget by about 0.01 % and a 1-day burn rate by under 0.4 % of its
   * window. The short windows (5m to 6h), which decide whether a page fires, are read on every refresh; a
   * forced refresh (the Refresh button, `slo.fleet {refresh: true}`) reads everything. The fleet says when the
   * long windows were read (`periodReadAt`).
   */
  periodTtlMs?: number;
  /**
   * How long a refresh waits for the slowest connection before publishing the others. Default 8 s. A later
   * answer is published when it comes; until then that connection's SLOs keep their last numbers, stale.
   */
  answerDeadlineMs?: number;
}

/** Smallest step for per-step increase() charts: below the sample interval a step holds no samples. */
export const MIN_CHART_STEP = 300;
/** Sparklines never reach back further than this (a quarter's window shows its last weeks). */
const SPARKLINE_MAX_SECONDS = 35 * 86_400;

interface Definitions {
  slos: SloDefinition[];
  problems: SloProblem[];
  warnings: SloWarning[];
  files: { path: string; file: { file: string; text: string } }[];
}

interface RulesEntry {
  at: number;
  slos: SloDefinition[];
  problems: SloProblem[];
  warnings: SloWarning[];
}

/** Windows whose answers the loop reuses for `periodTtlMs`. */
const LONG_WINDOWS: ReadonlySet<QueryWindow> = new Set<QueryWindow>(['1d', '3d', 'period']);

interface PeriodCache {
  fingerprint: string;
  readAtMs: number;
  outcomes: QueryOutcome[];
}

interface ConnResult {
  statuses: SloStatusView[];
  warnings: SloWarning[];
  queries: number;
}

/** One fleet refresh: what was asked of whom, and the answers that have come back so far. */
interface RefreshPlan {
  startedMs: number;
  at: number;
  fetchedAt: string;
  policy: PolicyThresholds;
  defs: Definitions;
  groups: Map<string, SloDefinition[]>;
  /** SLOs with no connection at all: errors that say so. */
  unrouted: SloStatusView[];
  results: Map<string, ConnResult>;
  /** Published once (at the deadline or when all answered); later answers republish. */
  published: boolean;
}

interface ConnState {
  ok: boolean;
  error?: string;
  fetchedAt: string | null;
  queryCount: number;
}

/** The workspace's tiers (budget left below which each applies) as the engine's lower bounds. */
export function policyFromWorkspace(ws: Workspace): PolicyThresholds {
  return { normal: ws.policy.caution, caution: ws.policy.restricted, restricted: ws.policy.emergency };
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The narrowest chart range (drag-to-zoom stops there): a few steps of the finest step the charts use. */
export const MIN_VIEW_SECONDS = 10 * 60;

export class SloService {
  readonly refreshMs: number;
  readonly pool: PrometheusPool;
  private readonly now: () => number;
  private snapshot: SloFleet | null = null;
  private refreshing: Promise<SloFleet> | null = null;
  private readonly listeners = new Set<(f: SloFleet) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private readonly rules = new Map<string, RulesEntry>();
  private readonly lastGood = new Map<string, SloStatusView>();
  private readonly connState = new Map<string, ConnState>();
  private readonly periodCache = new Map<string, PeriodCache>();
  private readonly plans = new Map<string, FleetPlanCache>();
  private defs: Definitions | null = null;
  private disposed = false;
  private current: RefreshPlan | null = null;
  private readonly inflight = new Map<string, Promise<ConnResult>>();
  private readonly rulesInflight = new Map<string, Promise<RulesEntry | null>>();
  private parsed: { fingerprint: string; result: ReturnType<typeof parseOpenSlo> } | null = null;
  readonly answerDeadlineMs: number;

  constructor(private readonly opts: SloServiceOptions) {
    this.refreshMs = opts.refreshMs ?? 60_000;
    this.answerDeadlineMs = opts.answerDeadlineMs ?? 8_000;
    this.now = opts.now ?? Date.now;
    this.pool =
      opts.pool ?? new PrometheusPool(opts.connections, { concurrency: opts.concurrency ?? 4, ...(opts.now ? { now: opts.now } : {}) });
  }

  // ---- definitions -------------------------------------------------------------------------------------------

  private defaultConnection(): string | undefined {
    return this.opts.workspace().slos.connection;
  }

  private connectionOf(def: SloDefinition): string | undefined {
    return def.connectionId ?? this.defaultConnection();
  }

  /** Reads every SLO file (they are small; re-reading picks up edits) and the recorded SLOs (cached). */
  async definitions(signal?: AbortSignal): Promise<Definitions> {
    const ws = this.opts.workspace();
    const paths = [...ws.slos.files, ...(await importedFiles(this.opts.dataDir))];
    const read = await readSloFiles(paths, ws.file ? ws.dir : null);
    // Files are re-read every time (edits show at once) but parsed again only when one of them changed: a fleet
    // of thousands of files would otherwise spend most of a refresh in YAML.
    const fingerprint = read.files.map((f) => `${f.file.file}\u0000${f.file.text}`).join('\u0001');
    if (this.parsed?.fingerprint !== fingerprint) this.parsed = { fingerprint, result: parseOpenSlo(read.files.map((f) => f.file)) };
    const parsed = this.parsed.result;
    const slos = [...parsed.slos];
    const problems = [...read.problems, ...parsed.problems];
    const warnings: SloWarning[] = [];

    const scope = new Set<string>();
    const def = ws.slos.connection;
    if (def !== undefined) scope.add(def);
    for (const s of parsed.slos) if (s.connectionId !== undefined) scope.add(s.connectionId);
    const keys = new Set(slos.map((s) => s.key));
    // Every connection's rules at once, each bounded by the answer deadline: a server that hangs must not hold
    // up the SLOs of the others (its recorded SLOs come from the last discovery until it answers).
    const entries = await Promise.all([...scope].map(async (id) => [id, await this.recordedWithin(id, signal)] as const));
    for (const [id, entry] of entries) {
      if (!entry) continue;
      problems.push(...entry.problems);
      warnings.push(...entry.warnings);
      for (const r of entry.slos) {
        if (keys.has(r.key)) {
          warnings.push({
            kind: 'config',
            connectionId: id,
            message: `The recorded SLO ${r.key} is defined twice; the copy on ${id} is ignored.`,
          });
          continue;
        }
        keys.add(r.key);
        slos.push(r);
      }
    }
    this.defs = { slos, problems, warnings, files: read.files };
    return this.defs;
  }

  /** recordedOn, or what the last discovery found when the connection has not answered by the deadline. */
  private async recordedWithin(connectionId: string, signal?: AbortSignal): Promise<RulesEntry | null> {
    let run = this.rulesInflight.get(connectionId);
    // A discovery still running from an earlier refresh has already missed one deadline: do not wait again.
    const waitMs = run ? 0 : this.answerDeadlineMs;
    if (!run) {
      run = this.recordedOn(connectionId, signal).finally(() => this.rulesInflight.delete(connectionId));
      this.rulesInflight.set(connectionId, run);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = Symbol('late');
    const got = await Promise.race([
      run,
      new Promise<typeof late>((resolve) => {
        timer = setTimeout(() => resolve(late), waitMs);
      }),
    ]);
    clearTimeout(timer);
    if (got !== late) return got;
    const cached = this.rules.get(connectionId);
    const warning: SloWarning = {
      kind: 'connection',
      connectionId,
      message: `Recording rules on ${this.connectionName(connectionId)} have not been read yet: no answer within ${Math.round(this.answerDeadlineMs / 1000)} s.`,
    };
    return cached ? { ...cached, warnings: [...cached.warnings, warning] } : { at: 0, slos: [], problems: [], warnings: [warning] };
  }

  /** Sloth/Pyrra SLOs and failing rules on one connection; null when it is not a Prometheus connection. */
  private async recordedOn(connectionId: string, signal?: AbortSignal): Promise<RulesEntry | null> {
    let client: PrometheusClient;
    try {
      client = this.clientFor(connectionId);
    } catch {
      return null;
    }
    const cached = this.rules.get(connectionId);
    if (cached && this.now() - cached.at < (this.opts.rulesTtlMs ?? 300_000)) return cached;
    try {
      const [record, alert] = await Promise.all([client.rules('record', signal), client.rules('alert', signal)]);
      const detected = detectRecordedSlos(mergedRulesBody(record, alert), { connectionId });
      const entry: RulesEntry = {
        at: this.now(),
        slos: detected.slos,
        problems: detected.problems,
        warnings: ruleHealthWarnings([...record.groups, ...alert.groups], connectionId),
      };
      this.rules.set(connectionId, entry);
      return entry;
    } catch (e) {
      // Keep what the last discovery found; say why this one failed.
      const warning: SloWarning = {
        kind: 'connection',
        connectionId,
        message: `Recording rules could not be read from ${client.name}: ${errorText(e)}`,
      };
      return cached ? { ...cached, warnings: [...cached.warnings, warning] } : { at: 0, slos: [], problems: [], warnings: [warning] };
    }
  }

  private planCache(connectionId: string): FleetPlanCache {
    let c = this.plans.get(connectionId);
    if (!c) this.plans.set(connectionId, (c = new FleetPlanCache(this.opts.maxQueryLength)));
    return c;
  }

  private clientFor(connectionId: string): PrometheusClient {
    let spec: ConnectionSpec;
    try {
      spec = this.opts.connections.get(connectionId);
    } catch {
      throw new ContractFailure('not_configured', `There is no connection "${connectionId}" for SLO queries.`);
    }
    if (spec.kind !== 'prometheus')
      throw new ContractFailure('config', `The connection "${connectionId}" is ${spec.kind}, not Prometheus.`);
    return this.pool.get(connectionId);
  }

  async problems(): Promise<SloProblemView[]> {
    const d = await this.definitions();
    return d.problems.map(toProblemView);
  }

  // ---- fleet -------------------------------------------------------------------------------------------------

  /** The fleet: the snapshot when it is younger than the refresh interval, else a refresh (shared when running). */
  async fleet(opts: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<SloFleet> {
    const snap = this.snapshot;
    if (!opts.refresh && snap && snap.fetchedAt !== null && this.now() - Date.parse(snap.fetchedAt) < this.refreshMs)
      return this.aged(snap);
    return this.refresh({ full: opts.refresh === true });
  }

  private aged(s: SloFleet): SloFleet {
    const old = s.fetchedAt !== null && this.now() - Date.parse(s.fetchedAt) > 2 * this.refreshMs;
    return old && !s.stale ? { ...s, stale: true } : s;
  }

  /** Runs a refresh, or joins the one already running. `full` also re-reads the compliance windows. */
  refresh(opts: { full?: boolean } = {}): Promise<SloFleet> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh(opts.full === true).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(full: boolean): Promise<SloFleet> {
    const startedMs = Date.now();
    const nowMs = this.now();
    const at = Math.floor(nowMs / 1000);
    const fetchedAt = new Date(nowMs).toISOString();
    const policy = policyFromWorkspace(this.opts.workspace());
    const defs = await this.definitions();

    const groups = new Map<string, SloDefinition[]>();
    const unrouted: SloStatusView[] = [];
    for (const def of defs.slos) {
      const conn = this.connectionOf(def);
      if (conn === undefined) {
        const msg = 'No Prometheus connection for this SLO: set slos.connection in the workspace or metricSourceRef in the file.';
        for (const s of evaluateSlo(def, { windows: {}, errors: [msg] }, at, { policy })) unrouted.push(view(s, undefined, null, false));
        continue;
      }
      const list = groups.get(conn);
      if (list) list.push(def);
      else groups.set(conn, [def]);
    }

    const plan: RefreshPlan = { startedMs, at, fetchedAt, policy, defs, groups, unrouted, results: new Map(), published: false };
    this.current = plan;
    // Every connection is asked at once. The fleet is published when all have answered or at the answer
    // deadline, whichever comes first: a connection that hangs shows its last numbers (stale, saying whom we
    // wait for) and its answer is published the moment it arrives.
    const runs = [...groups].map(([connId, list]) => {
      const run = this.connectionRun(connId, list, at, fetchedAt, policy, full);
      void run.then((r) => {
        plan.results.set(connId, r);
        if (plan.published && this.current === plan) this.publish(plan);
      });
      return run;
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(runs),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.answerDeadlineMs);
      }),
    ]);
    clearTimeout(timer);
    plan.published = true;
    return this.publish(plan);
  }

  /** One connection's refresh; a connection still busy with an earlier one is not asked again, its answer is shared. */
  private connectionRun(
    connId: string,
    defs: SloDefinition[],
    at: number,
    fetchedAt: string,
    policy: PolicyThresholds,
    full: boolean,
  ): Promise<ConnResult> {
    const running = this.inflight.get(connId);
    if (running) return running;
    const run = this.refreshConnection(connId, defs, at, fetchedAt, policy, full)
      .catch((e: unknown): ConnResult => {
        const msg = errorText(e);
        this.connState.set(connId, { ok: false, error: msg, fetchedAt: this.connState.get(connId)?.fetchedAt ?? null, queryCount: 0 });
        return {
          statuses: this.lastNumbers(connId, defs, at, policy, msg),
          warnings: [{ kind: 'connection', connectionId: connId, message: msg }],
          queries: 0,
        };
      })
      .finally(() => this.inflight.delete(connId));
    this.inflight.set(connId, run);
    return run;
  }

  /** The last good numbers of a connection's SLOs, marked stale with `reason`; an error where there are none. */
  private lastNumbers(
    connId: string,
    defs: readonly SloDefinition[],
    at: number,
    policy: PolicyThresholds,
    reason: string,
  ): SloStatusView[] {
    return defs.flatMap((def) =>
      evaluateSlo(def, { windows: {}, errors: [reason] }, at, { policy }).map((s) => {
        const prev = this.lastGood.get(s.id);
        return prev ? { ...prev, stale: true, staleReason: reason } : view(s, connId, null, false);
      }),
    );
  }

  private connectionName(id: string): string {
    try {
      return this.opts.connections.get(id).name;
    } catch {
      return id; // unknown connection: its SLOs carry the error
    }
  }

  /** Builds the fleet from what each connection has answered so far and hands it to every subscriber. */
  private publish(plan: RefreshPlan): SloFleet {
    const statuses = [...plan.unrouted];
    const warnings = [...plan.defs.warnings];
    const connections: SloFleet['connections'] = [];
    let queryCount = 0;
    for (const [id, defs] of plan.groups) {
      const name = this.connectionName(id);
      const r = plan.results.get(id);
      if (r) {
        statuses.push(...r.statuses);
        warnings.push(...r.warnings);
        queryCount += r.queries;
      } else {
        const waited = Math.round((Date.now() - plan.startedMs) / 1000);
        const msg = `${name} has not answered yet (asked ${waited} s ago)`;
        statuses.push(...this.lastNumbers(id, defs, plan.at, plan.policy, msg));
        warnings.push({ kind: 'connection', connectionId: id, message: `${msg}; its SLOs show their last numbers until it does.` });
      }
      const st = this.connState.get(id) ?? { ok: false, fetchedAt: null, queryCount: 0 };
      const period = this.periodCache.get(id);
      const degraded = r?.statuses.some((s) => (s.degraded?.length ?? 0) > 0) ?? false;
      connections.push({
        id,
        name,
        ok: r !== undefined && st.ok,
        fetchedAt: st.fetchedAt,
        periodReadAt: period ? new Date(period.readAtMs).toISOString() : null,
        queryCount: r ? r.queries : 0,
        ...(st.error !== undefined && r !== undefined ? { error: st.error } : {}),
        ...(r === undefined
          ? { pending: true, error: `no answer yet (asked ${Math.round((Date.now() - plan.startedMs) / 1000)} s ago)` }
          : {}),
        ...(degraded ? { degraded: true } : {}),
      });
    }
    // Definitions in file order; the UI sorts worst-first itself.
    const order = new Map(plan.defs.slos.map((s, i) => [s.key, i]));
    statuses.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));

    const anyOk = connections.some((c) => c.ok);
    const failed = connections.some((c) => !c.ok);
    this.failures = failed ? this.failures + 1 : 0;
    const prev = this.snapshot;
    const snap: SloFleet = {
      statuses,
      fetchedAt: anyOk || connections.length === 0 ? plan.fetchedAt : (prev?.fetchedAt ?? null),
      evaluatedAt: plan.at,
      queryCount,
      durationMs: Date.now() - plan.startedMs,
      stale: statuses.some((s) => s.stale) || failed,
      refreshMs: this.refreshMs,
      connections,
      warnings,
      problems: plan.defs.problems.map(toProblemView),
    };
    this.snapshot = snap;
    for (const l of this.listeners) l(snap);
    return snap;
  }

  private async refreshConnection(
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
      client = this.clientFor(connId);
      spec = this.opts.connections.get(connId);
    } catch (e) {
      const msg = errorText(e);
      this.connState.set(connId, { ok: false, error: msg, fetchedAt: null, queryCount: 0 });
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
      this.now() - cachedPeriod.readAtMs < (this.opts.periodTtlMs ?? 300_000);
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
        this.periodCache.set(connId, { fingerprint, readAtMs: this.now(), outcomes: period });
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

    const prevState = this.connState.get(connId);
    if (down) {
      const msg = transportErrors[0]?.error ?? 'no answer';
      this.connState.set(connId, { ok: false, error: msg, fetchedAt: prevState?.fetchedAt ?? null, queryCount: queries });
      this.opts.connections.recordHealth(spec, false, msg);
      // Network errors already start with the connection's name: name it once.
      const message = msg.startsWith(client.name) ? msg : `${client.name} could not be reached: ${msg}`;
      warnings.push({ kind: 'connection', connectionId: connId, message });
    } else {
      this.connState.set(connId, { ok: true, fetchedAt, queryCount: queries });
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

  // ---- loop --------------------------------------------------------------------------------------------------

  /** Receives every refreshed fleet; the first subscriber starts the refresh loop, the last one stops it. */
  subscribe(cb: (f: SloFleet) => void): () => void {
    this.listeners.add(cb);
    if (this.snapshot) cb(this.aged(this.snapshot));
    if (this.listeners.size === 1)
      this.schedule(this.snapshot?.fetchedAt ? Math.max(0, Date.parse(this.snapshot.fetchedAt) + this.refreshMs - this.now()) : 0);
    return () => {
      this.listeners.delete(cb);
      if (this.listeners.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
    };
  }

  private schedule(delayMs: number): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh()
        .catch(() => undefined)
        .finally(() => {
          if (this.listeners.size === 0 || this.disposed) return;
          // While a connection is down, try again sooner (5 s, 10 s, 20 s ... up to the interval).
          const delay = this.failures > 0 ? Math.min(this.refreshMs, 5_000 * 2 ** (this.failures - 1)) : this.refreshMs;
          this.schedule(delay);
        });
    }, delayMs);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  // ---- detail ------------------------------------------------------------------------------------------------

  /** The indicator of one SLO of the fleet and its Prometheus (for "open in Prometheus" links). */
  async indicatorOf(id: string): Promise<{ indicator: SloDefinition['indicator']; connectionId: string | undefined } | undefined> {
    const fleet = await this.fleet();
    const status = fleet.statuses.find((s) => s.id === id);
    const def = status ? this.defs?.slos.find((s) => s.key === status.key) : undefined;
    return def ? { indicator: def.indicator, connectionId: status?.connectionId ?? def.connectionId } : undefined;
  }

  /**
   * `view` (epoch ms) narrows the SLI, rate and alert charts to part of the window at a finer step (the range
   * picker, drag-to-zoom); the budget burn-down is always computed over the whole window (it is cumulative)
   * and reported over it too — the renderer shows the same span on every chart.
   */
  async detail(id: string, widthPx: number, signal?: AbortSignal, view?: { from?: number; to?: number }): Promise<SloDetail> {
    const fleet = await this.fleet();
    const status = fleet.statuses.find((s) => s.id === id);
    if (!status) throw new ContractFailure('not_found', `There is no SLO "${id}".`);
    const def = this.defs?.slos.find((s) => s.key === status.key);
    if (!def) throw new ContractFailure('not_found', `The SLO "${id}" is no longer defined.`);
    const at = fleet.evaluatedAt ?? Math.floor(this.now() / 1000);
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
      fetchedAt: new Date(this.now()).toISOString(),
      notes,
    };
    const connId = this.connectionOf(def);
    if (connId === undefined) return { ...empty, notes: ['No Prometheus connection for this SLO.'] };
    const client = this.clientFor(connId);

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
    if (!counts)
      notes.push('This SLO has no event counts (recorded or raw ratios): the burn-down is time-weighted and rates are not shown.');
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

  // ---- alerts ------------------------------------------------------------------------------------------------

  async alerts(signal?: AbortSignal): Promise<SloAlerts> {
    const ws = this.opts.workspace();
    const scope = new Set<string>();
    if (ws.slos.connection !== undefined) scope.add(ws.slos.connection);
    for (const s of this.defs?.slos ?? (await this.definitions(signal)).slos) if (s.connectionId !== undefined) scope.add(s.connectionId);
    const statuses = this.snapshot?.statuses ?? [];
    const out: SloAlerts = { alerts: [], fetchedAt: new Date(this.now()).toISOString(), errors: [] };
    await Promise.all(
      [...scope].map(async (id) => {
        try {
          const client = this.clientFor(id);
          for (const a of await client.alerts(signal)) out.alerts.push(alertView(a, id, statuses));
        } catch (e) {
          out.errors.push({ connectionId: id, message: errorText(e) });
        }
      }),
    );
    const rank = (s: string): number => (s === 'firing' ? 0 : 1);
    out.alerts.sort((a, b) => rank(a.state) - rank(b.state) || (a.activeAt ?? '').localeCompare(b.activeAt ?? ''));
    return out;
  }

  // ---- import ------------------------------------------------------------------------------------------------

  async importFile(filename: string, text: string): Promise<{ file: string; slos: string[]; replaced: boolean }> {
    const d = await this.definitions();
    const pathOf = new Map(d.files.map((f) => [f.file.file, f.path]));
    const names = new Map<string, string>();
    for (const s of d.slos) if (s.origin.kind === 'openslo') names.set(s.name, pathOf.get(s.origin.file) ?? s.origin.file);
    let check;
    try {
      check = checkImport(this.opts.dataDir, filename, text, d.files, names);
    } catch (e) {
      await this.opts.audit?.append({ action: 'slo.import', target: filename, outcome: 'error', message: errorText(e) });
      throw e;
    }
    await saveImport(check.target, text);
    await this.opts.audit?.append({
      action: 'slo.import',
      target: check.target,
      outcome: 'ok',
      message: `${check.replaced ? 'replaced' : 'added'}: ${check.names.join(', ')}`,
    });
    // New SLOs show on the next refresh; subscribers get it now.
    if (this.listeners.size > 0) void this.refresh().catch(() => undefined);
    else await this.definitions();
    return { file: check.target, slos: check.names, replaced: check.replaced };
  }
}

function toProblemView(p: SloProblem): SloProblemView {
  return { file: p.file, line: p.line, field: p.field, message: p.message, ...(p.column !== undefined ? { column: p.column } : {}) };
}

/** A status as the fleet shows it: which connection answered (the default one too), when, and how fresh. */
function view(
  s: SloStatus,
  connectionId: string | undefined,
  fetchedAt: string | null,
  stale: boolean,
  sparkline: ChartPoint[] = [],
): SloStatusView {
  return { ...s, ...(connectionId !== undefined ? { connectionId } : {}), burnRates: { ...s.burnRates }, fetchedAt, stale, sparkline };
}

function combineKinds(kinds: FetchKind[]): SloDetail['rangeFetch'] {
  const set = new Set(kinds);
  if (set.size === 0) return 'cached';
  if (set.size === 1) return kinds[0] ?? 'cached';
  return 'mixed';
}
