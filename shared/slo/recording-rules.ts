// Adopts SLOs that Sloth or Pyrra already record, from the JSON of GET /api/v1/rules. Reading their recorded
// series is far cheaper than raw increase() over 30 days, and it shows exactly the numbers their alerts use.
//
// Sloth (pkg/common/conventions): `slo:sli_error:ratio_rate<w>` per window (5m 30m 1h 2h 6h 1d 3d + the period,
// e.g. 30d), labels sloth_id / sloth_service / sloth_slo / sloth_window; metadata `slo:objective:ratio` =
// vector(0.999), `slo:time_period:days` = vector(30), `sloth_slo_info{sloth_objective="99.9"}`. Ratios only, so
// "errors left" is unknown for Sloth SLOs.
//
// Pyrra (slo/rules.go): `<metric>:burnrate<w>{slo="name"}` hold *error ratios* (not burn rates) for its windows
// (28 d: 5m 30m 1h 2h 6h 1d 4d); `<metric>:increase<W>{slo="name"}` hold event counts over the SLO window,
// by the error label (ratio) or per `le` (latency: total has le="", good has the threshold). Targets are not in
// recording rules: they come from `pyrra_objective` (generic rules) or the thresholds of the ErrorBudgetBurn
// alerts, "(14 * (1-0.99))", so pass the unfiltered rules list (or give `targets`).
//
// Grouped SLOs (several series per SLO) are reduced to the worst group with max(): the console shows one row
// per SLO and must not hide a burning group behind a healthy average.

import { z } from 'zod';
import { durationSeconds, parseDuration } from './duration';
import { parseSelector, promString, withMatchers, type LabelMatcher } from './promql';
import { BURN_WINDOWS, type BurnWindow, type RecordedIndicator, type SloDefinition, type SloProblem } from './types';

const ruleSchema = z.object({
  name: z.string(),
  query: z.string(),
  labels: z.record(z.string(), z.string()).nullish(),
  type: z.string().optional(),
});
const groupSchema = z.object({ name: z.string(), file: z.string().optional(), rules: z.array(ruleSchema) });
const rulesResponseSchema = z.object({ status: z.literal('success'), data: z.object({ groups: z.array(groupSchema) }) });

type Rule = z.infer<typeof ruleSchema>;
interface RuleRef {
  rule: Rule;
  labels: Record<string, string>;
  group: string;
  file?: string;
}

export interface DetectOptions {
  /** Targets (fractions) by SLO name, for Pyrra SLOs whose alert rules are not visible. */
  targets?: Record<string, number>;
  /** Connection the rules came from; copied onto the definitions. */
  connectionId?: string;
}

export interface DetectResult {
  slos: SloDefinition[];
  problems: SloProblem[];
}

function problem(ref: RuleRef | undefined, field: string, message: string): SloProblem {
  return { file: ref?.file ?? ref?.group ?? '<rules>', line: 0, field, message };
}

/** The number in `vector(0.999)` / `vector(1-0.999)`; null for other expressions. */
function vectorNumber(query: string): number | null {
  const m = /^\s*vector\s*\(\s*([0-9.eE+-]+)\s*\)\s*$/.exec(query);
  if (!m || m[1] === undefined) return null;
  const v = Number(m[1]);
  return Number.isFinite(v) ? v : null;
}

function windowSeconds(text: string): number | null {
  const d = parseDuration(text);
  return d ? durationSeconds(d) : null;
}

function burnWindowFor(text: string): BurnWindow | undefined {
  const s = windowSeconds(text);
  return BURN_WINDOWS.find((w) => windowSeconds(w) === s);
}

function tidyTarget(x: number): number {
  return Number(x.toPrecision(12));
}

/** Prometheus duration text as OpenSLO shorthand ("4w" stays "4w"); null for compound forms. */
function plainWindow(text: string): { duration: string; seconds: number } | null {
  const s = windowSeconds(text);
  return s === null ? null : { duration: text, seconds: s };
}

