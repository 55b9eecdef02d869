import type { ConnectionSpec } from '@shared/connections/model';
import type {
  ChangeRow,
  IncidentAlert,
  IncidentChoices,
  IncidentDetail,
  IncidentRow,
  JournalEntry,
  Labeled,
  QueueSnapshot,
  QueueUpdate,
} from '@shared/incidents/model';
import { ContractFailure } from '@shared/kernel/result';
import { EncodedQuery, EncodedQueryError, andRaw } from '@shared/incidents/encoded-query';
import type { HttpClient } from '../../kernel/http/types';
import type { AuditLog } from '../../kernel/audit/audit-log';
import { asFailure } from '../../systems/servicenow/errors';
import {
  CHANGE_FIELDS,
  DETAIL_FIELDS,
  QUEUE_FIELDS,
  mapChange,
  mapDetail,
  mapJournal,
  mapQueueRow,
} from '../../systems/servicenow/mapping';
import { IncidentSync } from './incident-sync';
import type { IncidentSyncOptions } from './incident-sync';
import { SnowContext } from '../../systems/servicenow/snow-context';
import type { SnowContextOptions } from '../../systems/servicenow/snow-context';
import { valueOf } from '../../systems/servicenow/values';

// Everything the incident feature does, per ServiceNow connection: the synced queue, one-off queries, detail
// with journal, choices, groups, changes in flight. Writes live in incident-actions.ts.

/** What the service needs of the core (a subset of CoreServices, so tests can give exactly this). */
export interface IncidentDeps {
  connections: {
    get(id: string): ConnectionSpec;
    byKind(kind: ConnectionSpec['kind']): ConnectionSpec[];
    client(id: string): Promise<HttpClient>;
    recordHealth(spec: ConnectionSpec, ok: boolean, message?: string): void;
  };
  audit: Pick<AuditLog, 'append'>;
  /** The engineer the writes name (work-note signature, "assign to me"). */
  operator: () => string;
}

export interface IncidentServiceOptions {
  sync?: IncidentSyncOptions;
  context?: SnowContextOptions;
}

const CHANGES_IN_FLIGHT = 'active=true^stateIN-3,-2,-1,0';

export class IncidentService {
  private contexts = new Map<string, { key: string; ctx: SnowContext }>();
  private syncs = new Map<string, IncidentSync>();

  constructor(
    readonly deps: IncidentDeps,
    private readonly opts: IncidentServiceOptions = {},
  ) {}

  /** The connection to use: the one named, or the first ServiceNow connection. */
  connectionId(requested: string | undefined): string {
    if (requested) {
      const spec = this.deps.connections.get(requested);
      if (spec.kind !== 'servicenow')
        throw new ContractFailure('bad_request', `The connection "${requested}" is a ${spec.kind} connection, not ServiceNow.`);
      return spec.id;
    }
    const first = this.deps.connections.byKind('servicenow')[0];
    if (!first)
      throw new ContractFailure(
        'not_configured',
        'No ServiceNow connection is configured. Add one in Settings → Connections or in the workspace file.',
      );
    return first.id;
  }

  /** Per-connection caches, rebuilt when the connection's spec changes. */
  context(requested?: string): SnowContext {
    const id = this.connectionId(requested);
    const spec = this.deps.connections.get(id);
    const key = JSON.stringify(spec);
    const cached = this.contexts.get(id);
    if (cached && cached.key === key) return cached.ctx;
    const ctx = new SnowContext(spec, () => this.deps.connections.client(id), { operator: this.deps.operator, ...this.opts.context });
    this.contexts.set(id, { key, ctx });
    return ctx;
  }

  /** The queue of a connection: one per connection for the life of the core (it starts over when the connection is edited). */
  sync(requested?: string): IncidentSync {
    const ctx = this.context(requested);
    const id = ctx.spec.id;
    let sync = this.syncs.get(id);
    if (!sync) {
      sync = new IncidentSync(
        ctx,
        { recordHealth: (s, ok, m) => this.deps.connections.recordHealth(s, ok, m), context: () => this.context(id) },
        this.opts.sync,
      );
      this.syncs.set(id, sync);
    }
    return sync;
  }

  /** The sync of a connection if one exists, without creating it (actions update it when there is one). */
  existingSync(connectionId: string): IncidentSync | undefined {
    return this.syncs.get(connectionId);
  }

  async list(connectionId?: string): Promise<QueueSnapshot> {
    const sync = this.sync(connectionId);
    await sync.ensureFresh();
    return sync.snapshot();
  }

  async refresh(connectionId?: string): Promise<QueueSnapshot> {
    const sync = this.sync(connectionId);
    await sync.refresh();
    await sync.ensureFresh();
    return sync.snapshot();
  }

  subscribeQueue(connectionId: string | undefined, emit: (u: QueueUpdate) => void): () => void {
    return this.sync(connectionId).subscribe(emit);
  }

  /** New/escalated P1/P2 on every ServiceNow connection configured now. */
  subscribeAlerts(emit: (a: IncidentAlert) => void): () => void {
    const stops = this.deps.connections.byKind('servicenow').map((c) => this.sync(c.id).onAlert(emit));
    return () => stops.forEach((s) => s());
  }

