// ServiceNow encoded queries, built so that user text can never become query syntax (research §3).
//
// A query is `<field><OPERATOR><value>` terms joined by `^` (AND), `^OR` (binds tighter), `^NQ` (OR of whole
// AND-groups) and `ORDERBY[DESC]<field>` terms. The only documented escape is `^^` for a literal caret inside a
// value; there is none for `,` inside IN lists or `@` inside BETWEEN operands, so those are refused instead.
// A value that starts with `javascript:` would be run on the instance, so literal values may not start with it;
// the few server-side expressions the console needs come from the typed `gs` helpers below.

export class EncodedQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncodedQueryError';
  }
}

export const OPERATORS = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'LIKE',
  'NOT LIKE',
  'STARTSWITH',
  'ENDSWITH',
  'IN',
  'NOT IN',
  'ISEMPTY',
  'ISNOTEMPTY',
  'EMPTYSTRING',
  'ANYTHING',
  'BETWEEN',
  'SAMEAS',
  'NSAMEAS',
  'DYNAMIC',
] as const;
export type Operator = (typeof OPERATORS)[number];

const UNARY: ReadonlySet<Operator> = new Set<Operator>(['ISEMPTY', 'ISNOTEMPTY', 'EMPTYSTRING', 'ANYTHING']);
const LIST: ReadonlySet<Operator> = new Set<Operator>(['IN', 'NOT IN']);
const FIELD_VALUED: ReadonlySet<Operator> = new Set<Operator>(['SAMEAS', 'NSAMEAS']);

// Every operator spelling the platform reads in a term, longest first: the parser takes the first that matches
// after the field name, so a value must never extend the chosen operator into a longer one ("<" + "=5").
const PLATFORM_SPELLINGS: readonly string[] = [
  'GT_OR_EQUALS_FIELD',
  'LT_OR_EQUALS_FIELD',
  'IN_HIERARCHY_DYNAMIC',
  'IN_HIERARCHY',
  'EMPTYSTRING',
  'ISNOTEMPTY',
  'INSTANCEOF',
  'STARTSWITH',
  'RELATIVEGT',
  'RELATIVEGE',
  'RELATIVELT',
  'RELATIVELE',
  'RELATIVEEE',
  'VALCHANGES',
  'CHANGESFROM',
  'CHANGESTO',
  'ENDSWITH',
  'NOT LIKE',
  'ANYTHING',
  'MORETHAN',
  'LESSTHAN',
  'GT_FIELD',
  'LT_FIELD',
  'DATEPART',
  'ISEMPTY',
  'BETWEEN',
  'NSAMEAS',
  'DYNAMIC',
  'NOT IN',
  'SAMEAS',
  'NOTON',
  'LIKE',
  '!=',
  '<=',
  '>=',
  '!*',
  'IN',
  'ON',
  '=',
  '<',
  '>',
  '*',
  '%',
];

const FIELD_RE = /^[a-z0-9_]+(?:\.[a-z0-9_]+)*$/;
const SYS_ID_RE = /^[0-9a-f]{32}$/;

/** A server-side `javascript:` expression from the `gs` helpers (never built from user text). */
export interface ScriptValue {
  readonly script: string;
}

export type Scalar = string | number | boolean;
export type Value = Scalar | ScriptValue;

const script = (expr: string): ScriptValue => Object.freeze({ script: `javascript:${expr}` });
const intArg = (n: number): string => {
  if (!Number.isInteger(n) || n < 0 || n > 100_000)
    throw new EncodedQueryError(`gs helper arguments are whole numbers from 0 to 100000, not ${n}.`);
  return String(n);
};

/** Relative dates and the calling user, evaluated by the instance in the API user's time zone (research §3.3). */
export const gs = {
  beginningOfToday: (): ScriptValue => script('gs.beginningOfToday()'),
  endOfToday: (): ScriptValue => script('gs.endOfToday()'),
  daysAgoStart: (n: number): ScriptValue => script(`gs.daysAgoStart(${intArg(n)})`),
  daysAgoEnd: (n: number): ScriptValue => script(`gs.daysAgoEnd(${intArg(n)})`),
  hoursAgoStart: (n: number): ScriptValue => script(`gs.hoursAgoStart(${intArg(n)})`),
  minutesAgoStart: (n: number): ScriptValue => script(`gs.minutesAgoStart(${intArg(n)})`),
  getUserID: (): ScriptValue => script('gs.getUserID()'),
} as const;

const isScript = (v: Value): v is ScriptValue => typeof v === 'object' && v !== null && typeof (v as ScriptValue).script === 'string';

/** A literal caret inside a value is written `^^` (GlideStringUtil.escapeQueryTermSeparator). */
export function escapeValue(value: string): string {
  return value.replaceAll('^', '^^');
}

