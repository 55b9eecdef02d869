// Table API values normalised in one place (research §2.3, §8.6): a field is a string, null (empty choice under
// display modes), `{display_value, value, link?}` (display_value=all, or a reference), or missing when the
// caller may not read it. Missing keys mean "unknown", which the mappers turn into "".

export type RawValue =
  string | number | boolean | null | undefined | { display_value?: string | null; value?: string | null; link?: string };
export type RawRecord = Record<string, RawValue>;

export function isRawRecord(x: unknown): x is RawRecord {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The stored value (sys_id, choice code, UTC date-time). */
export function valueOf(v: RawValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return typeof v.value === 'string' ? v.value : '';
  return String(v);
}

/** The display value when the shape carries one, else undefined. */
export function displayOf(v: RawValue): string | undefined {
  if (typeof v === 'object' && v !== null && 'display_value' in v) return v.display_value ?? '';
  return undefined;
}

export function intOf(v: RawValue): number {
  const n = Number(valueOf(v));
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

export function boolOf(v: RawValue): boolean {
  return valueOf(v).toLowerCase() === 'true';
}
