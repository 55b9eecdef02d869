import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { redactDeep } from '../../kernel/secrets/redact';
import path from 'node:path';
import type { OfflineEntry, OfflineKind } from '@shared/offline/contract';
import { OFFLINE_DETAIL_KINDS, OFFLINE_KINDS } from '@shared/offline/contract';

// The offline copy of what the console last read: runbooks, job templates with their launch forms, the SLO
// fleet, incident queues, jobs, changes. One JSON file per entry under `<dataDir>/offline-cache/<kind>/`,
// each written whole to a temporary file, flushed to disk and renamed over the old one: a crash or a sync
// that fails halfway leaves every entry either as it was or as it became, never half-written. Only contract
// answers are stored (which never carry a secret), and the text passes the secret scrubber before it is
// written all the same.
//
// The whole copy is bounded (default 256 MiB, `maxTotalBytes`): after each write that takes it over the bound,
// entries are removed until it fits again — detail copies (one per incident, SLO or job read) first, oldest
// read first, then the per-connection lists, oldest first. The entry just written is never the one removed.

export interface CachedRecord<T> {
  v: 1;
  kind: OfflineKind;
  key: string;
  /** When the data was read from its system (ISO). */
  syncedAt: string;
  data: T;
}

export interface OfflineCacheOptions {
  dir: string;
  /** Scrubs known secret values out of text (core redact): a cache file must never hold one. */
  redact?: (text: string) => string;
  now?: () => number;
  /** Throttled puts write a key at most this often (data that changes every refresh). Default 30 s. */
  minWriteIntervalMs?: number;
  /** Entries larger than this are not written. Default 64 MiB. */
  maxEntryBytes?: number;
  /** The whole copy on disk; over it, the oldest detail entries go first. Default 256 MiB. */
  maxTotalBytes?: number;
  log?: (line: string) => void;
  /** Tests: runs after the temporary file is written and before the rename (a crash or full disk there). */
  beforeRename?: (tmpFile: string) => Promise<void>;
}

interface IndexEntry {
  kind: OfflineKind;
  key: string;
  syncedAt: string;
  bytes: number;
}

interface Pending {
  data: unknown;
  syncedAt: string;
  timer: ReturnType<typeof setTimeout>;
}

const isKind = (s: string): s is OfflineKind => (OFFLINE_KINDS as readonly string[]).includes(s);
const id = (kind: OfflineKind, key: string): string => `${kind}\n${key}`;
/** File names carry the key in hex (any key, no path tricks, no clashes on case-insensitive disks); long keys a hash. */
const fileName = (key: string): string => {
  const hex = Buffer.from(key, 'utf8').toString('hex');
  return `${hex.length <= 180 ? hex : `h${createHash('sha256').update(key).digest('hex')}`}.json`;
};

/**
 * 256 MiB: the lists a large team keeps (a 5,000-incident queue is ~5 MiB, a 2,000-SLO fleet with sparklines
 * ~15 MiB) many times over, plus thousands of incident details (~5–50 KiB each with the journal) and SLO charts
 * (≤ 0.5 MiB each), while staying small next to the browser caches on the same disk.
 */
export const DEFAULT_MAX_TOTAL_BYTES = 256 * 1024 * 1024;

export class OfflineCache {
  private readonly index = new Map<string, IndexEntry>();
  private loaded: Promise<void> | null = null;
  /** One write at a time per entry, in the order asked. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly lastWrite = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  private readonly now: () => number;
  private readonly minInterval: number;
  private readonly maxBytes: number;
  private readonly maxTotal: number;
  private evictedCount = 0;
  private disposed = false;

  constructor(private readonly opts: OfflineCacheOptions) {
    this.now = opts.now ?? Date.now;
    this.minInterval = opts.minWriteIntervalMs ?? 30_000;
    this.maxBytes = opts.maxEntryBytes ?? 64 * 1024 * 1024;
    this.maxTotal = opts.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  }

  /** The bound on the whole copy, in bytes. */
  get limitBytes(): number {
    return this.maxTotal;
  }

