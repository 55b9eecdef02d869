import type { IncidentRow } from '@shared/incidents/model';
import { andRaw, condition } from '@shared/incidents/encoded-query';
import { shiftGlideDateTime } from '@shared/incidents/glide-time';
import { ContractFailure } from '@shared/kernel/result';
import { QUEUE_FIELDS, VERSION_FIELDS, mapQueueRow } from '../../systems/servicenow/mapping';
import type { SnowContext, Identity } from '../../systems/servicenow/snow-context';
import { valueOf } from '../../systems/servicenow/values';
import type { UrgentIncidentAlerts } from './urgent-incident-alerts';

// The queue's rows as last read from one ServiceNow connection, and the reads that keep them current.
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
//
// One mirror reads through one connection context: when the connection is edited, the sync makes a new one.

export type Version = { mod: number; updated: string };

export interface SyncStats {
  fullSyncs: number;
  deltas: number;
  reconciles: number;
  lastRequests: number;
}

export interface MirrorOptions {
  query: string;
  pageSize: number;
  /** Seconds the delta window reaches back before the watermark. */
  overlap: number;
  idChunk: number;
  reconcileEvery: number;
  maxRows: number;
}

/** What changed since the last attempt's delta was sent. */
export interface Pending {
  added: Map<string, IncidentRow>;
  changed: Map<string, IncidentRow>;
  removed: Set<string>;
}

const nothingPending = (): Pending => ({ added: new Map(), changed: new Map(), removed: new Set() });

export class QueueMirror {
  rows = new Map<string, IncidentRow>();
  /** The version before the last change of each row, so a conflict can say what changed. */
  readonly previous = new Map<string, IncidentRow>();
  /**
   * The version of each row last confirmed to match the query (by the full read, a read-back or a reconcile).
   * Deltas compare against this, not against `rows`: a row a write put into `rows` must still be read back
   * through the query to learn whether it is in the queue.
   */
  private confirmed = new Map<string, Version>();
  /** Rows known not to match the query, by sys_id: the version checked and its sys_updated_on. */
  private readonly outside = new Map<string, Version>();
  private watermark: string | null = null;
  initialised = false;
  identity: Identity = { me: null, groups: [] };
  private pending: Pending = nothingPending();
  private deltasSinceReconcile = 0;

  constructor(
    readonly ctx: SnowContext,
    private readonly o: MirrorOptions,
    private readonly stats: SyncStats,
    private readonly urgent: UrgentIncidentAlerts,
  ) {}

  /** One read: the first full read, a reconcile when it is due, else a delta. */
  async sync(): Promise<void> {
    if (!this.initialised) await this.fullSync();
    else if (this.o.reconcileEvery > 0 && this.deltasSinceReconcile >= this.o.reconcileEvery) await this.reconcile();
    else await this.delta();
  }

  /** What changed since the last call, for the attempt's delta. */
  takePending(): Pending {
    const p = this.pending;
    this.pending = nothingPending();
    return p;
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
      query: andRaw('', [condition('sys_updated_on', '>=', shiftGlideDateTime(newest, -this.o.overlap))], [{ field: 'sys_id' }]),
      fields: VERSION_FIELDS,
      limit: this.o.pageSize,
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
      query: this.o.query,
      fields: QUEUE_FIELDS,
      pageSize: this.o.pageSize,
      maxRows: this.o.maxRows,
    });
    if (truncated) {
      throw new ContractFailure('bad_request', `The queue query matches more than ${this.o.maxRows} incidents; narrow it down.`, {
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
    const since = this.watermark === null ? null : shiftGlideDateTime(this.watermark, -this.o.overlap);
    const probe = await this.ctx.api.list({
      table: 'incident',
      query: andRaw('', since ? [condition('sys_updated_on', '>=', since)] : [], [{ field: 'sys_updated_on' }, { field: 'sys_id' }]),
      fields: VERSION_FIELDS,
      limit: this.o.pageSize,
    });
    if (probe.hasNext === true || probe.rows.length >= this.o.pageSize) {
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
      const floor = shiftGlideDateTime(this.watermark, -this.o.overlap);
      for (const [id, v] of this.outside) if (v.updated < floor) this.outside.delete(id);
    }
  }

  /** Reads candidates through the queue's query: those that come back are in it, the others have left it. */
  private async readBack(versions: ReadonlyMap<string, Version | undefined>): Promise<void> {
    const ids = [...versions.keys()];
    const labels = await this.ctx.labels();
    const found = new Map<string, IncidentRow>();
    for (let i = 0; i < ids.length; i += this.o.idChunk) {
      const chunk = ids.slice(i, i + this.o.idChunk);
      const page = await this.ctx.api.list({
        table: 'incident',
        query: andRaw(this.o.query, [condition('sys_id', 'IN', chunk)], [{ field: 'sys_id' }]),
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
      query: this.o.query,
      fields: ['sys_id', 'sys_mod_count', 'sys_updated_on'],
      pageSize: this.o.pageSize,
      maxRows: this.o.maxRows,
    });
    if (truncated)
      throw new ContractFailure('bad_request', `The queue query matches more than ${this.o.maxRows} incidents; narrow it down.`);
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
      this.urgent.added(row);
    }
    for (const row of changed) {
      const cur = this.rows.get(row.sys_id);
      if (cur) this.previous.set(row.sys_id, cur);
      this.rows.set(row.sys_id, row);
      if (p.added.has(row.sys_id)) p.added.set(row.sys_id, row);
      else p.changed.set(row.sys_id, row);
      this.urgent.changed(cur, row);
    }
    for (const id of removed) {
      this.rows.delete(id);
      this.confirmed.delete(id);
      this.previous.delete(id);
      p.changed.delete(id);
      if (!p.added.delete(id)) p.removed.add(id);
    }
  }
}
