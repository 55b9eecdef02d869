// AWX list semantics: field lookups (`name__icontains`, `status__in`, `not__`, `or__`), `search`, `order_by`,
// and DRF page-number pagination with AWX's relative next/previous links.
import { ApiError, badRequest } from './http-kit';
import type { SimLimits } from './state';

export type FieldValue = string | number | boolean | null;
export type FieldKind = 'int' | 'float' | 'bool' | 'str' | 'datetime';

export interface FieldSpec<T> {
  kind: FieldKind;
  get: (row: T) => FieldValue;
}

export interface ListModel<T> {
  /** Django model name, used in error messages. */
  name: string;
  fields: Record<string, FieldSpec<T>>;
  searchFields: string[];
  defaultOrder: string[];
}

export const field = {
  int: <T>(get: (row: T) => number | null): FieldSpec<T> => ({ kind: 'int', get }),
  float: <T>(get: (row: T) => number | null): FieldSpec<T> => ({ kind: 'float', get }),
  bool: <T>(get: (row: T) => boolean | null): FieldSpec<T> => ({ kind: 'bool', get }),
  str: <T>(get: (row: T) => string | null): FieldSpec<T> => ({ kind: 'str', get }),
  datetime: <T>(get: (row: T) => string | null): FieldSpec<T> => ({ kind: 'datetime', get }),
};

const LOOKUPS = new Set([
  'exact',
  'iexact',
  'contains',
  'icontains',
  'startswith',
  'istartswith',
  'endswith',
  'iendswith',
  'regex',
  'iregex',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'isnull',
  'search',
]);

/** Query parameters that are never field filters. */
const RESERVED = new Set([
  'page',
  'page_size',
  'format',
  'order',
  'order_by',
  'search',
  'type',
  'host_filter',
  'count_disabled',
  'no_truncate',
  'limit',
  'validate',
  'content_encoding',
  'start_line',
  'end_line',
  'dark',
]);

const NULL_WORDS = new Set(['None', 'null', 'NULL', 'Null']);

type Predicate<T> = (row: T) => boolean;

function toBoolean(raw: string): boolean {
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  throw badRequest({ detail: `Unable to convert "${raw}" to boolean` });
}

function coerce(kind: FieldKind, name: string, raw: string): FieldValue {
  if (NULL_WORDS.has(raw)) return null;
  switch (kind) {
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) throw badRequest({ detail: `Field '${name}' expected a number but got '${raw}'.` });
      return Number(raw);
    }
    case 'float': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) {
        throw badRequest({ detail: `Field '${name}' expected a number but got '${raw}'.` });
      }
      return n;
    }
    case 'bool':
      return toBoolean(raw);
    default:
      return raw;
  }
}

function comparable(kind: FieldKind, value: FieldValue): number | string | boolean | null {
  if (value === null) return null;
  if (kind === 'datetime' && typeof value === 'string') {
    const parsed = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
    return Number.isNaN(parsed) ? value : parsed;
  }
  return value;
}

function compileRegex(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    throw badRequest({ detail: error instanceof Error ? error.message : String(error) });
  }
}

