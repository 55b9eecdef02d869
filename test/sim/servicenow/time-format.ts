// Glide date-times: stored and sent as UTC "YYYY-MM-DD HH:mm:ss" (no T, no Z); shown to users in their
// own time zone and date format. Both directions live here so the rest of the sim never touches Intl.

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function formatGlideDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  );
}

const GLIDE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Parses a UTC glide value ("YYYY-MM-DD HH:mm:ss" or a bare date) to epoch ms. */
export function parseGlideDateTime(value: string): number | undefined {
  const m = GLIDE_RE.exec(value.trim());
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return Number.isNaN(ms) ? undefined : ms;
}

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface ZonedWallClock extends WallClock {
  weekday: number; // 0 = Sunday
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset (ms) of the zone from UTC at an instant. Cached per 15 minutes: DST steps fall on such edges. */
function zoneOffset(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  let cache = offsetCache.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(timeZone, cache);
  }
  const bucket = Math.floor(ms / 900_000);
  const hit = cache.get(bucket);
  if (hit !== undefined) return hit;
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(bucket * 900_000))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const offset = asUtc - bucket * 900_000;
  if (cache.size > 20_000) cache.clear();
  cache.set(bucket, offset);
  return offset;
}

export function toWallClock(ms: number, timeZone: string): ZonedWallClock {
  const d = new Date(ms + zoneOffset(ms, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** Wall-clock time in a zone to epoch ms. Fields may overflow (day 0, month 13) like Date.UTC. */
export function fromWallClock(w: WallClock, timeZone: string): number {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  let t = guess - zoneOffset(guess, timeZone);
  const second = guess - zoneOffset(t, timeZone);
  if (second !== t) t = second;
  return t;
}

export type DateFormat = 'yyyy-MM-dd' | 'dd/MM/yyyy' | 'MM/dd/yyyy' | 'dd-MM-yyyy' | 'MM-dd-yyyy' | 'dd.MM.yyyy' | 'dd-MMM-yyyy';

export const DATE_FORMATS: readonly DateFormat[] = [
  'yyyy-MM-dd',
  'dd/MM/yyyy',
  'MM/dd/yyyy',
  'dd-MM-yyyy',
  'MM-dd-yyyy',
  'dd.MM.yyyy',
  'dd-MMM-yyyy',
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The API user's preferences: display values and `javascript:gs.*` boundaries depend on them. */
export class UserLocale {
  private readonly parseRe: RegExp;
  private readonly parseOrder: ('y' | 'M' | 'MMM' | 'd')[] = [];

  constructor(
    readonly timeZone: string,
    readonly dateFormat: DateFormat,
  ) {
    let pattern = '';
    for (const token of dateFormat.match(/yyyy|MMM|MM|dd|[^A-Za-z]/g) ?? []) {
      if (token === 'yyyy') {
        pattern += '(\\d{4})';
        this.parseOrder.push('y');
      } else if (token === 'MMM') {
        pattern += '([A-Za-z]{3})';
        this.parseOrder.push('MMM');
      } else if (token === 'MM') {
        pattern += '(\\d{1,2})';
        this.parseOrder.push('M');
      } else if (token === 'dd') {
        pattern += '(\\d{1,2})';
        this.parseOrder.push('d');
      } else {
        pattern += token.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      }
    }
    this.parseRe = new RegExp(`^${pattern}(?:\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?$`);
  }

  formatDate(w: WallClock): string {
    return this.dateFormat
      .replace('yyyy', String(w.year))
      .replace('MMM', MONTHS[w.month - 1] ?? '')
      .replace('MM', pad2(w.month))
      .replace('dd', pad2(w.day));
  }

  /** UTC glide value to the user's display string; unparsable values pass through. */
  displayDateTime(value: string): string {
    if (value === '') return '';
    const ms = parseGlideDateTime(value);
    if (ms === undefined) return value;
    const w = toWallClock(ms, this.timeZone);
    return `${this.formatDate(w)} ${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}`;
  }

  /** A display-format date-time in the user's zone (sysparm_input_display_value=true) to a UTC glide value. */
  parseDisplayDateTime(display: string): string | undefined {
    const m = this.parseRe.exec(display.trim());
    if (!m) return undefined;
    let year = 0;
    let month = 0;
    let day = 0;
    this.parseOrder.forEach((kind, i) => {
      const raw = m[i + 1] ?? '';
      if (kind === 'y') year = Number(raw);
      else if (kind === 'M') month = Number(raw);
      else if (kind === 'MMM') month = MONTHS.findIndex((n) => n.toLowerCase() === raw.toLowerCase()) + 1;
      else day = Number(raw);
    });
    if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
    const base = this.parseOrder.length;
    const ms = fromWallClock(
      { year, month, day, hour: Number(m[base + 1] ?? 0), minute: Number(m[base + 2] ?? 0), second: Number(m[base + 3] ?? 0) },
      this.timeZone,
    );
    return formatGlideDateTime(ms);
  }
}

/** Durations are stored as date-times after the 1970 epoch; the UI shows them as "1 Day 2 Hours 3 Minutes". */
export function formatDurationValue(seconds: number): string {
  return formatGlideDateTime(Math.max(0, Math.round(seconds)) * 1000);
}

export function displayDuration(value: string): string {
  if (value === '') return '';
  const ms = parseGlideDateTime(value);
  if (ms === undefined) return value;
  let rest = Math.floor(ms / 1000);
  const parts: string[] = [];
  const units: [string, number][] = [
    ['Day', 86_400],
    ['Hour', 3_600],
    ['Minute', 60],
    ['Second', 1],
  ];
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.length === 0 ? '0 Seconds' : parts.slice(0, 3).join(' ');
}
