import { describe, expect, it } from 'vitest';
import { bisectFleetQuery, groupedWindowQuery, parseOpenSlo, readVectorResponse, type SloDefinition } from '@shared/slo';
import { FleetPlanCache } from '../../../electron/core/features/slo/fleet-plan-cache';

// The plan a connection keeps between refreshes. What could break: a plan reused after a definition changed, a
// calendar window's growing look-back not followed, answers stamped with the instant the plan was built, a
// grouped query that mixes SLOs matching different labels and hands one SLO another's rows.

function slo(name: string, bad: string, total: string, window = '{duration: 30d, isRolling: true}'): SloDefinition {
  const text = `apiVersion: openslo/v1
kind: SLO
metadata: {name: ${name}}
spec:
  service: ${name}
  indicator:
    metadata: {name: ${name}-sli}
    spec:
      ratioMetric:
        counter: true
        bad: {metricSource: {type: Prometheus, spec: {query: '${bad}'}}}
        total: {metricSource: {type: Prometheus, spec: {query: '${total}'}}}
  timeWindow: [${window}]
  budgetingMethod: Occurrences
  objectives: [{target: 0.999}]
`;
  const r = parseOpenSlo({ file: `${name}.yaml`, text });
  if (!r.slos[0]) throw new Error(JSON.stringify(r.problems));
  return r.slos[0];
}

const AT = Date.UTC(2026, 10, 15, 12, 0, 0) / 1000;
// Three SLOs on one metric that match on different labels: service and a code regex; service and a region
// excluded; a job alone.
const checkout = slo('checkout', 'req_total{service="checkout",code=~"5.."}', 'req_total{service="checkout"}');
const search = slo('search', 'req_total{service="search",code=~"5..",region!="eu"}', 'req_total{service="search",region!="eu"}');
const batch = slo('batch', 'req_total{job="batch",code="500"}', 'req_total{job="batch"}');
const monthly = slo(
  'monthly',
  'req_total{service="checkout",code=~"5.."}',
  'req_total{service="checkout"}',
  '{duration: 1M, isRolling: false}',
);

