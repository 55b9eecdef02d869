// Alertmanager label matchers, evaluated the way Alertmanager evaluates them, so the console can preview which
// alerts a silence would silence before it is sent:
//   - four operators: `=` equal, `!=` not equal, `=~` regex, `!~` not regex;
//   - a regex is anchored at both ends: Alertmanager compiles `^(?:value)$`, so `web` does not match `web-1`;
//   - a label the alert does not have counts as the empty string (`team!="db"` matches alerts without `team`);
//   - an alert is matched when every matcher matches (a silence's matchers are ANDed).
// Regexes are Go RE2 syntax; they are translated to JavaScript where the two differ in ways operators write
// (leading `(?i)` flags, `(?P<name>`, `\z`, `\Q…\E`, POSIX classes, ASCII `\s`). What cannot be translated is
// reported as a problem and the preview says it cannot judge; Alertmanager remains the judge on create.

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** false for `!=` and `!~`. */
  isEqual: boolean;
}

export type MatchOperator = '=' | '!=' | '=~' | '!~';
export const MATCH_OPERATORS: readonly MatchOperator[] = ['=', '!=', '=~', '!~'];

export type Labels = Readonly<Record<string, string>>;

export const operatorOf = (m: Pick<Matcher, 'isRegex' | 'isEqual'>): MatchOperator =>
  m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';

export const fromOperator = (op: MatchOperator): Pick<Matcher, 'isRegex' | 'isEqual'> => ({
  isRegex: op === '=~' || op === '!~',
  isEqual: op === '=' || op === '=~',
});

/** Prometheus/Alertmanager 0.25 label names. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export type CompiledMatcher = Matcher & { test: (value: string) => boolean };

export class MatcherError extends Error {
  constructor(
    message: string,
    readonly index?: number,
  ) {
    super(message);
    this.name = 'MatcherError';
  }
}

// ---- Go RE2 → JavaScript ---------------------------------------------------------------------------------

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Go's `\s` is ASCII whitespace only; JavaScript's also matches Unicode spaces and \v. */
const GO_SPACE = '\\t\\n\\f\\r ';

const escapeForRegex = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

export interface TranslatedRegex {
  source: string;
  flags: string;
}

/**
 * Translates a Go RE2 pattern to a JavaScript source and flags. Throws MatcherError for constructs JavaScript
 * has no equivalent for here (inline flag groups in the middle, ungreedy mode, `\C`).
 */