function otherLabels(labels: Record<string, string>, drop: (k: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !drop(k)));
}

// ---- Sloth -------------------------------------------------------------------------------------------------

function detectSloth(refs: RuleRef[], opts: DetectOptions, problems: SloProblem[]): SloDefinition[] {
  const byId = new Map<string, { sli: Map<string, RuleRef>; meta: Map<string, RuleRef> }>();
  const entry = (id: string): { sli: Map<string, RuleRef>; meta: Map<string, RuleRef> } => {
    let e = byId.get(id);
    if (!e) byId.set(id, (e = { sli: new Map(), meta: new Map() }));
    return e;
  };
  for (const ref of refs) {
    const id = ref.labels['sloth_id'];
    if (id === undefined) continue;
    const m = /^slo:sli_error:ratio_rate(.+)$/.exec(ref.rule.name);
    if (m?.[1] !== undefined) entry(id).sli.set(m[1], ref);
    else if (ref.rule.name.startsWith('slo:') || ref.rule.name === 'sloth_slo_info') entry(id).meta.set(ref.rule.name, ref);
  }

  const out: SloDefinition[] = [];
  for (const [id, e] of byId) {
    const sample = e.sli.values().next().value ?? e.meta.values().next().value;
    if (e.sli.size === 0 || !sample) continue;
    const sel = (name: string): string => `max(${withMatchers(name, [{ name: 'sloth_id', op: '=', value: id }])})`;

    let target: number | null = null;
    const obj = e.meta.get('slo:objective:ratio');
    if (obj) target = vectorNumber(obj.rule.query);
    const info = e.meta.get('sloth_slo_info');
    if (target === null && info?.labels['sloth_objective'] !== undefined) target = Number(info.labels['sloth_objective']) / 100;
    if (target === null || !(target >= 0 && target < 1)) {
      problems.push(problem(sample, `sloth_id=${id}`, 'no usable objective (slo:objective:ratio or sloth_slo_info)'));
      continue;
    }

    // The compliance window: slo:time_period:days, else the longest recorded SLI window beyond 3d.
    let period: { duration: string; seconds: number } | null = null;
    const days = e.meta.get('slo:time_period:days');
    const n = days ? vectorNumber(days.rule.query) : null;
    if (n !== null && Number.isInteger(n) && n > 0) period = { duration: `${n}d`, seconds: n * 86_400 };
    if (!period) {
      for (const w of e.sli.keys()) {
        const p = plainWindow(w);
        if (p && p.seconds > 3 * 86_400 && (!period || p.seconds > period.seconds)) period = p;
      }
    }
    const periodRule = period ? [...e.sli.entries()].find(([w]) => windowSeconds(w) === period?.seconds) : undefined;
    if (!period || !periodRule) {
      problems.push(problem(sample, `sloth_id=${id}`, 'no period SLI rule (slo:sli_error:ratio_rate<period>)'));
      continue;
    }

    const errorRatio: Partial<Record<BurnWindow, string>> = {};
    for (const w of e.sli.keys()) {
      const bw = burnWindowFor(w);
      if (bw) errorRatio[bw] = sel(`slo:sli_error:ratio_rate${w}`);
    }
    const indicator: RecordedIndicator = {
      kind: 'recorded',
      generator: 'sloth',
      errorRatio,
      period: { kind: 'ratio', errorRatio: sel(`slo:sli_error:ratio_rate${periodRule[0]}`) },
    };
    const def: SloDefinition = {
      key: `sloth/${id}`,
      name: sample.labels['sloth_slo'] ?? id,
      displayName: id,
      service: sample.labels['sloth_service'] ?? 'unknown',
      labels: otherLabels(sample.labels, (k) => k.startsWith('sloth_')),
      indicator,
      window: { kind: 'rolling', duration: period.duration, seconds: period.seconds },
      budgetingMethod: 'Occurrences',
      objectives: [{ target: tidyTarget(target) }],
      origin:
        sample.file !== undefined
          ? { kind: 'sloth', ruleGroup: sample.group, file: sample.file }
          : { kind: 'sloth', ruleGroup: sample.group },
    };
    if (opts.connectionId !== undefined) def.connectionId = opts.connectionId;
    out.push(def);
  }
  return out;
}

