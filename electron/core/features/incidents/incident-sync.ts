import type { ConnectionSpec } from '@shared/connections/model';
import type { IncidentAlert, IncidentRow, QueueDelta, QueueSnapshot, QueueStatus, QueueUpdate, SyncError } from '@shared/incidents/model';
import { andRaw, condition } from '@shared/incidents/encoded-query';
import { shiftGlideDateTime } from '@shared/incidents/glide-time';
import { countQueue, recordLink } from '@shared/incidents/queue';
import { ContractFailure } from '@shared/kernel/result';
import { asFailure } from '../../systems/servicenow/errors';
import { QUEUE_FIELDS, VERSION_FIELDS, mapQueueRow } from '../../systems/servicenow/mapping';
import type { SnowContext, Identity } from '../../systems/servicenow/snow-context';
import { valueOf } from '../../systems/servicenow/values';

// The incident queue of one ServiceNow connection, kept in sync in the background.
//
// First sync: the newest sys_updated_on of the whole table is read BEFORE the queue (so anything that changes
// while the pages are read is caught by the next delta), then the queue by keyset pages.
//
// Delta: one request asks the whole table for (sys_id, sys_updated_on, sys_mod_count) of rows updated since
// the watermark minus an overlap (`>=`, so rows updated in the same second as the last one seen are asked
// again, and late commits inside the overlap are not missed). Rows whose version we already hold are dropped;
// when nothing is left that was the only request. Otherwise the remaining sys_ids are read back through the
// queue's own query (`<query>^sys_idIN…`): those that come back are new or changed, those that do not have left
// the queue (resolved, reassigned away) and are removed. Asking the whole table, not just the queue, is what
// makes removals visible whatever the queue's query is. A periodic id-only reconcile catches deletions and rows
// that leave the query without being updated.
// Over 400 lines while the queue sync and the alert stream still share this file (their split is listed in docs/architecture.md).

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
type Version = { mod: number; updated: string };
type AlertListener = (a: IncidentAlert) => void;

export interface SyncStats {
  fullSyncs: number;
  deltas: number;
  reconciles: number;
  lastRequests: number;
}

export class IncidentSync {
  readonly query: string;
  readonly refreshMs: number;
  private readonly pageSize: number;
  private readonly overlap: number;
  private readonly idChunk: number;
  private readonly reconcileEvery: number;
  private readonly maxBackoffMs: number;
  private readonly maxRows: number;
  private readonly now: () => number;

