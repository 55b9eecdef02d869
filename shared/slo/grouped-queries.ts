// Batching by metric, not by SLO. The engine's fleet query ORs one tagged `sum(increase(SELECTOR[W]))` per SLO
// part, so a window costs one round trip, but Prometheus still does one selector lookup and one series scan per
// part: with 200 SLOs that is 600 selectors, and measured here the per-selector overhead (not the samples)
// dominates (a 5-minute window: ~200 ms batched vs ~5 ms as one `sum by`).
//
// For SLOs whose parts are plain counter selectors (OpenSLO `counter: true`, the common case), this module asks
// once per metric and window instead:
//
//   label_replace(sum by (service, code) (increase(http_requests_total{job="api"}[1h])), "__group__", "0", "", "")
//
// where `by` holds every label any of those selectors matches on (matchers all of them share are pushed into
// the selector), and sums, on this side, the rows each selector matches. sum(increase(S)) over the series S
// matches equals the sum of the per-group sums of the same per-series increases, so the numbers are the
// engine's (up to float summation order). The answer is rewritten into the engine's tagged form
// (`__slo__`, `__part__`), so evaluateFleet, bisecting and every rule about missing parts apply unchanged.
// Anything else (raw ratios, recorded rules, counter: false, {{.window}} templates, regexes JavaScript would
// read differently) keeps the engine's own per-SLO expressions, in the same query.

import { buildWindowQuery, PART_LABEL, SLO_LABEL, tagExpression, type Part } from './fleet-plan';
import { formatPromDuration } from './duration';
import { readVectorResponse, rememberVectorReading, type RangeSeries, type VectorSample } from './prom-values';
import { counterIncrease, hasWindowPlaceholder, parseSelector, promString, type LabelMatcher, type Selector } from './promql';
import type { QueryWindow, SloDefinition } from './types';
import { queryWindowSeconds } from './windows';
import { stepParts } from './step-series';

const GROUP_LABEL = '__group__';

export interface SimplePart {
  sloKey: string;
  part: Part;
  metric: string;
  matchers: LabelMatcher[];
  seconds: number;
}

/** A PromQL (RE2, fully anchored) regex as JavaScript reads it; null when the two could disagree. */
const compiled = new Map<string, RegExp | null>();

