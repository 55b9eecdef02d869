// Reads OpenSLO `openslo/v1` YAML (one or many documents per file, many files) into SloDefinitions.
//
// Supported: kind SLO with an inline `indicator` or an `indicatorRef` to a kind SLI document (in any of the
// files); `ratioMetric` with good/total, bad/total or rawType+raw; `metricSource` of type Prometheus or a
// `metricSourceRef` (taken as the connection id); rolling windows (m h d w) and calendar windows
// (`isRolling: false`, d w M Q Y, in calendar.timeZone); `budgetingMethod: Occurrences`; one or more objectives
// with `target` or `targetPercent`. Other kinds (Service, DataSource, AlertPolicy, ...) are accepted and ignored.
//
// How queries are used (the spec leaves it to the implementation):
// - `counter: true`: the query is a counter series selector; the engine wraps it as sum(increase(Q[W]))
//   (sum(rate(Q[W])) for per-second charts). Latency SLIs are the same ratio of histogram counters:
//   good = `h_bucket{le="0.3"}`, total = `h_count` (le must be an existing bucket boundary).
// - `counter: false`: the query yields per-second rates; the engine averages it over W with a subquery.
// - a query containing `{{.window}}` (Sloth's template) is used as written with the window substituted.
//
// Every problem names file, line and field; one bad document (or file) never stops the others.

import { durationSeconds, isValidTimeZone, parseCalendarStart, parseDuration } from './duration';
import { checkExpression, hasWindowPlaceholder, parseSelector } from './promql';
import type { RatioIndicator, RawRatioIndicator, SloDefinition, SloObjective, SloProblem, SloWindow } from './types';
import { documents, position, problemAt, schemaProblems, sliDocSchema, sloDocSchema, valueAt } from './openslo-documents';
import type { DocContext, Path, SliSpec, SloDoc, SloFile, SourceHolder } from './openslo-documents';

export type { SloFile } from './openslo-documents';

export interface OpenSloResult {
  slos: SloDefinition[];
  problems: SloProblem[];
}

// ---- indicator ---------------------------------------------------------------------------------------------

interface SourceRead {
  query: string;
  connectionId?: string;
}

/** Reads one metricSource; `path` points at the object that holds `metricSource`. */
function readSource(ctx: DocContext, holder: SourceHolder, path: Path, problems: SloProblem[]): SourceRead | null {
  const src = holder.metricSource;
  const at = [...path, 'metricSource'];
  if (src.type === undefined && src.metricSourceRef === undefined) {
    problems.push(problemAt(ctx, [...at, 'type'], 'needs type: Prometheus or a metricSourceRef'));
    return null;
  }
  if (src.type !== undefined && src.type.toLowerCase() !== 'prometheus') {
    problems.push(problemAt(ctx, [...at, 'type'], `type ${src.type} is not supported (only Prometheus)`));
    return null;
  }
  const raw = src.spec?.['query'] ?? src.spec?.['promql'];
  if (typeof raw !== 'string') {
    problems.push(problemAt(ctx, [...at, 'spec', 'query'], 'is required: the PromQL query'));
    return null;
  }
  const bad = checkExpression(raw);
  if (bad) {
    problems.push(problemAt(ctx, [...at, 'spec', src.spec?.['query'] !== undefined ? 'query' : 'promql'], bad));
    return null;
  }
  return src.metricSourceRef !== undefined ? { query: raw.trim(), connectionId: src.metricSourceRef } : { query: raw.trim() };
}

function latencyThreshold(goodQuery: string): number | undefined {
  const sel = parseSelector(goodQuery);
  if (!sel?.metric?.endsWith('_bucket')) return undefined;
  const le = sel.matchers.find((m) => m.name === 'le' && m.op === '=');
  if (!le) return undefined;
  const v = le.value === '+Inf' ? Number.POSITIVE_INFINITY : Number(le.value);
  return Number.isFinite(v) ? v : undefined;
}

interface IndicatorRead {
  indicator: RatioIndicator | RawRatioIndicator;
  connectionId?: string;
}

