import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertFactor,
  budgetGate,
  budgetMinutesLeft,
  budgetRemaining,
  burnRate,
  BURN_WINDOWS,
  DEFAULT_POLICY,
  errorsAllowed,
  errorsRemaining,
  firingAlerts,
  policyTier,
  readErrorRatio,
  scaledAlertPairs,
  timeToExhaustion,
  validatePolicy,
  WORKBOOK_ALERT_PAIRS,
  type BurnWindow,
} from '@shared/slo';

const DAY = 86_400;
const targetArb = fc.double({ min: 0.5, max: 0.99999, noNaN: true });

function burns(v: number | null, over: Partial<Record<BurnWindow, number | null>> = {}): Record<BurnWindow, number | null> {
  return { ...(Object.fromEntries(BURN_WINDOWS.map((w) => [w, v])) as Record<BurnWindow, number | null>), ...over };
}

describe('error ratio and burn rate', () => {
  it('computes bad/total and burn = ratio / (1 - target)', () => {
    const r = readErrorRatio({ bad: 5, total: 1000 }, 'bad');
    expect(r.errorRatio).toBeCloseTo(0.005, 12);
    expect(burnRate(r.errorRatio, 0.999)).toBeCloseTo(5, 9);
  });

  it('reads good/total as (total - good)/total', () => {
    expect(readErrorRatio({ good: 990, total: 1000 }, 'good').errorRatio).toBeCloseTo(0.01, 12);
  });

  it('treats a missing bad series as zero errors when there is traffic', () => {
    const r = readErrorRatio({ total: 1000 }, 'bad');
    expect(r.errorRatio).toBe(0);
    expect(burnRate(r.errorRatio, 0.999)).toBe(0);
  });

  it('counts everything as bad when the good series is missing, with a warning', () => {
    const r = readErrorRatio({ total: 10 }, 'good');
    expect(r.errorRatio).toBe(1);
    expect(r.warning).toMatch(/good-event query/);
  });

  it('has no burn rate without traffic or without data — never 0, never 100 %', () => {
    for (const m of [{ bad: 0, total: 0 }, {}, undefined, { ratio: Number.NaN }]) {
      const r = readErrorRatio(m, m && 'ratio' in m ? 'ratio' : 'bad');
      expect(r.errorRatio).toBeNull();
      expect(burnRate(r.errorRatio, 0.999)).toBeNull();
    }
    expect(readErrorRatio({ bad: 0, total: 0 }, 'bad').gap).toBe('no-traffic');
    expect(readErrorRatio({}, 'bad').gap).toBe('missing');
  });

  it('maps +Inf ratios to unknown with a warning', () => {
    const r = readErrorRatio({ ratio: Number.POSITIVE_INFINITY }, 'ratio');
    expect(r.errorRatio).toBeNull();
    expect(r.gap).toBe('invalid');
    expect(r.warning).toContain('+Inf');
  });

  it('warns when bad exceeds total and clamps good > total to zero bad', () => {
    expect(readErrorRatio({ bad: 20, total: 10 }, 'bad').warning).toMatch(/exceed/);
    const r = readErrorRatio({ good: 11, total: 10 }, 'good');
    expect(r.errorRatio).toBe(0);
    expect(r.warning).toMatch(/exceed/);
  });

  it('property: burn rate is null exactly when there is no traffic', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), targetArb, (total, badRaw, target) => {
        const bad = Math.min(badRaw, total);
        const b = burnRate(readErrorRatio({ bad, total }, 'bad').errorRatio, target);
        return total === 0 ? b === null : b !== null && b >= 0;
      }),
    );
  });
});

describe('error budget', () => {
  it('matches the research numbers: 99.9 % over 30 d is 43.2 minutes', () => {
    expect(budgetMinutesLeft(1, 0.999, 30 * DAY)).toBeCloseTo(43.2, 6);
    expect(budgetMinutesLeft(1, 0.99, 30 * DAY)).toBeCloseTo(432, 6);
    expect(budgetMinutesLeft(0.5, 0.999, 28 * DAY)).toBeCloseTo(20.16, 6);
  });

  it('is 1 untouched, 0 spent, negative overspent', () => {
    expect(budgetRemaining(0, 0.999)).toBe(1);
    expect(budgetRemaining(0.001, 0.999)).toBeCloseTo(0, 9);
    expect(budgetRemaining(0.002, 0.999)).toBeCloseTo(-1, 9);
    expect(budgetRemaining(null, 0.999)).toBeNull();
  });

  it('counts errors allowed and remaining', () => {
    expect(errorsAllowed(1_000_000, 0.999)).toBeCloseTo(1000, 6);
    expect(errorsRemaining(400, 1_000_000, 0.999)).toBeCloseTo(600, 6);
    expect(errorsRemaining(1500, 1_000_000, 0.999)).toBeCloseTo(-500, 6);
    expect(errorsRemaining(null, 1000, 0.999)).toBeNull();
  });

  it('projects time to exhaustion as R x W / burn', () => {
    expect(timeToExhaustion(0.5, 2, 30 * DAY, '1h')).toEqual({ state: 'burning', seconds: 7.5 * DAY, basis: '1h' });
    expect(timeToExhaustion(0, 2, 30 * DAY, '1h').state).toBe('exhausted');
    expect(timeToExhaustion(0.5, 0, 30 * DAY, '1h').state).toBe('not-burning');
    expect(timeToExhaustion(0.5, null, 30 * DAY, '1h').state).toBe('unknown');
    expect(timeToExhaustion(null, 1, 30 * DAY, '1h').state).toBe('unknown');
  });

  it('property: remaining budget never rises when errors rise (same traffic)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.nat(), fc.nat(), targetArb, (total, a, b, target) => {
        const lo = Math.min(a, b) % (total + 1);
        const hi = Math.max(lo, Math.max(a, b) % (total + 1));
        const rLo = budgetRemaining(readErrorRatio({ bad: lo, total }, 'bad').errorRatio, target);
        const rHi = budgetRemaining(readErrorRatio({ bad: hi, total }, 'bad').errorRatio, target);
        return rLo !== null && rHi !== null && rHi <= rLo && rLo <= 1;
      }),
    );
  });

  it('property: errors remaining and remaining fraction agree in sign', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat(1_000_000), targetArb, (total, badRaw, target) => {
        const bad = badRaw % (total + 1);
        const r = budgetRemaining(bad / total, target) ?? 0;
        const left = errorsRemaining(bad, total, target) ?? 0;
        return Math.abs(r) < 1e-9 || Math.abs(left) < 1e-6 || Math.sign(r) === Math.sign(left);
      }),
    );
  });
});

