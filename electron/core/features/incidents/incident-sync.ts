import type { ConnectionSpec } from '@shared/connections/model';
import type { IncidentAlert, IncidentRow, QueueDelta, QueueSnapshot, QueueStatus, QueueUpdate, SyncError } from '@shared/incidents/model';
import { countQueue } from '@shared/incidents/queue';
import type { ContractFailure } from '@shared/kernel/result';
import { asFailure } from '../../systems/servicenow/errors';
import type { SnowContext } from '../../systems/servicenow/snow-context';
import { QueueMirror } from './queue-mirror';
import type { MirrorOptions, SyncStats } from './queue-mirror';
import { UrgentIncidentAlerts } from './urgent-incident-alerts';

export type { SyncStats } from './queue-mirror';

// The incident queue of one ServiceNow connection, kept in sync in the background: when to read (the loop, its
// back-off after failures, a fresh start when the connection is edited), how fresh the rows are, and who hears
// about it — queue subscribers get a snapshot then one delta per attempt, alert listeners the urgent incidents
// (urgent-incident-alerts.ts). How the rows are read and kept current is queue-mirror.ts.

export interface IncidentSyncOptions {
  /** The encoded query that defines the queue. */
  query?: string;
  refreshMs?: number;
  pageSize?: number;
  /** Seconds the delta window reaches back before the watermark. */
  overlapSeconds?: number;
  /** Ids per `sys_idIN` read (keeps URLs under 2 KB, research §2.10). */
  idChunk?: number;
  /** Reconcile the whole id list every this many deltas (0 = never). */
  reconcileEvery?: number;
  /** Longest wait between attempts after failures. */
  maxBackoffMs?: number;
  maxRows?: number;
  now?: () => number;
}

/** Open incidents: active and not Resolved/Closed/Canceled (Resolved stays active=true out of the box). */
export const DEFAULT_QUEUE_QUERY = 'active=true^stateNOT IN6,7,8';

type Listener = (u: QueueUpdate) => void;
type AlertListener = (a: IncidentAlert) => void;

export class IncidentSync {
  readonly query: string;
  readonly refreshMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => number;
  private readonly mirrorOptions: MirrorOptions;

  private mirror: QueueMirror;
  private readonly urgent: UrgentIncidentAlerts;
  private again = false;
  private seq = 0;
  private syncedAt: number | null = null;
  private attemptedAt: number | null = null;
  private error: SyncError | null = null;
  private lastFailure: ContractFailure | null = null;
  private plannedDelay = 0;
  private failures = 0;
  private inFlight: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextAttemptAt: number | null = null;
  private readonly listeners = new Set<Listener>();
  readonly stats: SyncStats = { fullSyncs: 0, deltas: 0, reconciles: 0, lastRequests: 0 };

  constructor(
    ctx: SnowContext,
    private readonly hooks: {
      recordHealth?: (spec: ConnectionSpec, ok: boolean, message?: string) => void;
      /** The connection's current context: a new one (the connection was edited) starts the queue over. */
      context?: () => SnowContext;
    } = {},
    opts: IncidentSyncOptions = {},
  ) {
    this.query = opts.query ?? DEFAULT_QUEUE_QUERY;
    this.refreshMs = opts.refreshMs ?? 30_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 300_000;
    this.now = opts.now ?? Date.now;
    this.mirrorOptions = {
      query: this.query,
      pageSize: opts.pageSize ?? 1000,
      overlap: opts.overlapSeconds ?? 5,
      idChunk: opts.idChunk ?? 50,
      reconcileEvery: opts.reconcileEvery ?? 20,
      maxRows: opts.maxRows ?? 50_000,
    };
    this.urgent = new UrgentIncidentAlerts(() => this.ctx.spec);
    this.mirror = new QueueMirror(ctx, this.mirrorOptions, this.stats, this.urgent);
  }

  private get ctx(): SnowContext {
    return this.mirror.ctx;
  }

  get connectionId(): string {
    return this.ctx.spec.id;
  }

