import { describe, expect, it } from 'vitest';
import {
  calendarPeriod,
  checkExpression,
  fixedSeconds,
  formatPromDuration,
  parseCalendarStart,
  parseDuration,
  parsePromValue,
  parseSelector,
  readVectorResponse,
  resolveWindow,
  tagExpression,
  formatSelector,
} from '@shared/slo';

const utc = (y: number, mo: number, d: number, h = 0): number => Date.UTC(y, mo - 1, d, h) / 1000;

describe('Prometheus values', () => {
  it('maps the special strings by hand (Number("+Inf") is NaN in JS)', () => {
    expect(Number('+Inf')).toBeNaN();
    expect(parsePromValue('+Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parsePromValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parsePromValue('NaN')).toBeNaN();
    expect(parsePromValue('0.001')).toBe(0.001);
    expect(parsePromValue('1e-7')).toBe(1e-7);
    expect(parsePromValue('bogus')).toBeNull();
    expect(parsePromValue('')).toBeNull();
  });

  it('reads vector responses and error envelopes', () => {
    const ok = readVectorResponse({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { a: 'b' }, value: [1700000000.5, 'NaN'] }] },
    });
    expect(ok.ok && ok.samples[0]?.value).toBeNaN();
    expect(readVectorResponse({ status: 'error', errorType: 'bad_data', error: 'parse error' })).toEqual({
      ok: false,
      errorType: 'bad_data',
      error: 'parse error',
    });
    expect(readVectorResponse('<html>').ok).toBe(false);
    expect(readVectorResponse({ status: 'success', data: { resultType: 'matrix', result: [] } }).ok).toBe(false);
  });
});

describe('durations and calendar periods', () => {
  it('parses and formats durations', () => {
    expect(parseDuration('28d')).toEqual({ count: 28, unit: 'd' });
    expect(parseDuration('1M')).toEqual({ count: 1, unit: 'M' });
    expect(parseDuration('0d')).toBeNull();
    expect(parseDuration('1.5h')).toBeNull();
    expect(fixedSeconds('4w')).toBe(28 * 86_400);
    expect(formatPromDuration(30 * 86_400)).toBe('30d');
    expect(formatPromDuration(28 * 86_400)).toBe('4w');
    expect(formatPromDuration(5400)).toBe('90m');
    expect(formatPromDuration(1_252_800)).toBe('348h');
    expect(formatPromDuration(61)).toBe('61s');
  });

  it('finds the current month, quarter and year in UTC', () => {
    const at = utc(2026, 11, 15, 12);
    expect(calendarPeriod(at, 1, 'M', 'UTC')).toEqual({ start: utc(2026, 11, 1), end: utc(2026, 12, 1) });
    expect(calendarPeriod(at, 1, 'Q', 'UTC')).toEqual({ start: utc(2026, 10, 1), end: utc(2027, 1, 1) });
    expect(calendarPeriod(at, 1, 'Y', 'UTC')).toEqual({ start: utc(2026, 1, 1), end: utc(2027, 1, 1) });
  });

  it('follows the wall calendar of a time zone, across DST', () => {
    // Berlin is UTC+1 in November: the month starts at 23:00 UTC on 31 October.
    expect(calendarPeriod(utc(2026, 11, 15), 1, 'M', 'Europe/Berlin').start).toBe(utc(2026, 10, 31, 23));
    // April starts in summer time (UTC+2).
    expect(calendarPeriod(utc(2026, 4, 10), 1, 'M', 'Europe/Berlin').start).toBe(utc(2026, 3, 31, 22));
    // 1 Nov 00:30 Berlin is still 31 Oct in UTC but already November locally.
    expect(calendarPeriod(utc(2026, 10, 31, 23) + 1800, 1, 'M', 'Europe/Berlin').start).toBe(utc(2026, 10, 31, 23));
  });

  it('counts week periods from the calendar anchor', () => {
    const monday = parseCalendarStart('2026-01-05 00:00:00', 'UTC') ?? 0;
    const p = calendarPeriod(utc(2026, 11, 19, 12), 1, 'w', 'UTC', monday);
    expect(new Date(p.start * 1000).getUTCDay()).toBe(1);
    expect(p.end - p.start).toBe(7 * 86_400);
  });

  it('resolves calendar windows to full length and elapsed look-back', () => {
    const w = { kind: 'calendar' as const, duration: '1M', count: 1, unit: 'M' as const, timeZone: 'UTC', anchor: 0 };
    expect(resolveWindow(w, utc(2026, 11, 15, 12))).toEqual({ fullSeconds: 30 * 86_400, lookbackSeconds: 14.5 * 86_400 });
    expect(resolveWindow({ kind: 'rolling', duration: '7d', seconds: 604_800 }, 0)).toEqual({
      fullSeconds: 604_800,
      lookbackSeconds: 604_800,
    });
  });
});

describe('PromQL helpers', () => {
  it('parses plain selectors and refuses expressions', () => {
    expect(parseSelector('http_requests_total{code=~"5..", job="api"}')).toEqual({
      metric: 'http_requests_total',
      matchers: [
        { name: 'code', op: '=~', value: '5..' },
        { name: 'job', op: '=', value: 'api' },
      ],
    });
    expect(parseSelector('up')).toEqual({ metric: 'up', matchers: [] });
    expect(parseSelector('{__name__="x",a!="}"}')?.matchers[1]).toEqual({ name: 'a', op: '!=', value: '}' });
    expect(parseSelector('rate(x[5m])')).toBeNull();
    expect(parseSelector('x{a="b"} + y')).toBeNull();
    expect(formatSelector({ metric: 'm', matchers: [{ name: 'le', op: '=', value: '0.3' }] })).toBe('m{le="0.3"}');
  });

  it('catches unbalanced brackets and open strings', () => {
    expect(checkExpression('sum(rate(x[5m]))')).toBeNull();
    expect(checkExpression('x{a="(("}')).toBeNull();
    expect(checkExpression('sum(rate(x[5m])')).toMatch(/unclosed/);
    expect(checkExpression('x{a="b}')).toMatch(/unterminated/);
    expect(checkExpression('x)')).toMatch(/unbalanced/);
    expect(checkExpression('  ')).toMatch(/empty/);
  });

  it('tags expressions with escaped label values ($ is literal)', () => {
    expect(tagExpression('sum(x)', 'a$1"b', 'bad')).toBe(
      'label_replace(label_replace(sum(x), "__slo__", "a$$1\\"b", "", ""), "__part__", "bad", "", "")',
    );
  });
});