describe('a connection plan kept between refreshes', () => {
  it('is reused while the definitions are the same objects, and only a calendar window follows the clock', () => {
    const cache = new FleetPlanCache();
    const defs = [checkout, search, batch, monthly];
    const first = cache.plan(defs, AT);
    const later = cache.plan([...defs], AT + 60);
    const byWindow = (p: typeof first, w: string) => p.plan.queries.filter((q) => q.window === w);
    for (const w of ['5m', '1h', '3d']) expect(byWindow(later, w)[0]).toBe(byWindow(first, w)[0]);
    const [p0] = byWindow(first, 'period');
    const [p1] = byWindow(later, 'period');
    expect(p1).not.toBe(p0);
    // The month's elapsed part grew by a minute: its look-back in the query text did too; the 30d one did not.
    expect(p1?.query).not.toBe(p0?.query);
    expect(later.plan.at).toBe(AT + 60);
    // A re-parsed definition (another object, same name) rebuilds everything.
    const again = cache.plan(
      [slo('checkout', 'req_total{service="checkout",code="503"}', 'req_total{service="checkout"}'), search, batch, monthly],
      AT + 120,
    );
    expect(byWindow(again, '5m')[0]).not.toBe(byWindow(first, '5m')[0]);
    // ...and its answers are read with the new selector: only the 503s are bad now.
    const badOf = (p: typeof first): number | undefined => {
      const rw = p.rewriteOf(byWindow(p, '5m')[0]?.query ?? '');
      const g = /"__group__", "(\d+)"/.exec(rw?.query ?? '')?.[1] ?? '0';
      const row = (code: string, v: number) => ({ metric: { __group__: g, service: 'checkout', code }, value: [AT, String(v)] });
      const read = readVectorResponse(
        rw?.decode({ status: 'success', data: { resultType: 'vector', result: [row('500', 10), row('503', 7)] } }),
      );
      if (!read.ok) throw new Error(read.error);
      return read.samples.find((x) => x.labels['__slo__'] === 'checkout' && x.labels['__part__'] === 'bad')?.value;
    };
    expect(badOf(first)).toBe(17);
    expect(badOf(again)).toBe(7);
  });

  it('sends the by-metric form of each planned query, and the engine form for a bisected half', () => {
    const cache = new FleetPlanCache();
    const { plan, rewriteOf } = cache.plan([checkout, search, batch], AT);
    const q = plan.queries.find((x) => x.window === '1h');
    if (!q) throw new Error('no 1h query');
    expect(rewriteOf(q.query)?.query).toBe(groupedWindowQuery([checkout, search, batch], '1h', AT)?.query);
    const halves = bisectFleetQuery(plan, q);
    expect(halves).toHaveLength(2);
    for (const h of halves) expect(rewriteOf(h.query)).toBeNull();
  });

  it('splits one answer between SLOs matching different labels, stamped with the time the server evaluated', () => {
    const cache = new FleetPlanCache();
    const { plan, rewriteOf } = cache.plan([checkout, search, batch], AT);
    const q = plan.queries.find((x) => x.window === '1h');
    const rw = q ? rewriteOf(q.query) : null;
    if (!rw) throw new Error('no rewrite');
    // One row per label combination the group is summed by; values are increases over the hour.
    const rows: { labels: Record<string, string>; v: number }[] = [
      { labels: { service: 'checkout', code: '200', region: 'us', job: 'web' }, v: 900 },
      { labels: { service: 'checkout', code: '503', region: 'eu', job: 'web' }, v: 7 },
      { labels: { service: 'search', code: '500', region: 'eu', job: 'web' }, v: 40 },
      { labels: { service: 'search', code: '502', region: 'us', job: 'web' }, v: 3 },
      { labels: { service: 'search', code: '200', region: 'us', job: 'web' }, v: 300 },
      { labels: { service: 'search', code: '200', region: 'eu', job: 'web' }, v: 100 },
      { labels: { service: '', code: '500', region: '', job: 'batch' }, v: 2 },
      { labels: { service: '', code: '200', region: '', job: 'batch' }, v: 50 },
    ];
    const groupOf = /"__group__", "(\d+)"/.exec(rw.query)?.[1] ?? '0';
    const evaluatedAt = AT + 3_600;
    // The server answers `sum by (the group's labels)`: collapse the rows to those labels.
    const by = /sum by \(([^)]*)\)/.exec(rw.query)?.[1]?.split(', ') ?? [];
    const summed = new Map<string, { metric: Record<string, string>; v: number }>();
    for (const r of rows) {
      const metric: Record<string, string> = { __group__: groupOf };
      for (const l of by) if (r.labels[l]) metric[l] = r.labels[l] ?? '';
      const k = JSON.stringify(metric);
      const hit = summed.get(k);
      if (hit) hit.v += r.v;
      else summed.set(k, { metric, v: r.v });
    }
    const body = {
      status: 'success',
      data: { resultType: 'vector', result: [...summed.values()].map((x) => ({ metric: x.metric, value: [evaluatedAt, String(x.v)] })) },
    };
    const decoded = rw.decode(body);
    const read = readVectorResponse(decoded);
    if (!read.ok) throw new Error(read.error);
    // The decoded answer is also a whole Prometheus answer for anything that reads it as JSON.
    expect(readVectorResponse(JSON.parse(JSON.stringify(decoded)))).toEqual(read);
    const got = Object.fromEntries(read.samples.map((s) => [`${s.labels['__slo__']}/${s.labels['__part__']}`, s.value]));
    const sum = (pred: (l: Record<string, string>) => boolean): number => rows.filter((r) => pred(r.labels)).reduce((a, r) => a + r.v, 0);
    expect(got).toEqual({
      'checkout/bad': sum((l) => l['service'] === 'checkout' && /^5..$/.test(l['code'] ?? '')),
      'checkout/total': sum((l) => l['service'] === 'checkout'),
      'search/bad': sum((l) => l['service'] === 'search' && /^5..$/.test(l['code'] ?? '') && l['region'] !== 'eu'),
      'search/total': sum((l) => l['service'] === 'search' && l['region'] !== 'eu'),
      'batch/bad': sum((l) => l['job'] === 'batch' && l['code'] === '500'),
      'batch/total': sum((l) => l['job'] === 'batch'),
    });
    expect(got['search/bad']).toBe(3);
    expect(new Set(read.samples.map((s) => s.time))).toEqual(new Set([evaluatedAt]));
  });
});