/** Builds the indicator from an SLI spec at `path` (e.g. ['spec'] of an SLI doc or ['spec','indicator','spec']). */
function readIndicator(ctx: DocContext, spec: SliSpec, path: Path, problems: SloProblem[]): IndicatorRead | null {
  if (spec.thresholdMetric !== undefined) {
    problems.push(problemAt(ctx, [...path, 'thresholdMetric'], 'thresholdMetric is not supported (needs Timeslices); use ratioMetric'));
    return null;
  }
  const rm = spec.ratioMetric;
  if (rm === undefined) {
    problems.push(problemAt(ctx, [...path, 'ratioMetric'], 'is required'));
    return null;
  }
  const at = [...path, 'ratioMetric'];
  const before = problems.length;
  const sources: SourceRead[] = [];

  if (rm.raw !== undefined || rm.rawType !== undefined) {
    if (rm.raw === undefined || rm.rawType === undefined) {
      problems.push(problemAt(ctx, [...at, rm.raw === undefined ? 'raw' : 'rawType'], 'raw and rawType go together'));
      return null;
    }
    const raw = readSource(ctx, rm.raw, [...at, 'raw'], problems);
    if (!raw) return null;
    const ind: RawRatioIndicator = { kind: 'raw-ratio', query: raw.query, rawType: rm.rawType };
    return raw.connectionId !== undefined ? { indicator: ind, connectionId: raw.connectionId } : { indicator: ind };
  }

  if (rm.counter === undefined) problems.push(problemAt(ctx, [...at, 'counter'], 'is required (true for counters)'));
  if ((rm.good === undefined) === (rm.bad === undefined)) {
    problems.push(problemAt(ctx, at, 'needs exactly one of good or bad'));
  }
  if (rm.total === undefined) problems.push(problemAt(ctx, [...at, 'total'], 'is required'));
  if (problems.length > before) return null;

  const which = rm.good !== undefined ? 'good' : 'bad';
  const num = readSource(ctx, (rm.good ?? rm.bad) as SourceHolder, [...at, which], problems);
  const total = readSource(ctx, rm.total as SourceHolder, [...at, 'total'], problems);
  if (!num || !total) return null;
  sources.push(num, total);

  const counter = rm.counter === true;
  for (const [name, s] of [
    [which, num],
    ['total', total],
  ] as const) {
    if (counter && !hasWindowPlaceholder(s.query) && parseSelector(s.query) === null) {
      problems.push(
        problemAt(
          ctx,
          [...at, name, 'metricSource', 'spec', 'query'],
          'with counter: true the query must be a series selector such as http_requests_total{code=~"5.."} (or use {{.window}})',
        ),
      );
    }
  }
  const refs = new Set(sources.map((s) => s.connectionId));
  if (refs.size > 1) {
    problems.push(
      problemAt(ctx, [...at, 'total', 'metricSource', 'metricSourceRef'], 'good/bad and total must use the same metric source'),
    );
  }
  if (problems.length > before) return null;

  const ind: RatioIndicator = { kind: 'ratio', total: total.query, counter };
  if (which === 'good') {
    ind.good = num.query;
    const le = latencyThreshold(num.query);
    if (le !== undefined) ind.latencyThreshold = le;
  } else {
    ind.bad = num.query;
  }
  return total.connectionId !== undefined ? { indicator: ind, connectionId: total.connectionId } : { indicator: ind };
}

// ---- window and objectives ---------------------------------------------------------------------------------

// 1970-01-05 was a Monday: week periods without a calendar.startTime start on Mondays.
const MONDAY_EPOCH = 4 * 86_400;

function readWindow(ctx: DocContext, tw: SloDoc['spec']['timeWindow'][number], problems: SloProblem[]): SloWindow | null {
  const at: Path = ['spec', 'timeWindow', 0];
  const d = parseDuration(tw.duration);
  if (!d) {
    problems.push(problemAt(ctx, [...at, 'duration'], `"${tw.duration}" is not a duration such as 28d, 4w or 1M`));
    return null;
  }
  const rolling = tw.isRolling ?? tw.calendar === undefined;
  if (rolling) {
    const seconds = durationSeconds(d);
    if (seconds === null) {
      problems.push(problemAt(ctx, [...at, 'duration'], `a rolling window needs a fixed length (m, h, d, w), not ${tw.duration}`));
      return null;
    }
    if (seconds < 3600) {
      problems.push(problemAt(ctx, [...at, 'duration'], 'a window shorter than 1h leaves no room for burn-rate windows'));
      return null;
    }
    return { kind: 'rolling', duration: tw.duration, seconds };
  }
  if (d.unit === 's' || d.unit === 'm' || d.unit === 'h') {
    problems.push(problemAt(ctx, [...at, 'duration'], 'a calendar window is counted in d, w, M, Q or Y'));
    return null;
  }
  const timeZone = tw.calendar?.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) {
    problems.push(problemAt(ctx, [...at, 'calendar', 'timeZone'], `unknown time zone ${timeZone}`));
    return null;
  }
  let anchor = MONDAY_EPOCH;
  if (tw.calendar?.startTime !== undefined) {
    const s = parseCalendarStart(tw.calendar.startTime, timeZone);
    if (s === null) {
      problems.push(problemAt(ctx, [...at, 'calendar', 'startTime'], 'must look like "2024-01-01 00:00:00"'));
      return null;
    }
    anchor = s;
  }
  return { kind: 'calendar', duration: tw.duration, count: d.count, unit: d.unit, timeZone, anchor };
}

