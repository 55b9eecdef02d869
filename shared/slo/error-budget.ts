// Error budget arithmetic over the compliance window W (SRE workbook; same formulas Pyrra uses):
//   B = 1 - target                     budget as a fraction of events
//   remaining R = 1 - e_W / B          1 untouched, 0 spent, < 0 overspent
//   errors allowed = B x total_W       errors remaining = allowed - bad_W
//   budget minutes = R x B x W         the remaining budget as minutes of full outage
//   time to exhaustion = R x W / b     at the current burn rate b (pessimistic for rolling windows: old errors
//                                      also leave the window, which this ignores)

import type { BurnWindow, TimeToExhaustion } from './types';

export function errorBudget(target: number): number {
  return 1 - target;
}

/** Remaining budget fraction; null when the error ratio is unknown or the target leaves no budget. */
export function budgetRemaining(errorRatio: number | null, target: number): number | null {
  const b = errorBudget(target);
  if (errorRatio === null || !Number.isFinite(errorRatio) || !(b > 0)) return null;
  return 1 - errorRatio / b;
}

/** How many bad events the window may hold in total. */
export function errorsAllowed(total: number | null, target: number): number | null {
  if (total === null || !Number.isFinite(total) || total < 0) return null;
  return errorBudget(target) * total;
}

/** Bad events still allowed in the window; negative when the budget is overspent. */
export function errorsRemaining(bad: number | null, total: number | null, target: number): number | null {
  const allowed = errorsAllowed(total, target);
  if (allowed === null || bad === null || !Number.isFinite(bad)) return null;
  return allowed - bad;
}

/** The remaining budget as minutes of total outage over the full window (may be negative). */
export function budgetMinutesLeft(remaining: number | null, target: number, windowSeconds: number): number | null {
  if (remaining === null) return null;
  return (remaining * errorBudget(target) * windowSeconds) / 60;
}

/** When the remaining budget runs out if the burn rate `burn` (over `basis`) continues. */
export function timeToExhaustion(
  remaining: number | null,
  burn: number | null,
  windowSeconds: number,
  basis: BurnWindow,
): TimeToExhaustion {
  if (remaining === null) return { state: 'unknown', seconds: null, basis };
  if (remaining <= 0) return { state: 'exhausted', seconds: null, basis };
  if (burn === null) return { state: 'unknown', seconds: null, basis };
  if (burn <= 0) return { state: 'not-burning', seconds: null, basis };
  return { state: 'burning', seconds: (remaining * windowSeconds) / burn, basis };
}
