import { describe, expect, it } from 'vitest';
import {
  buildFleetPlan,
  groupedCost,
  groupedStepQuery,
  groupedWindowQuery,
  groupParts,
  memberValue,
  parseOpenSlo,
  queryWindowSeconds,
  readVectorResponse,
  simpleParts,
  type SloDefinition,
} from '@shared/slo';

function slo(name: string, bad: string, total: string, counter = true): SloDefinition {
  const text = `apiVersion: openslo/v1
kind: SLO
metadata: {name: ${name}}
spec:
  service: ${name}
  indicator:
    metadata: {name: ${name}-sli}
    spec:
      ratioMetric:
        counter: ${counter}
        bad: {metricSource: {type: Prometheus, spec: {query: '${bad}'}}}
        total: {metricSource: {type: Prometheus, spec: {query: '${total}'}}}
  timeWindow: [{duration: 30d, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{target: 0.999}]
`;
  const r = parseOpenSlo({ file: `${name}.yaml`, text });
  if (!r.slos[0]) throw new Error(JSON.stringify(r.problems));
  return r.slos[0];
}

const a = slo('a', 'http_requests_total{job="api",service="a",code=~"5.."}', 'http_requests_total{job="api",service="a"}');
const b = slo('b', 'http_requests_total{job="api",service="b",code!~"2..|3.."}', 'http_requests_total{job="api",service="b"}');
const rated = slo('c', 'rate(x_total[5m])', 'rate(y_total[5m])', false);

describe('grouping SLO parts by metric', () => {
  it('pushes shared matchers into the selector and groups by the labels the others use', () => {
    const parts = [...(simpleParts(a, 3600) ?? []), ...(simpleParts(b, 3600) ?? [])];
    const [g, ...more] = groupParts(parts);
    expect(more).toEqual([]);
    expect(g?.common).toEqual([{ name: 'job', op: '=', value: 'api' }]);
    expect(g?.by).toEqual(['code', 'service']);
    expect(g?.narrow).toEqual([{ name: 'service', op: '=~', value: 'a|b' }]);
    const dotted = groupParts([
      ...(simpleParts(slo('x', 'm_total{svc="a.b",code="5"}', 'm_total{svc="a.b"}'), 60) ?? []),
      ...(simpleParts(slo('y', 'm_total{svc="c+d"}', 'm_total{svc="c+d"}'), 60) ?? []),
    ]);
    expect(dotted[0]?.narrow).toEqual([{ name: 'svc', op: '=~', value: 'a\\.b|c\\+d' }]);
  });

  it('keeps non-counter and unreadable regexes on the engine path', () => {
    expect(simpleParts(rated, 3600)).toBeNull();
    expect(simpleParts(slo('d', 'm_total{code=~"(?i)5.."}', 'm_total'), 3600)).toBeNull();
    expect(simpleParts(slo('e', 'm_total{code=~"[[:digit:]]"}', 'm_total'), 3600)).toBeNull();
  });

  it('asks once per metric and rewrites the answer into the tagged per-SLO form', () => {
    const at = 1_800_000_000;
    const rw = groupedWindowQuery([a, b, rated], '1h', at);
    expect(rw?.query.match(/increase\(http_requests_total/g)).toHaveLength(1);
    // service is matched with "=" by every member: only their services are read.
    expect(rw?.query).toContain('sum by (code, service) (increase(http_requests_total{job="api",service=~"a|b"}[1h]))');
    expect(rw?.query).toContain('"__slo__", "c"');
    const row = (service: string, code: string, v: string) => ({ metric: { __group__: '0', service, code }, value: [at, v] });
    const body = {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          row('a', '200', '90'),
          row('a', '500', '4'),
          row('a', '503', '6'),
          row('b', '200', '50'),
          row('b', '404', '5'),
          row('', '500', '1000'),
          { metric: { __slo__: 'c', __part__: 'total' }, value: [at, 'NaN'] },
        ],
      },
    };
    const read = readVectorResponse(rw?.decode(body));
    if (!read.ok) throw new Error(read.error);
    const got = Object.fromEntries(read.samples.map((s) => [`${s.labels['__slo__']}/${s.labels['__part__']}`, s.value]));
    expect(got).toEqual({ 'a/bad': 10, 'a/total': 100, 'b/bad': 5, 'b/total': 55, 'c/total': Number.NaN });
  });

  it('treats a group without matching rows as a missing part, and passes errors through untouched', () => {
    const parts = simpleParts(a, 60) ?? [];
    const [g] = groupParts(parts);
    if (!g || !parts[0]) throw new Error('no group');
    // Both parts share job and service (pushed into the selector); the bad part matches no 5xx row.
    expect(g.by).toEqual(['code']);
    const bad = parts.find((p) => p.part === 'bad');
    if (!bad) throw new Error('no bad part');
    expect(memberValue([{ labels: { code: '200' }, value: 3 }], g, bad)).toBeUndefined();
    const err = { status: 'error', errorType: 'bad_data', error: 'parse error' };
    expect(groupedWindowQuery([a], '5m', 1)?.decode(err)).toBe(err);
    expect(groupedWindowQuery([rated], '5m', 1)).toBeNull();
  });

  it('sums matching rows point by point for the sparkline range query', () => {
    const rw = groupedStepQuery([a], 3600);
    const out = rw?.decode([
      {
        labels: { __group__: '0', service: 'a', code: '200' },
        points: [
          { t: 1, v: 10 },
          { t: 2, v: 20 },
        ],
      },
      { labels: { __group__: '0', service: 'a', code: '500' }, points: [{ t: 2, v: 1 }] },
    ]);
    expect(out).toEqual([
      { labels: { __slo__: 'a', __part__: 'bad' }, points: [{ t: 2, v: 1 }] },
      {
        labels: { __slo__: 'a', __part__: 'total' },
        points: [
          { t: 1, v: 10 },
          { t: 2, v: 21 },
        ],
      },
    ]);
  });
});

