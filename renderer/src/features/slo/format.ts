import type { PolicyTierId, SloStatusView } from '@shared/slo/contract';
import type { Tone } from '../../app/components/StatusBadge';
import { formatDateTime } from '../../app/format/time';

// How SLO numbers read on screen. Unknown is an em dash, never 0 % or 100 %.

export const DASH = '—';

export function pct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  return `${(x * 100).toFixed(digits)} %`;
}

/** A target such as 0.999 as "99.9 %" (as many decimals as it needs, up to 3). */
export function targetPct(t: number): string {
  const p = Number((t * 100).toFixed(3));
  return `${p} %`;
}

/** SLI with enough decimals to compare against its target. */
export function sliPct(x: number | null, target: number): string {
  const decimals = String(Number((target * 100).toFixed(3))).split('.')[1]?.length ?? 0;
  const digits = Math.min(4, Math.max(2, decimals + 1));
  return pct(x, digits);
}

export function burn(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×`;
}

const count = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
export function events(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? DASH : count.format(x);
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '−' : '';
  if (s < 90) return `${sign}${Math.round(s)} s`;
  if (s < 90 * 60) return `${sign}${Math.round(s / 60)} min`;
  if (s < 48 * 3600) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    return `${sign}${h} h${m ? ` ${m} min` : ''}`;
  }
  const d = Math.floor(s / 86_400);
  const h = Math.round((s % 86_400) / 3600);
  return `${sign}${d} d${h ? ` ${h} h` : ''}`;
}

export const TIER_LABEL: Record<PolicyTierId, string> = {
  normal: 'Normal',
  caution: 'Caution',
  restricted: 'Restricted',
  emergency: 'Emergency',
  'no-data': 'No data',
};

/** What each tier asks of the team (the error budget policy's default wording). */
export const TIER_HINT: Record<PolicyTierId, string> = {
  normal: 'More than 80 % of the budget left: ship as usual.',
  caution: '50–80 % left: watch the burn, prefer low-risk changes.',
  restricted: '20–50 % left: only reliability work and low-risk releases.',
  emergency: 'Under 20 % left: freeze deployments until the budget recovers.',
  'no-data': 'No data: the budget is unknown, which never counts as healthy.',
};

export const TIER_TONE: Record<PolicyTierId, Tone> = {
  normal: 'ok',
  caution: 'warn',
  restricted: 'warn',
  emergency: 'error',
  'no-data': 'unknown',
};

export function exhaustion(s: SloStatusView): string {
  const t = s.timeToExhaustion;
  switch (t.state) {
    case 'exhausted':
      return 'budget spent';
    case 'not-burning':
      return 'not burning';
    case 'unknown':
      return DASH;
    case 'burning':
      return `in ${duration(t.seconds)} at the ${t.basis} burn`;
  }
}

/** A point in a tooltip: the console's one format, zone named. */
export const dateTime = (ms: number): string => formatDateTime(ms, { seconds: false });
