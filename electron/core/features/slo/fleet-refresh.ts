import { evaluateSlo, type PolicyThresholds, type SloDefinition } from '@shared/slo';
import type { SloFleet, SloStatusView } from '@shared/slo/contract';
import type { Workspace } from '../../kernel/workspace/load-workspace';
import type { ConnectionRefresh, ConnResult } from './connection-refresh';
import type { Definitions, SloDefinitions } from './slo-definitions';
import { toProblemView, view } from './status-view';
import { errorText } from './error-text';
import { ConnectionRefusals } from './connection-refusals';

// The fleet refresh across connections, and the loop that runs it while someone subscribes. Several
// connections are asked at once, each under its own concurrency limit; the fleet is published when all have
// answered or at the answer deadline, and a late answer is published when it comes, so one slow or dead server
// never holds up or blanks the others. The loop backs off while a connection is down.

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

/** The workspace's tiers (budget left below which each applies) as the engine's lower bounds. */
export function policyFromWorkspace(ws: Workspace): PolicyThresholds {
  return { normal: ws.policy.caution, caution: ws.policy.restricted, restricted: ws.policy.emergency };
}

export interface FleetRefreshOptions {
  workspace: () => Workspace;
  definitions: SloDefinitions;
  reads: ConnectionRefresh;
  now: () => number;
  refreshMs: number;
  answerDeadlineMs: number;
  /** Shared with the definitions' rule reads: which connection refused, for the details waiting on it. */
  refusals?: ConnectionRefusals;
}

export class FleetRefresh {
  private snapshot: SloFleet | null = null;
  private refreshing: Promise<SloFleet> | null = null;
  private readonly listeners = new Set<(f: SloFleet) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private disposed = false;
  private current: RefreshPlan | null = null;
  private readonly inflight = new Map<string, Promise<ConnResult>>();

  private readonly refusals: ConnectionRefusals;

  constructor(private readonly opts: FleetRefreshOptions) {
    this.refusals = opts.refusals ?? new ConnectionRefusals();
  }

  /** The last published fleet, if any. */
  latest(): SloFleet | null {
    return this.snapshot;
  }

