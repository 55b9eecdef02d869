import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anchoredRegex,
  compileMatcher,
  escapeRegexValue,
  formatMatcher,
  formatMatchers,
  matchersFromLabels,
  matchesAll,
  matchesOne,
  MATCH_OPERATORS,
  fromOperator,
  operatorOf,
  parseMatchers,
  silenceMatcherProblems,
  targetMatchers,
  translateGoRegex,
  type Matcher,
} from '@shared/alerts/matchers';

const nameArb = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/);
const valueArb = fc.string({
  maxLength: 12,
  unit: fc.constantFrom('a', 'b', '-', '.', '*', '(', ')', '[', '|', '\\', '"', '$', '^', ' ', '1', 'é', '\n'),
});
const labelsArb = fc.dictionary(nameArb, valueArb, { maxKeys: 5 });
const matcherArb: fc.Arbitrary<Matcher> = fc.record({
  name: nameArb,
  value: valueArb,
  isRegex: fc.constant(false),
  isEqual: fc.boolean(),
});
const m = (name: string, op: '=' | '!=' | '=~' | '!~', value: string): Matcher => ({ name, value, ...fromOperator(op) });
const labelOf = (labels: Record<string, string>, name: string): string =>
  Object.prototype.hasOwnProperty.call(labels, name) ? (labels[name] ?? '') : '';

describe('matchers: the four operators', () => {
  it('= matches exactly the equal value; a missing label is the empty string', () => {
    fc.assert(
      fc.property(labelsArb, nameArb, valueArb, (labels, name, value) => {
        expect(matchesOne(compileMatcher(m(name, '=', value)), labels)).toBe(labelOf(labels, name) === value);
      }),
    );
  });

  it('!= and !~ are the negations of = and =~', () => {
    fc.assert(
      fc.property(labelsArb, nameArb, valueArb, (labels, name, value) => {
        expect(matchesOne(compileMatcher(m(name, '!=', value)), labels)).toBe(!matchesOne(compileMatcher(m(name, '=', value)), labels));
        const re = escapeRegexValue(value);
        expect(matchesOne(compileMatcher(m(name, '!~', re)), labels)).toBe(!matchesOne(compileMatcher(m(name, '=~', re)), labels));
      }),
    );
  });

  it('a regex of an escaped literal behaves exactly like equality (anchored at both ends)', () => {
    fc.assert(
      fc.property(valueArb, valueArb, (value, other) => {
        const c = compileMatcher(m('x', '=~', escapeRegexValue(value)));
        expect(c.test(value)).toBe(true);
        expect(c.test(other)).toBe(other === value);
      }),
    );
  });

  it('anchors regexes like Alertmanager: ^(?:value)$', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ minLength: 1, maxLength: 8 }), (a, b) => {
        const c = compileMatcher(m('x', '=~', escapeRegexValue(a)));
        expect(c.test(a + b)).toBe(false);
        expect(c.test(b + a)).toBe(false);
      }),
    );
    const alt = compileMatcher(m('instance', '=~', 'web-1|web-2'));
    expect(['web-1', 'web-2', 'web-12', 'xweb-1', 'web-1|web-2'].map((v) => alt.test(v))).toEqual([true, true, false, false, false]);
    expect(compileMatcher(m('i', '=~', 'web')).test('web-1')).toBe(false);
    expect(compileMatcher(m('i', '=~', 'web.*')).test('web-1')).toBe(true);
  });

  it('ANDs matchers: matchesAll is every matcher', () => {
    fc.assert(
      fc.property(labelsArb, fc.array(matcherArb, { maxLength: 4 }), (labels, ms) => {
        const compiled = ms.map((x) => compileMatcher(x));
        expect(matchesAll(compiled, labels)).toBe(compiled.every((c) => matchesOne(c, labels)));
      }),
    );
    expect(matchesAll([], { a: 'b' })).toBe(true);
  });

  it('missing labels: x="" matches alerts without x, x!="" only alerts with a non-empty x, x=~".*" everything', () => {
    expect(matchesOne(compileMatcher(m('team', '=', '')), { alertname: 'A' })).toBe(true);
    expect(matchesOne(compileMatcher(m('team', '!=', '')), { alertname: 'A' })).toBe(false);
    expect(matchesOne(compileMatcher(m('team', '!=', 'db')), { alertname: 'A' })).toBe(true);
    expect(matchesOne(compileMatcher(m('team', '=~', '.*')), {})).toBe(true);
    expect(matchesOne(compileMatcher(m('team', '=~', '.+')), {})).toBe(false);
  });

  it('operators round-trip', () => {
    for (const op of MATCH_OPERATORS) expect(operatorOf(fromOperator(op))).toBe(op);
  });
});

