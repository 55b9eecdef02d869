import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignedRange, downsampleMinMax, MAX_POINTS_PER_SERIES, type Point } from '@shared/slo';

const series = fc
  .array(fc.record({ dt: fc.integer({ min: 1, max: 600 }), v: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { freq: 8 }) }), {
    minLength: 0,
    maxLength: 3000,
  })
  .map((rows) => {
    let t = 1_700_000_000;
    return rows.map((r): Point => ({ t: (t += r.dt), v: r.v }));
  });

const finite = (ps: readonly Point[]): number[] => ps.map((p) => p.v).filter((v): v is number => v !== null);

describe('downsampleMinMax', () => {
  it('leaves short series alone', () => {
    const pts = [
      { t: 1, v: 1 },
      { t: 2, v: null },
      { t: 3, v: 3 },
    ];
    expect(downsampleMinMax(pts, 10)).toEqual(pts);
  });

  it('keeps a one-sample spike that averaging would hide', () => {
    const pts: Point[] = Array.from({ length: 10_000 }, (_, i) => ({ t: i * 60, v: i === 5_001 ? 100 : 0.1 }));
    const out = downsampleMinMax(pts, 300);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.some((p) => p.v === 100)).toBe(true);
  });

  it('keeps gaps as null points', () => {
    const pts: Point[] = Array.from({ length: 1_000 }, (_, i) => ({ t: i, v: i >= 400 && i < 600 ? null : 1 }));
    expect(downsampleMinMax(pts, 100).some((p) => p.v === null)).toBe(true);
  });

  it('property: never exceeds the width, keeps the extremes, stays in time order, invents no values', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 2, max: 2000 }), (pts, width) => {
        const out = downsampleMinMax(pts, width);
        expect(out.length).toBeLessThanOrEqual(width);
        for (let i = 1; i < out.length; i++) expect(out[i]!.t).toBeGreaterThanOrEqual(out[i - 1]!.t);
        const inVals = finite(pts);
        const outVals = finite(out);
        if (inVals.length > 0) {
          expect(Math.min(...outVals)).toBe(Math.min(...inVals));
          expect(Math.max(...outVals)).toBe(Math.max(...inVals));
        }
        const known = new Set(pts.map((p) => `${p.t}:${p.v}`));
        for (const p of out) if (p.v !== null) expect(known.has(`${p.t}:${p.v}`)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('alignedRange', () => {
  it('picks about one step per pixel, aligned to the step', () => {
    const end = 1_794_744_000 + 123;
    const r = alignedRange(end - 30 * 86_400, end, 1200);
    expect(r.step).toBe(3_600);
    expect(r.start % r.step).toBe(0);
    expect(r.end % r.step).toBe(0);
    expect(r.end).toBeGreaterThanOrEqual(end);
    expect(r.points).toBeLessThanOrEqual(1200 + 2);
  });

  it('respects the minimum step (scrape or rule interval)', () => {
    expect(alignedRange(0, 3_600, 4_000, 30).step).toBe(30);
  });

  it('property: within the 11,000-point limit, covers the request, and is stable under small shifts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
        fc.integer({ min: 1, max: 400 * 86_400 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 600 }),
        (start, range, width, minStep) => {
          const r = alignedRange(start, start + range, width, minStep);
          expect((r.end - r.start) / r.step).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
          expect(r.points).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
          expect(r.start).toBeLessThanOrEqual(start);
          expect(r.end).toBeGreaterThanOrEqual(start + range);
          expect(r.step).toBeGreaterThanOrEqual(minStep);
          // The same request one second later lands on the same grid (cache-friendly).
          const s = alignedRange(start + 1, start + range + 1, width, minStep);
          expect(s.step).toBe(r.step);
          expect((s.start - r.start) % r.step).toBe(0);
        },
      ),
    );
  });
});
