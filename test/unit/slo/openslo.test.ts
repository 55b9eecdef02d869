import { describe, expect, it } from 'vitest';
import { parseOpenSlo, type RatioIndicator } from '@shared/slo';
import { fixtureFile, standardSloFiles } from '../../helpers/slo-scenarios';

const head = (name: string): string => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
spec:
  service: web
`;

const ratio = `  indicator:
    metadata:
      name: web-avail
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{code=~"5.."}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total
`;

const tail = `  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
`;

describe('OpenSLO reader', () => {
  it('reads every standard fixture without problems', () => {
    const { slos, problems } = parseOpenSlo(standardSloFiles());
    expect(problems).toEqual([]);
    expect(slos.map((s) => s.key).sort()).toEqual([
      'api-latency',
      'auth',
      'catalog',
      'checkout',
      'checkout-monthly',
      'ghost',
      'login',
      'nightly',
      'payments',
      'reports',
      'search',
    ]);
  });

  it('resolves indicatorRef, metricSourceRef, labels, objectives and calendar windows', () => {
    const { slos } = parseOpenSlo(fixtureFile('checkout.yaml'));
    const checkout = slos.find((s) => s.key === 'checkout');
    expect(checkout).toMatchObject({
      displayName: 'Checkout availability',
      service: 'checkout',
      connectionId: 'prom-main',
      labels: { team: 'shop', tier: 'gold,customer-facing' },
      window: { kind: 'rolling', duration: '30d', seconds: 30 * 86_400 },
      objectives: [
        { displayName: 'internal', target: 0.999 },
        { displayName: 'SLA', target: 0.99 },
      ],
      indicator: {
        kind: 'ratio',
        counter: true,
        bad: 'http_requests_total{service="checkout",code=~"5.."}',
        total: 'http_requests_total{service="checkout"}',
      },
      origin: { kind: 'openslo', file: 'checkout.yaml', line: 22 },
    });
    const monthly = slos.find((s) => s.key === 'checkout-monthly');
    expect(monthly?.window).toEqual({
      kind: 'calendar',
      duration: '1M',
      count: 1,
      unit: 'M',
      timeZone: 'UTC',
      anchor: Date.UTC(2026, 0, 1) / 1000,
    });
    // 99.93 / 100 is 0.9993000000000001 in floating point; the reader tidies it.
    expect(monthly?.objectives[0]?.target).toBe(0.9993);
  });

  it('spots histogram latency SLIs', () => {
    const { slos } = parseOpenSlo(fixtureFile('api-latency.yaml'));
    expect((slos[0]?.indicator as RatioIndicator).latencyThreshold).toBe(0.3);
  });

  it('finds an SLI in another file', () => {
    const sli = `apiVersion: openslo/v1
kind: SLI
metadata:
  name: shared-sli
