import { isCondition } from './encoded-query';
import type { Condition, InvalidTerm, ParsedQuery } from './encoded-query';
import { readPath, resolveFieldPath } from './field-path';
import type { FieldPath } from './field-path';
import { isUnit, namedRange, periodEnd, periodStart, resolveQueryValue, shiftBy } from './relative-dates';
import type { ScriptContext } from './relative-dates';
import { isInstanceOf } from './schema';
import type { FieldDef } from './schema';
import type { Database, Row, Table } from './table-store';
import { formatGlideDateTime, parseGlideDateTime } from './time-format';

// Turns a parsed encoded query into a row predicate and a sorter. Values are compared the way the
// platform's SQL does: integer choices numerically, date-times as UTC strings, text case-insensitively
// (typical instance collation). Terms that do not resolve are dropped, or — with the
// glide.invalid_query.returns_no_rows property — make the whole query match nothing.

export interface QueryEnv {
  readonly db: Database;
  readonly table: Table;
  readonly script: ScriptContext;
  readonly invalidQueryReturnsNoRows: boolean;
  /** sys_ids of the API user's groups, for the "My Groups" dynamic filter. */
  readonly userGroups: () => readonly string[];
}

export interface CompiledQuery {
  readonly predicate: (row: Row) => boolean;
  readonly orderBy: readonly FieldPath[];
  readonly descending: readonly boolean[];
  /** Terms that were ignored, with why. */
  readonly dropped: readonly InvalidTerm[];
  /** False when the result depends on the clock or the user, so it must not be cached. */
  readonly cacheable: boolean;
}

type Kind = 'number' | 'date' | 'text';
type Predicate = (row: Row) => boolean;

// Out-of-box dynamic filter options ("Me", "My Groups").
export const DYNAMIC_ME = '90d1921e5f510100a9ad2572f2b477fe';
export const DYNAMIC_MY_GROUPS = 'd6435e965f510100a9ad2572f2b47744';

function kindOf(def: FieldDef): Kind {
  if (def.type === 'integer' || (def.type === 'choice' && def.numeric === true)) return 'number';
  if (def.type === 'glide_date_time' || def.type === 'glide_duration') return 'date';
  return 'text';
}

function isNumeric(s: string): boolean {
  return s.trim() !== '' && Number.isFinite(Number(s));
}

function normalise(kind: Kind, value: string): string {
  if (kind === 'number' && isNumeric(value)) return String(Number(value));
  if (kind === 'text') return value.toLowerCase();
  return value;
}

