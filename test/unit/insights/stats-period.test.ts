import { describe, expect, it } from 'vitest';
import { backlogInstants, monthsOf, nearestRank, parseDay, parsePeriod, quantiles } from '@shared/insights';

describe('quantiles', () => {
  it('p90 of one value is that value, and so is the median', () => {
    expect(quantiles([42])).toEqual({ median: 42, p90: 42, count: 1 });
  });

  it('p90 of ten values is the ninth smallest (nearest rank), the median the mean of the 5th and 6th', () => {
    // Shuffled on purpose: the function must sort.
    expect(quantiles([100, 10, 90, 20, 80, 30, 70, 40, 60, 50])).toEqual({ median: 55, p90: 90, count: 10 });
  });

  it('nearest rank never interpolates and rounds the rank up', () => {
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10); // ⌈9.9⌉ = 10
    expect(nearestRank([5, 9], 0.9)).toBe(9); // ⌈1.8⌉ = 2
    expect(nearestRank([1, 2, 3, 4, 5, 6], 0.9)).toBe(6); // ⌈5.4⌉ = 6, where rounding would give the 5th
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 0.9)).toBe(18);
  });

  it('is empty for no values, not zero', () => {
    expect(quantiles([])).toEqual({ median: null, p90: null, count: 0 });
  });
});

describe('period', () => {
  it('is [00:00 UTC on from, 00:00 UTC on to)', () => {
    const p = parsePeriod('2026-10-01', '2026-11-01');
    expect(p).toEqual({ ok: true, period: { from: Date.parse('2026-10-01T00:00:00Z'), to: Date.parse('2026-11-01T00:00:00Z') } });
  });

  it('refuses times, zones, impossible days and a reversed period in words', () => {
    expect(parseDay('2026-10-01T00:00:00+02:00')).toMatchObject({ ok: false, message: expect.stringContaining('YYYY-MM-DD') });
    expect(parseDay('2026-02-30')).toMatchObject({ ok: false, message: expect.stringContaining('not a day') });
    expect(parsePeriod('2026-11-01', '2026-10-01')).toMatchObject({ ok: false, message: expect.stringContaining('must be after') });
    expect(parsePeriod('2026-10-01', '2026-10-01')).toMatchObject({ ok: false });
  });

  it('splits into UTC months clipped to the period', () => {
    const p = { from: Date.parse('2026-09-15T00:00:00Z'), to: Date.parse('2026-11-02T00:00:00Z') };
    expect(monthsOf(p).map((m) => [m.month, new Date(m.from).toISOString(), new Date(m.to).toISOString()])).toEqual([
      ['2026-09', '2026-09-15T00:00:00.000Z', '2026-10-01T00:00:00.000Z'],
      ['2026-10', '2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z'],
      ['2026-11', '2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
    ]);
  });

  it('samples the backlog daily, weekly beyond 120 days, and at the end', () => {
    const d = backlogInstants({ from: Date.parse('2026-10-01T00:00:00Z'), to: Date.parse('2026-10-04T00:00:00Z') });
    expect(d.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04']);
    const w = backlogInstants({ from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-12-31T00:00:00Z') });
    // 364 days: Jan 1 + 51 more weeks (the 52nd would be the end itself), then the end.
    expect(w.length).toBe(52 + 1);
    expect(new Date(w[51] ?? 0).toISOString().slice(0, 10)).toBe('2026-12-24');
  });
});
