// The OpenSLO documents as YAML gives them: their shape (zod schemas; meaning is checked while assembling in
// openslo.ts), the split of files into documents, and where in a file a problem is (line, column, field path).

import { isNode, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { z } from 'zod';
import type { SloProblem } from './types';

export interface SloFile {
  /** Shown in problems; usually the path relative to the workspace. */
  file: string;
  text: string;
}

export type Path = readonly (string | number)[];

// ---- schemas (shape only; meaning is checked while assembling) -----------------------------------------------

export const RFC1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const metadataSchema = z.object({
  name: z.string().max(63).regex(RFC1123, 'must be lower-case letters, digits and "-" (RFC 1123), at most 63 characters'),
  displayName: z.string().optional(),
  labels: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
});

export const metricSourceSchema = z.object({
  metricSourceRef: z.string().min(1).optional(),
  type: z.string().optional(),
  spec: z.record(z.string(), z.unknown()).optional(),
});

export const sourceHolderSchema = z.object({ metricSource: metricSourceSchema });

export const sliSpecSchema = z.object({
  description: z.string().optional(),
  thresholdMetric: z.unknown().optional(),
  ratioMetric: z
    .object({
      counter: z.boolean().optional(),
      good: sourceHolderSchema.optional(),
      bad: sourceHolderSchema.optional(),
      total: sourceHolderSchema.optional(),
      rawType: z.enum(['success', 'failure']).optional(),
      raw: sourceHolderSchema.optional(),
    })
    .optional(),
});

export const sliDocSchema = z.object({ metadata: metadataSchema, spec: sliSpecSchema });

export const objectiveSchema = z.object({
  displayName: z.string().optional(),
  target: z.number().optional(),
  targetPercent: z.number().optional(),
  op: z.string().optional(),
  value: z.number().optional(),
  indicator: z.unknown().optional(),
  indicatorRef: z.unknown().optional(),
});

export const sloDocSchema = z.object({
  metadata: metadataSchema,
  spec: z.object({
    description: z.string().optional(),
    service: z.string().min(1),
    indicator: z.unknown().optional(),
    indicatorRef: z.string().min(1).optional(),
    timeWindow: z
      .array(
        z.object({
          duration: z.string(),
          isRolling: z.boolean().optional(),
          calendar: z.object({ startTime: z.string().optional(), timeZone: z.string().optional() }).optional(),
        }),
      )
      .length(1, 'must list exactly one time window'),
    budgetingMethod: z.string(),
    objectives: z.array(objectiveSchema).min(1, 'must list at least one objective'),
  }),
});

export type SourceHolder = z.infer<typeof sourceHolderSchema>;
export type SliSpec = z.infer<typeof sliSpecSchema>;
export type SloDoc = z.infer<typeof sloDocSchema>;

// ---- positions -------------------------------------------------------------------------------------------------

export interface DocContext {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  js: unknown;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

export function valueAt(js: unknown, path: Path): unknown {
  let cur = js;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** Line/column of the deepest existing node on `path` (a missing field points at its parent). */
export function position(ctx: DocContext, path: Path): { line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? ctx.doc.contents : ctx.doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const pos = ctx.lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

export function problemAt(ctx: DocContext, path: Path, message: string, prefix: Path = []): SloProblem {
  const full = [...prefix, ...path];
  const pos = position(ctx, full);
  return { file: ctx.file, line: pos.line, column: pos.column, field: formatPath(full), message };
}

export function schemaProblems(ctx: DocContext, error: z.ZodError): SloProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const missing = issue.code === 'invalid_type' && valueAt(ctx.js, path) === undefined;
    return problemAt(ctx, path, missing ? 'is required' : issue.message);
  });
}

/** Splits files into documents; YAML syntax errors become problems for their document only. */
export function documents(files: readonly SloFile[], problems: SloProblem[]): DocContext[] {
  const out: DocContext[] = [];
  for (const f of files) {
    const lines = new LineCounter();
    const docs = parseAllDocuments(f.text, { lineCounter: lines, prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [];
    for (const doc of list) {
      if (doc.errors.length > 0) {
        for (const e of doc.errors) {
          const pos = lines.linePos(e.pos[0]);
          problems.push({ file: f.file, line: pos.line, column: pos.col, field: '', message: e.message });
        }
        continue;
      }
      let js: unknown;
      try {
        js = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        problems.push({ file: f.file, line: 0, field: '', message: e instanceof Error ? e.message : String(e) });
        continue;
      }
      if (js === null || js === undefined) continue; // empty document, e.g. a trailing '---'
      out.push({ file: f.file, doc, lines, js });
    }
  }
  return out;
}