  get running(): boolean {
    return this.listeners.size + this.urgent.listening > 0;
  }

  hasData(): boolean {
    return this.mirror.initialised;
  }

  row(sysId: string): IncidentRow | undefined {
    return this.mirror.rows.get(sysId);
  }

  /** The row as it was at a given sys_mod_count, if this sync saw that version. */
  versionAt(sysId: string, modCount: number): IncidentRow | undefined {
    for (const r of [this.mirror.rows.get(sysId), this.mirror.previous.get(sysId)]) if (r?.sys_mod_count === modCount) return r;
    return undefined;
  }

  status(): QueueStatus {
    const now = this.now();
    return {
      syncedAt: this.syncedAt === null ? null : new Date(this.syncedAt).toISOString(),
      attemptedAt: this.attemptedAt === null ? null : new Date(this.attemptedAt).toISOString(),
      refreshMs: this.refreshMs,
      stale: this.syncedAt === null ? this.attemptedAt !== null : now - this.syncedAt > 2 * this.refreshMs,
      error: this.error,
      nextAttemptAt: this.nextAttemptAt === null ? null : new Date(this.nextAttemptAt).toISOString(),
      counts: countQueue([...this.mirror.rows.values()], this.mirror.identity.me?.sys_id ?? null),
    };
  }

  snapshot(): QueueSnapshot {
    return {
      ...this.status(),
      connectionId: this.ctx.spec.id,
      connectionName: this.ctx.spec.name,
      query: this.query,
      seq: this.seq,
      rows: [...this.mirror.rows.values()],
      me: this.mirror.identity.me,
      myGroups: this.mirror.identity.groups,
    };
  }

  /**
   * Data for a read: syncs first when there is none yet, or when it is older than the interval and no
   * background loop keeps it fresh. The first sync's failure is thrown; later ones leave the last good rows
   * with the error and their age.
   */
  async ensureFresh(): Promise<void> {
    const old = this.syncedAt === null || this.now() - this.syncedAt >= this.refreshMs;
    if (!this.mirror.initialised || (old && !this.running) || this.contextChanged()) await this.refresh();
    if (!this.mirror.initialised && this.lastFailure) throw this.lastFailure;
  }

  /** One sync now (a delta, or the first full read); concurrent callers share it. */
  refresh(): Promise<void> {
    this.inFlight ??= this.attempt().finally(() => {
      this.inFlight = null;
      if (this.again) {
        this.again = false;
        void this.refresh();
        return;
      }
      // Whoever triggered it, the next background attempt is one interval (or back-off) after this one.
      if (this.running) this.schedule(this.plannedDelay);
    });
    return this.inFlight;
  }

  /** A refresh as soon as possible: now, or right after the one running (which may have looked too early). */
  refreshSoon(): void {
    if (this.inFlight) this.again = true;
    else void this.refresh();
  }

