import { choiceLabel } from './choices';
import { snErrors } from './errors';
import { readPath, resolveFieldPath } from './field-path';
import type { FieldPath } from './field-path';
import { errorResponse, jsonResponse } from './http-response';
import type { SimResponse } from './http-response';
import { parseDisplayMode } from './render';
import type { ApiContext } from './table-api';
import { selectRows } from './table-query';
import type { Row } from './table-store';

// /api/now[/v1|/v2]/stats/{table}: the Aggregate API as dashboards use it. Counts and aggregates are
// strings (averages with 4 decimals); without sysparm_group_by the result is an object, with it an array.

type Aggregate = 'avg' | 'min' | 'max' | 'sum';

interface StatsJson {
  count?: string;
  avg?: Record<string, string>;
  min?: Record<string, string>;
  max?: Record<string, string>;
  sum?: Record<string, string>;
}

interface GroupByJson {
  field: string;
  value: string;
  display_value?: string;
}

const csv = (raw: string | null): string[] =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function numeric(values: string[]): number[] {
  return values.filter((v) => v.trim() !== '' && Number.isFinite(Number(v))).map(Number);
}

function aggregate(kind: Aggregate, values: string[]): string {
  const nums = numeric(values);
  if (kind === 'avg') return nums.length === 0 ? '' : (nums.reduce((a, b) => a + b, 0) / nums.length).toFixed(4);
  if (kind === 'sum') return String(nums.reduce((a, b) => a + b, 0));
  const present = values.filter((v) => v !== '');
  if (present.length === 0) return '';
  if (nums.length === present.length) return String(kind === 'min' ? Math.min(...nums) : Math.max(...nums));
  const sorted = [...present].sort();
  return (kind === 'min' ? sorted[0] : sorted[sorted.length - 1]) ?? '';
}

export function handleStats(ctx: ApiContext, method: string, tableName: string): SimResponse {
  const table = ctx.db.maybeTable(tableName);
  if (!table) return errorResponse(snErrors.invalidTable(tableName));
  if (method !== 'GET') return errorResponse(snErrors.methodNotAllowed());
  if (ctx.acl?.deniedTables?.includes(tableName) || ctx.acl?.denyAggregateApi) return errorResponse(snErrors.apiAcl());
  const params = ctx.requestUrl.searchParams;
  const rows = selectRows(
    {
      db: ctx.db,
      table,
      script: { now: ctx.now, timeZone: ctx.locale.timeZone, userSysId: ctx.user.sysId },
      invalidQueryReturnsNoRows: ctx.invalidQueryReturnsNoRows,
      userGroups: ctx.userGroups,
    },
    params,
    ctx.cache,
  );

  const wantCount = (params.get('sysparm_count') ?? '').toLowerCase() === 'true';
  const fieldsFor = (name: string): FieldPath[] =>
    csv(params.get(name))
      .map((f) => resolveFieldPath(ctx.db, tableName, f))
      .filter((fp): fp is FieldPath => fp !== undefined);
  const aggregates: [Aggregate, FieldPath[]][] = [
    ['avg', fieldsFor('sysparm_avg_fields')],
    ['min', fieldsFor('sysparm_min_fields')],
    ['max', fieldsFor('sysparm_max_fields')],
    ['sum', fieldsFor('sysparm_sum_fields')],
  ];

  const statsOf = (group: readonly Row[]): StatsJson => {
    const stats: StatsJson = {};
    for (const [kind, fps] of aggregates) {
      if (fps.length === 0) continue;
      const out: Record<string, string> = {};
      for (const fp of fps)
        out[fp.key] = aggregate(
          kind,
          group.map((r) => readPath(ctx.db, fp, r)),
        );
      stats[kind] = out;
    }
    if (wantCount) stats.count = String(group.length);
    return stats;
  };

  const groupBy = fieldsFor('sysparm_group_by');
  if (groupBy.length === 0) return jsonResponse(200, { result: { stats: statsOf(rows) } });

  const mode = parseDisplayMode(params.get('sysparm_display_value'));
  const groups = new Map<string, { values: string[]; rows: Row[] }>();
  for (const row of rows) {
    const values = groupBy.map((fp) => readPath(ctx.db, fp, row));
    const key = JSON.stringify(values);
    const g = groups.get(key);
    if (g) g.rows.push(row);
    else groups.set(key, { values, rows: [row] });
  }

  const displayOf = (fp: FieldPath, value: string): string => {
    if (value === '') return '';
    if (fp.field.type === 'reference') return ctx.db.displayValueOf(fp.field.reference ?? '', value) ?? '';
    if (fp.field.type === 'choice') return choiceLabel(fp.table.name, fp.field.name, value) ?? value;
    return value;
  };

  let result = [...groups.values()].map((g) => ({
    stats: statsOf(g.rows),
    groupby_fields: groupBy.map((fp, i): GroupByJson => {
      const value = g.values[i] ?? '';
      return mode === 'false' ? { field: fp.key, value } : { field: fp.key, value, display_value: displayOf(fp, value) };
    }),
    sortKey: g.values,
    count: g.rows.length,
  }));

  // sysparm_having=count^priority^>^3 (aggregate^field^operator^value, comma separated).
  for (const clause of csv(params.get('sysparm_having'))) {
    const [agg = '', field = '', op = '', raw = ''] = clause.split('^');
    const limit = Number(raw);
    if (!Number.isFinite(limit)) continue;
    const test: Record<string, (n: number) => boolean> = {
      '>': (n) => n > limit,
      '<': (n) => n < limit,
      '>=': (n) => n >= limit,
      '<=': (n) => n <= limit,
      '=': (n) => n === limit,
      '!=': (n) => n !== limit,
    };
    const check = test[op];
    if (!check) continue;
    result = result.filter((g) => {
      const kind = agg.toLowerCase();
      const v = kind === 'count' ? g.count : Number((g.stats[kind as Aggregate] ?? {})[field] ?? Number.NaN);
      return check(v);
    });
  }

  // sysparm_order_by: a group-by field, COUNT, or AGG^field; "^DESC" reverses. Default: by group values.
  const orderSpec = (params.get('sysparm_order_by') ?? '').split('^').filter((p) => p !== '');
  const desc = orderSpec[orderSpec.length - 1]?.toUpperCase() === 'DESC';
  const head = (orderSpec[0] ?? '').toUpperCase();
  const compareValues = (a: string, b: string): number => {
    const x = Number(a);
    const y = Number(b);
    if (a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  result.sort((a, b) => {
    let c = 0;
    if (head === 'COUNT') c = a.count - b.count;
    else if (['AVG', 'MIN', 'MAX', 'SUM'].includes(head)) {
      const kind = head.toLowerCase() as Aggregate;
      const field = orderSpec[1] ?? '';
      c = compareValues(a.stats[kind]?.[field] ?? '', b.stats[kind]?.[field] ?? '');
    } else {
      const idx = Math.max(
        0,
        groupBy.findIndex((fp) => fp.key === orderSpec[0]),
      );
      c = compareValues(a.sortKey[idx] ?? '', b.sortKey[idx] ?? '');
      if (c === 0) {
        for (let i = 0; i < groupBy.length && c === 0; i++) c = compareValues(a.sortKey[i] ?? '', b.sortKey[i] ?? '');
      }
    }
    return desc ? -c : c;
  });

  return jsonResponse(200, { result: result.map(({ stats, groupby_fields }) => ({ stats, groupby_fields })) });
}