  async query(connectionId: string | undefined, query: string, limit = 10_000): Promise<{ rows: IncidentRow[]; truncated: boolean }> {
    const ctx = this.context(connectionId);
    try {
      const [labels, result] = await Promise.all([
        ctx.labels(),
        ctx.api.listAll({ table: 'incident', query, fields: QUEUE_FIELDS, pageSize: Math.min(1000, limit), maxRows: limit }),
      ]);
      return { rows: result.rows.map((r) => mapQueueRow(r, labels)), truncated: result.truncated };
    } catch (e) {
      if (e instanceof EncodedQueryError) throw new ContractFailure('bad_request', e.message);
      throw asFailure(e, { spec: ctx.spec });
    }
  }

  async get(connectionId: string | undefined, sysId: string): Promise<IncidentDetail> {
    const ctx = this.context(connectionId);
    const record = this.existingSync(ctx.spec.id)?.row(sysId)?.number ?? `incident ${sysId}`;
    try {
      const [rec, labels, journal] = await Promise.all([
        ctx.api.read('incident', sysId, DETAIL_FIELDS, 'all'),
        ctx.labels(),
        this.journal(ctx, sysId).then(
          (entries) => ({ entries, error: null }),
          (e: unknown) => ({ entries: [] as JournalEntry[], error: asFailure(e, { spec: ctx.spec }).message }),
        ),
      ]);
      const detail = mapDetail(rec, labels, { journal: journal.entries, journalError: journal.error, instanceUrl: ctx.spec.url });
      this.existingSync(ctx.spec.id)?.ingest(pickRow(detail));
      return detail;
    } catch (e) {
      throw asFailure(e, { spec: ctx.spec, record });
    }
  }

  /** Work notes and comments, newest first, from sys_journal_field; authors named from sys_user. */
  private async journal(ctx: SnowContext, sysId: string): Promise<JournalEntry[]> {
    const q = EncodedQuery.where('element_id', '=', sysId)
      .and('element', 'IN', ['work_notes', 'comments'])
      .orderBy('sys_created_on', true)
      .orderBy('sys_id');
    const { rows } = await ctx.api.listAll({
      table: 'sys_journal_field',
      query: q.toString(),
      fields: ['sys_id', 'element', 'value', 'sys_created_on', 'sys_created_by'],
      pageSize: 500,
      maxRows: 2000,
    });
    const userNames = [...new Set(rows.map((r) => valueOf(r.sys_created_by)).filter((u) => u !== '' && !u.includes(',')))];
    const authors = new Map<string, string>();
    if (userNames.length > 0) {
      try {
        for (let i = 0; i < userNames.length; i += 50) {
          const page = await ctx.api.list({
            table: 'sys_user',
            query: EncodedQuery.where('user_name', 'IN', userNames.slice(i, i + 50)).toString(),
            fields: ['user_name', 'name'],
            limit: 100,
          });
          for (const u of page.rows) authors.set(valueOf(u.user_name), valueOf(u.name) || valueOf(u.user_name));
        }
      } catch {
        // Author names are a nicety: without sys_user access the entries show user names.
      }
    }
    return rows.map((r) => mapJournal(r, authors)).filter((e): e is JournalEntry => e !== undefined);
  }

  async choices(connectionId?: string): Promise<IncidentChoices> {
    const ctx = this.context(connectionId);
    try {
      return await ctx.choiceLists();
    } catch (e) {
      throw asFailure(e, { spec: ctx.spec });
    }
  }

  async groups(connectionId?: string): Promise<Labeled[]> {
    const ctx = this.context(connectionId);
    try {
      return await ctx.groups();
    } catch (e) {
      throw asFailure(e, { spec: ctx.spec });
    }
  }

  async changesInFlight(connectionId?: string): Promise<{ connectionId: string; fetchedAt: string; changes: ChangeRow[] }> {
    const ctx = this.context(connectionId);
    try {
      const [labels, page] = await Promise.all([
        ctx.labels(),
        ctx.api.list({
          table: 'change_request',
          query: andRaw(CHANGES_IN_FLIGHT, [], [{ field: 'start_date' }, { field: 'sys_id' }]),
          fields: CHANGE_FIELDS,
          displayValue: 'all',
          limit: 500,
        }),
      ]);
      return {
        connectionId: ctx.spec.id,
        fetchedAt: new Date().toISOString(),
        changes: page.rows.map((r) => mapChange(r, labels, ctx.spec.url)),
      };
    } catch (e) {
      throw asFailure(e, { spec: ctx.spec });
    }
  }

  stopAll(): void {
    for (const sync of this.syncs.values()) sync.stop();
  }
}

/** The queue row inside a detail. */
export function pickRow(d: IncidentDetail): IncidentRow {
  return {
    sys_id: d.sys_id,
    number: d.number,
    short_description: d.short_description,
    priority: d.priority,
    state: d.state,
    hold_reason: d.hold_reason,
    assignment_group: d.assignment_group,
    assigned_to: d.assigned_to,
    cmdb_ci: d.cmdb_ci,
    opened_at: d.opened_at,
    sys_updated_on: d.sys_updated_on,
    sla_due: d.sla_due,
    sys_mod_count: d.sys_mod_count,
    u_alert_name: d.u_alert_name,
    u_alert_instance: d.u_alert_instance,
    ...(d.parent_incident !== undefined ? { parent_incident: d.parent_incident } : {}),
  };
}