function compare(kind: Kind, a: string, b: string): number {
  if (kind === 'number' && isNumeric(a) && isNumeric(b)) return Number(a) - Number(b);
  const x = kind === 'text' ? a.toLowerCase() : a;
  const y = kind === 'text' ? b.toLowerCase() : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

class Invalid {
  constructor(readonly reason: string) {}
}

export function compileQuery(parsed: ParsedQuery, env: QueryEnv): CompiledQuery {
  const dropped: InvalidTerm[] = [];
  let cacheable = true;

  const resolveValue = (raw: string): string | Invalid => {
    if (raw.trimStart().toLowerCase().startsWith('javascript:')) cacheable = false;
    const v = resolveQueryValue(raw, env.script);
    return v === undefined ? new Invalid(`cannot evaluate ${raw}`) : v;
  };

  const path = (field: string): FieldPath | Invalid =>
    resolveFieldPath(env.db, env.table.name, field) ?? new Invalid(`unknown field ${field}`);

  const compileCondition = (c: Condition): Predicate | Invalid => {
    if (c.op === 'TEXTQUERY') return textQuery(env, c.value);
    const fp = path(c.field);
    if (fp instanceof Invalid) return fp;
    const { db } = env;
    const get = (row: Row): string => readPath(db, fp, row);
    const kind = kindOf(fp.field);
    const eq = (a: string, b: string): boolean => normalise(kind, a) === normalise(kind, b);

    const otherField = (spec: string): FieldPath | Invalid => path((spec.split('@')[0] ?? '').trim());

    switch (c.op) {
      case '=':
      case '!=': {
        const v = resolveValue(c.value);
        if (v instanceof Invalid) return v;
        const target = normalise(kind, v);
        return c.op === '=' ? (row) => normalise(kind, get(row)) === target : (row) => normalise(kind, get(row)) !== target;
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const v = resolveValue(c.value);
        if (v instanceof Invalid) return v;
        const test = { '<': (n: number) => n < 0, '<=': (n: number) => n <= 0, '>': (n: number) => n > 0, '>=': (n: number) => n >= 0 }[
          c.op
        ];
        return (row) => {
          const a = get(row);
          return a !== '' && test(compare(kind, a, v));
        };
      }
      case 'IN':
      case 'NOT IN': {
        const set = new Set(c.value.split(',').map((v) => normalise(kind, v.trim())));
        const inSet = (row: Row): boolean => set.has(normalise(kind, get(row)));
        return c.op === 'IN' ? inSet : (row) => !inSet(row);
      }
      case 'LIKE':
      case 'NOT LIKE': {
        const needle = c.value.toLowerCase();
        return c.op === 'LIKE' ? (row) => get(row).toLowerCase().includes(needle) : (row) => !get(row).toLowerCase().includes(needle);
      }
      case 'STARTSWITH': {
        const needle = c.value.toLowerCase();
        return (row) => get(row).toLowerCase().startsWith(needle);
      }
      case 'ENDSWITH': {
        const needle = c.value.toLowerCase();
        return (row) => get(row).toLowerCase().endsWith(needle);
      }
      case 'ISEMPTY':
      case 'EMPTYSTRING':
        return (row) => get(row) === '';
      case 'ISNOTEMPTY':
        return (row) => get(row) !== '';
      case 'ANYTHING':
        return () => true;
      case 'BETWEEN': {
        const parts = c.value.split('@');
        if (parts.length !== 2) return new Invalid('BETWEEN needs two bounds joined by @');
        const lo = resolveValue(parts[0] ?? '');
        const hi = resolveValue(parts[1] ?? '');
        if (lo instanceof Invalid) return lo;
        if (hi instanceof Invalid) return hi;
        return (row) => {
          const a = get(row);
          return a !== '' && compare(kind, a, lo) >= 0 && compare(kind, a, hi) <= 0;
        };
      }
      case 'SAMEAS':
      case 'NSAMEAS': {
        const other = otherField(c.value);
        if (other instanceof Invalid) return other;
        const same = (row: Row): boolean => eq(get(row), readPath(db, other, row));
        return c.op === 'SAMEAS' ? same : (row) => !same(row);
      }
      case 'GT_FIELD':
      case 'LT_FIELD':
      case 'GT_OR_EQUALS_FIELD':
      case 'LT_OR_EQUALS_FIELD': {
        const other = otherField(c.value);
        if (other instanceof Invalid) return other;
        const test = {
          GT_FIELD: (n: number) => n > 0,
          LT_FIELD: (n: number) => n < 0,
          GT_OR_EQUALS_FIELD: (n: number) => n >= 0,
          LT_OR_EQUALS_FIELD: (n: number) => n <= 0,
        }[c.op];
        return (row) => {
          const a = get(row);
          const b = readPath(db, other, row);
          return a !== '' && b !== '' && test(compare(kind, a, b));
        };
      }
      case 'ON':
      case 'NOTON': {
        // "<label>@<start>@<end>"; the label alone ("ONToday") also works for the common ranges.
        cacheable = false;
        const parts = c.value.split('@');
        let range: [string, string] | undefined;
        if (parts.length >= 3) {
          const start = resolveValue(parts[1] ?? '');
          const end = resolveValue(parts[2] ?? '');
          if (start instanceof Invalid) return start;
          if (end instanceof Invalid) return end;
          range = [start, end];
        } else {
          range = namedRange(parts[0] ?? '', env.script);
        }
        if (!range) return new Invalid(`unknown date range ${c.value}`);
        const [start, end] = range;
        const within = (a: string): boolean => a !== '' && a >= start && a <= end;
        return c.op === 'ON' ? (row) => within(get(row)) : (row) => get(row) !== '' && !within(get(row));
      }
      case 'RELATIVEGT':
      case 'RELATIVEGE':
      case 'RELATIVELT':
      case 'RELATIVELE':
      case 'RELATIVEEE': {
        // "@<unit>@<ago|ahead>@<n>", e.g. sla_dueRELATIVEGT@hour@ago@1 = after one hour ago.
        cacheable = false;
        const [unit = '', direction = '', count = ''] = c.value.split('@').filter((p) => p !== '');
        const n = Number(count);
        if (!isUnit(unit) || (direction !== 'ago' && direction !== 'ahead') || !Number.isFinite(n)) {
          return new Invalid(`bad relative spec ${c.value}`);
        }
        const { now, timeZone } = env.script;
        const pivot = shiftBy(now, unit, direction === 'ago' ? -n : n, timeZone);
        const ref = formatGlideDateTime(pivot);
        if (c.op === 'RELATIVEEE') {
          const start = formatGlideDateTime(periodStart(pivot, unit, 0, timeZone));
          const end = formatGlideDateTime(periodEnd(pivot, unit, 0, timeZone));
          return (row) => {
            const a = get(row);
            return a !== '' && a >= start && a <= end;
          };
        }
        const test = {
          RELATIVEGT: (a: string) => a > ref,
          RELATIVEGE: (a: string) => a >= ref,
          RELATIVELT: (a: string) => a < ref,
          RELATIVELE: (a: string) => a <= ref,
        }[c.op];
        return (row) => {
          const a = get(row);
          return a !== '' && test(a);
        };
      }
      case 'MORETHAN':
      case 'LESSTHAN': {
        // "<other field>@<unit>@<before|after>@<n>": the gap between the two date fields.
        const [otherName = '', unit = '', direction = '', count = ''] = c.value.split('@');
        const other = path(otherName);
        if (other instanceof Invalid) return other;
        const n = Number(count);
        if (!isUnit(unit) || (direction !== 'before' && direction !== 'after') || !Number.isFinite(n)) {
          return new Invalid(`bad ${c.op} spec ${c.value}`);
        }
        const unitMs = {
          minute: 60_000,
          hour: 3_600_000,
          day: 86_400_000,
          week: 604_800_000,
          month: 2_592_000_000,
          quarter: 7_776_000_000,
          year: 31_536_000_000,
        }[unit];
        return (row) => {
          const a = parseGlideDateTime(get(row));
          const b = parseGlideDateTime(readPath(db, other, row));
          if (a === undefined || b === undefined) return false;
          const gap = direction === 'before' ? b - a : a - b;
          return c.op === 'MORETHAN' ? gap > n * unitMs : gap >= 0 && gap < n * unitMs;
        };
      }
      case 'DYNAMIC': {
        cacheable = false;
        if (c.value === DYNAMIC_ME) {
          const me = env.script.userSysId;
          return (row) => get(row) === me;
        }
        if (c.value === DYNAMIC_MY_GROUPS) {
          const groups = new Set(env.userGroups());
          return (row) => groups.has(get(row));
        }
        return new Invalid(`unknown dynamic filter ${c.value}`);
      }
      case 'INSTANCEOF': {
        const ancestor = c.value;
        return (row) => isInstanceOf(get(row), ancestor);
      }
    }
  };

  const compileClause = (clause: readonly (Condition | InvalidTerm)[]): Predicate | undefined => {
    const preds: Predicate[] = [];
    for (const item of clause) {
      if (!isCondition(item)) {
        dropped.push(item);
        continue;
      }
      const compiled = compileCondition(item);
      if (compiled instanceof Invalid) dropped.push({ term: item.term, reason: compiled.reason });
      else preds.push(compiled);
    }
    if (preds.length === 0) return undefined;
    if (preds.length === 1) return preds[0];
    return (row) => preds.some((p) => p(row));
  };

  const groupPreds: Predicate[][] = parsed.groups.map((group) => group.map(compileClause).filter((p): p is Predicate => p !== undefined));

  const orderBy: FieldPath[] = [];
  const descending: boolean[] = [];
  for (const key of parsed.orderBy) {
    const fp = resolveFieldPath(env.db, env.table.name, key.field);
    // An unknown sort column is ignored, like an unknown filter column.
    if (fp) {
      orderBy.push(fp);
      descending.push(key.desc);
    }
  }

  let predicate: Predicate;
  if (env.invalidQueryReturnsNoRows && dropped.length > 0) predicate = () => false;
  else if (groupPreds.some((g) => g.length === 0)) predicate = () => true;
  else if (groupPreds.length === 1) {
    const only = groupPreds[0] ?? [];
    predicate = only.length === 1 ? (only[0] ?? (() => true)) : (row) => only.every((p) => p(row));
  } else predicate = (row) => groupPreds.some((g) => g.every((p) => p(row)));

  return { predicate, orderBy, descending, dropped, cacheable };
}

function textQuery(env: QueryEnv, text: string): Predicate {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const fields = [...env.table.def.fields.values()].filter((f) => f.type === 'string').map((f) => f.name);
  return (row) => {
    const hay = fields
      .map((f) => row[f] ?? '')
      .join('\n')
      .toLowerCase();
    return words.every((w) => hay.includes(w));
  };
}

/** Applies ORDERBY keys; ties keep the incoming (physical) order because Array.sort is stable. */
export function sortRows(rows: readonly Row[], q: CompiledQuery, db: Database): Row[] {
  if (q.orderBy.length === 0) return [...rows];
  const specs = q.orderBy.map((fp, i) => {
    // References sort by the referenced record's display value, as list sorting does.
    const isRef = fp.field.type === 'reference' && fp.field.reference !== undefined;
    const kind: Kind = isRef ? 'text' : kindOf(fp.field);
    return { fp, kind, isRef, sign: q.descending[i] === true ? -1 : 1 };
  });
  const keyed = rows.map((row) => ({
    row,
    keys: specs.map(({ fp, kind, isRef }) => {
      const v = readPath(db, fp, row);
      const shown = isRef && v !== '' ? (db.displayValueOf(fp.field.reference ?? '', v) ?? v) : v;
      return kind === 'text' ? shown.toLowerCase() : shown;
    }),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i];
      const x = a.keys[i] ?? '';
      const y = b.keys[i] ?? '';
      if (!spec || x === y) continue;
      // Empty values sort first ascending, like NULLs in the platform's database.
      if (x === '') return -spec.sign;
      if (y === '') return spec.sign;
      const c = compare(spec.kind, x, y);
      if (c !== 0) return c * spec.sign;
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}
