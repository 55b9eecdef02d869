// The period pickers: presets resolve to UTC calendar days [from, to), the same days `toc report` takes.
import { utcDay } from '../../app/format/time';

export type Preset = 'last-month' | 'this-month' | 'last-90' | 'last-quarter' | 'custom';

export const PRESETS: { id: Preset; label: string }[] = [
  { id: 'last-month', label: 'Last month' },
  { id: 'this-month', label: 'This month so far' },
  { id: 'last-90', label: 'Last 90 days' },
  { id: 'last-quarter', label: 'Last quarter' },
  { id: 'custom', label: 'Custom' },
];

const day = utcDay;

/** [from, to) of a preset at `now`, as UTC days; `to` is excluded, so "this month" ends tomorrow. */
export function presetPeriod(p: Exclude<Preset, 'custom'>, now: number): { from: string; to: string } {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const today = Date.UTC(y, m, d.getUTCDate());
  switch (p) {
    case 'last-month':
      return { from: day(Date.UTC(y, m - 1, 1)), to: day(Date.UTC(y, m, 1)) };
    case 'this-month':
      return { from: day(Date.UTC(y, m, 1)), to: day(today + 86_400_000) };
    case 'last-90':
      return { from: day(today - 89 * 86_400_000), to: day(today + 86_400_000) };
    case 'last-quarter': {
      const q = Math.floor(m / 3);
      return { from: day(Date.UTC(y, (q - 1) * 3, 1)), to: day(Date.UTC(y, q * 3, 1)) };
    }
  }
}

/** Why a custom period cannot be asked for, or null when it can. */
export function periodProblem(from: string, to: string): string | null {
  const re = /^\d{4}-\d{2}-\d{2}$/;
  if (!re.test(from) || !re.test(to)) return 'Choose both days.';
  if (to <= from) return 'The end must be after the start (the end day itself is not included).';
  if (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`) > 731 * 86_400_000) return 'At most two years at a time.';
  return null;
}

/** The last day the period includes, for labels ("1 Oct – 31 Oct 2026"). */
export function lastIncludedDay(to: string): string {
  return day(Date.parse(`${to}T00:00:00Z`) - 86_400_000);
}
