import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatDateTime, formatTick, formatTime, setZoneMode, zoneLabel } from '../../../renderer/src/app/format/time';

// One date-time format everywhere: 24-hour, ISO-like date, the zone always named; UTC on request.

afterEach(() => setZoneMode('local'));

const T = Date.UTC(2026, 11, 6, 21, 5, 9); // 21:05:09 UTC, after noon: a 12-hour clock would say 9:05 PM

describe('date-time format', () => {
  it('UTC mode: 24-hour, zero-padded, zone named', () => {
    setZoneMode('utc');
    expect(formatDateTime(T)).toBe('2026-12-06 21:05:09 UTC');
    expect(formatDateTime(new Date(T).toISOString(), { seconds: false })).toBe('2026-12-06 21:05 UTC');
    expect(formatTime(T)).toBe('21:05 UTC');
    expect(formatTick(T, 3_600_000)).toBe('21:05');
    expect(formatTick(T, 30 * 86_400_000)).toBe('12-06');
    expect(zoneLabel()).toBe('UTC');
  });

  it('local mode names the local zone and never uses AM/PM', () => {
    setZoneMode('local');
    const s = formatDateTime(T);
    expect(s).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+$/);
    expect(s).not.toMatch(/AM|PM/i);
    // The zone of this test process (TZ from the environment) is what is named.
    expect(s.endsWith(` ${zoneLabel('local', T)}`)).toBe(true);
  });

  it('midnight is 00, not 24; a bad input is shown as it was, not as "Invalid Date"', () => {
    setZoneMode('utc');
    expect(formatDateTime(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe('2026-01-01 00:00:00 UTC');
    expect(formatDateTime('not a time')).toBe('not a time');
    expect(formatDateTime(Number.NaN)).toBe('—');
  });

  it('an explicit zone overrides the setting (the wall UTC clock)', () => {
    setZoneMode('local');
    expect(formatTime(T, { zone: 'utc' })).toBe('21:05 UTC');
  });

  it('no view formats a date by itself: every site goes through app/format/time', () => {
    const root = path.resolve(import.meta.dirname, '../../../renderer/src');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : [],
      );
    // Also a time built from the computer's clock fields, and an ISO string dressed up by hand ("…Z" → " UTC"):
    // both ignore Settings → Time zone (a silence end and the Insights read time did).
    const own =
      /toLocale(Date|Time)String|Intl\.DateTimeFormat|Date\([^)]*\)\.toLocaleString|toUTCString|toISOString\(\)\.slice|\.get(Hours|Minutes|Seconds)\(\)|\.replace\('Z'/;
    const offenders = files(root)
      .filter((f) => !f.endsWith(path.join('app', 'format', 'time.ts')))
      .filter((f) => own.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });
});