/** targetPercent 99.9 / 100 is 0.9990000000000001 in floating point; 12 significant digits undo that. */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

function readObjectives(ctx: DocContext, list: SloDoc['spec']['objectives'], problems: SloProblem[]): SloObjective[] | null {
  const out: SloObjective[] = [];
  const before = problems.length;
  list.forEach((o, i) => {
    const at: Path = ['spec', 'objectives', i];
    if (o.indicator !== undefined || o.indicatorRef !== undefined) {
      problems.push(problemAt(ctx, [...at, o.indicator !== undefined ? 'indicator' : 'indicatorRef'], 'composite SLOs are not supported'));
      return;
    }
    if ((o.target === undefined) === (o.targetPercent === undefined)) {
      problems.push(problemAt(ctx, [...at, 'target'], 'needs exactly one of target or targetPercent'));
      return;
    }
    let target: number;
    if (o.target !== undefined) {
      if (!(o.target >= 0 && o.target < 1)) {
        problems.push(problemAt(ctx, [...at, 'target'], 'must be in [0, 1), e.g. 0.999'));
        return;
      }
      target = o.target;
    } else {
      const p = o.targetPercent ?? 0;
      if (!(p >= 0 && p < 100)) {
        problems.push(problemAt(ctx, [...at, 'targetPercent'], 'must be in [0, 100), e.g. 99.9'));
        return;
      }
      target = tidy(p / 100);
    }
    out.push(o.displayName !== undefined ? { displayName: o.displayName, target } : { target });
  });
  return problems.length > before ? null : out;
}

