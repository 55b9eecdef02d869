import { z } from 'zod';

// Parses as much of a value as a schema allows instead of all or nothing: an object keeps its valid fields (a
// bad or unknown one is reported and replaced by its default), an array keeps its valid items. A typo in one
// corner of the workspace file then costs that corner only, never the connections next to it.

export interface SalvageIssue {
  path: (string | number)[];
  message: string;
  /** The problem is the key itself (an unknown field), not its value. */
  atKey?: true;
}

export interface Salvaged<T> {
  /** undefined when nothing usable was left (and the schema has no default). */
  value: T | undefined;
  issues: SalvageIssue[];
}

export function salvage<S extends z.ZodType>(schema: S, value: unknown, at: (string | number)[] = []): Salvaged<z.output<S>> {
  const whole = schema.safeParse(value);
  if (whole.success) return { value: whole.data, issues: [] };
  const issues: SalvageIssue[] = [];
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject && isPlainObject(value)) {
    const shape = inner.shape as Record<string, z.ZodType>;
    const known = Object.keys(shape);
    const kept: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const field = shape[key];
      if (!field) {
        const near = closest(key, known);
        issues.push({
          path: [...at, key],
          message: `unknown field "${key}" (ignored)${near ? `; did you mean "${near}"?` : ''}`,
          atKey: true,
        });
        continue;
      }
      const part = salvage(field, v, [...at, key]);
      issues.push(...part.issues);
      if (part.value !== undefined) kept[key] = part.value;
    }
    // Checks over the whole object (a refine) can still fail with every field valid: then only its default is safe.
    const again = schema.safeParse(kept);
    if (again.success) return { value: again.data, issues };
    issues.push(...again.error.issues.map((i) => ({ path: [...at, ...i.path.map(String)], message: i.message })));
    return { value: fallback(schema), issues };
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    const element = inner.element as z.ZodType;
    const kept: unknown[] = [];
    for (const [i, item] of value.entries()) {
      const r = element.safeParse(item);
      if (r.success) kept.push(r.data);
      else issues.push(...r.error.issues.map((x) => ({ path: [...at, i, ...x.path.map(keyOf)], message: x.message })));
    }
    const again = schema.safeParse(kept);
    if (again.success) return { value: again.data, issues };
    issues.push(...again.error.issues.map((i) => ({ path: [...at, ...i.path.map(keyOf)], message: i.message })));
    return { value: fallback(schema), issues };
  }
  issues.push(...whole.error.issues.map((i) => ({ path: [...at, ...i.path.map(keyOf)], message: i.message })));
  return { value: fallback(schema), issues };
}

function keyOf(p: PropertyKey): string | number {
  return typeof p === 'number' ? p : String(p);
}

/** The schema's own default (what an absent field gets), or undefined. */
function fallback<S extends z.ZodType>(schema: S): z.output<S> | undefined {
  const r = schema.safeParse(undefined);
  return r.success ? r.data : undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else break;
  }
  return s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A known key within two edits of the typed one: most typos are a letter doubled, dropped or swapped. */
function closest(key: string, known: string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}
