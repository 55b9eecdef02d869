// Parser for ServiceNow encoded queries. Grammar as the platform reads it:
//   terms are separated by "^" (AND); "^OR" joins a term to the previous one (binds tighter than AND);
//   "^NQ" starts a new AND-group, groups are OR-ed; "^EQ" is an end marker; "ORDERBY[DESC]<field>" sorts;
//   "^^" is a literal caret inside a value. A term is <field><OPERATOR><value> with no spaces.

export type Operator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'IN'
  | 'NOT IN'
  | 'LIKE'
  | 'NOT LIKE'
  | 'STARTSWITH'
  | 'ENDSWITH'
  | 'ISEMPTY'
  | 'ISNOTEMPTY'
  | 'EMPTYSTRING'
  | 'ANYTHING'
  | 'BETWEEN'
  | 'SAMEAS'
  | 'NSAMEAS'
  | 'GT_FIELD'
  | 'LT_FIELD'
  | 'GT_OR_EQUALS_FIELD'
  | 'LT_OR_EQUALS_FIELD'
  | 'ON'
  | 'NOTON'
  | 'RELATIVEGT'
  | 'RELATIVEGE'
  | 'RELATIVELT'
  | 'RELATIVELE'
  | 'RELATIVEEE'
  | 'MORETHAN'
  | 'LESSTHAN'
  | 'DYNAMIC'
  | 'INSTANCEOF'
  | 'TEXTQUERY';

export interface Condition {
  readonly field: string;
  readonly op: Operator;
  readonly value: string;
  /** The term as written (after unescaping), for diagnostics. */
  readonly term: string;
}

/** A term that could not be parsed; kept so the invalid-query policy can decide what to do. */
export interface InvalidTerm {
  readonly term: string;
  readonly reason: string;
}

export type Clause = readonly (Condition | InvalidTerm)[];

export interface OrderKey {
  readonly field: string;
  readonly desc: boolean;
}

export interface ParsedQuery {
  /** OR of groups; a group is an AND of clauses; a clause is an OR of conditions. */
  readonly groups: readonly (readonly Clause[])[];
  readonly orderBy: readonly OrderKey[];
}

export const isCondition = (c: Condition | InvalidTerm): c is Condition => 'op' in c;

// Longest spellings first so "NOT IN" is not read as "NOT" + …, "ISNOTEMPTY" before "IN", etc.
const OPERATORS: readonly (readonly [string, Operator])[] = [
  ['GT_OR_EQUALS_FIELD', 'GT_OR_EQUALS_FIELD'],
  ['LT_OR_EQUALS_FIELD', 'LT_OR_EQUALS_FIELD'],
  ['EMPTYSTRING', 'EMPTYSTRING'],
  ['ISNOTEMPTY', 'ISNOTEMPTY'],
  ['INSTANCEOF', 'INSTANCEOF'],
  ['STARTSWITH', 'STARTSWITH'],
  ['RELATIVEGT', 'RELATIVEGT'],
  ['RELATIVEGE', 'RELATIVEGE'],
  ['RELATIVELT', 'RELATIVELT'],
  ['RELATIVELE', 'RELATIVELE'],
  ['RELATIVEEE', 'RELATIVEEE'],
  ['ENDSWITH', 'ENDSWITH'],
  ['NOT LIKE', 'NOT LIKE'],
  ['ANYTHING', 'ANYTHING'],
  ['MORETHAN', 'MORETHAN'],
  ['LESSTHAN', 'LESSTHAN'],
  ['GT_FIELD', 'GT_FIELD'],
  ['LT_FIELD', 'LT_FIELD'],
  ['ISEMPTY', 'ISEMPTY'],
  ['BETWEEN', 'BETWEEN'],
  ['NSAMEAS', 'NSAMEAS'],
  ['DYNAMIC', 'DYNAMIC'],
  ['NOT IN', 'NOT IN'],
  ['SAMEAS', 'SAMEAS'],
  ['NOTON', 'NOTON'],
  ['LIKE', 'LIKE'],
  ['!=', '!='],
  ['<=', '<='],
  ['>=', '>='],
  ['!*', 'NOT LIKE'],
  ['IN', 'IN'],
  ['ON', 'ON'],
  ['=', '='],
  ['<', '<'],
  ['>', '>'],
  ['*', 'LIKE'],
  ['%', 'ENDSWITH'],
];

/** Operators the platform knows but that mean nothing in a query against stored data. */
const UNSUPPORTED = ['VALCHANGES', 'CHANGESFROM', 'CHANGESTO', 'DATEPART', 'IN_HIERARCHY', 'RLQUERY', 'ENDRLQUERY'];

/** Splits on unescaped carets; "^^" becomes a literal "^" in the term. */
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
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms;
}

/** What a client must do to user text before putting it in a value position. */
export function escapeQueryValue(value: string): string {
  return value.replaceAll('^', '^^');
}

const FIELD_RE = /^[a-z0-9_]+(?:\.[a-z0-9_]+)*/;

export function parseCondition(term: string): Condition | InvalidTerm {
  if (term.startsWith('123TEXTQUERY321=')) return { field: '123TEXTQUERY321', op: 'TEXTQUERY', value: term.slice(16), term };
  const fieldMatch = FIELD_RE.exec(term);
  if (!fieldMatch) return { term, reason: 'no field name' };
  const field = fieldMatch[0];
  const rest = term.slice(field.length);
  for (const [spelling, op] of OPERATORS) {
    if (rest.startsWith(spelling)) return { field, op, value: rest.slice(spelling.length), term };
  }
  const unsupported = UNSUPPORTED.find((u) => rest.startsWith(u));
  return { term, reason: unsupported ? `operator ${unsupported} is not evaluated against stored data` : 'no operator' };
}

export function parseEncodedQuery(query: string): ParsedQuery {
  const groups: Clause[][] = [[]];
  const orderBy: OrderKey[] = [];
  const currentGroup = (): Clause[] => groups[groups.length - 1] ?? [];
  let skippingRelatedList = false;

  for (const raw of splitTerms(query)) {
    // Only leading blanks go: trailing ones may belong to the value.
    const term = raw.trimStart();
    if (term.trim() === '' || term.trim() === 'EQ') continue;
    // Related-list sub-queries are a different feature; skip their body and drop the condition.
    if (skippingRelatedList) {
      if (term.includes('ENDRLQUERY')) skippingRelatedList = false;
      continue;
    }
    if (term.startsWith('RLQUERY')) {
      skippingRelatedList = !term.includes('ENDRLQUERY');
      currentGroup().push([{ term, reason: 'related list queries are not supported' }]);
      continue;
    }
    if (term.startsWith('ORDERBYDESC')) {
      orderBy.push({ field: term.slice(11), desc: true });
      continue;
    }
    if (term.startsWith('ORDERBY')) {
      orderBy.push({ field: term.slice(7), desc: false });
      continue;
    }
    if (term.startsWith('GROUPBY')) continue;
    if (term.startsWith('NQ')) {
      groups.push([[parseCondition(term.slice(2))]]);
      continue;
    }
    if (term.startsWith('OR')) {
      const group = currentGroup();
      const last = group[group.length - 1];
      const condition = parseCondition(term.slice(2));
      if (last) group[group.length - 1] = [...last, condition];
      else group.push([condition]);
      continue;
    }
    currentGroup().push([parseCondition(term)]);
  }
  // "^NQ" at the very start leaves an empty first group; an empty group would match everything.
  const nonEmpty = groups.filter((g) => g.length > 0);
  return { groups: nonEmpty.length > 0 ? nonEmpty : [[]], orderBy };
}
