import type { IncomingHttpHeaders } from 'node:http';
import { hiddenFieldsOf } from './acl';
import type { AclPolicy } from './acl';
import type { SessionUser } from './business-rules';
import { parseEncodedQuery } from './encoded-query';
import { snErrors } from './errors';
import { emptyResponse, errorResponse, jsonResponse } from './http-response';
import type { SimResponse } from './http-response';
import { linkHeader } from './paging';
import { deleteRecord, insertRecord, updateRecord } from './record-writer';
import type { WriteContext } from './record-writer';
import { parseDisplayMode, planFields, renderRow } from './render';
import type { RenderContext } from './render';
import { compileFor, selectRows } from './table-query';
import type { QueryRequest, ResultCache } from './table-query';
import type { Database, Row, Table } from './table-store';
import type { UserLocale } from './time-format';

// /api/now[/v1|/v2]/table/{table}[/{sys_id}]: list, read, insert, update (PUT ≡ PATCH), delete.

export interface ApiContext {
  readonly db: Database;
  readonly locale: UserLocale;
  /** Origin the client used, e.g. http://127.0.0.1:43123 — links and Location are built from it. */
  readonly baseUrl: string;
  /** Full URL of this request (origin + path + query). */
  readonly requestUrl: URL;
  readonly headers: IncomingHttpHeaders;
  readonly user: SessionUser;
  readonly now: number;
  readonly newSysId: () => string;
  readonly acl: AclPolicy | undefined;
  readonly invalidQueryReturnsNoRows: boolean;
  readonly cache: ResultCache;
  readonly userGroups: () => readonly string[];
}

const DEFAULT_LIMIT = 10_000;

function queryRequest(ctx: ApiContext, table: Table): QueryRequest {
  return {
    db: ctx.db,
    table,
    script: { now: ctx.now, timeZone: ctx.locale.timeZone, userSysId: ctx.user.sysId },
    invalidQueryReturnsNoRows: ctx.invalidQueryReturnsNoRows,
    userGroups: ctx.userGroups,
  };
}

function hiddenRowPredicate(ctx: ApiContext, table: Table): ((row: Row) => boolean) | undefined {
  const query = ctx.acl?.hiddenRows?.[table.name];
  if (query === undefined || query === '') return undefined;
  // The ACL's own condition is always evaluated strictly: an invalid one hides nothing.
  return compileFor({ ...queryRequest(ctx, table), invalidQueryReturnsNoRows: true }, parseEncodedQuery(query)).predicate;
}

function readOnlyRowPredicate(ctx: ApiContext, table: Table): ((row: Row) => boolean) | undefined {
  const query = ctx.acl?.readOnlyRows?.[table.name];
  if (query === undefined || query === '') return undefined;
  return compileFor({ ...queryRequest(ctx, table), invalidQueryReturnsNoRows: true }, parseEncodedQuery(query)).predicate;
}

function renderContext(ctx: ApiContext): RenderContext {
  const params = ctx.requestUrl.searchParams;
  return {
    db: ctx.db,
    locale: ctx.locale,
    baseUrl: ctx.baseUrl,
    mode: parseDisplayMode(params.get('sysparm_display_value')),
    excludeReferenceLink: isTrue(params, 'sysparm_exclude_reference_link'),
  };
}

function isTrue(params: URLSearchParams, name: string): boolean {
  return (params.get(name) ?? '').toLowerCase() === 'true';
}

function writeContext(ctx: ApiContext): WriteContext {
  return {
    db: ctx.db,
    user: ctx.user,
    now: ctx.now,
    locale: ctx.locale,
    inputDisplayValue: isTrue(ctx.requestUrl.searchParams, 'sysparm_input_display_value'),
    newSysId: ctx.newSysId,
  };
}

function renderOne(ctx: ApiContext, table: Table, row: Row): ReturnType<typeof renderRow> {
  const plan = planFields(ctx.db, table.name, ctx.requestUrl.searchParams.get('sysparm_fields'), hiddenFieldsOf(ctx.acl, table.name));
  return renderRow(renderContext(ctx), plan, row);
}

