// Error ratio and burn rate for one look-back window.
//
// burn rate = error ratio / (1 - target). 1 means the budget lasts exactly the compliance window, 14.4 means a
// 30-day budget is gone in 50 hours. No traffic is *unknown*, never 0 (which would read as "perfect") and never
// 100 % (what Pyrra shows for NaN): both callers and UI get null plus a reason.

/** What Prometheus returned for one SLO and one window. A missing key means "no series came back". */
export interface WindowMeasurement {
  good?: number;
  bad?: number;
  total?: number;
  /** Error ratio read directly (recorded rules, raw ratio queries). */
  ratio?: number;
}

export type RatioGap = 'missing' | 'no-traffic' | 'invalid';

export interface RatioReading {
  /** Fraction of bad events in [0, 1] (can exceed 1 only on inconsistent data, which is warned about). */
  errorRatio: number | null;
  total: number | null;
  bad: number | null;
  gap?: RatioGap;
  warning?: string;
}

/**
 * Turns raw parts into an error ratio. `uses` says which counter the indicator defines, because a missing
 * series means different things: no bad-event series is normal (no errors yet, the `or vector(0)` idiom), no
 * good-event series while there is traffic means every event was bad (or the selector is wrong: warned).
 */
export function readErrorRatio(m: WindowMeasurement | undefined, uses: 'good' | 'bad' | 'ratio'): RatioReading {
  if (m === undefined) return { errorRatio: null, total: null, bad: null, gap: 'missing' };
  if (uses === 'ratio') return readRatio(m.ratio);

  const total = m.total;
  if (total === undefined) return { errorRatio: null, total: null, bad: null, gap: 'missing' };
  if (!Number.isFinite(total)) {
    return { errorRatio: null, total: null, bad: null, gap: 'invalid', warning: `total is ${String(total)}` };
  }
  if (total <= 0) {
    // increase() never goes below 0, so a negative total means the query is not a counter.
    const warning =
      total < 0
        ? `total is negative (${total})`
        : uses === 'bad' && (m.bad ?? 0) > 0
          ? `${m.bad ?? 0} bad events without any traffic`
          : undefined;
    return { errorRatio: null, total, bad: 0, gap: 'no-traffic', ...(warning ? { warning } : {}) };
  }

  let bad: number;
  let warning: string | undefined;
  if (uses === 'bad') {
    bad = m.bad ?? 0;
  } else if (m.good === undefined) {
    bad = total;
    warning = 'good-event query returned no series while there is traffic; counting every event as bad';
  } else {
    bad = total - m.good;
  }
  if (!Number.isFinite(bad)) {
    return { errorRatio: null, total, bad: null, gap: 'invalid', warning: `bad-event count is ${String(bad)}` };
  }
  if (bad < 0) {
    warning = `good events exceed total by ${-bad}; treating as 0 bad`;
    bad = 0;
  } else if (bad > total) {
    warning = `bad events (${bad}) exceed total (${total})`;
  }
  return { errorRatio: bad / total, total, bad, ...(warning ? { warning } : {}) };
}

function readRatio(ratio: number | undefined): RatioReading {
  if (ratio === undefined) return { errorRatio: null, total: null, bad: null, gap: 'missing' };
  // NaN is 0/0: the recording rule saw no traffic.
  if (Number.isNaN(ratio)) return { errorRatio: null, total: null, bad: null, gap: 'no-traffic' };
  if (!Number.isFinite(ratio)) {
    return { errorRatio: null, total: null, bad: null, gap: 'invalid', warning: `error ratio is ${ratio > 0 ? '+Inf' : '-Inf'}` };
  }
  if (ratio < 0 || ratio > 1) {
    return { errorRatio: Math.max(0, ratio), total: null, bad: null, warning: `error ratio ${ratio} is outside [0, 1]` };
  }
  return { errorRatio: ratio, total: null, bad: null };
}

/** Burn rate = error ratio / (1 - target); null when the ratio is unknown or the target leaves no budget. */
export function burnRate(errorRatio: number | null, target: number): number | null {
  if (errorRatio === null || !Number.isFinite(errorRatio)) return null;
  const budget = 1 - target;
  if (!(budget > 0)) return null;
  return errorRatio / budget;
}