// ---- Pyrra -------------------------------------------------------------------------------------------------

type ParsedSelector = NonNullable<ReturnType<typeof parseSelector>>;

/**
 * The selectors inside rate(...[w]) of a Pyrra burnrate rule. Ratio: `errors / total`, so errors first and total
 * last. Latency: `(count - bucket{le}) / count`, recognised by the bucket selector wherever it sits.
 */
function rateSelectors(query: string): { errors: ParsedSelector | null; total: ParsedSelector | null; bucket: ParsedSelector | null } {
  const found = [...query.matchAll(/rate\(\s*([^[]+?)\s*\[/g)].map((m) => parseSelector(m[1] ?? ''));
  const bucket =
    found.find((s) => s?.metric?.endsWith('_bucket') === true && s.matchers.some((m) => m.name === 'le' && m.op === '=')) ?? null;
  return { errors: found[0] ?? null, total: found[found.length - 1] ?? null, bucket };
}

function baseName(metric: string): string {
  return metric.replace(/_(total|count|bucket)$/, '');
}

function sameMatcher(a: LabelMatcher, b: LabelMatcher): boolean {
  return a.name === b.name && a.op === b.op && a.value === b.value;
}

function pyrraTarget(name: string, alerts: RuleRef[], objectives: Map<string, RuleRef>, opts: DetectOptions): number | null {
  const given = opts.targets?.[name];
  if (given !== undefined) return given;
  const obj = objectives.get(name);
  const v = obj ? vectorNumber(obj.rule.query) : null;
  if (v !== null) return v;
  for (const a of alerts) {
    if (a.labels['slo'] !== name) continue;
    const m = /\(\s*[0-9.]+\s*\*\s*\(\s*1\s*-\s*([0-9.]+)\s*\)\s*\)/.exec(a.rule.query);
    if (m?.[1] !== undefined) return Number(m[1]);
  }
  return null;
}

function detectPyrra(refs: RuleRef[], alerts: RuleRef[], opts: DetectOptions, problems: SloProblem[]): SloDefinition[] {
  const burn = new Map<string, Map<string, RuleRef>>();
  const increase = new Map<string, RuleRef[]>();
  const objectives = new Map<string, RuleRef>();
  for (const ref of refs) {
    const slo = ref.labels['slo'];
    if (slo === undefined) continue;
    if (ref.rule.name === 'pyrra_objective') objectives.set(slo, ref);
    const b = /^([a-zA-Z_:][a-zA-Z0-9_:]*):burnrate(.+)$/.exec(ref.rule.name);
    if (b?.[2] !== undefined) {
      let m = burn.get(slo);
      if (!m) burn.set(slo, (m = new Map()));
      m.set(b[2], ref);
      continue;
    }
    if (/:increase[0-9]/.test(ref.rule.name)) increase.set(slo, [...(increase.get(slo) ?? []), ref]);
  }

  const out: SloDefinition[] = [];
  for (const [name, windows] of burn) {
    const first = windows.values().next().value;
    if (!first) continue;
    const incs = increase.get(name) ?? [];
    const inc = incs[0];
    const incMatch = inc ? /^(.+):increase(.+)$/.exec(inc.rule.name) : null;
    const period = incMatch?.[2] !== undefined ? plainWindow(incMatch[2]) : null;
    if (!inc || !incMatch || !period) {
      problems.push(problem(first, `slo=${name}`, 'no <metric>:increase<window> rule for the SLO window'));
      continue;
    }
    const target = pyrraTarget(name, alerts, objectives, opts);
    if (target === null || !(target >= 0 && target < 1)) {
      problems.push(problem(first, `slo=${name}`, 'target unknown: no pyrra_objective rule or ErrorBudgetBurn alert; pass it in targets'));
      continue;
    }

    const slo: LabelMatcher = { name: 'slo', op: '=', value: name };
    const window = incMatch[2] ?? '';
    const countOf = (metricBase: string, extra: LabelMatcher[]): string =>
      `sum(${withMatchers(`${metricBase}:increase${window}`, [slo, ...extra])})`;
    const { errors, total, bucket } = rateSelectors(first.rule.query);
    let periodCounts: RecordedIndicator['period'] | null = null;
    const le = bucket?.matchers.find((m) => m.name === 'le' && m.op === '=');
    if (bucket?.metric !== undefined && le) {
      // Latency: total and good are the same recorded metric, told apart by le.
      const base = baseName(bucket.metric);
      periodCounts = { kind: 'counts', good: countOf(base, [le]), total: countOf(base, [{ name: 'le', op: '=', value: '' }]) };
    } else if (errors?.metric && total?.metric) {
      const totalBase = baseName(total.metric);
      if (errors.metric === total.metric) {
        const extra = errors.matchers.filter((m) => !total.matchers.some((t) => sameMatcher(m, t)));
        periodCounts = { kind: 'counts', bad: countOf(totalBase, extra), total: countOf(totalBase, []) };
      } else {
        periodCounts = { kind: 'counts', bad: countOf(baseName(errors.metric), []), total: countOf(totalBase, []) };
      }
    }
    if (!periodCounts) {
      problems.push(problem(first, `slo=${name}`, 'burnrate rule shape not recognised (ratio and latency indicators only)'));
      continue;
    }

    const errorRatio: Partial<Record<BurnWindow, string>> = {};
    for (const [w, ref] of windows) {
      const bw = burnWindowFor(w);
      if (bw) errorRatio[bw] = `max(${withMatchers(ref.rule.name, [slo])})`;
    }
    const def: SloDefinition = {
      key: `pyrra/${name}`,
      name,
      service: inc.labels['service'] ?? inc.labels['namespace'] ?? inc.labels['job'] ?? name,
      labels: otherLabels(inc.labels, (k) => k === 'slo' || k === 'le'),
      indicator: { kind: 'recorded', generator: 'pyrra', errorRatio, period: periodCounts },
      window: { kind: 'rolling', duration: period.duration, seconds: period.seconds },
      budgetingMethod: 'Occurrences',
      objectives: [{ target: tidyTarget(target) }],
      origin: inc.file !== undefined ? { kind: 'pyrra', ruleGroup: inc.group, file: inc.file } : { kind: 'pyrra', ruleGroup: inc.group },
    };
    if (opts.connectionId !== undefined) def.connectionId = opts.connectionId;
    out.push(def);
  }
  return out;
}

/** Finds Sloth and Pyrra SLOs in a /api/v1/rules response body (decoded JSON). */
export function detectRecordedSlos(body: unknown, opts: DetectOptions = {}): DetectResult {
  const parsed = rulesResponseSchema.safeParse(body);
  if (!parsed.success) {
    return { slos: [], problems: [{ file: '<rules>', line: 0, field: '', message: 'not a successful /api/v1/rules response' }] };
  }
  const records: RuleRef[] = [];
  const alerts: RuleRef[] = [];
  for (const g of parsed.data.data.groups) {
    for (const rule of g.rules) {
      const ref: RuleRef = { rule, labels: rule.labels ?? {}, group: g.name, ...(g.file !== undefined ? { file: g.file } : {}) };
      if (rule.type === 'alerting') alerts.push(ref);
      else records.push(ref);
    }
  }
  const problems: SloProblem[] = [];
  const slos = [...detectSloth(records, opts, problems), ...detectPyrra(records, alerts, opts, problems)];
  return { slos, problems };
}

/** Selector text for one Sloth SLO's recorded series, for charts that range-query the 5m ratio. */
export function slothSeries(name: string, slothId: string): string {
  return `${name}{sloth_id=${promString(slothId)}}`;
}