  private rows = new Map<string, IncidentRow>();
  /** The version before the last change of each row, so a conflict can say what changed. */
  private previous = new Map<string, IncidentRow>();
  /**
   * The version of each row last confirmed to match the query (by the full read, a read-back or a reconcile).
   * Deltas compare against this, not against `rows`: a row a write put into `rows` must still be read back
   * through the query to learn whether it is in the queue.
   */
  private confirmed = new Map<string, Version>();
  private again = false;
  /** Rows known not to match the query, by sys_id: the version checked and its sys_updated_on. */
  private outside = new Map<string, Version>();
  private watermark: string | null = null;
  private initialised = false;
  private seq = 0;
  private syncedAt: number | null = null;
  private attemptedAt: number | null = null;
  private error: SyncError | null = null;
  private lastFailure: ContractFailure | null = null;
  private plannedDelay = 0;
  private failures = 0;
  private deltasSinceReconcile = 0;
  private inFlight: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextAttemptAt: number | null = null;
  private identity: Identity = { me: null, groups: [] };
  private pending: { added: Map<string, IncidentRow>; changed: Map<string, IncidentRow>; removed: Set<string> } = {
    added: new Map(),
    changed: new Map(),
    removed: new Set(),
  };
  private pendingAlerts: IncidentAlert[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly alertListeners = new Set<AlertListener>();
  readonly stats: SyncStats = { fullSyncs: 0, deltas: 0, reconciles: 0, lastRequests: 0 };

  constructor(
    private ctx: SnowContext,
    private readonly hooks: {
      recordHealth?: (spec: ConnectionSpec, ok: boolean, message?: string) => void;
      /** The connection's current context: a new one (the connection was edited) starts the queue over. */
      context?: () => SnowContext;
    } = {},
    opts: IncidentSyncOptions = {},
  ) {
    this.query = opts.query ?? DEFAULT_QUEUE_QUERY;
    this.refreshMs = opts.refreshMs ?? 30_000;
    this.pageSize = opts.pageSize ?? 1000;
    this.overlap = opts.overlapSeconds ?? 5;
    this.idChunk = opts.idChunk ?? 50;
    this.reconcileEvery = opts.reconcileEvery ?? 20;
    this.maxBackoffMs = opts.maxBackoffMs ?? 300_000;
    this.maxRows = opts.maxRows ?? 50_000;
    this.now = opts.now ?? Date.now;
  }

  get connectionId(): string {
    return this.ctx.spec.id;
  }

  get running(): boolean {
    return this.listeners.size + this.alertListeners.size > 0;
  }

  hasData(): boolean {
    return this.initialised;
  }

  row(sysId: string): IncidentRow | undefined {
    return this.rows.get(sysId);
  }

  /** The row as it was at a given sys_mod_count, if this sync saw that version. */
  versionAt(sysId: string, modCount: number): IncidentRow | undefined {
    for (const r of [this.rows.get(sysId), this.previous.get(sysId)]) if (r?.sys_mod_count === modCount) return r;
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
      counts: countQueue([...this.rows.values()], this.identity.me?.sys_id ?? null),
    };
  }

  snapshot(): QueueSnapshot {
    return {
      ...this.status(),
      connectionId: this.ctx.spec.id,
      connectionName: this.ctx.spec.name,
      query: this.query,
      seq: this.seq,
      rows: [...this.rows.values()],
      me: this.identity.me,
      myGroups: this.identity.groups,
    };
  }