function list(ctx: ApiContext, table: Table): SimResponse {
  const params = ctx.requestUrl.searchParams;
  let limit = DEFAULT_LIMIT;
  const rawLimit = params.get('sysparm_limit');
  if (rawLimit !== null && rawLimit.trim() !== '') {
    const n = Number(rawLimit);
    if (!Number.isInteger(n) || n <= 0) return errorResponse(snErrors.invalidLimit());
    limit = n;
  }
  const rawOffset = Number(params.get('sysparm_offset') ?? '0');
  const offset = Number.isInteger(rawOffset) && rawOffset > 0 ? rawOffset : 0;

  const rows = selectRows(queryRequest(ctx, table), params, ctx.cache);
  const total = rows.length;
  let page = rows.slice(offset, offset + limit);
  // Row ACLs run after the limit: the page can be short (even empty) while more rows follow.
  const hidden = hiddenRowPredicate(ctx, table);
  if (hidden) page = page.filter((r) => !hidden(r));

  const plan = planFields(ctx.db, table.name, params.get('sysparm_fields'), hiddenFieldsOf(ctx.acl, table.name));
  const rctx = renderContext(ctx);
  const result = page.map((row) => renderRow(rctx, plan, row));

  const headers: Record<string, string> = {};
  const counted = !isTrue(params, 'sysparm_no_count');
  if (counted) headers['X-Total-Count'] = String(total);
  if (!isTrue(params, 'sysparm_suppress_pagination_header')) headers.Link = linkHeader(ctx.requestUrl, offset, limit, total, counted);
  return jsonResponse(200, { result }, headers);
}

function noBody(ctx: ApiContext): boolean {
  return String(ctx.headers['x-no-response-body'] ?? '').toLowerCase() === 'true';
}

export function handleTable(ctx: ApiContext, method: string, tableName: string, sysId: string | undefined, body: unknown): SimResponse {
  const table = ctx.db.maybeTable(tableName);
  if (!table) return errorResponse(snErrors.invalidTable(tableName));
  if (ctx.acl?.deniedTables?.includes(tableName)) return errorResponse(snErrors.apiAcl());
  const readOnly = ctx.acl?.readOnlyTables?.includes(tableName) === true;

  if (sysId === undefined) {
    if (method === 'GET') return list(ctx, table);
    if (method !== 'POST') return errorResponse(snErrors.methodNotAllowed());
    if (readOnly) return errorResponse(snErrors.aclWrite('Insert'));
    const res = insertRecord(writeContext(ctx), tableName, body);
    if (!res.ok) return errorResponse(res.error);
    const sysIdOut = res.row.sys_id ?? '';
    const headers = { Location: `${ctx.baseUrl}/api/now/table/${tableName}/${sysIdOut}` };
    if (noBody(ctx)) return emptyResponse(201, headers);
    return jsonResponse(201, { result: renderOne(ctx, table, res.row) }, headers);
  }

  const existing = table.get(sysId);
  const hidden = hiddenRowPredicate(ctx, table);
  if (!existing || hidden?.(existing) === true) return errorResponse(snErrors.notFound());
  const rowReadOnly = readOnlyRowPredicate(ctx, table)?.(existing) === true;

  switch (method) {
    case 'GET':
      return jsonResponse(200, { result: renderOne(ctx, table, existing) });
    case 'PUT':
    case 'PATCH': {
      if (readOnly || rowReadOnly) return errorResponse(snErrors.aclWrite('Update'));
      const res = updateRecord(writeContext(ctx), tableName, sysId, body);
      if (!res.ok) return errorResponse(res.error);
      if (noBody(ctx)) return emptyResponse(204);
      return jsonResponse(200, { result: renderOne(ctx, table, res.row) });
    }
    case 'DELETE':
      if (readOnly || rowReadOnly) return errorResponse(snErrors.aclWrite('Delete'));
      deleteRecord(ctx.db, tableName, sysId);
      return emptyResponse(204);
    default:
      return errorResponse(snErrors.methodNotAllowed());
  }
}
