import type { InsightChange, InsightIncident } from '@shared/insights';
import { ContractFailure } from '@shared/kernel/result';
import { EncodedQuery } from '@shared/incidents/encoded-query';
import { formatGlideDateTime, parseGlideDateTime } from '@shared/incidents/glide-time';
import type { HttpClient } from '../../kernel/http/types';
import type { SnowContext } from '../../systems/servicenow/snow-context';
import { valueOf } from '../../systems/servicenow/values';
import type { RawRecord } from '../../systems/servicenow/values';

// What the insights report reads from ServiceNow. Every value is the stored one (`sysparm_display_value=false`):
// date-times are UTC whatever the API user's time zone, and query literals are UTC too (research §3.3, §4.5).
// Incidents: one keyset-paged Table read of everything that was open at some moment of the period or opened
// in the change window after it; time to assign from the OOB "Assigned to Duration" metric (metric_instance);
// changes closed in the period. Counts also come from the Aggregate API where it answers (see aggregate.ts).

export interface SnowScope {
  from: number;
  to: number;
  /** How far past `to` incidents are read (the change-failure window). */
  afterMs: number;
  /** assignment_group sys_id and business_service sys_id, when the report is filtered. */
  group?: string | undefined;
  service?: string | undefined;
  maxRows?: number;
  pageSize?: number;
}

export interface SnowRead {
  incidents: InsightIncident[];
  changes: InsightChange[];
  sources: string[];
  warnings: string[];
}

const INCIDENT_FIELDS = [
  'sys_id',
  'number',
  'short_description',
  'priority',
  'state',
  'assignment_group',
  'assignment_group.name',
  'business_service',
  'business_service.name',
  'cmdb_ci',
  'cmdb_ci.name',
  'u_alert_name',
  'opened_at',
  'resolved_at',
  'closed_at',
  'sys_updated_on',
];
const CHANGE_FIELDS = [
  'sys_id',
  'number',
  'short_description',
  'state',
  'assignment_group',
  'business_service',
  'cmdb_ci',
  'cmdb_ci.name',
  'closed_at',
  'work_end',
];
export const ASSIGNED_METRIC = 'Assigned to Duration';

export const glide = (ms: number): string => formatGlideDateTime(ms);
const time = (v: RawRecord[string]): number | null => parseGlideDateTime(valueOf(v));

/** Incidents that matter for [from, to): open at some moment of it (so the backlog is right) or opened up to `afterMs` later. */
export function incidentWindowQuery(scope: SnowScope): string {
  const end = glide(scope.to + scope.afterMs);
  // Anything that ended, or changed at all, during or after the period has sys_updated_on ≥ from; anything
  // still open is active. Old, untouched, closed incidents are the only ones left out.
  return EncodedQuery.where('opened_at', '<', end)
    .and('sys_updated_on', '>=', glide(scope.from))
    .newQuery()
    .and('opened_at', '<', end)
    .and('active', '=', 'true')
    .toString();
}

export function incidentOf(r: RawRecord): InsightIncident | null {
  const openedAt = time(r.opened_at);
  const number = valueOf(r.number);
  if (openedAt === null || number === '') return null;
  const resolvedAt = time(r.resolved_at);
  const state = valueOf(r.state);
  const endedAt = resolvedAt ?? time(r.closed_at) ?? (state === '7' || state === '8' ? time(r.sys_updated_on) : null);
  return {
    sysId: valueOf(r.sys_id),
    number,
    shortDescription: valueOf(r.short_description),
    priority: valueOf(r.priority),
    group: valueOf(r.assignment_group),
    groupName: valueOf(r['assignment_group.name']),
    service: valueOf(r.business_service),
    serviceName: valueOf(r['business_service.name']),
    ci: valueOf(r.cmdb_ci),
    ciName: valueOf(r['cmdb_ci.name']),
    alertName: valueOf(r.u_alert_name),
    openedAt,
    resolvedAt,
    endedAt,
    assignedAt: null,
  };
}

