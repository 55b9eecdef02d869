// Runbook extra vars are small templates filled from the incident: `"{{ incident.alert_instance }}"`,
// `"INC {{ incident.number }}"`, `"{{ incident.cmdb_ci | default('web-01') }}"`. Deliberately tiny (dotted
// names and one `default` filter): runbook files are data, not code.

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.]*)\s*(?:\|\s*default\(\s*(?:'([^']*)'|"([^"]*)")\s*\)\s*)?\}\}/g;
const WHOLE = /^\s*\{\{[^{}]*\}\}\s*$/;

export type TemplateContext = Record<string, unknown>;

export interface Rendered {
  value: unknown;
  /** Names that had no value (and no default). */
  missing: string[];
}

function lookup(ctx: TemplateContext, path: string): unknown {
  let cur: unknown = ctx;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

export function hasPlaceholders(text: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(text);
}

/** Fills the placeholders of one value; non-string values pass through unchanged. */
export function renderValue(value: unknown, ctx: TemplateContext): Rendered {
  if (typeof value !== 'string') {
    if (Array.isArray(value)) {
      const parts = value.map((v) => renderValue(v, ctx));
      return { value: parts.map((p) => p.value), missing: parts.flatMap((p) => p.missing) };
    }
    return { value, missing: [] };
  }
  const missing: string[] = [];
  const one = (path: string, fallbackA: string | undefined, fallbackB: string | undefined): unknown => {
    const v = lookup(ctx, path);
    if (present(v)) return v;
    const fallback = fallbackA ?? fallbackB;
    if (fallback !== undefined) return fallback;
    missing.push(path);
    return '';
  };
  if (WHOLE.test(value)) {
    PLACEHOLDER.lastIndex = 0;
    const m = PLACEHOLDER.exec(value);
    if (m && m[0].length === value.trim().length) {
      const v = one(m[1] ?? '', m[2], m[3]);
      return { value: typeof v === 'object' ? JSON.stringify(v) : v, missing };
    }
  }
  const out = value.replace(PLACEHOLDER, (_all, path: string, a: string | undefined, b: string | undefined) => {
    const v = one(path, a, b);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
  return { value: out, missing };
}

/** Fills every value; `missing` lists each unresolved name once. */
export function renderVars(vars: Record<string, unknown>, ctx: TemplateContext): { values: Record<string, unknown>; missing: string[] } {
  const values: Record<string, unknown> = {};
  const missing = new Set<string>();
  for (const [k, v] of Object.entries(vars)) {
    const r = renderValue(v, ctx);
    values[k] = r.value;
    for (const m of r.missing) missing.add(m);
  }
  return { values, missing: [...missing] };
}
