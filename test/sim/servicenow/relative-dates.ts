import { formatGlideDateTime, fromWallClock, parseGlideDateTime, toWallClock } from './time-format';
import type { WallClock } from './time-format';

// Server-side `javascript:` values in encoded queries. Real instances run them in Rhino; the sim knows the
// GlideSystem date helpers and gs.getUserID(), computed in the API user's time zone like the platform does,
// and returns UTC glide strings. Anything else is "invalid" so the caller can drop the condition.

export interface ScriptContext {
  now: number;
  timeZone: string;
  userSysId: string;
}

type Unit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Start of the period (in the user's zone) that contains `ms`, shifted by `shift` periods. */
export function periodStart(ms: number, unit: Unit, shift: number, timeZone: string): number {
  const w = toWallClock(ms, timeZone);
  const base: WallClock = { ...w };
  switch (unit) {
    case 'minute':
      return fromWallClock({ ...base, minute: w.minute + shift, second: 0 }, timeZone);
    case 'hour':
      return fromWallClock({ ...base, hour: w.hour + shift, minute: 0, second: 0 }, timeZone);
    case 'day':
      return fromWallClock({ ...base, day: w.day + shift, hour: 0, minute: 0, second: 0 }, timeZone);
    case 'week': {
      // Weeks start on Monday on an out-of-box instance.
      const sinceMonday = (w.weekday + 6) % 7;
      return fromWallClock({ ...base, day: w.day - sinceMonday + 7 * shift, hour: 0, minute: 0, second: 0 }, timeZone);
    }
    case 'month':
      return fromWallClock({ year: w.year, month: w.month + shift, day: 1, hour: 0, minute: 0, second: 0 }, timeZone);
    case 'quarter': {
      const first = Math.floor((w.month - 1) / 3) * 3 + 1;
      return fromWallClock({ year: w.year, month: first + 3 * shift, day: 1, hour: 0, minute: 0, second: 0 }, timeZone);
    }
    case 'year':
      return fromWallClock({ year: w.year + shift, month: 1, day: 1, hour: 0, minute: 0, second: 0 }, timeZone);
  }
}

/** Last second of the period containing `ms`, shifted by `shift` periods. */
export function periodEnd(ms: number, unit: Unit, shift: number, timeZone: string): number {
  return periodStart(ms, unit, shift + 1, timeZone) - 1000;
}

const UNIT_MS: Record<'minute' | 'hour' | 'day', number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

type Fn = (args: string[], ctx: ScriptContext) => string | undefined;

const num = (args: string[], i = 0): number => {
  const raw = args[i];
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  return Number.isFinite(n) ? n : Number.NaN;
};

function dt(ms: number): string | undefined {
  return Number.isFinite(ms) ? formatGlideDateTime(ms) : undefined;
}

function boundary(unit: Unit, shift: number, end: boolean): Fn {
  return (_args, ctx) => dt(end ? periodEnd(ctx.now, unit, shift, ctx.timeZone) : periodStart(ctx.now, unit, shift, ctx.timeZone));
}

function agoStart(unit: Unit, end: boolean): Fn {
  return (args, ctx) => {
    const n = num(args);
    if (Number.isNaN(n)) return undefined;
    return dt(end ? periodEnd(ctx.now, unit, -n, ctx.timeZone) : periodStart(ctx.now, unit, -n, ctx.timeZone));
  };
}

function agoExact(unit: 'minute' | 'hour' | 'day'): Fn {
  return (args, ctx) => {
    const n = num(args);
    return Number.isNaN(n) ? undefined : dt(ctx.now - n * UNIT_MS[unit]);
  };
}

const FUNCTIONS: Record<string, Fn> = {
  getUserID: (_a, ctx) => ctx.userSysId,
  nowDateTime: (_a, ctx) => dt(ctx.now),
  nowNoTZ: (_a, ctx) => dt(ctx.now),
  now: (_a, ctx) => {
    const w = toWallClock(ctx.now, ctx.timeZone);
    return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
  },
  beginningOfToday: boundary('day', 0, false),
  endOfToday: boundary('day', 0, true),
  beginningOfYesterday: boundary('day', -1, false),
  endOfYesterday: boundary('day', -1, true),
  beginningOfTomorrow: boundary('day', 1, false),
  endOfTomorrow: boundary('day', 1, true),
  beginningOfThisWeek: boundary('week', 0, false),
  endOfThisWeek: boundary('week', 0, true),
  beginningOfLastWeek: boundary('week', -1, false),
  endOfLastWeek: boundary('week', -1, true),
  beginningOfNextWeek: boundary('week', 1, false),
  endOfNextWeek: boundary('week', 1, true),
  beginningOfThisMonth: boundary('month', 0, false),
  endOfThisMonth: boundary('month', 0, true),
  beginningOfLastMonth: boundary('month', -1, false),
  endOfLastMonth: boundary('month', -1, true),
  beginningOfNextMonth: boundary('month', 1, false),
  endOfNextMonth: boundary('month', 1, true),
  beginningOfThisQuarter: boundary('quarter', 0, false),
  endOfThisQuarter: boundary('quarter', 0, true),
  beginningOfLastQuarter: boundary('quarter', -1, false),
  endOfLastQuarter: boundary('quarter', -1, true),
  beginningOfThisYear: boundary('year', 0, false),
  endOfThisYear: boundary('year', 0, true),
  beginningOfLastYear: boundary('year', -1, false),
  endOfLastYear: boundary('year', -1, true),
  minutesAgo: agoExact('minute'),
  minutesAgoStart: agoStart('minute', false),
  minutesAgoEnd: agoStart('minute', true),
  hoursAgo: agoExact('hour'),
  hoursAgoStart: agoStart('hour', false),
  hoursAgoEnd: agoStart('hour', true),
  daysAgo: agoExact('day'),
  daysAgoStart: agoStart('day', false),
  daysAgoEnd: agoStart('day', true),
  monthsAgo: (args, ctx) => {
    const n = num(args);
    if (Number.isNaN(n)) return undefined;
    const w = toWallClock(ctx.now, ctx.timeZone);
    return dt(fromWallClock({ ...w, month: w.month - n }, ctx.timeZone));
  },
  monthsAgoStart: agoStart('month', false),
  monthsAgoEnd: agoStart('month', true),
  quartersAgoStart: agoStart('quarter', false),
  quartersAgoEnd: agoStart('quarter', true),
  yearsAgo: (args, ctx) => {
    const n = num(args);
    if (Number.isNaN(n)) return undefined;
    const w = toWallClock(ctx.now, ctx.timeZone);
    return dt(fromWallClock({ ...w, year: w.year - n }, ctx.timeZone));
  },
  // gs.dateGenerate('2024-01-31', '13:00:00' | 'start' | 'end'): the date is read in the user's zone.
  dateGenerate: (args, ctx) => {
    const [date, time = 'start'] = args;
    if (date === undefined) return undefined;
    const clock = time === 'start' ? '00:00:00' : time === 'end' ? '23:59:59' : time;
    const asUtc = parseGlideDateTime(`${date} ${clock}`);
    if (asUtc === undefined) return undefined;
    const d = new Date(asUtc);
    return dt(
      fromWallClock(
        {
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
          second: d.getUTCSeconds(),
        },
        ctx.timeZone,
      ),
    );
  },
};

const CALL_RE = /^\s*gs\s*\.\s*(\w+)\s*\(([^)]*)\)\s*;?\s*$/;
const GET_USER_ID_RE = /^\s*gs\s*\.\s*getUser\s*\(\s*\)\s*\.\s*getID\s*\(\s*\)\s*;?\s*$/;

