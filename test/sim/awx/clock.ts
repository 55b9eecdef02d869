import { performance } from 'node:perf_hooks';

// AWX (Django, PostgreSQL) timestamps carry microseconds; JS Dates stop at milliseconds, so the simulator
// keeps times as fractional epoch milliseconds and formats the extra digits itself.

export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

function isoBase(ms: number): { seconds: string; fraction: string } {
  const whole = Math.floor(ms);
  const micros = Math.min(999, Math.floor((ms - whole) * 1000));
  const iso = new Date(whole).toISOString(); // 2024-06-01T12:00:05.123Z
  return { seconds: iso.slice(0, 19), fraction: `${iso.slice(20, 23)}${String(micros).padStart(3, '0')}` };
}

/** REST style: `2024-06-01T12:00:05.123456Z`. */
export function isoZ(ms: number): string {
  const { seconds, fraction } = isoBase(ms);
  return `${seconds}.${fraction}Z`;
}

/** Python `datetime.isoformat()` of an aware UTC time, as the websocket event payload carries it. */
export function isoOffset(ms: number): string {
  const { seconds, fraction } = isoBase(ms);
  return `${seconds}.${fraction}+00:00`;
}

/** Parses ISO text with up to microsecond precision back into fractional milliseconds. */
export function parseIsoMs(text: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!match) {
    const parsed = Date.parse(text);
    return Number.isNaN(parsed) ? null : parsed;
  }
  const base = Date.parse(`${match[1]}${match[3] ?? 'Z'}`);
  if (Number.isNaN(base)) return null;
  const fraction = (match[2] ?? '').padEnd(6, '0');
  return base + Number(fraction) / 1000;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