export function translateGoRegex(pattern: string): TranslatedRegex {
  let p = pattern;
  let flags = '';
  // Leading flags `(?is)` apply to the whole value, which is what JavaScript flags do.
  const lead = /^\(\?([imsU]+)\)/.exec(p);
  if (lead) {
    const f = lead[1] ?? '';
    if (f.includes('U')) throw new MatcherError('the ungreedy flag (?U) has no JavaScript equivalent; Alertmanager will judge it');
    if (f.includes('i')) flags += 'i';
    if (f.includes('s')) flags += 's';
    if (f.includes('m')) flags += 'm';
    p = p.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i] ?? '';
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new MatcherError('trailing backslash');
      if (n === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const lit = end === -1 ? p.slice(i + 2) : p.slice(i + 2, end);
        out += escapeForRegex(lit);
        i = end === -1 ? p.length : end + 1;
        continue;
      }
      if (n === 'z' && !inClass) {
        out += '$(?![\\s\\S])';
        i++;
        continue;
      }
      if (n === 'A' && !inClass) {
        out += '(?<![\\s\\S])';
        i++;
        continue;
      }
      if (n === 'C') throw new MatcherError('\\C (any byte) has no JavaScript equivalent');
      if (n === 's') {
        out += inClass ? GO_SPACE : `[${GO_SPACE}]`;
        i++;
        continue;
      }
      if (n === 'S' && !inClass) {
        out += `[^${GO_SPACE}]`;
        i++;
        continue;
      }
      if ((n === 'p' || n === 'P') && p[i + 2] !== '{') {
        // `\pL` is `\p{L}` in JavaScript.
        const cls = p[i + 2];
        if (cls === undefined) throw new MatcherError(`incomplete \\${n}`);
        out += `\\${n}{${cls}}`;
        i += 2;
        continue;
      }
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && p[i + 1] === ':') {
        const end = p.indexOf(':]', i + 2);
        const name = end === -1 ? '' : p.slice(i + 2, end);
        const negated = name.startsWith('^');
        const cls = POSIX_CLASSES[negated ? name.slice(1) : name];
        if (cls !== undefined && !negated) {
          out += cls;
          i = end + 1;
          continue;
        }
        if (negated) throw new MatcherError(`negated POSIX class [:${name}:] is not supported in the preview`);
      }
      if (c === '[') {
        out += '\\[';
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // `[]a]` and `[^]a]`: a `]` first in a class is a literal in Go.
      if (p[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && p[i + 1] === '?') {
      const rest = p.slice(i);
      if (rest.startsWith('(?P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (rest.startsWith('(?:') || rest.startsWith('(?<')) {
        out += c;
        continue;
      }
      throw new MatcherError(`the group ${rest.slice(0, 6)}… has no JavaScript equivalent here; Alertmanager will judge it`);
    }
    out += c;
  }
  return { source: out, flags };
}

const regexCache = new Map<string, RegExp>();

/** The anchored JavaScript RegExp Alertmanager's `^(?:value)$` corresponds to. Throws MatcherError. */
export function anchoredRegex(value: string): RegExp {
  const hit = regexCache.get(value);
  if (hit) return hit;
  const t = translateGoRegex(value);
  const source = `^(?:${t.source})$`;
  let re: RegExp;
  try {
    // RE2 is Unicode-aware (`.` is a code point); prefer the u flag, fall back where u mode is stricter.
    re = new RegExp(source, `${t.flags}u`);
  } catch {
    try {
      re = new RegExp(source, t.flags);
    } catch (e) {
      throw new MatcherError(`invalid regular expression "${value}": ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
  }
  if (regexCache.size > 500) regexCache.clear();
  regexCache.set(value, re);
  return re;
}

export function compileMatcher(m: Matcher, index?: number): CompiledMatcher {
  if (!LABEL_NAME.test(m.name)) throw new MatcherError(`invalid label name "${m.name}"`, index);
  if (!m.isRegex) {
    const test = m.isEqual ? (v: string) => v === m.value : (v: string) => v !== m.value;
    return { ...m, test };
  }
  let re: RegExp;
  try {
    re = anchoredRegex(m.value);
  } catch (e) {
    throw new MatcherError((e as Error).message, index);
  }
  const test = m.isEqual ? (v: string) => re.test(v) : (v: string) => !re.test(v);
  return { ...m, test };
}

/** Whether one matcher matches an alert's labels (a missing label is the empty string). */
export function matchesOne(m: CompiledMatcher, labels: Labels): boolean {
  return m.test(Object.prototype.hasOwnProperty.call(labels, m.name) ? (labels[m.name] ?? '') : '');
}

/** Whether all matchers match (an empty list matches everything, as in Alertmanager's filters). */
export function matchesAll(matchers: readonly CompiledMatcher[], labels: Labels): boolean {
  return matchers.every((m) => matchesOne(m, labels));
}

export interface MatcherProblem {
  /** Which matcher (0-based); absent for problems of the whole set. */
  index?: number;
  message: string;
}

/**
 * What Alertmanager would refuse in a silence's matchers, checked here first so the form can say so while
 * typing. The server still validates; its answer is what the user sees on create.
 */
export function silenceMatcherProblems(matchers: readonly Matcher[]): MatcherProblem[] {
  const problems: MatcherProblem[] = [];
  if (matchers.length === 0) return [{ message: 'a silence needs at least one matcher' }];
  const compiled: CompiledMatcher[] = [];
  matchers.forEach((m, i) => {
    try {
      compiled.push(compileMatcher(m, i));
    } catch (e) {
      problems.push({ index: i, message: (e as Error).message });
    }
  });
  if (problems.length === 0 && compiled.every((m) => m.test(''))) {
    problems.push({ message: 'at least one matcher must not match the empty string (this silence would match every alert)' });
  }
  return problems;
}

/** Compiles a set, or throws the first problem. */
export function compileAll(matchers: readonly Matcher[]): CompiledMatcher[] {
  return matchers.map((m, i) => compileMatcher(m, i));
}

// ---- text form: `alertname="HighCPU", instance=~"web-.*"` ------------------------------------------------

const quote = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

export const formatMatcher = (m: Matcher): string => `${m.name}${operatorOf(m)}${quote(m.value)}`;

export const formatMatchers = (ms: readonly Matcher[]): string => `{${ms.map(formatMatcher).join(', ')}}`;

/**
 * Parses matchers as amtool and the Alertmanager UI write them: `{a="b", c=~"d.*"}`, braces optional, values
 * quoted (with \\ \" \n escapes) or bare up to the next comma. Throws MatcherError with the position.
 */
export function parseMatchers(text: string): Matcher[] {
  let s = text.trim();
  if (s.startsWith('{')) {
    if (!s.endsWith('}')) throw new MatcherError('missing closing "}"');
    s = s.slice(1, -1);
  }
  const out: Matcher[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < s.length && /\s/.test(s[i] ?? '')) i++;
  };
  while (true) {
    skipSpace();
    if (i >= s.length) break;
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
    if (!nameMatch) throw new MatcherError(`expected a label name at position ${i + 1}: "${s.slice(i, i + 20)}"`, out.length);
    const name = nameMatch[0];
    i += name.length;
    skipSpace();
    const opMatch = /^(=~|!~|!=|=)/.exec(s.slice(i));
    if (!opMatch) throw new MatcherError(`expected =, !=, =~ or !~ after "${name}"`, out.length);
    const op = opMatch[0] as MatchOperator;
    i += op.length;
    skipSpace();
    let value = '';
    if (s[i] === '"') {
      i++;
      let closed = false;
      while (i < s.length) {
        const c = s[i] ?? '';
        if (c === '\\') {
          const n = s[i + 1];
          value += n === 'n' ? '\n' : (n ?? '');
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        value += c;
        i++;
      }
      if (!closed) throw new MatcherError(`unterminated quoted value for "${name}"`, out.length);
    } else {
      const end = s.indexOf(',', i);
      value = (end === -1 ? s.slice(i) : s.slice(i, end)).trim();
      i = end === -1 ? s.length : end;
    }
    out.push({ name, value, ...fromOperator(op) });
    skipSpace();
    if (i < s.length) {
      if (s[i] !== ',') throw new MatcherError(`expected "," after the matcher for "${name}"`, out.length);
      i++;
    }
  }
  return out;
}

/** Matchers equal to an alert's labels: the starting point of "silence this alert". */
export function matchersFromLabels(labels: Labels, omit: readonly string[] = []): Matcher[] {
  return Object.keys(labels)
    .filter((k) => !omit.includes(k))
    .sort((a, b) => (a === 'alertname' ? -1 : b === 'alertname' ? 1 : a.localeCompare(b)))
    .map((name) => ({ name, value: labels[name] ?? '', isRegex: false, isEqual: true }));
}

/** A regex that matches `text` literally (for building `=~` matchers from values). */
export const escapeRegexValue = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/**
 * "This target's alerts": the matcher for one host as Prometheus labels it. `instance` usually carries a port
 * (`web-1:9100`), sometimes not, so the value is matched with an optional port.
 */
export function targetMatchers(host: string, label = 'instance'): Matcher[] {
  return [{ name: label, value: `${escapeRegexValue(host)}(:[0-9]+)?`, isRegex: true, isEqual: true }];
}

export const sameMatchers = (a: readonly Matcher[], b: readonly Matcher[]): boolean =>
  a.length === b.length &&
  a.every((m, i) => {
    const o = b[i];
    return o !== undefined && o.name === m.name && o.value === m.value && o.isRegex === m.isRegex && o.isEqual === m.isEqual;
  });