  /** Entries removed to keep under the bound since this process started. */
  get evicted(): number {
    return this.evictedCount;
  }

  get dir(): string {
    return this.opts.dir;
  }

  private fileOf(kind: OfflineKind, key: string): string {
    return path.join(this.opts.dir, kind, fileName(key));
  }

  /** Reads what is on disk once (entry headers), and clears temporary files a crash may have left. */
  private load(): Promise<void> {
    this.loaded ??= (async () => {
      for (const kind of OFFLINE_KINDS) {
        const dir = path.join(this.opts.dir, kind);
        let names: string[];
        try {
          names = await readdir(dir);
        } catch {
          continue;
        }
        for (const name of names) {
          if (name.endsWith('.tmp')) {
            await rm(path.join(dir, name), { force: true });
            continue;
          }
          if (!name.endsWith('.json')) continue;
          const rec = await this.readFile(kind, path.join(dir, name));
          if (rec && fileName(rec.record.key) === name) this.index.set(id(kind, rec.record.key), rec.entry);
        }
      }
    })();
    return this.loaded;
  }

  private async readRecord(kind: OfflineKind, key: string): Promise<{ entry: IndexEntry; record: CachedRecord<unknown> } | null> {
    const rec = await this.readFile(kind, this.fileOf(kind, key));
    return rec && rec.record.key === key ? rec : null;
  }

