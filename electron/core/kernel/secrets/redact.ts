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

/** Every form of the given secrets, longest first (a secret that contains another is replaced whole). */
function compileForms(knownSecrets: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const s of knownSecrets) {
    if (typeof s === 'string' && s.length >= MIN_REDACT_LENGTH) for (const f of formsOf(s)) forms.add(f);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

function replaceForms(text: string, forms: readonly string[]): string {
  if (forms.length === 0 || text.length < MIN_REDACT_LENGTH) return text;
  let out = text;
  for (const f of forms) {
    if (out.includes(f)) out = out.split(f).join(REDACTED);
  }
  return out;
}

/** Replaces every occurrence of each secret (and its JSON- and URL-encoded forms) with REDACTED. */
export function redactSecrets(text: string, knownSecrets: Iterable<string>): string {
  return replaceForms(text, compileForms(knownSecrets));
}

/**
 * The same pass over every string (values and keys) of a JSON-like value: what crosses the contract is data,
 * not text, and a remote system's words sit anywhere in it (a label, a job name, a warning). Objects without a
 * secret are returned as they are, so the common case allocates nothing.
 */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.length < MIN_REDACT_LENGTH ? v : redact(v);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const w = walk(v[i]);
        if (w !== v[i]) (out ??= v.slice())[i] = w;
      }
      return out ?? v;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v; // dates, buffers: no free text
    let out: Record<string, unknown> | null = null;
    const entries = Object.entries(v as Record<string, unknown>);
    for (const [k, x] of entries) {
      const nk = walk(k) as string;
      const nx = walk(x);
      if (nk !== k || nx !== x) {
        if (!out) {
          out = {};
          // keep the order of the keys before this one
          for (const [pk, px] of entries) {
            if (pk === k) break;
            out[pk] = px;
          }
        }
      }
      if (out) out[nk] = nx;
    }
    return out ?? v;
  };
  return walk(value) as T;
}

/**
 * The values in use in this process, so code that never sees a secret directly (the logger, the audit writer)
 * can still scrub it. Values stay registered after they are replaced or deleted: an old token can still sit in
 * a queued log line or a response being written out.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();
  /** The forms of every value, rebuilt only when a value is added or removed: redact runs on every frame. */
  private forms: string[] | null = null;

  add(value: string): void {
    if (typeof value === 'string' && value.length >= MIN_REDACT_LENGTH && !this.values.has(value)) {
      this.values.add(value);
      this.forms = null;
    }
  }

  /** For values the caller derives from a secret itself, e.g. a whole "Basic …" Authorization header. */
  addDerived(...values: string[]): void {
    for (const v of values) this.add(v);
  }

  delete(value: string): boolean {
    this.forms = null;
    return this.values.delete(value);
  }

  has(value: string): boolean {
    return this.values.has(value);
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    this.forms ??= compileForms(this.values);
    return replaceForms(text, this.forms);
  }

  clear(): void {
    this.values.clear();
    this.forms = null;
  }
}

/** The process-wide registry the stores feed by default and the logger/audit writer read. */
export const secretRegistry = new SecretRegistry();

export function redact(text: string): string {
  return secretRegistry.redact(text);
}
