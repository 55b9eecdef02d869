import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EncodedQuery,
  EncodedQueryError,
  OPERATORS,
  andRaw,
  condition,
  escapeValue,
  gs,
  partsOf,
  splitTerms,
  textSearch,
  unescapeValue,
} from '@shared/incidents/encoded-query';
import type { Operator } from '@shared/incidents/encoded-query';
// The simulator's parser reads queries the way the platform does; the builder's output must survive it.
import { isCondition, parseEncodedQuery } from '../../sim/servicenow/encoded-query';

// Text that tries hard to be syntax: carets, the ^OR/^NQ/^EQ/ORDERBY keywords, operators, list and bound
// separators, scripts, blanks.
const nasty = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }));
const pieces = fc.constantFrom(
  '^',
  '^^',
  '^NQ',
  '^OR',
  '^EQ',
  'ORDERBY',
  'ORDERBYDESC',
  'NQ',
  'OR',
  '=',
  '!=',
  '<',
  '>',
  '<=',
  'IN',
  'STANCEOF',
  'LIKE',
  ',',
  '@',
  ' ',
  'a',
  'Z',
  '%',
  '*',
  'javascript:',
  'active=true',
  'é',
  '\n',
);
const hostile = fc.oneof(
  nasty,
  fc.array(pieces, { maxLength: 12 }).map((a) => a.join('')),
);
const fieldName = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}(\.[a-z][a-z0-9_]{0,8})?$/);
const scalarOps: Operator[] = ['=', '!=', '<', '<=', '>', '>=', 'LIKE', 'NOT LIKE', 'STARTSWITH', 'ENDSWITH'];

function onlyCondition(query: string): { field: string; op: string; value: string } {
  const parsed = parseEncodedQuery(query);
  expect(parsed.groups).toHaveLength(1);
  expect(parsed.orderBy).toEqual([]);
  const clauses = parsed.groups[0] ?? [];
  expect(clauses).toHaveLength(1);
  const c = clauses[0]?.[0];
  expect(clauses[0]).toHaveLength(1);
  if (!c || !isCondition(c)) throw new Error(`not a condition: ${JSON.stringify(c)}`);
  return { field: c.field, op: c.op, value: c.value };
}

describe('escaping', () => {
  it('doubles every caret and undoes it exactly', () => {
    fc.assert(
      fc.property(hostile, (v) => {
        const e = escapeValue(v);
        expect(unescapeValue(e)).toBe(v);
        // No single caret survives: every run of carets in the escaped text has even length.
        for (const run of e.match(/\^+/g) ?? []) expect(run.length % 2).toBe(0);
      }),
    );
  });

  it('splitTerms reads an escaped value back as one term', () => {
    fc.assert(
      fc.property(hostile, (v) => {
        expect(splitTerms(`short_descriptionLIKE${escapeValue(v)}`)).toEqual([`short_descriptionLIKE${v}`]);
      }),
    );
  });
});

