// The little PromQL the engine writes and reads. We never parse full PromQL: user expressions are passed through
// untouched, and only series selectors (`name{label="v",...}`) are taken apart, for Pyrra rules and for spotting
// histogram buckets. Anything unexpected makes these helpers return null instead of guessing.

import { formatPromDuration } from './duration';

/** A PromQL string literal. JSON's escaping is a subset of Go's, which PromQL uses. */
export function promString(s: string): string {
  return JSON.stringify(s);
}

export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface Selector {
  metric?: string;
  matchers: LabelMatcher[];
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Reads a double- or single-quoted PromQL string at the start of `s`; returns [value, length] or null. */
function readString(s: string): [string, number] | null {
  const q = s[0];
  if (q !== '"' && q !== "'") return null;
  let out = '';
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (c === q) return [out, i + 1];
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined) return null;
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      i++;
    } else {
      out += c;
    }
  }
  return null;
}

/**
 * Parses a plain series selector such as `http_requests_total{code=~"5..", job="api"}` or `{__name__="x"}`.
 * Returns null for anything else (functions, operators, range selectors, offsets).
 */
export function parseSelector(text: string): Selector | null {
  let s = text.trim();
  const sel: Selector = { matchers: [] };
  const name = NAME_RE.exec(s);
  if (name) {
    sel.metric = name[0];
    s = s.slice(name[0].length).trimStart();
  }
  if (s === '') return sel.metric ? sel : null;
  if (s[0] !== '{') return null;
  s = s.slice(1).trimStart();
  while (s[0] !== '}') {
    const label = LABEL_RE.exec(s);
    if (!label) return null;
    s = s.slice(label[0].length).trimStart();
    const op = (['=~', '!~', '!=', '='] as const).find((o) => s.startsWith(o));
    if (!op) return null;
    s = s.slice(op.length).trimStart();
    const str = readString(s);
    if (!str) return null;
    sel.matchers.push({ name: label[0], op, value: str[0] });
    s = s.slice(str[1]).trimStart();
    if (s[0] === ',') s = s.slice(1).trimStart();
    else if (s[0] !== '}') return null;
  }
  if (s.slice(1).trim() !== '') return null;
  if (!sel.metric && sel.matchers.length === 0) return null;
  return sel;
}

export function formatSelector(sel: Selector): string {
  const body = sel.matchers.map((m) => `${m.name}${m.op}${promString(m.value)}`).join(',');
  if (sel.metric && body === '') return sel.metric;
  return `${sel.metric ?? ''}{${body}}`;
}

/** Adds matchers to a selector text (used to scope recorded series to one SLO). */
export function withMatchers(metric: string, matchers: readonly LabelMatcher[]): string {
  return formatSelector({ metric, matchers: [...matchers] });
}

/**
 * Cheap structural check of a user expression: quotes closed, brackets balanced. One broken expression would
 * fail a whole batched fleet query, so we catch the obvious ones when the file is read.
 */
export function checkExpression(text: string): string | null {
  if (text.trim() === '') return 'query is empty';
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '"' || c === "'") {
      const str = readString(text.slice(i));
      if (!str) return `unterminated string starting at character ${i + 1}`;
      i += str[1] - 1;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return `unterminated string starting at character ${i + 1}`;
      i = end;
    } else if (c === '#') {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if (c === '(' || c === '[' || c === '{') {
      stack.push(c);
    } else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== pairs[c]) return `unbalanced '${c}' at character ${i + 1}`;
    }
  }
  if (stack.length > 0) return `unclosed '${stack[stack.length - 1] ?? ''}'`;
  return null;
}

const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;

/** Whether a query carries Sloth's `{{.window}}` placeholder, which we substitute with each window. */
export function hasWindowPlaceholder(q: string): boolean {
  return /\{\{\s*\.window\s*\}\}/.test(q);
}

export function fillWindow(q: string, windowSeconds: number): string {
  return q.replace(WINDOW_PLACEHOLDER, formatPromDuration(windowSeconds));
}

/** `sum(increase(SEL[W]))`: events over W. increase() corrects counter resets and extrapolates to the edges. */
export function counterIncrease(selector: string, windowSeconds: number): string {
  return `sum(increase(${selector.trim()}[${formatPromDuration(windowSeconds)}]))`;
}

/** `sum(rate(SEL[W]))`: the per-second form, for charts that want rates. Ratios come out identical. */
export function counterRate(selector: string, windowSeconds: number): string {
  return `sum(rate(${selector.trim()}[${formatPromDuration(windowSeconds)}]))`;
}

/**
 * Subquery resolution for averaging a non-counter expression over W: one point a minute up to 6 h, then
 * coarser so a 30-day window costs 1,440 evaluations rather than 43,200.
 */
export function subqueryResolution(windowSeconds: number): string {
  if (windowSeconds <= 6 * 3600) return '1m';
  if (windowSeconds <= 3 * 86_400) return '5m';
  return '30m';
}

/** Average of an instantaneous expression over W (a subquery), for rate or ratio queries that are not counters. */
export function averageOver(expr: string, windowSeconds: number): string {
  return `avg_over_time((${expr.trim()})[${formatPromDuration(windowSeconds)}:${subqueryResolution(windowSeconds)}])`;
}
