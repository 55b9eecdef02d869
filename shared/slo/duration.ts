// Durations as OpenSLO and PromQL spell them. OpenSLO's shorthand is "<positive integer><unit>" with units
// m h d w M Q Y; PromQL accepts ms s m h d w y and compound forms ("1h30m"). We only need the small common
// subset: fixed-length units become seconds, calendar units (M Q Y) stay symbolic because a month is not 30 days
// (OpenSLO issue #267) and is resolved against a concrete instant by `calendarPeriod`.

const FIXED_UNITS = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 } as const;
export type FixedUnit = keyof typeof FIXED_UNITS;
export type CalendarUnit = 'd' | 'w' | 'M' | 'Q' | 'Y';

export interface ParsedDuration {
  count: number;
  unit: FixedUnit | 'M' | 'Q' | 'Y';
}

const DURATION_RE = /^([1-9][0-9]*)(s|m|h|d|w|M|Q|Y)$/;

/** Parses "28d", "1M", "5m". Returns null for anything else (zero, decimals, compound forms). */
export function parseDuration(text: string): ParsedDuration | null {
  const m = DURATION_RE.exec(text.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  const count = Number(m[1]);
  if (!Number.isSafeInteger(count)) return null;
  return { count, unit: m[2] as ParsedDuration['unit'] };
}

/** Seconds of a fixed-length duration; null for calendar units (M, Q, Y) whose length depends on the date. */
export function durationSeconds(d: ParsedDuration): number | null {
  if (d.unit === 'M' || d.unit === 'Q' || d.unit === 'Y') return null;
  return d.count * FIXED_UNITS[d.unit];
}

/** Seconds of "5m" / "30d" etc.; throws on calendar or malformed input (only for constants we own). */
export function fixedSeconds(text: string): number {
  const d = parseDuration(text);
  const s = d ? durationSeconds(d) : null;
  if (s === null) throw new Error(`not a fixed duration: ${text}`);
  return s;
}

/**
 * Shortest PromQL duration for a whole number of seconds: 2592000 → "30d", 5400 → "90m", 61 → "61s".
 * A single unit keeps queries readable and lets identical windows produce identical query text (cache hits).
 */
export function formatPromDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  for (const [unit, size] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    if (s % size === 0) return `${s / size}${unit}`;
  }
  return `${s}s`;
}

// ---- calendar periods -------------------------------------------------------------------------------------

/** Offset (ms) of `timeZone` from UTC at instant `ms`, via Intl (part of the ES library, no DOM or Node). */
function zoneOffsetMs(ms: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts['year'] ?? 1970,
    (parts['month'] ?? 1) - 1,
    parts['day'] ?? 1,
    parts['hour'] ?? 0,
    parts['minute'] ?? 0,
    parts['second'] ?? 0,
  );
  return asUtc - (ms - (ms % 1000));
}

/** Wall-clock fields of instant `ms` in `timeZone`. */
function wallClock(ms: number, timeZone: string): { y: number; mo: number; d: number } {
  const local = new Date(ms + zoneOffsetMs(ms, timeZone));
  return { y: local.getUTCFullYear(), mo: local.getUTCMonth(), d: local.getUTCDate() };
}

/** The UTC instant of wall-clock midnight y-mo-d in `timeZone` (two passes settle DST transitions). */
function zonedMidnight(y: number, mo: number, d: number, timeZone: string): number {
  const guess = Date.UTC(y, mo, d);
  let t = guess - zoneOffsetMs(guess, timeZone);
  t = guess - zoneOffsetMs(t, timeZone);
  return t;
}

/** Whether Intl knows the zone; used by the parser to reject typos early. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface CalendarPeriod {
  /** Unix seconds where the current period began. */
  start: number;
  /** Unix seconds where it ends (exclusive). */
  end: number;
}

/**
 * The calendar period containing `atSeconds`. Months, quarters and years follow the wall calendar of
 * `timeZone`; day and week periods are counted from `anchorSeconds` (OpenSLO's calendar.startTime), so a
 * "1w" window starting on a Monday keeps starting on Mondays.
 */
export function calendarPeriod(atSeconds: number, count: number, unit: CalendarUnit, timeZone: string, anchorSeconds = 0): CalendarPeriod {
  const at = atSeconds * 1000;
  if (unit === 'd' || unit === 'w') {
    const len = count * (unit === 'd' ? 86_400 : 604_800);
    const n = Math.floor((atSeconds - anchorSeconds) / len);
    const start = anchorSeconds + n * len;
    return { start, end: start + len };
  }
  const months = count * (unit === 'M' ? 1 : unit === 'Q' ? 3 : 12);
  const { y, mo } = wallClock(at, timeZone);
  const index = y * 12 + mo;
  const startIndex = index - (((index % months) + months) % months);
  const sy = Math.floor(startIndex / 12);
  const smo = startIndex % 12;
  const start = zonedMidnight(sy, smo, 1, timeZone) / 1000;
  const endIndex = startIndex + months;
  const end = zonedMidnight(Math.floor(endIndex / 12), endIndex % 12, 1, timeZone) / 1000;
  return { start, end };
}

/** Parses OpenSLO calendar.startTime ("2020-01-21 12:30:00", no zone) in `timeZone`; null if malformed. */
export function parseCalendarStart(text: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const midnight = zonedMidnight(y, mo - 1, d, timeZone);
  return midnight / 1000 + h * 3600 + mi * 60 + s;
}