describe('condition → the platform parser', () => {
  it('round-trips any value through every scalar operator, or refuses it', () => {
    fc.assert(
      fc.property(fieldName, fc.constantFrom(...scalarOps), hostile, (field, op, value) => {
        let q: string;
        try {
          q = EncodedQuery.where(field, op, value).toString();
        } catch (e) {
          expect(e).toBeInstanceOf(EncodedQueryError);
          // Refusals are for the documented hazards only: scripts, or a value that would extend the operator.
          expect(/^\s*javascript:/i.test(value) || ((op === '<' || op === '>') && value.startsWith('='))).toBe(true);
          return;
        }
        expect(onlyCondition(q)).toEqual({ field, op, value });
      }),
      { numRuns: 500 },
    );
  });

  it('IN lists round-trip element by element; a comma inside an element is refused', () => {
    fc.assert(
      fc.property(fieldName, fc.array(hostile, { minLength: 1, maxLength: 5 }), (field, values) => {
        let q: string;
        try {
          q = EncodedQuery.where(field, 'IN', values).toString();
        } catch (e) {
          expect(e).toBeInstanceOf(EncodedQueryError);
          const documented = values.some((v) => v.includes(',') || /^\s*javascript:/i.test(v));
          if (!documented) expect((e as Error).message).toMatch(/changing the operator/);
          return;
        }
        const c = onlyCondition(q);
        expect(c.op).toBe('IN');
        expect(c.value.split(',')).toEqual(values);
      }),
    );
  });

  it('user text cannot add conditions, groups or sort keys to a query', () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        let q: string;
        try {
          q = EncodedQuery.where('active', '=', 'true')
            .and('short_description', 'LIKE', a)
            .or('description', 'LIKE', b)
            .orderBy('number')
            .toString();
        } catch (e) {
          expect(e).toBeInstanceOf(EncodedQueryError);
          return;
        }
        const parsed = parseEncodedQuery(q);
        expect(parsed.groups).toHaveLength(1);
        expect(parsed.orderBy).toEqual([{ field: 'number', desc: false }]);
        const clauses = parsed.groups[0] ?? [];
        expect(clauses.map((c) => c.length)).toEqual([1, 2]);
        const values = clauses.flat().map((c) => (isCondition(c) ? c.value : `invalid:${c.term}`));
        expect(values).toEqual(['true', a, b]);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses values ServiceNow would run as scripts, and bad field names', () => {
    expect(() => condition('caller_id', '=', 'javascript:gs.getUserID()')).toThrow(/javascript:/);
    expect(() => condition('caller_id', '=', '  JavaScript:alert(1)')).toThrow(EncodedQueryError);
    expect(() => condition('short_description^NQactive', '=', 'x')).toThrow(/not a field name/);
    expect(() => condition('Priority', '=', '1')).toThrow(EncodedQueryError);
    expect(() => condition('priority', '<', '=1')).toThrow(/changing the operator/);
    expect(() => condition('state', 'IN', ['STANCEOFtask'])).toThrow(/changing the operator/);
    expect(() => condition('state', 'IN', ['1,2'])).toThrow(/comma/);
    expect(() => condition('opened_at', 'BETWEEN', ['a@b', 'c'])).toThrow(/@/);
    expect(() => condition('assigned_to', 'ISEMPTY', 'x')).toThrow(/no value/);
    expect(() => condition('caller_id', 'SAMEAS', 'x^y')).toThrow(/not a field name/);
  });

  it('builds each operator as the platform spells it', () => {
    const cases: [Parameters<typeof condition>, string][] = [
      [['priority', '<=', 2], 'priority<=2'],
      [['state', 'NOT IN', ['6', '7', '8']], 'stateNOT IN6,7,8'],
      [['assigned_to', 'ISEMPTY'], 'assigned_toISEMPTY'],
      [
        ['opened_at', 'BETWEEN', [gs.daysAgoStart(3), gs.daysAgoEnd(0)]],
        'opened_atBETWEENjavascript:gs.daysAgoStart(3)@javascript:gs.daysAgoEnd(0)',
      ],
      [['caller_id', '=', gs.getUserID()], 'caller_id=javascript:gs.getUserID()'],
      [['caller_id', 'SAMEAS', 'assigned_to'], 'caller_idSAMEASassigned_to'],
      [['short_description', 'LIKE', 'disk ^ full'], 'short_descriptionLIKEdisk ^^ full'],
      [['assignment_group.name', 'STARTSWITH', 'Net'], 'assignment_group.nameSTARTSWITHNet'],
    ];
    for (const [args, text] of cases) {
      const c = condition(...args);
      expect(`${c.field}${c.op}${c.encoded}`).toBe(text);
    }
    for (const op of OPERATORS) expect(typeof op).toBe('string');
  });

  it('composes AND, OR, NQ and ORDERBY in the documented precedence', () => {
    const q = EncodedQuery.where('active', '=', true)
      .and('priority', '<=', 2)
      .or('urgency', '=', 1)
      .newQuery()
      .and('state', '=', 3)
      .orderBy('priority')
      .orderBy('opened_at', true)
      .toString();
    expect(q).toBe('active=true^priority<=2^ORurgency=1^NQstate=3^ORDERBYpriority^ORDERBYDESCopened_at');
    const parsed = parseEncodedQuery(q);
    expect(parsed.groups.map((g) => g.map((c) => c.length))).toEqual([[1, 2], [1]]);
    expect(parsed.orderBy).toEqual([
      { field: 'priority', desc: false },
      { field: 'opened_at', desc: true },
    ]);
    expect(EncodedQuery.empty().toString()).toBe('');
    expect(() => EncodedQuery.empty().anyOf([])).toThrow(EncodedQueryError);
  });
});

describe('andRaw: conditions onto a query someone else wrote', () => {
  it('distributes over ^NQ and keeps sort keys last', () => {
    const extra = [condition('sys_id', '>', 'abc')];
    expect(andRaw('a=1^NQb=2^ORDERBYnumber', extra, [{ field: 'sys_id' }])).toBe(
      'a=1^sys_id>abc^NQb=2^sys_id>abc^ORDERBYnumber^ORDERBYsys_id',
    );
    expect(andRaw('', extra, [{ field: 'sys_id' }])).toBe('sys_id>abc^ORDERBYsys_id');
    expect(andRaw('ORDERBYsys_id^a=1', [], [{ field: 'sys_id' }])).toBe('a=1^ORDERBYsys_id');
    expect(andRaw('a=x^^y^EQ', extra)).toBe('a=x^^y^sys_id>abc');
  });

  it('means (query) AND condition for any query the builder can make', () => {
    const cond = fc.record({ field: fc.constantFrom('a', 'b', 'c'), value: fc.stringMatching(/^[a-z^]{0,4}$/) });
    fc.assert(
      fc.property(
        fc.array(fc.array(cond, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        hostile,
        (groups, extraValue) => {
          let q = EncodedQuery.empty();
          groups.forEach((g, i) => {
            if (i > 0) q = q.newQuery();
            for (const c of g) q = q.and(c.field, '=', c.value);
          });
          let extra;
          try {
            extra = condition('d', 'LIKE', extraValue);
          } catch {
            return;
          }
          const combined = parseEncodedQuery(andRaw(q.toString(), [extra]));
          expect(combined.groups).toHaveLength(groups.length);
          combined.groups.forEach((g, i) => {
            const values = g.flat().map((c) => (isCondition(c) ? `${c.field}${c.op}${c.value}` : 'invalid'));
            expect(values).toEqual([...(groups[i] ?? []).map((c) => `${c.field}=${c.value}`), `dLIKE${extraValue}`]);
          });
        },
      ),
    );
  });

  it('partsOf separates groups and sort terms', () => {
    expect(partsOf('a=1^ORb=2^NQc=3^ORDERBYDESCd^EQ')).toEqual({ groups: [['a=1', 'ORb=2'], ['c=3']], orderBy: ['ORDERBYDESCd'] });
  });

  it('escapes text search words', () => {
    expect(textSearch('disk^full')).toBe('123TEXTQUERY321=disk^^full');
    expect(() => textSearch('javascript:x')).toThrow(EncodedQueryError);
  });
});
