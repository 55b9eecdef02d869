// Multiwindow, multi-burn-rate alerts (SRE Workbook, "Alerting on SLOs", Table 5-8 plus the 1d/2h ticket row of
// its Prometheus example). A pair fires when BOTH its long and its short window burn faster than the factor; the
// short window (long / 12) makes the alert reset soon after an incident ends.
//
// Scaling rule for other compliance windows (the one Sloth uses, research §2.3): keep the look-back windows and
// the share of the budget each pair guards, and derive the factor from the window length W:
//     factor = budgetShare x W / long
// For 30 d this gives exactly 14.4 / 6 / 3 / 1; for 28 d 13.44 / 5.6 / 2.8 / 0.933; for 7 d 3.36 / 1.4 / 0.7 /
// 0.233. In words: "page when 2 % of the budget went in the last hour", whatever the window.

import { fixedSeconds } from './duration';
import type { AlertSeverity, BurnWindow, FiringAlert } from './types';

export interface AlertPair {
  severity: AlertSeverity;
  long: BurnWindow;
  short: BurnWindow;
  /** Share of the whole budget used up in the long window at the threshold, in per-mille (20 = 2 %). */
  budgetPerMille: number;
}

export const WORKBOOK_ALERT_PAIRS: readonly AlertPair[] = [
  { severity: 'page', long: '1h', short: '5m', budgetPerMille: 20 },
  { severity: 'page', long: '6h', short: '30m', budgetPerMille: 50 },
  { severity: 'ticket', long: '1d', short: '2h', budgetPerMille: 100 },
  { severity: 'ticket', long: '3d', short: '6h', budgetPerMille: 100 },
];

/** Burn-rate threshold of `pair` for a compliance window of `windowSeconds`. */
export function alertFactor(pair: AlertPair, windowSeconds: number): number {
  // Integer per-mille keeps 30 d at exactly 14.4 instead of 14.399999999999999.
  return (pair.budgetPerMille * windowSeconds) / (1000 * fixedSeconds(pair.long));
}

export interface ScaledAlertPair extends AlertPair {
  factor: number;
}

export function scaledAlertPairs(windowSeconds: number, pairs: readonly AlertPair[] = WORKBOOK_ALERT_PAIRS): ScaledAlertPair[] {
  return pairs.map((p) => ({ ...p, factor: alertFactor(p, windowSeconds) }));
}

/** The pairs whose long and short burn rates both exceed their factor. Unknown burn (null) never fires. */
export function firingAlerts(
  burnRates: Readonly<Record<BurnWindow, number | null>>,
  windowSeconds: number,
  pairs: readonly AlertPair[] = WORKBOOK_ALERT_PAIRS,
): FiringAlert[] {
  const out: FiringAlert[] = [];
  for (const p of scaledAlertPairs(windowSeconds, pairs)) {
    const longBurn = burnRates[p.long];
    const shortBurn = burnRates[p.short];
    if (longBurn === null || shortBurn === null) continue;
    if (longBurn > p.factor && shortBurn > p.factor) {
      out.push({ severity: p.severity, long: p.long, short: p.short, factor: p.factor, longBurn, shortBurn });
    }
  }
  return out;
}

/** Worst severity among firing alerts, for tile colours. */
export function worstSeverity(alerts: readonly FiringAlert[]): AlertSeverity | null {
  if (alerts.some((a) => a.severity === 'page')) return 'page';
  return alerts.length > 0 ? 'ticket' : null;
}