  /** Whether the loop runs (someone subscribes). */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  /** The fleet: the snapshot when it is younger than the refresh interval, else a refresh (shared when running). */
  async fleet(opts: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<SloFleet> {
    const snap = this.snapshot;
    if (!opts.refresh && snap && snap.fetchedAt !== null && this.opts.now() - Date.parse(snap.fetchedAt) < this.opts.refreshMs)
      return this.aged(snap);
    return this.refresh({ full: opts.refresh === true });
  }

  /**
   * The fleet one SLO's detail is drawn from. The detail must not sit behind a refresh its Prometheus cannot
   * answer (refused reads retry for about a second, a hung server holds the refresh to its answer deadline):
   * when this SLO's connection failed the last refresh, or a refresh is already running, the last fleet known
   * answers now and the refresh goes on behind it (its answer reaches the fleet's subscribers). Otherwise, as
   * `fleet()`: a fresh snapshot, or a refresh started here — whose first refused read the detail's offline
   * policy hears of at once.
   */
  fleetFor(id: string): Promise<SloFleet> {
    const snap = this.snapshot;
    const fresh = snap !== null && snap.fetchedAt !== null && this.opts.now() - Date.parse(snap.fetchedAt) < this.opts.refreshMs;
    if (snap && fresh) return Promise.resolve(this.aged(snap));
    const connId = snap?.statuses.find((s) => s.id === id)?.connectionId;
    const down = connId !== undefined && snap?.connections.some((c) => c.id === connId && !c.ok) === true;
    if (snap && (down || this.refreshing)) {
      void this.refresh().catch(() => undefined);
      return Promise.resolve(this.aged(snap));
    }
    // Nothing to show without it: wait for the refresh, hearing of the first refusal of this SLO's connection.
    const run = this.refresh();
    if (connId !== undefined) this.refusals.join(connId);
    else this.refusals.joinAny();
    return run;
  }

  private aged(s: SloFleet): SloFleet {
    const old = s.fetchedAt !== null && this.opts.now() - Date.parse(s.fetchedAt) > 2 * this.opts.refreshMs;
    return old && !s.stale ? { ...s, stale: true } : s;
  }

  /** Runs a refresh, or joins the one already running. `full` also re-reads the compliance windows. */
  refresh(opts: { full?: boolean } = {}): Promise<SloFleet> {
    if (!this.refreshing) {
      // Shielded: the refresh is shared, so its refusals reach callers through their connection's watch only.
      this.refreshing = this.refusals
        .shielded(() => this.doRefresh(opts.full === true))
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  private async doRefresh(full: boolean): Promise<SloFleet> {
    this.refusals.reset();
    const startedMs = Date.now();
    const nowMs = this.opts.now();
    const at = Math.floor(nowMs / 1000);
    const fetchedAt = new Date(nowMs).toISOString();
    const policy = policyFromWorkspace(this.opts.workspace());
    const defs = await this.opts.definitions.read();

    const groups = new Map<string, SloDefinition[]>();
    const unrouted: SloStatusView[] = [];
    for (const def of defs.slos) {
      const conn = this.opts.definitions.connectionOf(def);
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
        timer = setTimeout(resolve, this.opts.answerDeadlineMs);
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
    const run = this.refusals
      .run(connId, () => this.opts.reads.run(connId, defs, at, fetchedAt, policy, full))
      .catch((e: unknown): ConnResult => {
        const msg = errorText(e);
        this.opts.reads.failed(connId, msg);
        return {
          statuses: this.opts.reads.lastNumbers(connId, defs, at, policy, msg),
          warnings: [{ kind: 'connection', connectionId: connId, message: msg }],
          queries: 0,
        };
      })
      .finally(() => this.inflight.delete(connId));
    this.inflight.set(connId, run);
    return run;
  }

  /** Builds the fleet from what each connection has answered so far and hands it to every subscriber. */
  private publish(plan: RefreshPlan): SloFleet {
    const statuses = [...plan.unrouted];
    const warnings = [...plan.defs.warnings];
    const connections: SloFleet['connections'] = [];
    let queryCount = 0;
    for (const [id, defs] of plan.groups) {
      const name = this.opts.definitions.connectionName(id);
      const r = plan.results.get(id);
      if (r) {
        statuses.push(...r.statuses);
        warnings.push(...r.warnings);
        queryCount += r.queries;
      } else {
        const waited = Math.round((Date.now() - plan.startedMs) / 1000);
        const msg = `${name} has not answered yet (asked ${waited} s ago)`;
        statuses.push(...this.opts.reads.lastNumbers(id, defs, plan.at, plan.policy, msg));
        warnings.push({ kind: 'connection', connectionId: id, message: `${msg}; its SLOs show their last numbers until it does.` });
      }
      const st = this.opts.reads.state(id) ?? { ok: false, fetchedAt: null, queryCount: 0 };
      const degraded = r?.statuses.some((s) => (s.degraded?.length ?? 0) > 0) ?? false;
      connections.push({
        id,
        name,
        ok: r !== undefined && st.ok,
        fetchedAt: st.fetchedAt,
        periodReadAt: this.opts.reads.periodReadAt(id),
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
      refreshMs: this.opts.refreshMs,
      connections,
      warnings,
      problems: plan.defs.problems.map(toProblemView),
    };
    this.snapshot = snap;
    for (const l of this.listeners) l(snap);
    return snap;
  }

  /** Receives every refreshed fleet; the first subscriber starts the refresh loop, the last one stops it. */
  subscribe(cb: (f: SloFleet) => void): () => void {
    this.listeners.add(cb);
    if (this.snapshot) cb(this.aged(this.snapshot));
    if (this.listeners.size === 1)
      this.schedule(
        this.snapshot?.fetchedAt ? Math.max(0, Date.parse(this.snapshot.fetchedAt) + this.opts.refreshMs - this.opts.now()) : 0,
      );
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
          const delay = this.failures > 0 ? Math.min(this.opts.refreshMs, 5_000 * 2 ** (this.failures - 1)) : this.opts.refreshMs;
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
}
