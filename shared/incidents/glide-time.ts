// ServiceNow date-times as the Table API gives values (not display values): UTC, `YYYY-MM-DD HH:mm:ss`, no `T`,
// no zone (research §4.5). Display values are in the API user's zone and format and are never parsed.

const GLIDE_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Epoch ms of a glide date-time value, or null for "" and anything that is not one. */
export function parseGlideDateTime(value: string | null | undefined): number | null {
  const m = GLIDE_RE.exec(value ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? null : ms;
}

export function formatGlideDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

/** Moves a glide date-time by whole seconds (the overlap window of delta sync). */
export function shiftGlideDateTime(value: string, seconds: number): string {
  const ms = parseGlideDateTime(value);
  return ms === null ? value : formatGlideDateTime(ms + seconds * 1000);
}