  private async readFile(kind: OfflineKind, file: string): Promise<{ entry: IndexEntry; record: CachedRecord<unknown> } | null> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return null;
    }
    try {
      const record = JSON.parse(text) as CachedRecord<unknown>;
      if (record.v !== 1 || record.kind !== kind || typeof record.key !== 'string' || typeof record.syncedAt !== 'string') return null;
      return { entry: { kind, key: record.key, syncedAt: record.syncedAt, bytes: Buffer.byteLength(text) }, record };
    } catch {
      // Cannot happen with rename-over writes; a file edited by hand is ignored rather than trusted.
      return null;
    }
  }

  /**
   * Stores data read just now (or at `syncedAt`). `throttle`: for answers that change on every refresh, write at
   * most every minWriteIntervalMs per entry — the newest data is written when the interval is over.
   */
  async put(kind: OfflineKind, key: string, data: unknown, opts: { syncedAt?: string; throttle?: boolean } = {}): Promise<void> {
    if (this.disposed || !isKind(kind)) return;
    const syncedAt = opts.syncedAt ?? new Date(this.now()).toISOString();
    const k = id(kind, key);
    if (opts.throttle) {
      const last = this.lastWrite.get(k);
      const wait = last === undefined ? 0 : last + this.minInterval - this.now();
      if (wait > 0) {
        const p = this.pending.get(k);
        if (p) {
          p.data = data;
          p.syncedAt = syncedAt;
          return;
        }
        const timer = setTimeout(() => {
          const cur = this.pending.get(k);
          this.pending.delete(k);
          if (cur) void this.write(kind, key, cur.data, cur.syncedAt);
        }, wait);
        timer.unref?.();
        this.pending.set(k, { data, syncedAt, timer });
        return;
      }
    }
    const p = this.pending.get(k);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(k);
    }
    await this.write(kind, key, data, syncedAt);
  }

  private write(kind: OfflineKind, key: string, data: unknown, syncedAt: string): Promise<void> {
    const k = id(kind, key);
    this.lastWrite.set(k, this.now());
    const prev = this.chains.get(k) ?? Promise.resolve();
    const next = prev
      .then(() => this.writeNow(kind, key, data, syncedAt))
      .catch((e: unknown) => this.opts.log?.(`offline cache: ${kind} ${key} not written: ${e instanceof Error ? e.message : String(e)}`));
    this.chains.set(k, next);
    void next.finally(() => {
      if (this.chains.get(k) === next) this.chains.delete(k);
    });
    return next;
  }

  private async writeNow(kind: OfflineKind, key: string, data: unknown, syncedAt: string): Promise<void> {
    await this.load();
    // Scrubbed at every level, then as a whole: a string that itself holds JSON (a job's extra_vars) carries a
    // secret escaped once more than the file's text would show it.
    const clean = this.opts.redact ? redactDeep(data, this.opts.redact) : data;
    const record: CachedRecord<unknown> = { v: 1, kind, key, syncedAt, data: clean };
    let text = JSON.stringify(record);
    if (this.opts.redact) text = this.opts.redact(text);
    const bytes = Buffer.byteLength(text);
    if (bytes > Math.min(this.maxBytes, this.maxTotal))
      throw new Error(`the entry is ${Math.round(bytes / 1048576)} MiB, over the ${Math.round(this.maxBytes / 1048576)} MiB limit`);
    const k = id(kind, key);
    const file = this.fileOf(kind, key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await this.opts.beforeRename?.(tmp);
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    await syncDir(path.dirname(file));
    this.index.set(k, { kind, key, syncedAt, bytes });
    await this.keepUnderBound(k);
  }

  /** Removes the oldest entries (detail copies before lists) until the copy fits its bound again. */
  private async keepUnderBound(justWritten: string): Promise<void> {
    let total = 0;
    for (const e of this.index.values()) total += e.bytes;
    if (total <= this.maxTotal) return;
    const detail = new Set<OfflineKind>(OFFLINE_DETAIL_KINDS);
    const victims = [...this.index.entries()]
      .filter(([k]) => k !== justWritten)
      .sort(([, a], [, b]) => Number(detail.has(b.kind)) - Number(detail.has(a.kind)) || a.syncedAt.localeCompare(b.syncedAt));
    for (const [k, e] of victims) {
      if (total <= this.maxTotal) break;
      await rm(this.fileOf(e.kind, e.key), { force: true });
      this.index.delete(k);
      total -= e.bytes;
      this.evictedCount++;
    }
    if (this.evictedCount > 0)
      this.opts.log?.(`offline cache: over ${Math.round(this.maxTotal / 1048576)} MiB, ${this.evictedCount} old entries removed so far`);
  }

  /** Bytes the copy takes on disk now. */
  async totalBytes(): Promise<number> {
    await this.load();
    let total = 0;
    for (const e of this.index.values()) total += e.bytes;
    return total;
  }

  async get<T>(kind: OfflineKind, key: string): Promise<{ data: T; syncedAt: string } | null> {
    await this.load();
    await this.chains.get(id(kind, key));
    const rec = await this.readRecord(kind, key);
    return rec ? { data: rec.record.data as T, syncedAt: rec.record.syncedAt } : null;
  }

  async entries(): Promise<OfflineEntry[]> {
    await this.load();
    return [...this.index.values()]
      .map(({ kind, key, syncedAt, bytes }) => ({ kind, key, syncedAt, bytes }))
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));
  }

  async keys(kind: OfflineKind): Promise<string[]> {
    await this.load();
    return [...this.index.values()].filter((e) => e.kind === kind).map((e) => e.key);
  }

  /** Removes entries of a kind that `keep` rejects (a runbook deleted from its folder). */
  async prune(kind: OfflineKind, keep: (key: string) => boolean): Promise<number> {
    let removed = 0;
    for (const key of await this.keys(kind)) {
      if (keep(key)) continue;
      const k = id(kind, key);
      await this.chains.get(k);
      await rm(this.fileOf(kind, key), { force: true });
      this.index.delete(k);
      removed++;
    }
    return removed;
  }

  /** Writes what throttling held back and waits for every write (before the process ends). */
  async flush(): Promise<void> {
    const held = [...this.pending.entries()];
    this.pending.clear();
    for (const [k, p] of held) {
      clearTimeout(p.timer);
      const [kind, key] = k.split('\n') as [OfflineKind, string];
      void this.write(kind, key, p.data, p.syncedAt);
    }
    await Promise.all([...this.chains.values()]);
  }

  async dispose(): Promise<void> {
    await this.flush();
    this.disposed = true;
  }
}

/** The rename is durable once the folder's entry is on disk too (not possible on Windows: skipped there). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some file systems refuse fsync on a directory; the file itself is already flushed.
  }
}