export async function readSnowInsights(ctx: SnowContext, scope: SnowScope): Promise<SnowRead> {
  const sources: string[] = [];
  const warnings: string[] = [];
  const maxRows = scope.maxRows ?? 500_000;
  const pageSize = scope.pageSize ?? 2000;
  const before = ctx.api.requests;

  const inc = await ctx.api.listAll({ table: 'incident', query: incidentWindowQuery(scope), fields: INCIDENT_FIELDS, pageSize, maxRows });
  if (inc.truncated) warnings.push(`Only the first ${maxRows} incidents were read; the figures cover those.`);
  const incidents = inc.rows.map(incidentOf).filter((i): i is InsightIncident => i !== null);
  sources.push(
    `ServiceNow ${ctx.spec.name}: ${incidents.length} incidents by the Table API (${inc.pages} page${inc.pages === 1 ? '' : 's'})`,
  );

  // First assignment: the earliest "Assigned to Duration" metric instance of each incident opened in the period.
  try {
    const q = EncodedQuery.where('definition.name', '=', ASSIGNED_METRIC)
      .and('table', '=', 'incident')
      .and('start', '>=', glide(scope.from))
      .and('start', '<', glide(scope.to))
      .toString();
    const m = await ctx.api.listAll({ table: 'metric_instance', query: q, fields: ['sys_id', 'id', 'start'], pageSize, maxRows });
    const first = new Map<string, number>();
    for (const row of m.rows) {
      const id = valueOf(row.id);
      const start = time(row.start);
      if (id === '' || start === null) continue;
      const prev = first.get(id);
      if (prev === undefined || start < prev) first.set(id, start);
    }
    for (const i of incidents) i.assignedAt = first.get(i.sysId) ?? null;
    sources.push(`time to assign: ${m.rows.length} "${ASSIGNED_METRIC}" metric instances (metric_instance)`);
  } catch (e) {
    warnings.push(`Time to assign is unknown: the "${ASSIGNED_METRIC}" metric could not be read (${(e as Error).message}).`);
  }

  let cq = EncodedQuery.where('state', '=', '3').and('closed_at', '>=', glide(scope.from)).and('closed_at', '<', glide(scope.to));
  if (scope.group) cq = cq.and('assignment_group', '=', scope.group);
  const ch = await ctx.api.listAll({ table: 'change_request', query: cq.toString(), fields: CHANGE_FIELDS, pageSize, maxRows });
  const changes: InsightChange[] = ch.rows.map((r) => ({
    sysId: valueOf(r.sys_id),
    number: valueOf(r.number),
    shortDescription: valueOf(r.short_description),
    ci: valueOf(r.cmdb_ci),
    ciName: valueOf(r['cmdb_ci.name']),
    service: valueOf(r.business_service),
    group: valueOf(r.assignment_group),
    state: valueOf(r.state),
    closedAt: time(r.closed_at),
    workEnd: time(r.work_end),
  }));
  sources.push(`${changes.length} closed change requests; ${ctx.api.requests - before} Table API requests in all`);
  return { incidents, changes, sources, warnings };
}

/** An assignment group by name or sys_id; a clear error listing what exists when there is none. */
export async function resolveGroup(ctx: SnowContext, text: string): Promise<{ value: string; label: string }> {
  const groups = await ctx.groups();
  const hit =
    groups.find((g) => g.value === text) ??
    groups.find((g) => g.label === text) ??
    groups.find((g) => g.label.toLowerCase() === text.toLowerCase());
  if (hit) return hit;
  throw new ContractFailure(
    'bad_request',
    `ServiceNow has no active assignment group "${text}". Groups: ${groups
      .map((g) => g.label)
      .slice(0, 30)
      .join(', ')}.`,
  );
}

/** A business service (cmdb_ci_service) by name or sys_id, or null when ServiceNow has none by that name. */
export async function resolveService(ctx: SnowContext, text: string): Promise<{ value: string; label: string } | null> {
  const q = EncodedQuery.where('name', '=', text).or('sys_id', '=', text).toString();
  const r = await ctx.api.list({ table: 'cmdb_ci_service', query: q, fields: ['sys_id', 'name'], limit: 2 });
  const row = r.rows[0];
  return row ? { value: valueOf(row.sys_id), label: valueOf(row.name) } : null;
}

export type HttpFactory = () => Promise<HttpClient>;