export function unescapeValue(value: string): string {
  return value.replaceAll('^^', '^');
}

export function assertField(field: string): string {
  if (!FIELD_RE.test(field)) {
    throw new EncodedQueryError(`"${field.slice(0, 60)}" is not a field name (lowercase letters, digits, "_", dot-walks with ".").`);
  }
  return field;
}

function literal(value: Scalar, what: string): string {
  const text = String(value);
  if (/^\s*javascript:/i.test(text)) {
    throw new EncodedQueryError(`${what} may not start with "javascript:": ServiceNow would run it as a script.`);
  }
  return text;
}

function operand(value: Value, what: string): string {
  return isScript(value) ? value.script : literal(value, what);
}

/** The operator the platform reads at the start of `rest` (after the field name), with the value after it. */
export function readOperator(rest: string): { op: string; value: string } | undefined {
  for (const spelling of PLATFORM_SPELLINGS) if (rest.startsWith(spelling)) return { op: spelling, value: rest.slice(spelling.length) };
  return undefined;
}

/** One condition, checked and encoded: `field`, `op`, and the value text as it goes into the query. */
export interface Condition {
  readonly field: string;
  readonly op: Operator;
  /** Encoded: carets doubled, lists joined. */
  readonly encoded: string;
}

export function condition(field: string, op: Operator, value?: Value | readonly Scalar[] | readonly [Value, Value]): Condition {
  assertField(field);
  if (!(OPERATORS as readonly string[]).includes(op)) throw new EncodedQueryError(`Unknown operator "${String(op)}".`);
  let raw: string;
  if (UNARY.has(op)) {
    if (value !== undefined) throw new EncodedQueryError(`${op} takes no value.`);
    raw = '';
  } else if (LIST.has(op)) {
    if (!Array.isArray(value) || value.length === 0) throw new EncodedQueryError(`${op} takes a non-empty list of values.`);
    raw = (value as readonly Value[])
      .map((v) => {
        if (isScript(v)) throw new EncodedQueryError(`${op} lists take literal values only.`);
        const text = literal(v, `A value of ${field} ${op}`);
        if (text.includes(','))
          throw new EncodedQueryError(`"${text.slice(0, 60)}" contains a comma, which ServiceNow cannot escape inside ${op}.`);
        return text;
      })
      .join(',');
  } else if (op === 'BETWEEN') {
    if (!Array.isArray(value) || value.length !== 2) throw new EncodedQueryError('BETWEEN takes two bounds.');
    const [lo, hi] = (value as readonly Value[]).map((v) => operand(v, `A bound of ${field} BETWEEN`));
    for (const b of [lo, hi])
      if ((b ?? '').includes('@')) throw new EncodedQueryError(`"${b ?? ''}" contains "@", which separates BETWEEN bounds.`);
    raw = `${lo ?? ''}@${hi ?? ''}`;
  } else if (FIELD_VALUED.has(op)) {
    if (typeof value !== 'string') throw new EncodedQueryError(`${op} compares with another field; give its name.`);
    raw = assertField(value);
  } else if (op === 'DYNAMIC') {
    if (typeof value !== 'string' || !SYS_ID_RE.test(value))
      throw new EncodedQueryError('DYNAMIC takes the sys_id of a dynamic filter option.');
    raw = value;
  } else {
    if (value === undefined || Array.isArray(value)) throw new EncodedQueryError(`${field} ${op} takes one value.`);
    raw = operand(value as Value, `The value of ${field} ${op}`);
  }
  // The platform reads the longest operator spelling first: "<" followed by "=5" would become "<=" "5".
  const read = readOperator(`${op}${raw}`);
  if (!read || read.op !== op || read.value !== raw) {
    throw new EncodedQueryError(`The value "${raw.slice(0, 60)}" cannot follow ${op} without changing the operator.`);
  }
  return { field, op, encoded: escapeValue(raw) };
}

const termOf = (c: Condition): string => `${c.field}${c.op}${c.encoded}`;

interface OrderKey {
  field: string;
  desc: boolean;
}

/**
 * An immutable encoded query: `where`/`and` add an AND clause, `or` widens the last clause, `anyOf` adds an
 * OR clause at once, `newQuery` starts an `^NQ` group, `orderBy` sorts. `toString()` gives the text for
 * `sysparm_query` (the HTTP layer percent-encodes it).
 */
export class EncodedQuery {
  private constructor(
    /** OR of groups; each group an AND of clauses; each clause an OR of conditions. */
    private readonly groups: readonly (readonly (readonly Condition[])[])[],
    private readonly orders: readonly OrderKey[],
  ) {}

  static empty(): EncodedQuery {
    return new EncodedQuery([[]], []);
  }

  static where(field: string, op: Operator, value?: Parameters<typeof condition>[2]): EncodedQuery {
    return EncodedQuery.empty().and(field, op, value);
  }