  /** Shows a row a read or write returned at once; whether it is still in the queue is left to the next delta. */
  ingest(row: IncidentRow): void {
    const cur = this.mirror.rows.get(row.sys_id);
    if (!cur || cur.sys_mod_count > row.sys_mod_count) return;
    if (cur.sys_mod_count === row.sys_mod_count && cur.sys_updated_on === row.sys_updated_on) return;
    this.mirror.previous.set(row.sys_id, cur);
    this.mirror.rows.set(row.sys_id, row);
    this.emitDelta([], [row], []);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.mirror.initialised) listener({ kind: 'snapshot', ...this.snapshot() });
    this.startLoop();
    return () => {
      this.listeners.delete(listener);
      this.stopLoopIfIdle();
    };
  }

  onAlert(listener: AlertListener): () => void {
    const stop = this.urgent.listen(listener);
    this.startLoop();
    return () => {
      stop();
      this.stopLoopIfIdle();
    };
  }

  stop(): void {
    this.listeners.clear();
    this.urgent.clearListeners();
    this.stopLoopIfIdle();
  }

  private startLoop(): void {
    if (this.timer || this.inFlight || !this.running) return;
    const due = this.mirror.initialised && this.syncedAt !== null ? Math.max(0, this.syncedAt + this.refreshMs - this.now()) : 0;
    this.schedule(due);
  }

  private stopLoopIfIdle(): void {
    if (this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAttemptAt = null;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.nextAttemptAt = this.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, delayMs);
    // The loop never keeps a CLI process or a test alive on its own.
    this.timer.unref?.();
  }

  private nextDelay(): number {
    if (this.failures === 0) return this.refreshMs;
    const backoff = Math.min(this.refreshMs * 2 ** (this.failures - 1), this.maxBackoffMs);
    const retryAfter = (this.error?.detail?.retryAfter ?? 0) * 1000;
    return Math.round(Math.max(backoff, retryAfter) * (0.9 + Math.random() * 0.2));
  }

  /** Whether the connection was edited (URL, auth…) since this queue was read. */
  private contextChanged(): boolean {
    try {
      const current = this.hooks.context?.();
      return current !== undefined && current !== this.ctx;
    } catch {
      return true;
    }
  }

  /** Forgets everything read through the old connection; the next attempt reads the queue afresh. */
  private startOver(ctx: SnowContext): void {
    this.mirror = new QueueMirror(ctx, this.mirrorOptions, this.stats, this.urgent);
    this.urgent.dropPending();
    this.syncedAt = null;
  }

  private async attempt(): Promise<void> {
    let contextError: unknown = null;
    try {
      const current = this.hooks.context?.();
      if (current !== undefined && current !== this.ctx) this.startOver(current);
    } catch (e) {
      // The connection was removed or is invalid now: this attempt fails with that.
      contextError = e;
    }
    const mirror = this.mirror;
    const before = mirror.ctx.api.requests;
    const wasInitialised = mirror.initialised;
    this.attemptedAt = this.now();
    try {
      if (contextError !== null) throw contextError;
      await mirror.sync();
      this.syncedAt = this.now();
      this.error = null;
      this.failures = 0;
      this.hooks.recordHealth?.(mirror.ctx.spec, true);
      this.lastFailure = null;
    } catch (e) {
      const f = asFailure(e, { spec: mirror.ctx.spec });
      this.failures++;
      this.lastFailure = f;
      this.error = { code: f.code, message: f.message, ...(f.detail ? { detail: pickDetail(f.detail) } : {}) };
      this.hooks.recordHealth?.(mirror.ctx.spec, false, f.message);
    } finally {
      this.stats.lastRequests = mirror.ctx.api.requests - before;
      this.plannedDelay = this.nextDelay();
      this.nextAttemptAt = this.running ? this.now() + this.plannedDelay : null;
    }
    if (!mirror.initialised) return;
    if (!wasInitialised) {
      this.seq++;
      const snap: QueueUpdate = { kind: 'snapshot', ...this.snapshot() };
      for (const l of this.listeners) l(snap);
      return;
    }
    // One delta per attempt, with the rows that changed and the new freshness (also when no row did).
    const p = mirror.takePending();
    this.emitDelta([...p.added.values()], [...p.changed.values()], [...p.removed]);
    this.urgent.flush();
  }

  /** Sends a delta with the current freshness. */
  private emitDelta(added: IncidentRow[], changed: IncidentRow[], removed: string[]): void {
    this.seq++;
    const delta: QueueDelta = { kind: 'delta', connectionId: this.ctx.spec.id, seq: this.seq, ...this.status(), added, changed, removed };
    for (const l of this.listeners) l(delta);
  }
}

function pickDetail(d: NonNullable<ContractFailure['detail']>): NonNullable<SyncError['detail']> {
  return {
    ...(d.status !== undefined ? { status: d.status } : {}),
    ...(d.remoteMessage !== undefined ? { remoteMessage: d.remoteMessage } : {}),
    ...(d.retryAfter !== undefined ? { retryAfter: d.retryAfter } : {}),
    ...(d.retryable !== undefined ? { retryable: d.retryable } : {}),
  };
}
