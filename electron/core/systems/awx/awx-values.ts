// Defensive readers for AWX JSON: fields can be missing, null or of another type on other versions.

export type Json = Record<string, unknown>;

export const isRecord = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
export const rec = (x: unknown): Json => (isRecord(x) ? x : {});
export const str = (x: unknown, fallback = ''): string => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : fallback);
export const strOrNull = (x: unknown): string | null => (typeof x === 'string' && x !== '' ? x : null);
export const num = (x: unknown, fallback = 0): number => (typeof x === 'number' && Number.isFinite(x) ? x : fallback);
export const int = (x: unknown): number | null => (typeof x === 'number' && Number.isInteger(x) ? x : null);
export const bool = (x: unknown): boolean => x === true;
export const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
export const strings = (x: unknown): string[] => list(x).filter((v): v is string => typeof v === 'string');
