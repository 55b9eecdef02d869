import type { SloDefinition } from '@shared/slo';
import type { SloAlerts, SloDetail, SloFleet, SloProblemView } from '@shared/slo/contract';
import type { Workspace } from '../../kernel/workspace/load-workspace';
import type { ConnectionService } from '../../kernel/connections/connection-service';
import type { AuditLog } from '../../kernel/audit/audit-log';
import { PrometheusPool } from '../../systems/prometheus/pool';
import { SloDefinitions, type Definitions } from './slo-definitions';
import { ConnectionRefresh } from './connection-refresh';
import { FleetRefresh } from './fleet-refresh';
import { ConnectionRefusals } from './connection-refusals';
import { indicatorOf, sloDetail } from './slo-detail';
import { readPrometheusAlerts } from './prometheus-alerts';
import { importSloFile } from './slo-import';
import { toProblemView } from './status-view';

// The SLO feature's service: one object over the modules beside it, which hold the work — which SLOs there are
// (slo-definitions.ts), the fleet refresh across connections and its loop (fleet-refresh.ts), one connection's
// queries and last good numbers (connection-refresh.ts), detail charts (slo-detail.ts), the Prometheus alerts
// (prometheus-alerts.ts) and importing a file (slo-import.ts). The pure engine lives in shared/slo.

export { policyFromWorkspace } from './fleet-refresh';
export { MIN_CHART_STEP, MIN_VIEW_SECONDS } from './slo-detail';

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

export class SloService {
  readonly refreshMs: number;
  readonly pool: PrometheusPool;
  readonly answerDeadlineMs: number;
  private readonly now: () => number;
  private readonly defs: SloDefinitions;
  private readonly loop: FleetRefresh;

  constructor(private readonly opts: SloServiceOptions) {
    this.refreshMs = opts.refreshMs ?? 60_000;
    this.answerDeadlineMs = opts.answerDeadlineMs ?? 8_000;
    this.now = opts.now ?? Date.now;
    this.pool =
      opts.pool ?? new PrometheusPool(opts.connections, { concurrency: opts.concurrency ?? 4, ...(opts.now ? { now: opts.now } : {}) });
    const refusals = new ConnectionRefusals();
    this.defs = new SloDefinitions({
      workspace: opts.workspace,
      connections: opts.connections,
      dataDir: opts.dataDir,
      pool: this.pool,
      now: this.now,
      answerDeadlineMs: this.answerDeadlineMs,
      refusals,
      ...(opts.rulesTtlMs !== undefined ? { rulesTtlMs: opts.rulesTtlMs } : {}),
    });
    const reads = new ConnectionRefresh({
      connections: opts.connections,
      definitions: this.defs,
      now: this.now,
      ...(opts.periodTtlMs !== undefined ? { periodTtlMs: opts.periodTtlMs } : {}),
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      ...(opts.maxQueryLength !== undefined ? { maxQueryLength: opts.maxQueryLength } : {}),
      ...(opts.sparklineWidth !== undefined ? { sparklineWidth: opts.sparklineWidth } : {}),
    });
    this.loop = new FleetRefresh({
      workspace: opts.workspace,
      definitions: this.defs,
      reads,
      now: this.now,
      refreshMs: this.refreshMs,
      answerDeadlineMs: this.answerDeadlineMs,
      refusals,
    });
  }

  /** Reads every SLO file (they are small; re-reading picks up edits) and the recorded SLOs (cached). */
  definitions(signal?: AbortSignal): Promise<Definitions> {
    return this.defs.read(signal);
  }

  async problems(): Promise<SloProblemView[]> {
    return (await this.defs.read()).problems.map(toProblemView);
  }

  /** The fleet: the snapshot when it is younger than the refresh interval, else a refresh (shared when running). */
  fleet(opts: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<SloFleet> {
    return this.loop.fleet(opts);
  }

  /** Runs a refresh, or joins the one already running. `full` also re-reads the long windows. */
  refresh(opts: { full?: boolean } = {}): Promise<SloFleet> {
    return this.loop.refresh(opts);
  }

  /** Receives every refreshed fleet; the first subscriber starts the refresh loop, the last one stops it. */
  subscribe(cb: (f: SloFleet) => void): () => void {
    return this.loop.subscribe(cb);
  }

  dispose(): void {
    this.loop.dispose();
  }

  /** The indicator of one SLO of the fleet and its Prometheus (for "open in Prometheus" links). */
  indicatorOf(id: string): Promise<{ indicator: SloDefinition['indicator']; connectionId: string | undefined } | undefined> {
    return indicatorOf(this.detailDeps(), id);
  }

  detail(id: string, widthPx: number, signal?: AbortSignal, view?: { from?: number; to?: number }): Promise<SloDetail> {
    return sloDetail(this.detailDeps(), id, widthPx, signal, view);
  }

  alerts(signal?: AbortSignal): Promise<SloAlerts> {
    return readPrometheusAlerts(
      { workspace: this.opts.workspace, definitions: this.defs, statuses: () => this.loop.latest()?.statuses ?? [], now: this.now },
      signal,
    );
  }

  importFile(filename: string, text: string): Promise<{ file: string; slos: string[]; replaced: boolean }> {
    return importSloFile(
      {
        definitions: this.defs,
        dataDir: this.opts.dataDir,
        audit: this.opts.audit,
        // New SLOs show on the next refresh; subscribers get it now.
        announce: async () => {
          if (this.loop.listening) void this.loop.refresh().catch(() => undefined);
          else await this.defs.read();
        },
      },
      filename,
      text,
    );
  }

  private detailDeps(): { fleet: (id: string) => Promise<SloFleet>; definitions: SloDefinitions; now: () => number } {
    return { fleet: (id) => this.loop.fleetFor(id), definitions: this.defs, now: this.now };
  }
}