function buildLookup<T>(model: ListModel<T>, path: string, lookup: string, raw: string): Predicate<T> {
  const spec = model.fields[path];
  if (!spec) {
    const first = path.split('__')[0] ?? path;
    throw badRequest({ detail: `${model.name} has no field named '${first}'` });
  }
  const read = (row: T): FieldValue => spec.get(row);
  const text = (row: T): string => {
    const v = read(row);
    return v === null ? '' : String(v);
  };
  switch (lookup) {
    case 'exact': {
      const want = coerce(spec.kind, path, raw);
      if (want === null) return (row) => read(row) === null;
      const target = comparable(spec.kind, want);
      return (row) => comparable(spec.kind, read(row)) === target;
    }
    case 'iexact':
      return (row) => text(row).toLowerCase() === raw.toLowerCase();
    case 'contains':
      return (row) => text(row).includes(raw);
    case 'icontains':
    case 'search':
      return (row) => text(row).toLowerCase().includes(raw.toLowerCase());
    case 'startswith':
      return (row) => text(row).startsWith(raw);
    case 'istartswith':
      return (row) => text(row).toLowerCase().startsWith(raw.toLowerCase());
    case 'endswith':
      return (row) => text(row).endsWith(raw);
    case 'iendswith':
      return (row) => text(row).toLowerCase().endsWith(raw.toLowerCase());
    case 'regex': {
      const re = compileRegex(raw, '');
      return (row) => read(row) !== null && re.test(text(row));
    }
    case 'iregex': {
      const re = compileRegex(raw, 'i');
      return (row) => read(row) !== null && re.test(text(row));
    }
    case 'in': {
      const wanted = raw.split(',').map((item) => comparable(spec.kind, coerce(spec.kind, path, item)));
      return (row) => wanted.includes(comparable(spec.kind, read(row)));
    }
    case 'isnull': {
      const wantNull = toBoolean(raw);
      return (row) => (read(row) === null) === wantNull;
    }
    default: {
      const bound = comparable(spec.kind, coerce(spec.kind, path, raw));
      return (row) => {
        const v = comparable(spec.kind, read(row));
        if (v === null || bound === null) return false;
        if (lookup === 'gt') return v > bound;
        if (lookup === 'gte') return v >= bound;
        if (lookup === 'lt') return v < bound;
        return v <= bound;
      };
    }
  }
}

function searchPredicate<T>(model: ListModel<T>, terms: string[]): Predicate<T> {
  // Each `search` parameter is one alternative; commas inside one parameter must all match.
  const alternatives = terms.map((term) => term.split(',').filter((t) => t !== ''));
  return (row) =>
    alternatives.some((words) =>
      words.every((word) =>
        model.searchFields.some((name) => {
          const value = model.fields[name]?.get(row);
          return value !== null && value !== undefined && String(value).toLowerCase().includes(word.toLowerCase());
        }),
      ),
    );
}

export function filterRows<T>(rows: T[], model: ListModel<T>, query: URLSearchParams): T[] {
  const and: Predicate<T>[] = [];
  const or: Predicate<T>[] = [];
  for (const [key, raw] of query) {
    if (RESERVED.has(key)) continue;
    let rest = key;
    let negate = false;
    let alternative = false;
    if (rest.startsWith('chain__')) rest = rest.slice('chain__'.length);
    if (rest.startsWith('or__')) {
      alternative = true;
      rest = rest.slice('or__'.length);
    }
    if (rest.startsWith('not__')) {
      negate = true;
      rest = rest.slice('not__'.length);
    }
    const parts = rest.split('__');
    let lookup = 'exact';
    const last = parts[parts.length - 1];
    if (parts.length > 1 && last !== undefined && LOOKUPS.has(last)) {
      lookup = last;
      parts.pop();
    }
    const base = buildLookup(model, parts.join('__'), lookup, raw);
    const predicate: Predicate<T> = negate ? (row) => !base(row) : base;
    (alternative ? or : and).push(predicate);
  }
  const searches = query.getAll('search').filter((s) => s !== '');
  if (searches.length > 0) and.push(searchPredicate(model, searches));
  return rows.filter((row) => and.every((p) => p(row)) && (or.length === 0 || or.some((p) => p(row))));
}