  /**
   * Data for a read: syncs first when there is none yet, or when it is older than the interval and no
   * background loop keeps it fresh. The first sync's failure is thrown; later ones leave the last good rows
   * with the error and their age.
   */
  async ensureFresh(): Promise<void> {
    const old = this.syncedAt === null || this.now() - this.syncedAt >= this.refreshMs;
    if (!this.initialised || (old && !this.running) || this.contextChanged()) await this.refresh();
    if (!this.initialised && this.lastFailure) throw this.lastFailure;
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
    const cur = this.rows.get(row.sys_id);
    if (!cur || cur.sys_mod_count > row.sys_mod_count) return;
    if (cur.sys_mod_count === row.sys_mod_count && cur.sys_updated_on === row.sys_updated_on) return;
    this.previous.set(row.sys_id, cur);
    this.rows.set(row.sys_id, row);
    this.emitDelta([], [row], []);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.initialised) listener({ kind: 'snapshot', ...this.snapshot() });
    this.startLoop();
    return () => {
      this.listeners.delete(listener);
      this.stopLoopIfIdle();
    };
  }

  onAlert(listener: AlertListener): () => void {
    this.alertListeners.add(listener);
    this.startLoop();
    return () => {
      this.alertListeners.delete(listener);
      this.stopLoopIfIdle();
    };
  }

  stop(): void {
    this.listeners.clear();
    this.alertListeners.clear();
    this.stopLoopIfIdle();
  }

  private startLoop(): void {
    if (this.timer || this.inFlight || !this.running) return;
    const due = this.initialised && this.syncedAt !== null ? Math.max(0, this.syncedAt + this.refreshMs - this.now()) : 0;
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
    this.ctx = ctx;
    this.initialised = false;
    this.rows = new Map();
    this.confirmed = new Map();
    this.previous = new Map();
    this.outside = new Map();
    this.watermark = null;
    this.identity = { me: null, groups: [] };
    this.pending = { added: new Map(), changed: new Map(), removed: new Set() };
    this.pendingAlerts = [];
    this.deltasSinceReconcile = 0;
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
    const before = this.ctx.api.requests;
    const wasInitialised = this.initialised;
    this.attemptedAt = this.now();
    try {
      if (contextError !== null) throw contextError;
      if (!this.initialised) await this.fullSync();
      else if (this.reconcileEvery > 0 && this.deltasSinceReconcile >= this.reconcileEvery) await this.reconcile();
      else await this.delta();
      this.syncedAt = this.now();
      this.error = null;
      this.failures = 0;
      this.hooks.recordHealth?.(this.ctx.spec, true);
      this.lastFailure = null;
    } catch (e) {
      const f = asFailure(e, { spec: this.ctx.spec });
      this.failures++;
      this.lastFailure = f;
      this.error = { code: f.code, message: f.message, ...(f.detail ? { detail: pickDetail(f.detail) } : {}) };
      this.hooks.recordHealth?.(this.ctx.spec, false, f.message);
    } finally {
      this.stats.lastRequests = this.ctx.api.requests - before;
      this.plannedDelay = this.nextDelay();
      this.nextAttemptAt = this.running ? this.now() + this.plannedDelay : null;
    }
    if (!this.initialised) return;
    if (!wasInitialised) {
      this.seq++;
      const snap: QueueUpdate = { kind: 'snapshot', ...this.snapshot() };
      for (const l of this.listeners) l(snap);
      return;
    }
    // One delta per attempt, with the rows that changed and the new freshness (also when no row did).
    const p = this.pending;
    this.pending = { added: new Map(), changed: new Map(), removed: new Set() };
    this.emitDelta([...p.added.values()], [...p.changed.values()], [...p.removed]);
    const alerts = this.pendingAlerts;
    this.pendingAlerts = [];
    for (const a of alerts) for (const l of this.alertListeners) l(a);
  }

  /**
   * The newest sys_updated_on in the whole table (the watermark), read before a full listing, with the versions
   * of the rows inside its overlap window: those not in the queue are remembered as outside it, so the first
   * delta after a full read does not have to ask about them again.
   */
  private async recentVersions(): Promise<{ newest: string | null; recent: Map<string, Version> }> {
    const top = await this.ctx.api.list({
      table: 'incident',
      query: 'ORDERBYDESCsys_updated_on^ORDERBYsys_id',
      fields: ['sys_updated_on'],
      limit: 1,
    });
    const newest = top.rows[0] ? valueOf(top.rows[0].sys_updated_on) : '';
    const recent = new Map<string, Version>();
    if (newest === '') return { newest: null, recent };
    // Bulk jobs stamp hundreds of rows with the same second; all of them are in the first delta's window.
    const window = await this.ctx.api.list({
      table: 'incident',
      query: andRaw('', [condition('sys_updated_on', '>=', shiftGlideDateTime(newest, -this.overlap))], [{ field: 'sys_id' }]),
      fields: VERSION_FIELDS,
      limit: this.pageSize,
    });
    for (const r of window.rows)
      recent.set(valueOf(r.sys_id), { mod: Number(valueOf(r.sys_mod_count)) || 0, updated: valueOf(r.sys_updated_on) });
    return { newest, recent };
  }

  private rememberOutside(recent: ReadonlyMap<string, Version>): void {
    for (const [id, v] of recent) if (id && !this.rows.has(id)) this.outside.set(id, v);
  }

  private async fullSync(): Promise<void> {
    const [recent, identity, labels] = await Promise.all([
      this.recentVersions(),
      this.ctx.identity().catch(() => this.identity),
      this.ctx.labels(),
    ]);
    const { rows, truncated } = await this.ctx.api.listAll({
      table: 'incident',
      query: this.query,
      fields: QUEUE_FIELDS,
      pageSize: this.pageSize,
      maxRows: this.maxRows,
    });
    if (truncated) {
      throw new ContractFailure('bad_request', `The queue query matches more than ${this.maxRows} incidents; narrow it down.`, {
        connectionId: this.ctx.spec.id,
      });
    }
    this.identity = identity;
    const next = new Map<string, IncidentRow>();
    for (const rec of rows) {
      const row = mapQueueRow(rec, labels);
      if (row.sys_id) next.set(row.sys_id, row);
    }
    this.watermark = recent.newest;
    this.stats.fullSyncs++;
    this.rows = next;
    this.confirmed = new Map([...next].map(([id, r]) => [id, { mod: r.sys_mod_count, updated: r.sys_updated_on }]));
    this.outside.clear();
    this.rememberOutside(recent.recent);
    this.initialised = true;
  }

  private async delta(): Promise<void> {
    this.stats.deltas++;
    this.deltasSinceReconcile++;
    // "Me" is cached by the context (no request unless the operator changed or it expired).
    this.identity = await this.ctx.identity().catch(() => this.identity);
    const since = this.watermark === null ? null : shiftGlideDateTime(this.watermark, -this.overlap);
    const probe = await this.ctx.api.list({
      table: 'incident',
      query: andRaw('', since ? [condition('sys_updated_on', '>=', since)] : [], [{ field: 'sys_updated_on' }, { field: 'sys_id' }]),
      fields: VERSION_FIELDS,
      limit: this.pageSize,
    });
    if (probe.hasNext === true || probe.rows.length >= this.pageSize) {
      // More changes than one page since the last look (a long outage): compare the whole queue instead.
      await this.reconcile();
      return;
    }
    let newest = this.watermark;
    const candidates = new Map<string, Version>();
    for (const r of probe.rows) {
      const id = valueOf(r.sys_id);
      const updated = valueOf(r.sys_updated_on);
      const mod = Number(valueOf(r.sys_mod_count)) || 0;
      if (!id) continue;
      if (newest === null || updated > newest) newest = updated;
      const conf = this.confirmed.get(id);
      if (conf && conf.mod === mod && conf.updated === updated) continue;
      const out = this.outside.get(id);
      if (!this.rows.has(id) && out && out.mod === mod && out.updated === updated) continue;
      candidates.set(id, { mod, updated });
    }
    if (candidates.size > 0) await this.readBack(candidates);
    this.watermark = newest;
    // Rows outside the query only need remembering while they are inside the overlap window.
    if (this.watermark !== null) {
      const floor = shiftGlideDateTime(this.watermark, -this.overlap);
      for (const [id, v] of this.outside) if (v.updated < floor) this.outside.delete(id);
    }
  }

  /** Reads candidates through the queue's query: those that come back are in it, the others have left it. */
  private async readBack(versions: ReadonlyMap<string, Version | undefined>): Promise<void> {
    const ids = [...versions.keys()];
    const labels = await this.ctx.labels();
    const found = new Map<string, IncidentRow>();
    for (let i = 0; i < ids.length; i += this.idChunk) {
      const chunk = ids.slice(i, i + this.idChunk);
      const page = await this.ctx.api.list({
        table: 'incident',
        query: andRaw(this.query, [condition('sys_id', 'IN', chunk)], [{ field: 'sys_id' }]),
        fields: QUEUE_FIELDS,
        limit: chunk.length + 1,
      });
      for (const rec of page.rows) {
        const row = mapQueueRow(rec, labels);
        if (row.sys_id) found.set(row.sys_id, row);
      }
    }
    const added: IncidentRow[] = [];
    const changed: IncidentRow[] = [];
    const removed: string[] = [];
    for (const id of ids) {
      const row = found.get(id);
      const cur = this.rows.get(id);
      if (row) {
        this.outside.delete(id);
        this.confirmed.set(id, { mod: row.sys_mod_count, updated: row.sys_updated_on });
        if (!cur) added.push(row);
        else if (cur.sys_mod_count !== row.sys_mod_count || cur.sys_updated_on !== row.sys_updated_on) changed.push(row);
      } else {
        this.confirmed.delete(id);
        if (cur) removed.push(id);
        // Remembered only once confirmed, so a failed read-back is asked again next time.
        const v = versions.get(id);
        if (v) this.outside.set(id, v);
      }
    }
    this.apply(added, changed, removed);
  }

  /** The whole id list of the queue (sys_id + version only), then a read-back of whatever differs. */
  private async reconcile(): Promise<void> {
    this.stats.reconciles++;
    this.deltasSinceReconcile = 0;
    const recent = await this.recentVersions();
    const { rows, truncated } = await this.ctx.api.listAll({
      table: 'incident',
      query: this.query,
      fields: ['sys_id', 'sys_mod_count', 'sys_updated_on'],
      pageSize: this.pageSize,
      maxRows: this.maxRows,
    });
    if (truncated) throw new ContractFailure('bad_request', `The queue query matches more than ${this.maxRows} incidents; narrow it down.`);
    const listed = new Set<string>();
    const differ = new Map<string, Version | undefined>();
    for (const r of rows) {
      const id = valueOf(r.sys_id);
      if (!id) continue;
      listed.add(id);
      const conf = this.confirmed.get(id);
      if (!conf || conf.mod !== (Number(valueOf(r.sys_mod_count)) || 0) || conf.updated !== valueOf(r.sys_updated_on))
        differ.set(id, undefined);
    }
    // Gone rows are read back too: they are confirmed gone by not coming back.
    for (const id of this.rows.keys()) if (!listed.has(id)) differ.set(id, undefined);
    if (differ.size > 0) await this.readBack(differ);
    this.outside.clear();
    this.rememberOutside(recent.recent);
    this.watermark = recent.newest ?? this.watermark;
  }

  /** Changes the rows and records what changed for the attempt's delta (and alerts for new/escalated P1/P2). */
  private apply(added: IncidentRow[], changed: IncidentRow[], removed: string[]): void {
    const p = this.pending;
    for (const row of added) {
      this.rows.set(row.sys_id, row);
      p.removed.delete(row.sys_id);
      p.added.set(row.sys_id, row);
      if (isUrgent(row)) this.pendingAlerts.push(this.alert('new', row));
    }
    for (const row of changed) {
      const cur = this.rows.get(row.sys_id);
      if (cur) this.previous.set(row.sys_id, cur);
      this.rows.set(row.sys_id, row);
      if (p.added.has(row.sys_id)) p.added.set(row.sys_id, row);
      else p.changed.set(row.sys_id, row);
      if (cur && !isUrgent(cur) && isUrgent(row)) this.pendingAlerts.push(this.alert('escalated', row));
    }
    for (const id of removed) {
      this.rows.delete(id);
      this.confirmed.delete(id);
      this.previous.delete(id);
      p.changed.delete(id);
      if (!p.added.delete(id)) p.removed.add(id);
    }
  }

  /** Sends a delta with the current freshness. */
  private emitDelta(added: IncidentRow[], changed: IncidentRow[], removed: string[]): void {
    this.seq++;
    const delta: QueueDelta = { kind: 'delta', connectionId: this.ctx.spec.id, seq: this.seq, ...this.status(), added, changed, removed };
    for (const l of this.listeners) l(delta);
  }

  private alert(reason: IncidentAlert['reason'], row: IncidentRow): IncidentAlert {
    return {
      connectionId: this.ctx.spec.id,
      connectionName: this.ctx.spec.name,
      reason,
      incident: row,
      link: recordLink(this.ctx.spec.url, 'incident', row.sys_id),
    };
  }
}

const isUrgent = (r: IncidentRow): boolean => r.priority.value === '1' || r.priority.value === '2';

function pickDetail(d: NonNullable<ContractFailure['detail']>): NonNullable<SyncError['detail']> {
  return {
    ...(d.status !== undefined ? { status: d.status } : {}),
    ...(d.remoteMessage !== undefined ? { remoteMessage: d.remoteMessage } : {}),
    ...(d.retryAfter !== undefined ? { retryAfter: d.retryAfter } : {}),
    ...(d.retryable !== undefined ? { retryable: d.retryable } : {}),
  };
}