function splitArgs(raw: string): string[] {
  if (raw.trim() === '') return [];
  return raw.split(',').map((a) => a.trim().replace(/^(['"])(.*)\1$/, '$2'));
}

/** Evaluates the text after "javascript:"; undefined when the expression is not something the sim knows. */
export function evaluateScript(expression: string, ctx: ScriptContext): string | undefined {
  if (GET_USER_ID_RE.test(expression)) return ctx.userSysId;
  const m = CALL_RE.exec(expression);
  if (!m) return undefined;
  const fn = FUNCTIONS[m[1] ?? ''];
  return fn ? fn(splitArgs(m[2] ?? ''), ctx) : undefined;
}

/** Literal values pass through; `javascript:` values are evaluated (undefined when unknown). */
export function resolveQueryValue(value: string, ctx: ScriptContext): string | undefined {
  const trimmed = value.trimStart();
  if (!trimmed.toLowerCase().startsWith('javascript:')) return value;
  return evaluateScript(trimmed.slice('javascript:'.length), ctx);
}

/** Named ranges for "ON<label>" conditions written without explicit bounds. */
export function namedRange(label: string, ctx: ScriptContext): [string, string] | undefined {
  const key = label.trim().toLowerCase();
  const tz = ctx.timeZone;
  const now = ctx.now;
  const range = (unit: Unit, shift: number): [string, string] => [
    formatGlideDateTime(periodStart(now, unit, shift, tz)),
    formatGlideDateTime(periodEnd(now, unit, shift, tz)),
  ];
  const lastN = (unit: Unit, n: number): [string, string] => [
    formatGlideDateTime(periodStart(now, unit, -n, tz)),
    formatGlideDateTime(periodEnd(now, 'day', 0, tz)),
  ];
  const table: Record<string, () => [string, string]> = {
    today: () => range('day', 0),
    yesterday: () => range('day', -1),
    tomorrow: () => range('day', 1),
    'this week': () => range('week', 0),
    'last week': () => range('week', -1),
    'next week': () => range('week', 1),
    'this month': () => range('month', 0),
    'last month': () => range('month', -1),
    'next month': () => range('month', 1),
    'this quarter': () => range('quarter', 0),
    'last quarter': () => range('quarter', -1),
    'this year': () => range('year', 0),
    'last year': () => range('year', -1),
    'last 7 days': () => lastN('day', 7),
    'last 30 days': () => lastN('day', 30),
    'last 90 days': () => lastN('day', 90),
    'last 15 minutes': () => [formatGlideDateTime(now - 15 * 60_000), formatGlideDateTime(now)],
    'last 30 minutes': () => [formatGlideDateTime(now - 30 * 60_000), formatGlideDateTime(now)],
    'last hour': () => [formatGlideDateTime(now - 3_600_000), formatGlideDateTime(now)],
    'last 12 hours': () => [formatGlideDateTime(now - 12 * 3_600_000), formatGlideDateTime(now)],
  };
  return table[key]?.();
}

export function isUnit(text: string): text is Unit {
  return ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'].includes(text);
}

/** Shifts an instant by n units (calendar-aware for months and longer). */
export function shiftBy(ms: number, unit: Unit, n: number, timeZone: string): number {
  if (unit === 'minute' || unit === 'hour' || unit === 'day') return ms + n * UNIT_MS[unit];
  if (unit === 'week') return ms + n * 7 * UNIT_MS.day;
  const w = toWallClock(ms, timeZone);
  if (unit === 'month') return fromWallClock({ ...w, month: w.month + n }, timeZone);
  if (unit === 'quarter') return fromWallClock({ ...w, month: w.month + 3 * n }, timeZone);
  return fromWallClock({ ...w, year: w.year + n }, timeZone);
}

export type { Unit };
