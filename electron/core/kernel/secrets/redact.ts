// Scrubbing secrets out of text that leaves the process (logs, audit entries, error details, crash output).
// Values can reach text in more than their raw form: a JSON body escapes them, a query string or form body
// percent-encodes them. Each form is replaced.

export const REDACTED = '[redacted]';

/**
 * Shorter values are not scrubbed: replacing every "abc" in a log would make it unreadable while protecting
 * nothing (a three-character secret is guessable anyway).
 */
export const MIN_REDACT_LENGTH = 4;

function formsOf(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(JSON.stringify(secret).slice(1, -1));
  try {
    const uri = encodeURIComponent(secret);
    forms.add(uri);
    forms.add(uri.replace(/%20/g, '+'));
  } catch {
    // A lone surrogate cannot be percent-encoded, so that form cannot occur either.
  }
  return [...forms].filter((f) => f.length >= MIN_REDACT_LENGTH);
}

/** Replaces every occurrence of each secret (and its JSON- and URL-encoded forms) with REDACTED. */
export function redactSecrets(text: string, knownSecrets: Iterable<string>): string {
  const forms = new Set<string>();
  for (const s of knownSecrets) {
    if (typeof s === 'string' && s.length >= MIN_REDACT_LENGTH) for (const f of formsOf(s)) forms.add(f);
  }
  if (forms.size === 0 || text.length === 0) return text;
  // Longest first, so a secret that contains another is replaced whole rather than leaving its remainder.
  let out = text;
  for (const f of [...forms].sort((a, b) => b.length - a.length)) {
    if (out.includes(f)) out = out.split(f).join(REDACTED);
  }
  return out;
}

/**
 * The values in use in this process, so code that never sees a secret directly (the logger, the audit writer)
 * can still scrub it. Values stay registered after they are replaced or deleted: an old token can still sit in
 * a queued log line or a response being written out.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: string): void {
    if (typeof value === 'string' && value.length >= MIN_REDACT_LENGTH) this.values.add(value);
  }

  /** For values the caller derives from a secret itself, e.g. a whole "Basic …" Authorization header. */
  addDerived(...values: string[]): void {
    for (const v of values) this.add(v);
  }

  delete(value: string): boolean {
    return this.values.delete(value);
  }

  has(value: string): boolean {
    return this.values.has(value);
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    return redactSecrets(text, this.values);
  }

  clear(): void {
    this.values.clear();
  }
}

/** The process-wide registry the stores feed by default and the logger/audit writer read. */
export const secretRegistry = new SecretRegistry();

export function redact(text: string): string {
  return secretRegistry.redact(text);
}
