// Order statistics for durations. The median of an even count is the mean of the two middle values; p90 is the
// nearest-rank percentile (the ⌈0.9·n⌉-th smallest value), so it is always one of the observed durations.

export interface Quantiles {
  median: number | null;
  p90: number | null;
  count: number;
}

export function quantiles(values: readonly number[]): Quantiles {
  const n = values.length;
  if (n === 0) return { median: null, p90: null, count: 0 };
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { median: round2(median), p90: round2(nearestRank(s, 0.9)), count: n };
}

/** The nearest-rank percentile of sorted values: the ⌈q·n⌉-th smallest (1-based), at least the first. */
export function nearestRank(sorted: readonly number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length - 1e-9));
  return sorted[rank - 1] as number;
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** A share in [0, 1] with four decimals; null when there is nothing to divide by. */
export const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
