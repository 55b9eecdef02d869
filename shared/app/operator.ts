import { z } from 'zod';

// The engineer behind every write the console makes. ServiceNow, AWX and Alertmanager only see the account a
// connection authenticates with (often one shared integration user), so the person is carried in the write
// itself: a signed work note, `toc_operator` in a job's extra vars, a silence's createdBy, the audit log's who.

/** A login name or an e-mail address: one line, printable, short enough for a work-note signature. */
export const OperatorName = z
  .string()
  .trim()
  .min(1, 'say who you are (a user name or an e-mail address)')
  .max(64, 'at most 64 characters')
  .refine((s) => ![...s].some(isControl), 'one line, without control characters');

function isControl(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029;
}

export const OperatorSource = z.enum(['workspace', 'settings', 'environment', 'os']);
export type OperatorSource = z.infer<typeof OperatorSource>;

export const Operator = z.object({
  name: z.string(),
  /** Where the name comes from: the workspace file (a wall), Settings, TOC_OPERATOR, or the OS user. */
  source: OperatorSource,
});
export type Operator = z.infer<typeof Operator>;

/** The line that ends every note the console writes on someone's behalf. */
export function operatorSignature(name: string): string {
  return `— ${name} via TOC Console`;
}

/** The note as written to ServiceNow: the text, then the signature on its own line (once, even if resent). */
export function signNote(text: string, name: string): string {
  const sig = operatorSignature(name);
  const body = text.replace(/\s+$/, '');
  if (body.endsWith(sig)) return body;
  return body === '' ? sig : `${body}\n\n${sig}`;
}

/**
 * The operator in force: a name the workspace provisions wins (a wall PC is one shared identity), then the one
 * chosen in Settings, then TOC_OPERATOR (CLI, jump hosts), then the OS user. Invalid candidates are skipped.
 */
export function resolveOperator(c: {
  workspace?: string | undefined;
  settings?: string | undefined;
  environment?: string | undefined;
  os: string;
}): Operator {
  const order: [OperatorSource, string | undefined][] = [
    ['workspace', c.workspace],
    ['settings', c.settings],
    ['environment', c.environment],
  ];
  for (const [source, value] of order) {
    const parsed = OperatorName.safeParse(value ?? '');
    if (value !== undefined && parsed.success) return { name: parsed.data, source };
  }
  const os = OperatorName.safeParse(c.os);
  return { name: os.success ? os.data : 'unknown', source: 'os' };
}
