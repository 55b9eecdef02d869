import { ContractFailure } from '@shared/kernel/result';
import { EncodedQuery } from '@shared/incidents/encoded-query';
import type { HttpClient } from '../../kernel/http/types';
import { glide } from './snow-insights';
import type { SnowScope } from './snow-insights';

// Counts from the ServiceNow Aggregate API (`GET /api/now/stats/incident`, research §7): opened and resolved per
// priority and opened per alert name, each one request however many incidents there are. Counts are strings;
// grouped results are arrays of {stats: {count}, groupby_fields: [{field, value}]}. Instances where the API is
// off or not allowed (403, 404) are normal: the report then counts the Table API records instead.

export interface AggregateCounts {
  openedByPriority: Map<string, number>;
  resolvedByPriority: Map<string, number>;
  openedByAlert: Map<string, number>;
}

export type AggregateAnswer = { ok: true; counts: AggregateCounts } | { ok: false; reason: string };

function scoped(q: EncodedQuery, scope: SnowScope): EncodedQuery {
  let out = q;
  if (scope.group) out = out.and('assignment_group', '=', scope.group);
  if (scope.service) out = out.and('business_service', '=', scope.service);
  return out;
}

async function grouped(http: HttpClient, query: string, field: string): Promise<Map<string, number>> {
  const res = await http.request<unknown>({
    path: '/api/now/stats/incident',
    query: { sysparm_query: query, sysparm_count: 'true', sysparm_group_by: field, sysparm_display_value: 'false' },
    idempotent: true,
  });
  const body = res.body as { result?: unknown } | null;
  const result = body && typeof body === 'object' ? body.result : undefined;
  // No group at all can come back as the ungrouped object shape on some releases: treat it as no rows.
  if (result && !Array.isArray(result) && typeof result === 'object') return new Map();
  if (!Array.isArray(result))
    throw new ContractFailure('bad_response', `ServiceNow's Aggregate API answered ${res.status} without a result list.`);
  const out = new Map<string, number>();
  for (const g of result as { stats?: { count?: unknown }; groupby_fields?: { field?: unknown; value?: unknown }[] }[]) {
    const value = g.groupby_fields?.find((f) => f.field === field)?.value;
    const count = Number(g.stats?.count);
    if (typeof value !== 'string' || !Number.isInteger(count) || count < 0)
      throw new ContractFailure('bad_response', `ServiceNow's Aggregate API answered a group without a field value or a whole count.`);
    out.set(value, (out.get(value) ?? 0) + count);
  }
  return out;
}

export async function readAggregateCounts(http: HttpClient, scope: SnowScope): Promise<AggregateAnswer> {
  const opened = scoped(EncodedQuery.where('opened_at', '>=', glide(scope.from)).and('opened_at', '<', glide(scope.to)), scope).toString();
  const resolved = scoped(
    EncodedQuery.where('resolved_at', '>=', glide(scope.from)).and('resolved_at', '<', glide(scope.to)),
    scope,
  ).toString();
  try {
    const [openedByPriority, resolvedByPriority, openedByAlert] = await Promise.all([
      grouped(http, opened, 'priority'),
      grouped(http, resolved, 'priority'),
      grouped(http, opened, 'u_alert_name'),
    ]);
    return { ok: true, counts: { openedByPriority, resolvedByPriority, openedByAlert } };
  } catch (e) {
    if (e instanceof ContractFailure && ['forbidden', 'not_found', 'validation', 'bad_request', 'bad_response'].includes(e.code)) {
      const remote = e.detail?.remoteMessage;
      return { ok: false, reason: `${e.detail?.status ?? e.code}${remote ? `: ${remote}` : ''}` };
    }
    throw e;
  }
}