describe('Go RE2 syntax', () => {
  it('translates leading flags, named groups, \\z, \\Q…\\E, POSIX classes and ASCII \\s', () => {
    expect(anchoredRegex('(?i)WEB-.*').test('web-1')).toBe(true);
    expect(anchoredRegex('(?s)a.b').test('a\nb')).toBe(true);
    expect(anchoredRegex('a.b').test('a\nb')).toBe(false);
    expect(anchoredRegex('(?P<host>web)-\\d+').test('web-12')).toBe(true);
    expect(anchoredRegex('\\Q.*\\E').test('.*')).toBe(true);
    expect(anchoredRegex('\\Q.*\\E').test('ab')).toBe(false);
    expect(anchoredRegex('[[:digit:]]+').test('123')).toBe(true);
    expect(anchoredRegex('[[:digit:]]+').test('12a')).toBe(false);
    expect(anchoredRegex('[[:alpha:]_]+').test('ab_c')).toBe(true);
    expect(anchoredRegex('a\\sb').test('a\u00a0b')).toBe(false);
    expect(anchoredRegex('a\\sb').test('a b')).toBe(true);
    expect(anchoredRegex('[]a]+').test(']a]')).toBe(true);
    expect(anchoredRegex('\\pL+').test('héllo')).toBe(true);
    expect(anchoredRegex('abc\\z').test('abc')).toBe(true);
    expect(anchoredRegex('a{').test('a{')).toBe(true);
  });

  it('treats . as one code point, as RE2 does', () => {
    expect(anchoredRegex('.').test('😀')).toBe(true);
  });

  it('refuses what JavaScript cannot express and reports invalid regexes', () => {
    expect(() => translateGoRegex('(?U)a+')).toThrow(/ungreedy/);
    expect(() => translateGoRegex('a(?i:b)')).toThrow(/no JavaScript equivalent/);
    expect(() => compileMatcher(m('x', '=~', 'web-('), 3)).toThrow(/invalid regular expression "web-\("/);
    try {
      compileMatcher(m('x', '=~', 'web-('), 3);
    } catch (e) {
      expect((e as { index?: number }).index).toBe(3);
    }
  });
});

describe('silence matcher problems (what Alertmanager would refuse)', () => {
  it('needs at least one matcher', () => {
    expect(silenceMatcherProblems([])).toEqual([{ message: 'a silence needs at least one matcher' }]);
  });
  it('reports invalid label names and regexes by index', () => {
    const p = silenceMatcherProblems([m('ok', '=', 'a'), m('a-b', '=', 'x'), m('c', '=~', '(')]);
    expect(p.map((x) => x.index)).toEqual([1, 2]);
    expect(p[0]?.message).toBe('invalid label name "a-b"');
  });
  it('refuses a set where every matcher matches the empty string', () => {
    expect(silenceMatcherProblems([m('a', '=~', '.*'), m('b', '!=', 'x')])[0]?.message).toMatch(/must not match the empty string/);
    expect(silenceMatcherProblems([m('a', '=~', '.*'), m('b', '=', 'x')])).toEqual([]);
  });
  it('finds a problem exactly when all matchers match "" (property)', () => {
    fc.assert(
      fc.property(fc.array(matcherArb, { minLength: 1, maxLength: 4 }), (ms) => {
        const allEmpty = ms.every((x) => compileMatcher(x).test(''));
        expect(silenceMatcherProblems(ms).length > 0).toBe(allEmpty);
      }),
    );
  });
});

describe('text form', () => {
  it('parse(format(x)) is x for any matchers', () => {
    const anyMatcher = fc.record({ name: nameArb, value: fc.string({ maxLength: 10 }), isRegex: fc.boolean(), isEqual: fc.boolean() });
    fc.assert(
      fc.property(fc.array(anyMatcher, { maxLength: 5 }), (ms) => {
        expect(parseMatchers(formatMatchers(ms))).toEqual(ms);
      }),
    );
  });
  it('reads amtool style with or without braces and quotes', () => {
    expect(parseMatchers('alertname=HighCPU, instance=~"web-.*"')).toEqual([m('alertname', '=', 'HighCPU'), m('instance', '=~', 'web-.*')]);
    expect(parseMatchers('{severity!~"info|debug"}')).toEqual([m('severity', '!~', 'info|debug')]);
    expect(formatMatcher(m('a', '!=', 'say "hi"'))).toBe('a!="say \\"hi\\""');
    expect(() => parseMatchers('{a="b"')).toThrow(/closing/);
    expect(() => parseMatchers('a "b"')).toThrow(/expected =/);
    expect(() => parseMatchers('a="b')).toThrow(/unterminated/);
  });
});

describe('matchers from an alert and for a job target', () => {
  it('pre-fills equality matchers from labels, alertname first, optionally leaving some out', () => {
    expect(matchersFromLabels({ severity: 'warning', alertname: 'DiskFull', instance: 'db-1:9100' }, ['severity'])).toEqual([
      m('alertname', '=', 'DiskFull'),
      m('instance', '=', 'db-1:9100'),
    ]);
  });
  it('matches the target host with or without a port, and nothing else', () => {
    const hostArb = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,14}[a-z0-9])?$/);
    fc.assert(
      fc.property(hostArb, fc.integer({ min: 1, max: 65535 }), (host, port) => {
        const [t] = targetMatchers(host).map((x) => compileMatcher(x));
        if (!t) throw new Error('no matcher');
        expect(t.test(host)).toBe(true);
        expect(t.test(`${host}:${port}`)).toBe(true);
        expect(t.test(`${host}x`)).toBe(false);
        expect(t.test(`x${host}`)).toBe(false);
        expect(t.test(`${host}:`)).toBe(false);
      }),
    );
    const [web] = targetMatchers('web-1.example.com').map((x) => compileMatcher(x));
    expect(web?.test('web-1Xexample.com')).toBe(false);
  });
});