  and(field: string, op: Operator, value?: Parameters<typeof condition>[2]): EncodedQuery {
    return this.andCondition(condition(field, op, value));
  }

  andCondition(c: Condition): EncodedQuery {
    return this.withLastGroup((g) => [...g, [c]]);
  }

  /** ORs a condition with the last clause: `a^b^ORc` = a AND (b OR c). */
  or(field: string, op: Operator, value?: Parameters<typeof condition>[2]): EncodedQuery {
    const c = condition(field, op, value);
    return this.withLastGroup((g) => {
      const last = g[g.length - 1];
      return last ? [...g.slice(0, -1), [...last, c]] : [[c]];
    });
  }

  /** One clause that is true when any of the conditions is. */
  anyOf(conditions: readonly Condition[]): EncodedQuery {
    if (conditions.length === 0) throw new EncodedQueryError('anyOf needs at least one condition.');
    return this.withLastGroup((g) => [...g, [...conditions]]);
  }

  /** `^NQ`: the query matches when the groups before OR the group after match. */
  newQuery(): EncodedQuery {
    return new EncodedQuery([...this.groups, []], this.orders);
  }

  orderBy(field: string, desc = false): EncodedQuery {
    return new EncodedQuery(this.groups, [...this.orders, { field: assertField(field), desc }]);
  }

  isEmpty(): boolean {
    return this.groups.every((g) => g.length === 0) && this.orders.length === 0;
  }

  toString(): string {
    const groups = this.groups.filter((g) => g.length > 0).map((g) => g.map((clause) => clause.map(termOf).join('^OR')).join('^'));
    const orders = this.orders.map((o) => `${o.desc ? 'ORDERBYDESC' : 'ORDERBY'}${o.field}`);
    return [groups.join('^NQ'), ...orders].filter((s) => s !== '').join('^');
  }

  private withLastGroup(fn: (g: readonly (readonly Condition[])[]) => readonly (readonly Condition[])[]): EncodedQuery {
    const last = this.groups[this.groups.length - 1] ?? [];
    return new EncodedQuery([...this.groups.slice(0, -1), fn(last)], this.orders);
  }
}

/** Splits a query into terms on unescaped carets; `^^` stays a literal caret inside its term. */
export function splitTerms(query: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < query.length; i++) {
    const ch = query[i];
    if (ch === '^') {
      if (query[i + 1] === '^') {
        current += '^';
        i++;
      } else {
        terms.push(current);
        current = '';
      }
    } else current += ch;
  }
  terms.push(current);
  return terms;
}

/** A raw query taken apart: AND-groups (each a list of terms, `OR…` terms included) and the sort terms. */
export interface RawQueryParts {
  groups: string[][];
  orderBy: string[];
}

export function partsOf(raw: string): RawQueryParts {
  const groups: string[][] = [[]];
  const orderBy: string[] = [];
  for (const t of splitTerms(raw)) {
    const term = t.trimStart();
    if (term.trim() === '' || term.trim() === 'EQ') continue;
    if (term.startsWith('ORDERBY')) orderBy.push(term);
    else if (term.startsWith('NQ')) groups.push([term.slice(2)]);
    else groups[groups.length - 1]?.push(term);
  }
  return { groups: groups.filter((g) => g.length > 0), orderBy };
}

const joinTerms = (terms: readonly string[]): string => terms.map(escapeValue).join('^');

/**
 * ANDs conditions onto a query someone else wrote (a configured queue filter, `--query`): AND distributes over
 * `^NQ`, so each group gets the conditions, and sort terms go last (research §3.1). Extra sort keys come after
 * the query's own, e.g. a `sys_id` tiebreak for stable paging.
 */
export function andRaw(raw: string, extra: readonly Condition[], extraOrder: readonly { field: string; desc?: boolean }[] = []): string {
  const parts = partsOf(raw);
  const extraTerms = extra.map(termOf);
  const groups = parts.groups.length > 0 ? parts.groups : [[]];
  const body = groups.map((g) => [joinTerms(g), ...extraTerms].filter((s) => s !== '').join('^')).filter((s) => s !== '');
  const own = new Set(parts.orderBy.map((o) => o.replace(/^ORDERBY(DESC)?/, '')));
  const orders = [
    ...parts.orderBy.map(escapeValue),
    ...extraOrder.filter((o) => !own.has(assertField(o.field))).map((o) => `${o.desc ? 'ORDERBYDESC' : 'ORDERBY'}${o.field}`),
  ];
  return [body.join('^NQ'), ...orders].filter((s) => s !== '').join('^');
}

/** Text search across the table's text index (`123TEXTQUERY321=`), with the user's words escaped. */
export function textSearch(words: string): string {
  return `123TEXTQUERY321=${escapeValue(literal(words, 'A text search'))}`;
}