spec:
${ratio
  .split('\n')
  .slice(4)
  .map((l) => l.slice(4))
  .join('\n')}`;
    const slo = `${head('uses-ref')}  indicatorRef: shared-sli\n${tail}`;
    const { slos, problems } = parseOpenSlo([
      { file: 'slo.yaml', text: slo },
      { file: 'sli.yaml', text: sli },
    ]);
    expect(problems).toEqual([]);
    expect(slos[0]?.indicator).toMatchObject({ kind: 'ratio', bad: 'http_requests_total{code=~"5.."}' });
  });

  it('names file, line and field, and keeps reading after a bad document', () => {
    const text = [
      `${head('good-one')}${ratio}${tail}`,
      `${head('bad-target')}${ratio}${tail.replace('target: 0.99', 'target: 99.9')}`,
      `${head('Bad_Name')}${ratio}${tail}`,
      `${head('no-window')}${ratio}${tail.replace(/ {2}timeWindow:\n.*\n.*\n/, '')}`,
      `${head('good-two')}${ratio}${tail}`,
    ].join('---\n');
    const { slos, problems } = parseOpenSlo({ file: 'many.yaml', text });
    expect(slos.map((s) => s.key)).toEqual(['good-one', 'good-two']);
    const lines = text.split('\n');
    const lineOf = (needle: string, from = 0): number => lines.findIndex((l, i) => i >= from && l.includes(needle)) + 1;

    const target = problems.find((p) => p.field === 'spec.objectives[0].target');
    expect(target).toMatchObject({ file: 'many.yaml', message: expect.stringMatching(/\[0, 1\)/) as unknown });
    expect(target?.line).toBe(lineOf('target: 99.9'));

    const name = problems.find((p) => p.field === 'metadata.name');
    expect(name?.line).toBe(lineOf('Bad_Name'));
    expect(name?.message).toMatch(/RFC 1123/);

    const win = problems.find((p) => p.field === 'spec.timeWindow');
    expect(win?.message).toBe('is required');
    expect(win?.line).toBe(lineOf('service: web', lineOf('no-window')));
    expect(problems).toHaveLength(3);
  });

  it('reports YAML syntax errors with their line and reads the other documents and files', () => {
    const broken = `${head('ok-a')}${ratio}${tail}---\nkind: SLO\nmetadata: {name: x\n---\n${head('ok-b')}${ratio}${tail}`;
    const { slos, problems } = parseOpenSlo([
      { file: 'broken.yaml', text: broken },
      { file: 'fine.yaml', text: `${head('ok-c')}${ratio}${tail}` },
    ]);
    expect(slos.map((s) => s.key)).toEqual(['ok-a', 'ok-b', 'ok-c']);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.file).toBe('broken.yaml');
    expect(problems[0]?.line).toBeGreaterThan(30);
  });

  it('explains unsupported and inconsistent specs at the right field', () => {
    const cases: [string, string, RegExp][] = [
      [tail.replace('Occurrences', 'Timeslices'), 'spec.budgetingMethod', /only Occurrences/],
      [tail.replace('28d', '1M'), 'spec.timeWindow[0].duration', /fixed length/],
      [tail.replace('28d', 'forever'), 'spec.timeWindow[0].duration', /not a duration/],
      [tail.replace('- target: 0.99', '- target: 0.99\n      targetPercent: 99'), 'spec.objectives[0].target', /exactly one/],
    ];
    for (const [t, field, msg] of cases) {
      const { slos, problems } = parseOpenSlo({ file: 'x.yaml', text: `${head('x')}${ratio}${t}` });
      expect(slos).toEqual([]);
      expect(problems).toHaveLength(1);
      expect(problems[0]?.field).toBe(field);
      expect(problems[0]?.message).toMatch(msg);
    }
  });

  it('checks queries: counters must be selectors, brackets must balance, type must be Prometheus', () => {
    const notSelector = ratio.replace('query: http_requests_total\n', 'query: sum(rate(http_requests_total[5m]))\n');
    let r = parseOpenSlo({ file: 'q.yaml', text: `${head('q')}${notSelector}${tail}` });
    expect(r.problems[0]?.field).toBe('spec.indicator.spec.ratioMetric.total.metricSource.spec.query');
    expect(r.problems[0]?.message).toMatch(/series selector/);

    const unbalanced = ratio.replace('code=~"5.."}', 'code=~"5.."');
    r = parseOpenSlo({ file: 'q.yaml', text: `${head('q')}${unbalanced}${tail}` });
    expect(r.problems[0]?.message).toMatch(/unclosed/);
    expect(r.problems[0]?.line).toBe(17);

    const datadog = ratio.replace('type: Prometheus', 'type: Datadog');
    r = parseOpenSlo({ file: 'q.yaml', text: `${head('q')}${datadog}${tail}` });
    expect(r.problems[0]).toMatchObject({ field: 'spec.indicator.spec.ratioMetric.bad.metricSource.type', line: 15 });

    const templated = notSelector.replace('[5m]', '[{{.window}}]');
    r = parseOpenSlo({ file: 'q.yaml', text: `${head('q')}${templated}${tail}` });
    expect(r.problems).toEqual([]);
  });

  it('reports missing SLIs, broken SLIs, duplicates and foreign apiVersions', () => {
    const sliBad = `apiVersion: openslo/v1\nkind: SLI\nmetadata:\n  name: bad-sli\nspec:\n  thresholdMetric:\n    metricSource: {type: Prometheus}\n`;
    const text = [
      `${head('a')}  indicatorRef: nope\n${tail}`,
      `${head('b')}  indicatorRef: bad-sli\n${tail}`,
      sliBad,
      `${head('c')}${ratio}${tail}`,
      `${head('c')}${ratio}${tail}`,
      `apiVersion: openslo.com/v2alpha\nkind: SLO\nmetadata:\n  name: v2\n`,
      `apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  description: ignored\n`,
    ].join('---\n');
    const { slos, problems } = parseOpenSlo({ file: 'refs.yaml', text });
    expect(slos.map((s) => s.key)).toEqual(['c']);
    const msgs = problems.map((p) => `${p.field}: ${p.message}`);
    expect(msgs).toEqual(
      expect.arrayContaining([
        'spec.indicatorRef: no SLI named nope',
        expect.stringMatching(/^spec\.indicatorRef: SLI bad-sli \(refs\.yaml:\d+\) has errors$/) as unknown,
        expect.stringMatching(/^spec\.thresholdMetric: thresholdMetric is not supported/) as unknown,
        expect.stringMatching(/^metadata\.name: duplicate SLO name \(first in refs\.yaml:\d+\)$/) as unknown,
        'apiVersion: openslo.com/v2alpha is not supported (only openslo/v1)',
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('reads raw ratio indicators', () => {
    const raw = `  indicator:
    metadata:
      name: raw
    spec:
      ratioMetric:
        rawType: success
        raw:
          metricSource:
            metricSourceRef: thanos
            spec:
              query: avg_over_time(probe_success_ratio[{{.window}}])
`;
    const { slos, problems } = parseOpenSlo({ file: 'raw.yaml', text: `${head('raw')}${raw}${tail}` });
    expect(problems).toEqual([]);
    expect(slos[0]).toMatchObject({ connectionId: 'thanos', indicator: { kind: 'raw-ratio', rawType: 'success' } });
  });
});
