import type { JobStreamItem } from '@shared/jobs/model';
import type { ContractError } from '@shared/kernel/result';
import type { OfflineStore, SourcePolicy } from '../../kernel/dispatch/offline-policy';

// A finished job's log kept offline: when a follow from the first counter reaches its end, what it delivered
// (job, lines, stats, gaps, end) is stored as one `jobLog` entry; when a later follow of that job fails because
// AWX cannot be reached, the copy is replayed instead, after a notice that says it is a copy and since when.
// Bounded twice: a log whose items exceed `maxLogBytes` is not kept at all (the 200,000-line job is ~15 MB), and
// the `jobLog` entries together stay under `maxTotalBytes` by removing the least recently used (stored or
// replayed) first.

export const JOB_LOG_MAX_BYTES = 8 * 1024 * 1024;
export const JOB_LOG_TOTAL_BYTES = 64 * 1024 * 1024;

export interface JobLogOfflineOptions {
  maxLogBytes?: number;
  maxTotalBytes?: number;
  now?: () => number;
}

interface StoredLog {
  items: JobStreamItem[];
  /** Last stored or replayed (ms), for least-recently-used eviction. */
  usedAt: number;
}

const keyOf = (connectionId: string | undefined, jobId: number): string => `${connectionId ?? ''}:${jobId}`;

/**
 * The `jobs.events` policy. `evict` trims the kind to its total (run after each store; exposed for tests). Replays
 * only when the store may answer from copies and the error says AWX cannot be reached (not a wrong question).
 */
export function jobLogOffline(opts: JobLogOfflineOptions = {}): {
  policy: SourcePolicy<'jobs.events'>;
  evict(cache: OfflineStore): Promise<number>;
} {
  const maxLog = opts.maxLogBytes ?? JOB_LOG_MAX_BYTES;
  const maxTotal = opts.maxTotalBytes ?? JOB_LOG_TOTAL_BYTES;
  const now = opts.now ?? Date.now;
  const used = new Map<string, number>();

  /** Removes least recently used logs until the kind fits its total; returns how many went. */
  const evict = async (cache: OfflineStore): Promise<number> => {
    const logs = (await cache.entries()).filter((e) => e.kind === 'jobLog');
    let total = logs.reduce((n, e) => n + e.bytes, 0);
    if (total <= maxTotal) return 0;
    const recency = (key: string, syncedAt: string): number => used.get(key) ?? Date.parse(syncedAt);
    const drop = new Set<string>();
    for (const e of [...logs].sort((a, b) => recency(a.key, a.syncedAt) - recency(b.key, b.syncedAt))) {
      if (total <= maxTotal) break;
      drop.add(e.key);
      total -= e.bytes;
    }
    return cache.prune('jobLog', (key) => !drop.has(key));
  };

  const store = async (cache: OfflineStore, key: string, items: JobStreamItem[]): Promise<void> => {
    const at = now();
    used.set(key, at);
    await cache.putNow('jobLog', key, { items, usedAt: at } satisfies StoredLog);
    await evict(cache);
  };

  const wrap: SourcePolicy<'jobs.events'>['wrap'] = (inner, cache) => (args, emit) => {
    const key = keyOf(args.connectionId, args.jobId);
    const from = args.fromCounter ?? 1;
    let kept: JobStreamItem[] | null = from === 1 ? [] : null;
    let bytes = 0;
    let replaying = false;
    const replay = async (error: { message: string }): Promise<boolean> => {
      const hit = await cache.get<StoredLog>('jobLog', key);
      if (!hit) return false;
      used.set(key, now());
      emit({
        kind: 'notice',
        level: 'warn',
        message: `Offline copy of this log, saved ${hit.syncedAt.slice(0, 16).replace('T', ' ')} UTC: AWX cannot be reached (${error.message}).`,
        offline: { syncedAt: hit.syncedAt, reason: `AWX cannot be reached (${error.message})` },
      });
      for (const item of hit.data.items) {
        if (item.kind === 'lines' && item.counter < from) continue;
        if (item.kind === 'gap' && item.to < from) continue;
        emit(item);
      }
      return true;
    };
    const stop = inner(args, (item) => {
      if (replaying) return;
      if (
        item.kind === 'error' &&
        item.fatal &&
        cache.canServe({ code: item.error.code as ContractError['code'], message: item.error.message })
      ) {
        replaying = true;
        void replay(item.error).then((ok) => {
          if (!ok) emit(item);
        });
        return;
      }
      emit(item);
      if (kept === null || item.kind === 'notice' || item.kind === 'error') return;
      bytes += JSON.stringify(item).length;
      if (bytes > maxLog) {
        kept = null;
        return;
      }
      kept.push(item);
      if (item.kind === 'end') {
        const items = kept;
        kept = null;
        void store(cache, key, items).catch(() => undefined);
      }
    });
    return stop;
  };
  return { policy: { wrap }, evict };
}
