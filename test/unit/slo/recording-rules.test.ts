import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { detectRecordedSlos, type RecordedIndicator } from '@shared/slo';
import { ruleFixture } from '../../helpers/slo-scenarios';

interface RuleFile {
  groups: { name: string; rules: { record?: string; alert?: string; expr: string; labels?: Record<string, string> }[] }[];
}

/** What GET /api/v1/rules returns for the given rule files (the fields the detector reads). */
function rulesApi(files: Record<string, string>): unknown {
  const groups = Object.entries(files).flatMap(([file, text]) =>
    (parse(text) as RuleFile).groups.map((g) => ({
      name: g.name,
      file: `/etc/prometheus/${file}`,
      rules: g.rules.map((r) => ({
        name: r.record ?? r.alert ?? '',
        query: r.expr.trim(),
        labels: r.labels ?? {},
        type: r.record ? 'recording' : 'alerting',
        health: 'ok',
      })),
    })),
  );
  return { status: 'success', data: { groups } };
}

describe('Sloth and Pyrra rule detection', () => {
  it('adopts a Sloth SLO from its recording rules', () => {
    const { slos, problems } = detectRecordedSlos(rulesApi({ 'sloth.yml': ruleFixture('catalog-sloth.rules.yml') }), {
      connectionId: 'prom-main',
    });
    expect(problems).toEqual([]);
    expect(slos).toHaveLength(1);
    const s = slos[0]!;
    expect(s).toMatchObject({
      key: 'sloth/catalog-requests-availability',
      name: 'requests-availability',
      service: 'catalog',
      labels: { owner: 'catalog-team' },
      window: { kind: 'rolling', duration: '30d', seconds: 30 * 86_400 },
      objectives: [{ target: 0.99 }],
      connectionId: 'prom-main',
      origin: { kind: 'sloth', ruleGroup: 'sloth-slo-sli-recordings-catalog-requests-availability', file: '/etc/prometheus/sloth.yml' },
    });
    const ind = s.indicator as RecordedIndicator;
    expect(ind.generator).toBe('sloth');
    expect(Object.keys(ind.errorRatio)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    expect(ind.errorRatio['5m']).toBe('max(slo:sli_error:ratio_rate5m{sloth_id="catalog-requests-availability"})');
    expect(ind.period).toEqual({ kind: 'ratio', errorRatio: 'max(slo:sli_error:ratio_rate30d{sloth_id="catalog-requests-availability"})' });
  });

  it('adopts a Pyrra ratio SLO, with the target from its alert rule', () => {
    const { slos, problems } = detectRecordedSlos(rulesApi({ 'pyrra.yml': ruleFixture('catalog-pyrra.rules.yml') }));
    expect(problems).toEqual([]);
    const s = slos[0]!;
    expect(s).toMatchObject({
      key: 'pyrra/catalog-pyrra',
      name: 'catalog-pyrra',
      service: 'catalog',
      window: { kind: 'rolling', duration: '4w', seconds: 28 * 86_400 },
      objectives: [{ target: 0.99 }],
    });
    const ind = s.indicator as RecordedIndicator;
    // 4d is not one of the console's burn windows, so it is not read; 3d stays unknown for Pyrra SLOs.
    expect(Object.keys(ind.errorRatio)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d']);
    expect(ind.errorRatio['1h']).toBe('max(catalog_requests:burnrate1h{slo="catalog-pyrra"})');
    expect(ind.period).toEqual({
      kind: 'counts',
      bad: 'sum(catalog_requests:increase4w{slo="catalog-pyrra",code=~"5.."})',
      total: 'sum(catalog_requests:increase4w{slo="catalog-pyrra"})',
    });
  });

  it('needs a target for Pyrra SLOs: recording rules alone do not carry it', () => {
    const body = rulesApi({ 'pyrra.yml': ruleFixture('catalog-pyrra.rules.yml') }) as {
      data: { groups: { rules: { type: string }[] }[] };
    };
    for (const g of body.data.groups) g.rules = g.rules.filter((r) => r.type === 'recording');
    const without = detectRecordedSlos(body);
    expect(without.slos).toEqual([]);
    expect(without.problems[0]).toMatchObject({ field: 'slo=catalog-pyrra', message: expect.stringMatching(/target unknown/) as unknown });
    expect(detectRecordedSlos(body, { targets: { 'catalog-pyrra': 0.995 } }).slos[0]?.objectives).toEqual([{ target: 0.995 }]);
  });

  it('reads Pyrra latency rules (total le="", good le=threshold) and pyrra_objective', () => {
    const body = {
      status: 'success',
      data: {
        groups: [
          {
            name: 'api-latency-increase',
            file: 'pyrra.yml',
            rules: [
              {
                name: 'http_request_duration_seconds:increase2w',
                query: 'sum(increase(http_request_duration_seconds_count{job="api"}[2w]))',
                labels: { slo: 'api-latency', job: 'api' },
                type: 'recording',
              },
              {
                name: 'http_request_duration_seconds:increase2w',
                query: 'sum(increase(http_request_duration_seconds_bucket{job="api",le="0.5"}[2w]))',
                labels: { slo: 'api-latency', job: 'api', le: '0.5' },
                type: 'recording',
              },
              { name: 'pyrra_objective', query: 'vector(0.995)', labels: { slo: 'api-latency' }, type: 'recording' },
            ],
          },
          {
            name: 'api-latency',
            file: 'pyrra.yml',
            rules: [
              {
                name: 'http_request_duration_seconds:burnrate5m',
                query:
                  '(sum(rate(http_request_duration_seconds_count{job="api"}[5m])) - sum(rate(http_request_duration_seconds_bucket{job="api",le="0.5"}[5m]))) / sum(rate(http_request_duration_seconds_count{job="api"}[5m]))',
                labels: { slo: 'api-latency', job: 'api' },
                type: 'recording',
              },
            ],
          },
        ],
      },
    };
    const r = detectRecordedSlos(body);
    expect(r.problems).toEqual([]);
    expect(r.slos[0]?.objectives).toEqual([{ target: 0.995 }]);
    expect((r.slos[0]?.indicator as RecordedIndicator).period).toEqual({
      kind: 'counts',
      good: 'sum(http_request_duration_seconds:increase2w{slo="api-latency",le="0.5"})',
      total: 'sum(http_request_duration_seconds:increase2w{slo="api-latency",le=""})',
    });
  });

  it('rejects bodies that are not a rules response', () => {
    expect(detectRecordedSlos({ status: 'error' }).problems).toHaveLength(1);
  });
});