function flattenLabels(labels: Record<string, string | string[]> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

// ---- documents ---------------------------------------------------------------------------------------------

interface SliEntry {
  ctx: DocContext;
  read: IndicatorRead | null;
}

function docLine(ctx: DocContext): number {
  return position(ctx, []).line;
}

function readSlo(ctx: DocContext, slis: Map<string, SliEntry>, problems: SloProblem[]): SloDefinition | null {
  const parsed = sloDocSchema.safeParse(ctx.js);
  if (!parsed.success) {
    problems.push(...schemaProblems(ctx, parsed.error));
    return null;
  }
  const slo = parsed.data;
  const spec = slo.spec;
  const before = problems.length;

  if (spec.budgetingMethod !== 'Occurrences') {
    problems.push(problemAt(ctx, ['spec', 'budgetingMethod'], `${spec.budgetingMethod} is not supported (only Occurrences)`));
  }

  let ind: IndicatorRead | null = null;
  if ((spec.indicator === undefined) === (spec.indicatorRef === undefined)) {
    problems.push(problemAt(ctx, ['spec', 'indicator'], 'needs exactly one of indicator or indicatorRef'));
  } else if (spec.indicatorRef !== undefined) {
    const entry = slis.get(spec.indicatorRef);
    if (!entry) problems.push(problemAt(ctx, ['spec', 'indicatorRef'], `no SLI named ${spec.indicatorRef}`));
    else if (!entry.read) {
      problems.push(
        problemAt(ctx, ['spec', 'indicatorRef'], `SLI ${spec.indicatorRef} (${entry.ctx.file}:${docLine(entry.ctx)}) has errors`),
      );
    } else ind = entry.read;
  } else {
    const inline = sliDocSchema.safeParse(spec.indicator);
    if (!inline.success) {
      for (const issue of inline.error.issues) {
        const path = ['spec', 'indicator', ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
        const missing = issue.code === 'invalid_type' && valueAt(ctx.js, path) === undefined;
        problems.push(problemAt(ctx, path, missing ? 'is required' : issue.message));
      }
    } else {
      ind = readIndicator(ctx, inline.data.spec, ['spec', 'indicator', 'spec'], problems);
    }
  }

  const tw = spec.timeWindow[0];
  const window = tw ? readWindow(ctx, tw, problems) : null;
  const objectives = readObjectives(ctx, spec.objectives, problems);
  if (problems.length > before || !ind || !window || !objectives) return null;

  const def: SloDefinition = {
    key: slo.metadata.name,
    name: slo.metadata.name,
    service: spec.service,
    labels: flattenLabels(slo.metadata.labels),
    indicator: ind.indicator,
    window,
    budgetingMethod: 'Occurrences',
    objectives,
    origin: { kind: 'openslo', file: ctx.file, line: docLine(ctx) },
  };
  if (slo.metadata.displayName !== undefined) def.displayName = slo.metadata.displayName;
  if (spec.description !== undefined) def.description = spec.description;
  if (ind.connectionId !== undefined) def.connectionId = ind.connectionId;
  return def;
}

function readSli(ctx: DocContext, problems: SloProblem[]): { name: string; entry: SliEntry } | null {
  const parsed = sliDocSchema.safeParse(ctx.js);
  if (!parsed.success) {
    problems.push(...schemaProblems(ctx, parsed.error));
    const name = valueAt(ctx.js, ['metadata', 'name']);
    // Remember the broken SLI so SLOs that reference it say why, instead of "no SLI named ...".
    return typeof name === 'string' ? { name, entry: { ctx, read: null } } : null;
  }
  return { name: parsed.data.metadata.name, entry: { ctx, read: readIndicator(ctx, parsed.data.spec, ['spec'], problems) } };
}

/** Parses OpenSLO files. SLIs referenced by name may live in any of the given files. */
export function parseOpenSlo(input: SloFile | readonly SloFile[]): OpenSloResult {
  const files = Array.isArray(input) ? (input as readonly SloFile[]) : [input as SloFile];
  const problems: SloProblem[] = [];
  const docs = documents(files, problems);

  const slis = new Map<string, SliEntry>();
  const sloDocs: DocContext[] = [];
  for (const ctx of docs) {
    if (typeof ctx.js !== 'object' || ctx.js === null || Array.isArray(ctx.js)) {
      problems.push(problemAt(ctx, [], 'an OpenSLO document must be a mapping with apiVersion and kind'));
      continue;
    }
    const apiVersion = valueAt(ctx.js, ['apiVersion']);
    const kind = valueAt(ctx.js, ['kind']);
    if (apiVersion !== 'openslo/v1') {
      problems.push(
        problemAt(
          ctx,
          ['apiVersion'],
          apiVersion === undefined ? 'is required' : `${String(apiVersion)} is not supported (only openslo/v1)`,
        ),
      );
      continue;
    }
    if (kind === 'SLI') {
      const sli = readSli(ctx, problems);
      if (!sli) continue;
      if (slis.has(sli.name)) {
        const first = slis.get(sli.name);
        problems.push(
          problemAt(ctx, ['metadata', 'name'], `duplicate SLI name (first in ${first?.ctx.file}:${first ? docLine(first.ctx) : 0})`),
        );
        continue;
      }
      slis.set(sli.name, sli.entry);
    } else if (kind === 'SLO') {
      sloDocs.push(ctx);
    } else if (typeof kind !== 'string') {
      problems.push(problemAt(ctx, ['kind'], 'is required'));
    }
  }

  const slos: SloDefinition[] = [];
  const seen = new Map<string, SloDefinition>();
  for (const ctx of sloDocs) {
    const def = readSlo(ctx, slis, problems);
    if (!def) continue;
    const first = seen.get(def.key);
    if (first) {
      const o = first.origin.kind === 'openslo' ? `${first.origin.file}:${first.origin.line}` : first.origin.kind;
      problems.push(problemAt(ctx, ['metadata', 'name'], `duplicate SLO name (first in ${o})`));
      continue;
    }
    seen.set(def.key, def);
    slos.push(def);
  }
  return { slos, problems };
}
