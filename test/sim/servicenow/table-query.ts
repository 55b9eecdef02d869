import { choiceValueFromInput } from './choices';
import { parseEncodedQuery } from './encoded-query';
import type { Condition, ParsedQuery } from './encoded-query';
import { resolveFieldPath } from './field-path';
import { compileQuery, sortRows } from './query-engine';
import type { CompiledQuery, QueryEnv } from './query-engine';
import type { ScriptContext } from './relative-dates';
import type { Database, Row, Table } from './table-store';

// Turns a list request's parameters (sysparm_query plus name-value filters) into the matching rows in
// result order, with a small cache so benchmarks paging through 10,000 rows do not re-sort every page.

export interface QueryRequest {
  readonly db: Database;
  readonly table: Table;
  readonly script: ScriptContext;
  readonly invalidQueryReturnsNoRows: boolean;
  readonly userGroups: () => readonly string[];
}

const SYS_ID_RE = /^[0-9a-f]{32}$/;

/**
 * `<field>=<value>` URL parameters. Unlike sysparm_query they accept display values for choice and
 * reference fields (`state=Closed`, `assignment_group=Network`).
 */
export function nameValueConditions(db: Database, tableName: string, params: URLSearchParams): Condition[] {
  const out: Condition[] = [];
  for (const [key, raw] of params) {
    if (key.startsWith('sysparm_')) continue;
    const fp = resolveFieldPath(db, tableName, key);
    if (!fp) continue;
    let value = raw;
    if (fp.field.type === 'choice') value = choiceValueFromInput(fp.table.name, fp.field.name, raw) ?? raw;
    if (fp.field.type === 'reference' && fp.field.reference !== undefined && raw !== '' && !SYS_ID_RE.test(raw)) {
      const target = db.maybeTable(fp.field.reference);
      const lower = raw.toLowerCase();
      const match = target?.all().find((r) => (r[target.def.displayField] ?? '').toLowerCase() === lower);
      if (match?.sys_id !== undefined) value = match.sys_id;
    }
    out.push({ field: key, op: value === '' ? 'ISEMPTY' : '=', value, term: `${key}=${raw}` });
  }
  return out;
}

export function buildParsedQuery(db: Database, tableName: string, params: URLSearchParams): ParsedQuery {
  const parsed = parseEncodedQuery(params.get('sysparm_query') ?? '');
  const extra = nameValueConditions(db, tableName, params);
  if (extra.length === 0) return parsed;
  // AND distributes over ^NQ groups: (A ∨ B) ∧ N = (A ∧ N) ∨ (B ∧ N).
  return { orderBy: parsed.orderBy, groups: parsed.groups.map((g) => [...g, ...extra.map((c) => [c])]) };
}

export function compileFor(req: QueryRequest, parsed: ParsedQuery): CompiledQuery {
  const env: QueryEnv = {
    db: req.db,
    table: req.table,
    script: req.script,
    invalidQueryReturnsNoRows: req.invalidQueryReturnsNoRows,
    userGroups: req.userGroups,
  };
  return compileQuery(parsed, env);
}

export class ResultCache {
  private readonly entries = new Map<string, readonly Row[]>();

  constructor(private readonly capacity = 16) {}

  get(key: string): readonly Row[] | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, rows: readonly Row[]): void {
    this.entries.set(key, rows);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** Matching rows in result order (ORDERBY keys, then the table's physical order). */
export function selectRows(req: QueryRequest, params: URLSearchParams, cache: ResultCache | undefined): readonly Row[] {
  const parsed = buildParsedQuery(req.db, req.table.name, params);
  const compiled = compileFor(req, parsed);
  let versions = '';
  for (const t of req.db.tables.values()) versions += `${t.version}.`;
  const key = `${req.table.name}\u0000${JSON.stringify(parsed)}\u0000${versions}`;
  if (compiled.cacheable && cache) {
    const hit = cache.get(key);
    if (hit) return hit;
  }
  const matched = req.table.all().filter(compiled.predicate);
  const rows = sortRows(matched, compiled, req.db);
  if (compiled.cacheable && cache) cache.set(key, rows);
  return rows;
}
