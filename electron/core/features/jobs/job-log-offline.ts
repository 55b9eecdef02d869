import type { JobStreamItem } from '@shared/jobs/model';
import type { ContractError } from '@shared/kernel/result';
import type { OfflineStore, SourcePolicy } from '../../kernel/dispatch/offline-policy';
import type { Source } from '../../kernel/dispatch/handler-types';
import { overBudgetError } from '../../kernel/dispatch/offline-policy';
import { restoreJob } from './jobs-offline';
import { jobLogKey } from './job-log-key';
import type { SyncedLog } from './job-log-key';

// A finished job's log kept offline: when a follow from the first counter reaches its end, what it delivered
// (job, lines, stats, gaps, end) is stored as one `jobLog` entry; when a later follow of that job fails because
// AWX cannot be reached, the copy is replayed instead, after a notice that says it is a copy and since when.
// "Cannot be reached" is known at AWX's first refusal (the follower's retry notice carries its error), or after
// the offline budget when AWX hangs — not after the follower's retries and the HTTP client's timeouts. When the
// copy has the job but not its log, the stream says so at once (the job's last known state and a `noLog`
// notice) instead of leaving the viewer waiting for output that cannot come, and keeps following: a follower
// that gives up is started again until AWX answers, and the live log then follows on the same stream.
// Bounded twice: a log whose items exceed `maxLogBytes` is not kept at all (the 200,000-line job is ~15 MB), and
// the `jobLog` entries together stay under `maxTotalBytes` by removing the least recently used (stored or
// replayed) first.

export const JOB_LOG_MAX_BYTES = 8 * 1024 * 1024;
export const JOB_LOG_TOTAL_BYTES = 64 * 1024 * 1024;

export interface JobLogOfflineOptions {
  /** While only the job is in the copy: first wait before following again once the follower gave up (doubles). */
  retryMs?: number;
  retryMaxMs?: number;
  maxLogBytes?: number;
  maxTotalBytes?: number;
  now?: () => number;
}

interface StoredLog {
  items: JobStreamItem[];
  /** Last stored or replayed (ms), for least-recently-used eviction. */
  usedAt: number;
}