describe('multiwindow alerts', () => {
  it('uses the workbook factors for 30 days', () => {
    expect(scaledAlertPairs(30 * DAY).map((p) => p.factor)).toEqual([14.4, 6, 3, 1]);
  });

  it('scales factors with the window: factor = budget share x W / long', () => {
    const f28 = scaledAlertPairs(28 * DAY).map((p) => p.factor);
    expect(f28[0]).toBeCloseTo(13.44, 9);
    expect(f28[1]).toBeCloseTo(5.6, 9);
    expect(f28[2]).toBeCloseTo(2.8, 9);
    expect(f28[3]).toBeCloseTo(0.9333333, 6);
    const f7 = scaledAlertPairs(7 * DAY).map((p) => p.factor);
    expect(f7[0]).toBeCloseTo(3.36, 9);
    expect(f7[3]).toBeCloseTo(0.7 / 3, 9);
  });

  it('fires a pair only when both windows exceed the factor', () => {
    const page = firingAlerts(burns(0.5, { '1h': 15, '5m': 20 }), 30 * DAY);
    expect(page).toEqual([{ severity: 'page', long: '1h', short: '5m', factor: 14.4, longBurn: 15, shortBurn: 20 }]);
    expect(firingAlerts(burns(0.5, { '1h': 15, '5m': 2 }), 30 * DAY)).toEqual([]);
    const ticket = firingAlerts(burns(4, { '3d': 2 }), 30 * DAY);
    expect(ticket.map((a) => `${a.severity}:${a.long}`)).toEqual(['ticket:1d', 'ticket:3d']);
  });

  it('never fires on unknown burn rates', () => {
    expect(firingAlerts(burns(null, { '1h': 100 }), 30 * DAY)).toEqual([]);
  });

  it('property: raising every burn rate never silences a firing pair', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 7, maxLength: 7 }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        fc.constantFrom(7, 28, 30),
        (vals, k, days) => {
          const base = Object.fromEntries(BURN_WINDOWS.map((w, i) => [w, vals[i] ?? 0])) as Record<BurnWindow, number>;
          const more = Object.fromEntries(BURN_WINDOWS.map((w) => [w, base[w] * k])) as Record<BurnWindow, number>;
          const a = firingAlerts(base, days * DAY).map((x) => x.long);
          const b = new Set(firingAlerts(more, days * DAY).map((x) => x.long));
          return a.every((l) => b.has(l));
        },
      ),
    );
  });

  it('exposes the pair table', () => {
    expect(WORKBOOK_ALERT_PAIRS).toHaveLength(4);
    expect(alertFactor(WORKBOOK_ALERT_PAIRS[0]!, 30 * DAY)).toBe(14.4);
  });
});

describe('policy', () => {
  it('maps remaining budget to tiers at the default boundaries', () => {
    expect(policyTier(0.81)).toBe('normal');
    expect(policyTier(0.8)).toBe('caution');
    expect(policyTier(0.5)).toBe('caution');
    expect(policyTier(0.49)).toBe('restricted');
    expect(policyTier(0.2)).toBe('restricted');
    expect(policyTier(0.19)).toBe('emergency');
    expect(policyTier(-3)).toBe('emergency');
    expect(policyTier(null)).toBe('no-data');
    expect(policyTier(Number.NaN)).toBe('no-data');
  });

  it('accepts configured thresholds and validates them', () => {
    const strict = { normal: 0.9, caution: 0.6, restricted: 0.3 };
    expect(validatePolicy(strict)).toEqual([]);
    expect(policyTier(0.85, strict)).toBe('caution');
    expect(validatePolicy({ normal: 0.2, caution: 0.5, restricted: 0.1 })).toHaveLength(1);
    expect(validatePolicy({ normal: 2, caution: 0.5, restricted: 0.1 })[0]).toMatch(/at most 1/);
    expect(validatePolicy(DEFAULT_POLICY)).toEqual([]);
  });

  it('property: tiers are monotone in remaining budget', () => {
    const order = ['emergency', 'restricted', 'caution', 'normal'];
    fc.assert(
      fc.property(fc.double({ min: -5, max: 1, noNaN: true }), fc.double({ min: -5, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return order.indexOf(policyTier(lo)) <= order.indexOf(policyTier(hi));
      }),
    );
  });

  it('gates deploys and fails closed without data', () => {
    expect(budgetGate(0.3, 0.25)).toBe('pass');
    expect(budgetGate(0.2, 0.25)).toBe('fail');
    expect(budgetGate(null, 0.25)).toBe('no-data');
  });
});
