import { appendFile, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '@shared/activity/model';
import { acquireFileLock } from './file-lock';
import { withCurrentAction } from './legacy-actions';

// Append-only JSON lines. Each entry is written and fsync'ed before the action is reported done, so an entry
// exists for everything the user was told happened. Rotated by size: audit.jsonl → audit.1.jsonl → … .
// Several processes write the same folder (`toc serve`, the desktop app, CLI commands): every append, rotation
// and repair happens under `audit.lock`, so a rotation never renames a file another writer is rotating too.
// A writer killed mid-line leaves a torn tail; the next writer cuts it off (keeping the bytes in `audit.torn`)
// before appending, so the next entry starts on a line of its own instead of being glued onto the fragment.

export interface AuditLogOptions {
  dir: string;
  maxBytes?: number;
  keep?: number;
  /** Who is acting: the operator in force when the entry is written (it can change in Settings). */
  who: string | (() => string);
  /** Scrubs known secret values from free text before it is written. */
  redact?: (text: string) => string;
  /** Makes a directory's entries durable (fsync of the directory); replaceable so tests can see the calls. */
  syncDir?: (dir: string) => Promise<void>;
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
      who: input.who ?? (typeof this.opts.who === 'function' ? this.opts.who() : this.opts.who),
      action: input.action,
      target: redact(input.target),
      outcome: input.outcome,
      ...(input.connectionId ? { connectionId: input.connectionId } : {}),
      ...(input.remoteRef ? { remoteRef: input.remoteRef } : {}),
      ...(input.message ? { message: redact(input.message) } : {}),
    };
    const run = this.queue.then(() => this.write(`${JSON.stringify(entry)}\n`));
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

  /**
   * Newest first, across rotated files, skipping lines that do not parse (a torn last line after a crash). A line
   * written under an action's former name reads under its current one.
   */
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
          out.push(withCurrentAction(e));
          if (out.length >= limit) return out;
        } catch {
          // torn write: skip
        }
      }
    }
    return out;
  }

  private async write(line: string): Promise<void> {
    const dir = this.opts.dir;
    const syncDir = this.opts.syncDir ?? fsyncDir;
    const created = await mkdir(dir, { recursive: true });
    if (created) await syncDir(path.dirname(created));
    const release = await acquireFileLock(path.join(dir, 'audit.lock'));
    try {
      let size = await sizeOf(this.file);
      if (size > 0) size = await repairTornTail(this.file, size, path.join(dir, 'audit.torn'));
      if (size >= this.maxBytes) {
        await this.rotate();
        await syncDir(dir);
        size = -1;
      }
      const fh = await open(this.file, 'a', 0o600);
      try {
        // One write call with O_APPEND: the line lands whole after whatever is there.
        await fh.write(line);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (size < 0) await syncDir(dir); // the file was created: its directory entry must survive a crash too
    } finally {
      await release();
    }
  }

  /** audit.N.jsonl → audit.N+1.jsonl (the oldest beyond `keep` goes), then audit.jsonl → audit.1.jsonl. */
  private async rotate(): Promise<void> {
    const dir = this.opts.dir;
    const numbered = (await readdir(dir))
      .map((f) => /^audit\.(\d+)\.jsonl$/.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => b - a);
    for (const n of numbered) {
      const from = path.join(dir, `audit.${n}.jsonl`);
      if (n >= this.keep) await unlink(from);
      else await rename(from, path.join(dir, `audit.${n + 1}.jsonl`));
    }
    await rename(this.file, path.join(dir, 'audit.1.jsonl'));
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return -1;
    throw e;
  }
}

/**
 * If the file does not end with a newline, a writer died mid-line: cut the fragment off (it was never
 * acknowledged), keep its bytes in `tornFile` for whoever investigates, and return the new size.
 */
async function repairTornTail(file: string, size: number, tornFile: string): Promise<number> {
  const fh = await open(file, 'r+');
  try {
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    if (last[0] === 0x0a) return size;
    let cut = 0;
    const chunk = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0 && cut === 0;) {
      const startAt = Math.max(0, end - chunk.length);
      const { bytesRead } = await fh.read(chunk, 0, end - startAt, startAt);
      const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (nl >= 0) cut = startAt + nl + 1;
      end = startAt;
    }
    const fragment = Buffer.alloc(size - cut);
    await fh.read(fragment, 0, fragment.length, cut);
    const note = { at: new Date().toISOString(), file: path.basename(file), offset: cut, fragment: fragment.toString('utf8') };
    await appendFile(tornFile, `${JSON.stringify(note)}\n`, { mode: 0o600 });
    await fh.truncate(cut);
    await fh.sync();
    return cut;
  } finally {
    await fh.close();
  }
}

/** fsync of a directory, so a created or renamed file's entry survives a crash. Not possible on Windows. */
async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch (e) {
    if (process.platform === 'win32') return;
    throw e;
  }
  try {
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR') throw e;
  } finally {
    await fh.close();
  }
}
