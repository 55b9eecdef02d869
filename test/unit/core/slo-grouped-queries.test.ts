import { describe, expect, it } from 'vitest';
import { parseOpenSlo, readVectorResponse, type SloDefinition } from '@shared/slo';
import {
  groupedStepQuery,
  groupedWindowQuery,
  groupParts,
  memberValue,
  simpleParts,
} from '../../../electron/core/features/slo/grouped-queries';

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
