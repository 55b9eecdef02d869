// The report's period: [from, to) in UTC, from 00:00 UTC on the first day up to, not including, 00:00 UTC on the
// last. Dates are plain calendar days ("2026-10-01"); a time of day or a zone is refused rather than guessed.

export interface Period {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const DAY_MS = 86_400_000;

/** Epoch ms of 00:00 UTC on a `YYYY-MM-DD` day, or an error in words. */
export function parseDay(text: string): { ok: true; ms: number } | { ok: false; message: string } {
  const m = DAY_RE.exec(text.trim());
  if (!m) return { ok: false, message: `"${text}" is not a date: write it as YYYY-MM-DD (a UTC calendar day)` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return { ok: false, message: `"${text}" is not a day of the calendar` };
  return { ok: true, ms };
}

export function parsePeriod(from: string, to: string): { ok: true; period: Period } | { ok: false; message: string } {
  const f = parseDay(from);
  if (!f.ok) return { ok: false, message: `--from: ${f.message}` };
  const t = parseDay(to);
  if (!t.ok) return { ok: false, message: `--to: ${t.message}` };
  if (t.ms <= f.ms) return { ok: false, message: `--to (${to}) must be after --from (${from}): the period is [from, to)` };
  return { ok: true, period: { from: f.ms, to: t.ms } };
}

export const inPeriod = (ms: number | null, p: Period): boolean => ms !== null && ms >= p.from && ms < p.to;

export const dayText = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `YYYY-MM` of an instant, in UTC. */
export const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/** The calendar months (UTC) the period touches, each clipped to the period. */
export function monthsOf(p: Period): { month: string; from: number; to: number }[] {
  const out: { month: string; from: number; to: number }[] = [];
  let start = p.from;
  while (start < p.to) {
    const d = new Date(start);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const end = Math.min(next, p.to);
    out.push({ month: monthOf(start), from: start, to: end });
    start = end;
  }
  return out;
}

/** Sample instants for the backlog line: every day at 00:00 UTC (every week for periods over 120 days), and `to`. */
export function backlogInstants(p: Period): number[] {
  const step = p.to - p.from > 120 * DAY_MS ? 7 * DAY_MS : DAY_MS;
  const out: number[] = [];
  for (let t = p.from; t < p.to; t += step) out.push(t);
  out.push(p.to);
  return out;
}