describe('a large fleet on one connection', () => {
  const AT = 1_794_744_000;
  const many = Array.from({ length: 2000 }, (_, i) =>
    slo(`svc-${i}`, `http_requests_total{service="svc-${i}",code=~"5.."}`, `http_requests_total{service="svc-${i}"}`),
  );

  it('plans one query per window for 2,000 plain-counter SLOs, each short enough to send', () => {
    const plain = buildFleetPlan(many, { at: AT });
    // The engine's own expressions would need several queries per window...
    expect(plain.queries.length).toBeGreaterThan(8);
    const plan = buildFleetPlan(many, { at: AT, costOf: (s, w) => groupedCost(s, queryWindowSeconds(w, s.window, AT)) });
    // ...asked by metric, one per window.
    expect(plan.queries.length).toBe(8);
    for (const q of plan.queries) {
      const rewrite = groupedWindowQuery(many, q.window, AT);
      expect(rewrite).not.toBeNull();
      expect(rewrite!.query.length).toBeLessThan(100_000);
    }
  });

  it('splits each answer back per SLO through the row index', () => {
    const rewrite = groupedWindowQuery(many, '1h', AT)!;
    const result = many.flatMap((_s, i) => [
      { metric: { __group__: '0', service: `svc-${i}`, code: '200' }, value: [AT, String(1000 + i)] },
      { metric: { __group__: '0', service: `svc-${i}`, code: '500' }, value: [AT, String(i % 7)] },
    ]);
    const decoded = readVectorResponse(rewrite.decode({ status: 'success', data: { resultType: 'vector', result } }));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const value = (key: string, part: string): number | undefined =>
      decoded.samples.find((s) => s.labels['__slo__'] === key && s.labels['__part__'] === part)?.value;
    expect(value(many[1234]!.key, 'total')).toBe(1000 + 1234 + (1234 % 7));
    expect(value(many[1234]!.key, 'bad')).toBe(1234 % 7);
    expect(decoded.samples).toHaveLength(4000);
  });
});
