/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago": short enough for a status bar and a wall tile. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** Data is stale when it is older than twice the interval it should refresh at. */
export function isStale(ageMs: number, refreshMs: number): boolean {
  return ageMs > 2 * refreshMs;
}

export function ageOf(iso: string | undefined, now: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : now - t;
}

// One date-time format for every screen: ISO-like date, 24-hour time, the zone named ("2026-12-06 21:35:12 UTC",
// "2026-12-06 22:35:12 CET"). The zone is the computer's or UTC (Settings → Time zone); every formatting site
// goes through here so a wall, a desk and a screenshot in a ticket never disagree on what a time means.

export type ZoneMode = 'local' | 'utc';
let zoneMode: ZoneMode = 'local';

/** Set from the settings (useTimeZoneSync); read by every formatter below. */
export function setZoneMode(mode: ZoneMode): void {
  zoneMode = mode;
}
export function getZoneMode(): ZoneMode {
  return zoneMode;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function fmt(zone: ZoneMode, withZoneName: boolean): Intl.DateTimeFormat {
  const k = `${zone}|${withZoneName}`;
  let f = formatters.get(k);
  if (!f) {
    // en-GB gives stable digits and short zone names (UTC, CET, BST, GMT+5:30); the layout is built from parts.
    f = new Intl.DateTimeFormat('en-GB', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      ...(zone === 'utc' ? { timeZone: 'UTC' } : {}),
      ...(withZoneName ? { timeZoneName: 'short' } : {}),
    });
    formatters.set(k, f);
  }
  return f;
}

interface Parts {
  y: string;
  mo: string;
  d: string;
  h: string;
  mi: string;
  s: string;
  zone: string;
}
function parts(t: number, zone: ZoneMode): Parts {
  const p: Record<string, string> = {};
  for (const x of fmt(zone, true).formatToParts(t)) p[x.type] = x.value;
  const h = p['hour'] === '24' ? '00' : (p['hour'] ?? '00');
  return {
    y: p['year'] ?? '',
    mo: p['month'] ?? '',
    d: p['day'] ?? '',
    h,
    mi: p['minute'] ?? '',
    s: p['second'] ?? '',
    zone: zone === 'utc' ? 'UTC' : (p['timeZoneName'] ?? ''),
  };
}

const toMs = (t: number | string | Date): number => (typeof t === 'number' ? t : t instanceof Date ? t.getTime() : Date.parse(t));

export interface DateTimeOptions {
  /** Include seconds (default true). */
  seconds?: boolean;
  /** Include the date (default true). */
  date?: boolean;
  /** Name the zone (default true). */
  zoneName?: boolean;
  /** Override the setting (the wall's second clock is always UTC). */
  zone?: ZoneMode;
}

/** "2026-12-06 21:35:12 UTC" (or the local zone's short name); the input as given when it is not a time. */
export function formatDateTime(t: number | string | Date, opts: DateTimeOptions = {}): string {
  const ms = toMs(t);
  if (!Number.isFinite(ms)) return typeof t === 'string' ? t : '—';
  const p = parts(ms, opts.zone ?? zoneMode);
  const time = opts.seconds === false ? `${p.h}:${p.mi}` : `${p.h}:${p.mi}:${p.s}`;
  const date = opts.date === false ? '' : `${p.y}-${p.mo}-${p.d} `;
  return `${date}${time}${opts.zoneName === false ? '' : ` ${p.zone}`}`;
}

/** "21:35 UTC": a time of today, 24-hour, zone named. */
export function formatTime(t: number | string | Date, opts: Omit<DateTimeOptions, 'date'> = {}): string {
  return formatDateTime(t, { seconds: false, ...opts, date: false });
}

/** The zone's short name now ("UTC", "CET"): for a chart axis or a clock label that names it once. */
export function zoneLabel(zone: ZoneMode = zoneMode, at = Date.now()): string {
  return parts(at, zone).zone;
}

/** A chart tick: "12-06" when the axis spans days, "21:35" within a day; the axis names the zone once. */
export function formatTick(t: number, spanMs: number): string {
  const p = parts(t, zoneMode);
  if (spanMs > 3 * 86_400_000) return `${p.mo}-${p.d}`;
  if (spanMs > 86_400_000) return `${p.mo}-${p.d} ${p.h}:${p.mi}`;
  return `${p.h}:${p.mi}`;
}

/** A `datetime-local` input's value for `ms` in the console's zone ("2026-12-06T21:35"): typed times mean what the screen shows. */
export function toInputValue(ms: number, zone: ZoneMode = zoneMode): string {
  const p = parts(ms, zone);
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}`;
}

/** The instant a `datetime-local` value ("2026-12-06T21:35") names in the console's zone; NaN when it is not one. */
export function fromInputValue(value: string, zone: ZoneMode = zoneMode): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return Number.NaN;
  // Without an offset, a date-time string is read in the computer's zone; with "Z", in UTC.
  return Date.parse(zone === 'utc' ? `${value}Z` : value);
}

/** A UTC calendar day, "2026-12-06": report periods are UTC days whatever zone the screen shows. */
export function utcDay(ms: number): string {
  const p = parts(ms, 'utc');
  return `${p.y}-${p.mo}-${p.d}`;
}

export function formatTimestamp(iso: string): string {
  return formatDateTime(iso);
}
