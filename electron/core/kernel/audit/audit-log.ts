import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '@shared/activity/model';

// Append-only JSON lines. Each entry is written and fsync'ed before the action is reported done, so an entry
// exists for everything the user was told happened. Rotated by size: audit.jsonl → audit.1.jsonl → … .

export interface AuditLogOptions {
  dir: string;
  maxBytes?: number;
  keep?: number;
  /** Who is acting: the OS user by default. */
  who: string;
  /** Scrubs known secret values from free text before it is written. */
  redact?: (text: string) => string;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at' | 'who'> & { who?: string };

export class AuditLog {
  private readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private queue: Promise<unknown> = Promise.resolve();
  private listeners = new Set<(e: AuditEntry) => void>();

  constructor(private readonly opts: AuditLogOptions) {
    this.file = path.join(opts.dir, 'audit.jsonl');
    this.maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
    this.keep = opts.keep ?? 5;
  }

  get path(): string {
    return this.file;
  }

  /** Appends one entry; resolves once it is on disk. Writes are serialised so lines never interleave. */
  append(input: AuditInput): Promise<AuditEntry> {
    const redact = this.opts.redact ?? ((s: string) => s);
    const entry: AuditEntry = {
      id: randomUUID(),
      at: new Date().toISOString(),
      who: input.who ?? this.opts.who,
      action: input.action,
      target: redact(input.target),
      outcome: input.outcome,
      ...(input.connectionId ? { connectionId: input.connectionId } : {}),
      ...(input.remoteRef ? { remoteRef: input.remoteRef } : {}),
      ...(input.message ? { message: redact(input.message) } : {}),
    };
    const run = this.queue.then(async () => {
      await mkdir(this.opts.dir, { recursive: true });
      await this.rotateIfNeeded();
      const fh = await open(this.file, 'a', 0o600);
      try {
        await fh.appendFile(`${JSON.stringify(entry)}\n`, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
    });
    this.queue = run.catch(() => undefined);
    return run.then(() => {
      for (const l of this.listeners) l(entry);
      return entry;
    });
  }

  onAppend(cb: (e: AuditEntry) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Newest first, across rotated files, skipping lines that do not parse (a torn last line after a crash). */
  async list(opts: { limit?: number; before?: string } = {}): Promise<AuditEntry[]> {
    const limit = opts.limit ?? 200;
    const out: AuditEntry[] = [];
    const files = [this.file, ...Array.from({ length: this.keep }, (_, i) => path.join(this.opts.dir, `audit.${i + 1}.jsonl`))];
    for (const f of files) {
      let text: string;
      try {
        text = await readFile(f, 'utf8');
      } catch {
        continue;
      }
      const lines = text.split('\n');
      for (let i = lines.length - 1; i >= 0; i--) {
        const line = lines[i];
        if (!line) continue;
        try {
          const e = JSON.parse(line) as AuditEntry;
          if (opts.before && e.at >= opts.before) continue;
          out.push(e);
          if (out.length >= limit) return out;
        } catch {
          // torn write: skip
        }
      }
    }
    return out;
  }

  private async rotateIfNeeded(): Promise<void> {
    let size = 0;
    try {
      size = (await stat(this.file)).size;
    } catch {
      return;
    }
    if (size < this.maxBytes) return;
    for (let i = this.keep - 1; i >= 1; i--) {
      await rename(path.join(this.opts.dir, `audit.${i}.jsonl`), path.join(this.opts.dir, `audit.${i + 1}.jsonl`)).catch(() => undefined);
    }
    await rename(this.file, path.join(this.opts.dir, 'audit.1.jsonl'));
  }
}
