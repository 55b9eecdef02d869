import type { SloStatusView } from '@shared/slo/contract';

/** A healthy-looking SLO status for view tests; override what the test is about. */
export function sloStatusFixture(over: Partial<SloStatusView> & { id: string }): SloStatusView {
  return {
    key: over.id,
    name: over.id,
    service: 'svc',
    target: 0.999,
    window: '30d',
    windowSeconds: 2_592_000,
    elapsedSeconds: 2_592_000,
    source: 'openslo',
    labels: {},
    sli: 0.9995,
    errorBudgetRemaining: 0.5,
    events: { total: 1000, bad: 1 },
    errorsAllowed: 1,
    errorsRemaining: 0,
    budgetMinutesLeft: 20,
    burnRates: { '5m': 1, '30m': 1, '1h': 1, '2h': 1, '6h': 1, '1d': 1, '3d': 1 },
    alerts: [],
    timeToExhaustion: { state: 'not-burning', seconds: null, basis: '1h' },
    policy: 'caution',
    status: 'ok',
    warnings: [],
    fetchedAt: null,
    stale: false,
    sparkline: [],
    ...over,
  };
}