export function orderRows<T>(rows: T[], model: ListModel<T>, query: URLSearchParams): T[] {
  const raw = query.get('order_by') ?? query.get('order');
  const keys = raw ? raw.split(',').filter((k) => k !== '') : model.defaultOrder;
  const comparators = keys.map((key) => {
    const desc = key.startsWith('-');
    const name = desc ? key.slice(1) : key;
    const spec = model.fields[name];
    if (!spec) {
      const choices = Object.keys(model.fields)
        .filter((f) => !f.includes('__'))
        .sort()
        .join(', ');
      throw badRequest({ detail: `Cannot resolve keyword '${name}' into field. Choices are: ${choices}` });
    }
    return (a: T, b: T): number => {
      const va = comparable(spec.kind, spec.get(a));
      const vb = comparable(spec.kind, spec.get(b));
      if (va === vb) return 0;
      // PostgreSQL sorts NULL as the largest value.
      if (va === null) return desc ? -1 : 1;
      if (vb === null) return desc ? 1 : -1;
      const cmp = va < vb ? -1 : 1;
      return desc ? -cmp : cmp;
    };
  });
  const idSpec = model.fields.id;
  return [...rows].sort((a, b) => {
    for (const cmp of comparators) {
      const r = cmp(a, b);
      if (r !== 0) return r;
    }
    const ia = idSpec?.get(a);
    const ib = idSpec?.get(b);
    return typeof ia === 'number' && typeof ib === 'number' ? ia - ib : 0;
  });
}

/** DRF `replace_query_param`: parameters re-encoded in sorted key order. */
export function replaceQueryParam(fullPath: string, key: string, value: string | number): string {
  const q = fullPath.indexOf('?');
  const path = q === -1 ? fullPath : fullPath.slice(0, q);
  const params = new URLSearchParams(q === -1 ? '' : fullPath.slice(q + 1));
  params.delete(key);
  params.append(key, String(value));
  const entries = [...params.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${path}?${new URLSearchParams(entries).toString()}`;
}

export interface Page<T> {
  body: Record<string, unknown>;
  rows: T[];
}

function pageSizeOf(query: URLSearchParams, limits: SimLimits): { size: number; capped: boolean } {
  const raw = query.get('page_size');
  const n = raw === null ? NaN : Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n <= 0) return { size: limits.pageSize, capped: false };
  if (n > limits.maxPageSize) return { size: limits.maxPageSize, capped: true };
  return { size: n, capped: false };
}

export function paginate<T>(
  rows: T[],
  query: URLSearchParams,
  fullPath: string,
  limits: SimLimits,
  render: (row: T) => unknown,
  options: { allowLimit?: boolean } = {},
): Page<T> {
  if (options.allowLimit && query.has('limit')) {
    // Event lists accept `limit` and answer without counts (AWX LimitPagination).
    const n = Number.parseInt(query.get('limit') ?? '', 10);
    const size = Number.isFinite(n) && n > 0 ? Math.min(n, limits.maxPageSize) : limits.pageSize;
    const slice = rows.slice(0, size);
    return { body: { results: slice.map(render) }, rows: slice };
  }
  const { size, capped } = pageSizeOf(query, limits);
  if (query.has('count_disabled') && query.get('count_disabled') !== '0' && query.get('count_disabled') !== 'false') {
    const slice = rows.slice(0, size);
    return { body: { results: slice.map(render) }, rows: slice };
  }
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const rawPage = query.get('page') ?? '1';
  const page = rawPage === 'last' ? pages : /^\d+$/.test(rawPage) ? Number(rawPage) : NaN;
  if (!Number.isInteger(page) || page < 1 || page > pages) {
    throw new ApiError(404, { detail: 'Invalid page.' });
  }
  const link = (n: number): string => {
    const base = capped ? replaceQueryParam(fullPath, 'page_size', limits.maxPageSize) : fullPath;
    return replaceQueryParam(base, 'page', n);
  };
  const slice = rows.slice((page - 1) * size, page * size);
  return {
    body: {
      count: rows.length,
      next: page < pages ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: slice.map(render),
    },
    rows: slice,
  };
}

export function listResponse<T>(
  rows: T[],
  model: ListModel<T>,
  query: URLSearchParams,
  fullPath: string,
  limits: SimLimits,
  render: (row: T) => unknown,
  options: { allowLimit?: boolean } = {},
): Record<string, unknown> {
  const filtered = filterRows(rows, model, query);
  const ordered = orderRows(filtered, model, query);
  return paginate(ordered, query, fullPath, limits, render, options).body;
}
