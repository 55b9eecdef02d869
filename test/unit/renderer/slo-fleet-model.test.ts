import { describe, expect, it } from 'vitest';
import type { SloStatusView } from '@shared/slo/contract';
import { sloStatusFixture } from '../../helpers/slo-status';
import { allFacets, arrange, matches, tierCounts, worstFirst } from '../../../renderer/src/features/slo/fleet-model';
import { burn, duration, pct, sliPct, targetPct } from '../../../renderer/src/features/slo/format';

const status = (id: string, over: Partial<SloStatusView> = {}): SloStatusView => sloStatusFixture({ id, ...over });

const page = { severity: 'page' as const, long: '1h' as const, short: '5m' as const, factor: 14.4, longBurn: 20, shortBurn: 20 };

describe('fleet order and filters', () => {
  it('puts paging SLOs first, then emergencies and unknowns, then less budget left', () => {
    const list = [
      status('healthy', { policy: 'normal', errorBudgetRemaining: 0.95 }),
      status('caution-low', { policy: 'caution', errorBudgetRemaining: 0.55 }),
      status('caution-high', { policy: 'caution', errorBudgetRemaining: 0.75 }),
      status('unknown', { policy: 'no-data', errorBudgetRemaining: null, status: 'no-data' }),
      status('broken', { policy: 'no-data', errorBudgetRemaining: null, status: 'error' }),
      status('frozen', { policy: 'emergency', errorBudgetRemaining: 0.1 }),
      status('paging', { policy: 'caution', errorBudgetRemaining: 0.7, alerts: [page] }),
    ];
    expect([...list].sort(worstFirst).map((s) => s.id)).toEqual([
      'paging',
      'frozen',
      'broken',
      'unknown',
      'caution-low',
      'caution-high',
      'healthy',
    ]);
  });

  it('searches words across name, service and labels, filters by facets and tiers, and groups by service', () => {
    const a = status('checkout', { service: 'shop', labels: { team: 'web' }, policy: 'normal' });
    const b = status('payments', { service: 'shop', labels: { team: 'pay' }, policy: 'emergency' });
    const c = status('search', { service: 'discovery', labels: { team: 'web' } });
    expect(matches(a, { search: 'web check', facets: [], tiers: [] })).toBe(true);
    expect(matches(b, { search: 'web', facets: [], tiers: [] })).toBe(false);
    expect(allFacets([a, b, c])).toEqual(['service=discovery', 'service=shop', 'source=openslo', 'team=pay', 'team=web']);
    expect(arrange([a, b, c], { search: '', facets: ['team=web'], tiers: [] }, false)[0]?.items.map((s) => s.id)).toEqual([
      'search',
      'checkout',
    ]);
    expect(arrange([a, b, c], { search: '', facets: [], tiers: ['emergency'] }, false)[0]?.items.map((s) => s.id)).toEqual(['payments']);
    const groups = arrange([a, b, c], { search: '', facets: [], tiers: [] }, true);
    expect(groups.map((g) => [g.key, g.items.map((s) => s.id)])).toEqual([
      ['shop', ['payments', 'checkout']],
      ['discovery', ['search']],
    ]);
    expect(tierCounts([a, b, c])).toEqual({ normal: 1, caution: 1, restricted: 0, emergency: 1, 'no-data': 0 });
  });
});

describe('number formats', () => {
  it('never shows an unknown number as 0 or 100 %', () => {
    expect(pct(null)).toBe('—');
    expect(burn(null)).toBe('—');
    expect(pct(-3.017)).toBe('-301.7 %');
    expect(burn(14.4)).toBe('14.4×');
    expect(burn(0.404)).toBe('0.40×');
    expect(targetPct(0.999)).toBe('99.9 %');
    expect(targetPct(0.9995)).toBe('99.95 %');
    expect(sliPct(0.99961, 0.999)).toBe('99.96 %');
    expect(duration(-7_800)).toBe('−2 h 10 min');
    expect(duration(3 * 86_400 + 7_200)).toBe('3 d 2 h');
  });
});