const keyOf = jobLogKey;

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
  const retryMs = opts.retryMs ?? 2_000;
  const retryMaxMs = opts.retryMaxMs ?? 30_000;
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
    // live: AWX answers, or has not failed yet. deciding: looking in the copy (what the follower sends meanwhile
    // waits). replay: the log's copy is shown. noLog: only the job is in the copy; the follower is retried until
    // AWX answers, then the live log follows. closed: unsubscribed.
    let state: 'live' | 'deciding' | 'replay' | 'noLog' | 'closed' = 'live';
    // Read through a function: the state changes while the copy is looked up (TypeScript would narrow it).
    const closed = (): boolean => state === 'closed';
    let answered = false;
    let held: JobStreamItem[] = [];
    let stopInner: (() => void) | null = null;
    let budget: ReturnType<typeof setTimeout> | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let retries = 0;

    const clearBudget = (): void => {
      if (budget) clearTimeout(budget);
      budget = null;
    };

    const replay = async (error: { message: string }): Promise<boolean> => {
      const hit = await cache.get<StoredLog>('jobLog', key);
      if (!hit || closed()) return false;
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

    /** The job's last known state from the copy, and that its log is not there (nothing else will come). */
    const jobOnly = async (error: ContractError): Promise<boolean> => {
      if (!args.connectionId) return false;
      const hit = await restoreJob({ connectionId: args.connectionId, jobId: args.jobId }, error, cache).catch(() => null);
      if (!hit?.out.offline || closed()) return false;
      emit({ kind: 'job', job: hit.out });
      emit({
        kind: 'notice',
        level: 'warn',
        message: `The log of job #${args.jobId} is not in the offline copy: it was never read while AWX answered. It will load here when AWX answers again.`,
        offline: hit.out.offline,
        noLog: true,
      });
      return true;
    };

    /** AWX failed (or ran over the budget) before it answered: the log's copy, else the job's, else wait on. */
    const fallBack = (error: ContractError, failure: JobStreamItem | null): void => {
      clearBudget();
      state = 'deciding';
      void (async () => {
        if (await replay(error)) {
          if (!closed()) state = 'replay';
          stopInner?.();
          stopInner = null;
          held = [];
          return;
        }
        if (closed()) return;
        if (await jobOnly(error)) {
          if (closed()) return;
          state = 'noLog';
        } else {
          if (closed()) return;
          state = 'live';
          if (failure) emit(failure);
        }
        const rest = held;
        held = [];
        for (const item of rest) onItem(item);
      })();
    };

    /** The follower gave up on a job it never read; ask again later (a new follower) while the copy is shown. */
    const again = (): void => {
      stopInner?.();
      stopInner = null;
      const ms = Math.min(retryMaxMs, retryMs * 2 ** Math.min(retries++, 8));
      retry = setTimeout(() => {
        retry = null;
        if (state === 'noLog') stopInner = inner(args, onItem);
      }, ms);
      retry.unref?.();
    };

    const onItem = (item: JobStreamItem): void => {
      if (state === 'closed' || state === 'replay') return;
      if (state === 'deciding') {
        held.push(item);
        return;
      }
      const servable = (e: { code: string; message: string }): boolean =>
        cache.canServe({ code: e.code as ContractError['code'], message: e.message });
      if (state === 'noLog') {
        if (item.kind === 'error' && item.fatal && servable(item.error)) return again();
        // The follower's own notices repeat what the copy's note says; the first sign of AWX is the job.
        if (item.kind === 'notice') return;
        state = 'live';
        answered = true;
      }
      if (!answered && item.kind !== 'notice' && item.kind !== 'error') {
        answered = true;
        clearBudget();
      }
      if (item.kind === 'error' && item.fatal && servable(item.error)) return fallBack(item.error as ContractError, item);
      if (!answered && item.kind === 'notice' && item.retrying && servable(item.retrying) && cache.serveCopies) {
        emit(item);
        return fallBack(item.retrying as ContractError, null);
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
    };

    // A hung AWX is not waited for: after the budget the copy answers, and the follower carries on.
    if (cache.serveCopies) {
      budget = setTimeout(() => {
        budget = null;
        if (state === 'live' && !answered)
          fallBack(overBudgetError(cache.connectionName('awx', args.connectionId), cache.detailBudgetMs), null);
      }, cache.detailBudgetMs);
      budget.unref?.();
    }
    stopInner = inner(args, onItem);
    return () => {
      state = 'closed';
      clearBudget();
      if (retry) clearTimeout(retry);
      stopInner?.();
      stopInner = null;
    };
  };
  return { policy: { wrap }, evict };
}

/**
 * Follows a finished job's log to its end through the policy-wrapped source, so the policy keeps it; for the
 * offline sync. Stops early (and keeps nothing) past `maxBytes`, at the first sign that AWX is away (the copy
 * answering, an error), or after `timeoutMs`.
 */
export function followToEnd(
  source: Source<'jobs.events'>,
  args: { connectionId: string; jobId: number },
  opts: { maxBytes?: number; timeoutMs?: number } = {},
): Promise<SyncedLog> {
  const maxBytes = opts.maxBytes ?? JOB_LOG_MAX_BYTES;
  return new Promise((resolve) => {
    let bytes = 0;
    let done = false;
    let stop: (() => void) | null = null;
    const finish = (how: SyncedLog): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // The source may answer before it returned its stop function: stop once it has.
      queueMicrotask(() => stop?.());
      resolve(how);
    };
    const timer = setTimeout(() => finish('unavailable'), opts.timeoutMs ?? 60_000);
    timer.unref?.();
    stop = source(args, (item) => {
      if (item.kind === 'end') finish('kept');
      else if (item.kind === 'error' || (item.kind === 'notice' && (item.offline || item.noLog))) finish('unavailable');
      else if ((bytes += JSON.stringify(item).length) > maxBytes) finish('too-big');
    });
  });
}