function jsRegex(v: string): RegExp | null {
  // Compiled once per pattern: decoding checks every row against every member, so this is hot.
  const hit = compiled.get(v);
  if (hit !== undefined) return hit;
  let re: RegExp | null = null;
  if (!/\(\?|\[\[:|\\[pPQECzAbB]/.test(v)) {
    try {
      re = new RegExp(`^(?:${v})$`);
    } catch {
      re = null;
    }
  }
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(v, re);
  return re;
}

const selectors = new Map<string, Selector | null>();

/** The selector of a plain counter query, parsed once per text (plans are rebuilt per window and per step). */
function usableSelector(q: string): Selector | null {
  const hit = selectors.get(q);
  if (hit !== undefined) return hit;
  const sel = readSelector(q);
  if (selectors.size > 20_000) selectors.clear();
  selectors.set(q, sel);
  return sel;
}

function readSelector(q: string): Selector | null {
  if (hasWindowPlaceholder(q)) return null;
  const sel = parseSelector(q);
  if (!sel?.metric) return null;
  if (sel.matchers.some((m) => m.name === '__name__')) return null;
  if (sel.matchers.some((m) => (m.op === '=~' || m.op === '!~') && jsRegex(m.value) === null)) return null;
  return sel;
}

/** The SLO's parts as plain counter selectors over `seconds`, or null when any part is something else. */
export function simpleParts(slo: SloDefinition, seconds: number): SimplePart[] | null {
  const ind = slo.indicator;
  if (ind.kind !== 'ratio' || !ind.counter) return null;
  const parts: [Part, string | undefined][] = [
    ['good', ind.good],
    ['bad', ind.bad],
    ['total', ind.total],
  ];
  const out: SimplePart[] = [];
  for (const [part, q] of parts) {
    if (q === undefined) continue;
    const sel = usableSelector(q);
    if (!sel?.metric) return null;
    out.push({ sloKey: slo.key, part, metric: sel.metric, matchers: sel.matchers, seconds });
  }
  return out;
}

/** What an SLO adds to a grouped window query (its label values in the group's regex); undefined if not grouped. */
export function groupedCost(slo: SloDefinition, seconds: number): number | undefined {
  const parts = simpleParts(slo, seconds);
  if (!parts) return undefined;
  return parts.reduce((a, p) => a + p.matchers.reduce((b, m) => b + m.value.length + 2, 0), 0);
}

const matcherKey = (m: LabelMatcher): string => `${m.name}\u0000${m.op}\u0000${m.value}`;

export interface Group {
  id: string;
  metric: string;
  seconds: number;
  /** Matchers every member has: pushed into the selector and not checked again. */
  common: LabelMatcher[];
  /**
   * For labels every member matches with `=`: a regex of just those values, so the group reads only its own
   * members' series (without it a 7-day group would scan every series of the metric).
   */
  narrow: LabelMatcher[];
  by: string[];
  members: SimplePart[];
}

/** A literal as an RE2 pattern. */
function regexLiteral(v: string): string {
  return v.replace(/[\\.+*?()|[\]{}^$]/g, (c) => `\\${c}`);
}

/** Parts that read the same metric over the same window share one selector. */
export function groupParts(parts: readonly SimplePart[]): Group[] {
  const byKey = new Map<string, SimplePart[]>();
  for (const p of parts) {
    const k = `${p.metric}\u0000${p.seconds}`;
    const list = byKey.get(k);
    if (list) list.push(p);
    else byKey.set(k, [p]);
  }
  const out: Group[] = [];
  for (const members of byKey.values()) {
    const first = members[0];
    if (!first) continue;
    const common = first.matchers.filter((m) => members.every((x) => x.matchers.some((y) => matcherKey(y) === matcherKey(m))));
    const commonKeys = new Set(common.map(matcherKey));
    const by = [...new Set(members.flatMap((x) => x.matchers.filter((m) => !commonKeys.has(matcherKey(m))).map((m) => m.name)))].sort();
    const narrow: LabelMatcher[] = [];
    for (const name of by) {
      const values = members.map((x) => x.matchers.find((m) => m.name === name && m.op === '=')?.value);
      if (values.every((v): v is string => v !== undefined)) {
        narrow.push({ name, op: '=~', value: [...new Set(values)].sort().map(regexLiteral).join('|') });
      }
    }
    out.push({ id: String(out.length), metric: first.metric, seconds: first.seconds, common, narrow, by, members });
  }
  return out;
}

function selectorText(metric: string, matchers: readonly LabelMatcher[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.map((m) => `${m.name}${m.op}${promString(m.value)}`).join(',')}}`;
}

/** The group's `sum by (...) (increase(metric{common}[W]))`, tagged with its id. */
export function groupExpression(g: Group, rangeSeconds: number = g.seconds): string {
  const inner = `increase(${selectorText(g.metric, [...g.common, ...g.narrow])}[${formatPromDuration(rangeSeconds)}])`;
  const sum = g.by.length > 0 ? `sum by (${g.by.join(', ')}) (${inner})` : `sum(${inner})`;
  return `label_replace(${sum}, "${GROUP_LABEL}", "${g.id}", "", "")`;
}

/**
 * The member's matchers the group's selector does not already apply, worked out once per group and member:
 * decoding checks them for every candidate row of every answer, and plans are kept between refreshes.
 */
const ownMatchers = new WeakMap<Group, Map<SimplePart, LabelMatcher[]>>();

function ownOf(g: Group, m: SimplePart): LabelMatcher[] {
  let byMember = ownMatchers.get(g);
  if (!byMember) ownMatchers.set(g, (byMember = new Map()));
  let own = byMember.get(m);
  if (!own) {
    const common = new Set(g.common.map(matcherKey));
    own = m.matchers.filter((x) => !common.has(matcherKey(x)));
    byMember.set(m, own);
  }
  return own;
}

function rowMatches(labels: Record<string, string>, own: readonly LabelMatcher[]): boolean {
  for (const x of own) {
    const v = labels[x.name] ?? '';
    switch (x.op) {
      case '=':
        if (v !== x.value) return false;
        break;
      case '!=':
        if (v === x.value) return false;
        break;
      case '=~':
        if (!jsRegex(x.value)?.test(v)) return false;
        break;
      case '!~':
        if (jsRegex(x.value)?.test(v)) return false;
        break;
    }
  }
  return true;
}

/**
 * The group's rows by the value of one label every member matches with `=` (service="checkout"), so each
 * member checks only its own few rows: without it decoding is members x rows (a million checks per window
 * for 500 SLOs).
 */
export class RowIndex<R extends { labels: Record<string, string> }> {
  private readonly label: string | undefined;
  private readonly byValue = new Map<string, R[]>();

  constructor(
    private readonly rows: readonly R[],
    g: Group,
  ) {
    this.label = g.narrow[0]?.name;
    if (this.label === undefined) return;
    for (const r of rows) {
      const v = r.labels[this.label] ?? '';
      const list = this.byValue.get(v);
      if (list) list.push(r);
      else this.byValue.set(v, [r]);
    }
  }

  /** The rows that can match the member (all of them when no label indexes the group). */
  candidates(m: SimplePart): readonly R[] {
    if (this.label === undefined) return this.rows;
    const eq = m.matchers.find((x) => x.name === this.label && x.op === '=');
    return eq ? (this.byValue.get(eq.value) ?? []) : this.rows;
  }
}

/** Sum of the rows a member's selector matches; undefined when none does (no series: the part is missing). */
export function memberValue(
  rows: readonly { labels: Record<string, string>; value: number }[],
  g: Group,
  m: SimplePart,
): number | undefined {
  const own = ownOf(g, m);
  let sum: number | undefined;
  for (const r of rows) if (rowMatches(r.labels, own)) sum = (sum ?? 0) + r.value;
  return sum;
}

function encode(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

export interface Rewrite {
  query: string;
  /** Turns the rewritten query's answer into the answer the engine's query would have given. */
  decode(body: unknown): unknown;
}

/** The engine's window query over `slos`, rewritten to ask by metric where it can; null when nothing to group. */
export function groupedWindowQuery(slos: readonly SloDefinition[], window: QueryWindow, at: number): Rewrite | null {
  const simple: SimplePart[] = [];
  const other: SloDefinition[] = [];
  for (const slo of slos) {
    const parts = simpleParts(slo, queryWindowSeconds(window, slo.window, at));
    if (parts) simple.push(...parts);
    else other.push(slo);
  }
  if (simple.length === 0) return null;
  const groups = groupParts(simple);
  const rest = buildWindowQuery(other, window, at);
  const query = [...groups.map((g) => groupExpression(g)), ...(rest ? [rest.query] : [])].join('\nor ');
  return {
    query,
    decode(body: unknown): unknown {
      const read = readVectorResponse(body);
      if (!read.ok) return body;
      const rows = new Map<string, VectorSample[]>();
      const samples: VectorSample[] = [];
      for (const s of read.samples) {
        const g = s.labels[GROUP_LABEL];
        if (g === undefined) {
          samples.push(s);
          continue;
        }
        const list = rows.get(g);
        if (list) list.push(s);
        else rows.set(g, [s]);
      }
      for (const g of groups) {
        const index = new RowIndex(rows.get(g.id) ?? [], g);
        for (const m of g.members) {
          const candidates = index.candidates(m);
          const v = memberValue(candidates, g, m);
          // Every row of an instant answer carries the evaluation time: the member's is its rows'.
          const time = candidates[0]?.time ?? at;
          if (v !== undefined) samples.push({ labels: { [SLO_LABEL]: m.sloKey, [PART_LABEL]: m.part }, time, value: v });
        }
      }
      // The answer as Prometheus would have sent it, written out only if something reads it as JSON: the engine
      // takes the samples below, and writing 1,000 values as text per window was a tenth of a refresh's CPU.
      let result: { metric: Record<string, string>; value: [number, string] }[] | undefined;
      const data = { resultType: 'vector' };
      Object.defineProperty(data, 'result', {
        enumerable: true,
        get: () => (result ??= samples.map((x) => ({ metric: x.labels, value: [x.time, encode(x.value)] }))),
      });
      const out = { status: 'success', data, ...(read.warnings.length ? { warnings: read.warnings } : {}) };
      // The engine reads this answer next: hand it the samples as they are rather than as text to parse again.
      rememberVectorReading(out, { ok: true, samples, warnings: read.warnings });
      return out;
    },
  };
}

export interface RangeRewrite {
  query: string;
  /** Per-SLO, per-part series (labels `__slo__`, `__part__`), as the tagged per-SLO query would return. */
  decode(series: readonly RangeSeries[]): RangeSeries[];
}

/** Per-step events of many SLOs in one range query, by metric where possible (see stepParts for the rest). */
export function groupedStepQuery(slos: readonly SloDefinition[], step: number): RangeRewrite | null {
  const simple: SimplePart[] = [];
  const otherTerms: string[] = [];
  for (const slo of slos) {
    const parts = simpleParts(slo, step);
    if (parts) simple.push(...parts);
    else for (const p of stepParts(slo, step)) otherTerms.push(tagExpression(p.expr, slo.key, p.part));
  }
  const groups = groupParts(simple);
  const terms = [...groups.map((g) => groupExpression(g, step)), ...otherTerms];
  if (terms.length === 0) return null;
  return {
    query: terms.join('\nor '),
    decode(series: readonly RangeSeries[]): RangeSeries[] {
      const out: RangeSeries[] = [];
      const rows = new Map<string, RangeSeries[]>();
      for (const s of series) {
        const g = s.labels[GROUP_LABEL];
        if (g === undefined) out.push(s);
        else {
          const list = rows.get(g);
          if (list) list.push(s);
          else rows.set(g, [s]);
        }
      }
      for (const g of groups) {
        const index = new RowIndex(rows.get(g.id) ?? [], g);
        for (const m of g.members) {
          const own = ownOf(g, m);
          const matched = index.candidates(m).filter((r) => rowMatches(r.labels, own));
          if (matched.length === 0) continue;
          const sums = new Map<number, number>();
          for (const r of matched) for (const p of r.points) sums.set(p.t, (sums.get(p.t) ?? 0) + p.v);
          out.push({
            labels: { [SLO_LABEL]: m.sloKey, [PART_LABEL]: m.part },
            points: [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v })),
          });
        }
      }
      return out;
    },
  };
}

/** The per-SLO single-selector form of one simple part (for tests comparing both ways). */
export function directPartQuery(p: SimplePart): string {
  return counterIncrease(selectorText(p.metric, p.matchers), p.seconds);
}
