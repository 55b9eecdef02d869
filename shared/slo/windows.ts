// Resolving an SLO's compliance window against an evaluation instant.

import { calendarPeriod, fixedSeconds } from './duration';
import type { BurnWindow, QueryWindow, SloWindow } from './types';

export interface ResolvedWindow {
  /** Full length of the window (a calendar month: this month's length). */
  fullSeconds: number;
  /** Seconds the query looks back from `at`: the full window when rolling, the elapsed part when calendar. */
  lookbackSeconds: number;
}

export function resolveWindow(w: SloWindow, atSeconds: number): ResolvedWindow {
  if (w.kind === 'rolling') return { fullSeconds: w.seconds, lookbackSeconds: w.seconds };
  const p = calendarPeriod(atSeconds, w.count, w.unit, w.timeZone, w.anchor);
  // Whole seconds keep the query text stable within a second; at least 1 s so the range is valid PromQL.
  return { fullSeconds: p.end - p.start, lookbackSeconds: Math.max(1, Math.floor(atSeconds - p.start)) };
}

/** Look-back seconds of a fleet query window for one SLO. */
export function queryWindowSeconds(window: QueryWindow, slo: SloWindow, atSeconds: number): number {
  return window === 'period' ? resolveWindow(slo, atSeconds).lookbackSeconds : fixedSeconds(window as BurnWindow);
}
