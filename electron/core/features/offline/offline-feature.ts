import path from 'node:path';
import type { MethodArgs, MethodName, MethodOutput, TopicName } from '@shared/contract';
import type { OfflineKind, OfflineServed, OfflineStatus, OfflineSyncReport } from '@shared/offline/contract';
import type { ConnectionKind } from '@shared/connections/model';
import type { ContractError } from '@shared/kernel/result';
import type { CallContext, Handler, Registry, Source } from '../../kernel/dispatch/registry';
import type { CallPolicy, OfflineStore, PolicyRunner, SourcePolicy, SyncContext } from '../../kernel/dispatch/offline-policy';
import { overBudgetError } from '../../kernel/dispatch/offline-policy';
import { toContractError } from '../../kernel/dispatch/errors';
import { OfflineCache } from './offline-cache';
import { DETAIL_BUDGET_MS, liveOrCopy } from './offline-detail';

// The offline copy and the runner of the features' offline policies. Each feature declares, where it registers
// a read, what to keep of its answer and how to answer from the copy (`registry.handle(m, fn, { offline })`,
// policies in features/<cap>/*-offline.ts); this feature holds the store those policies use, runs them around
// the handlers (whichever was registered first), lists what was served from the copy, and runs the background
// sync the features declared (`registry.offlineSync`). It names no feature's method. Actions have no policy:
// they are never cached and never answered from the copy.

export interface OfflineFeatureOptions {
  dataDir: string;
  redact?: (text: string) => string;
  /** Run the background sync (desktop and `toc serve`); the one-shot CLI does not. */
  background: boolean;
  /**
   * Answer failed reads from the copy (default true). The command line keeps its copies but never answers from
   * them: a deploy gate or a script must see that the system is down, not yesterday's numbers.
   */
  serveCopies?: boolean;
  /** First background sync after this delay, then every `intervalMs`. Defaults 20 s and 10 min. */
  firstSyncMs?: number;
  intervalMs?: number;
  minWriteIntervalMs?: number;
  /** The bound on the whole copy on disk (default 256 MiB). */
  maxTotalBytes?: number;
  /** How long a detail read with a copy waits for its system (default DETAIL_BUDGET_MS). */
  detailBudgetMs?: number;
  log?: (line: string) => void;
}

export interface OfflineFeature {
  cache: OfflineCache;
  /** The store the policies are given (for tests that drive a policy directly). */
  store: OfflineStore;
  sync(): Promise<OfflineSyncReport>;
  status(): Promise<OfflineStatus>;
  dispose(): Promise<void>;
}

/** Errors that say the question was wrong, not that the system was away: those are never answered from cache. */
const NOT_OFFLINE = new Set<string>(['bad_request', 'not_configured', 'read_only', 'cancelled', 'unknown_method', 'config', 'validation']);
const MAX_SERVED = 40;

export function canServeFromCache(error: ContractError): boolean {
  return !NOT_OFFLINE.has(error.code);
}

/** What the feature needs of the core: which connections exist. */
export interface OfflineServices {
  connections: { byKind(kind: ConnectionKind): { id: string; name: string }[] };
}

export function installOfflineCache(registry: Registry, s: OfflineServices, opts: OfflineFeatureOptions): OfflineFeature {
  const log = opts.log ?? (() => undefined);
  const cache = new OfflineCache({
    dir: path.join(opts.dataDir, 'offline-cache'),
    ...(opts.redact ? { redact: opts.redact } : {}),
    ...(opts.minWriteIntervalMs !== undefined ? { minWriteIntervalMs: opts.minWriteIntervalMs } : {}),
    ...(opts.maxTotalBytes !== undefined ? { maxTotalBytes: opts.maxTotalBytes } : {}),
    log,
  });
  const served: OfflineServed[] = [];
  /** The system each detail entry of `served` was waiting for ("ServiceNow (prod)"), keyed method + key. */
  const servedSystem = new Map<string, string>();
  let forcing = 0;
  let lastSync: OfflineSyncReport | null = null;
  let running: Promise<OfflineSyncReport> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  const serveCopies = opts.serveCopies ?? true;
  const budgetMs = opts.detailBudgetMs ?? DETAIL_BUDGET_MS;

  const store: OfflineStore = {
    get: (kind, key) => cache.get(kind, key),
    put: (kind: OfflineKind, key: string, data: unknown, syncedAt?: string) => {
      void cache.put(kind, key, data, { throttle: forcing === 0, ...(syncedAt ? { syncedAt } : {}) });
    },
    putNow: (kind, key, data) => cache.put(kind, key, data),
    entries: () => cache.entries(),
    prune: (kind, keep) => cache.prune(kind, keep),
    noteServed: (method, key, syncedAt, error) => {
      const i = served.findIndex((x) => x.method === method && x.key === key);
      if (i >= 0) served.splice(i, 1);
      served.unshift({ method, key, syncedAt, reason: error.message, at: new Date().toISOString() });
      served.length = Math.min(served.length, MAX_SERVED);
      // Entries pushed out of the list take their system with them (the map never outgrows the list).
      for (const k of servedSystem.keys()) if (!served.some((x) => `${x.method}\n${x.key}` === k)) servedSystem.delete(k);
    },
    clearServed: (method, key) => {
      const i = served.findIndex((x) => x.method === method && x.key === key);
      if (i >= 0) served.splice(i, 1);
      servedSystem.delete(`${method}\n${key}`);
    },
    wasServed: (method, key) => served.some((x) => x.method === method && (key === undefined || x.key === key)),
    serveCopies,
    canServe: (error) => serveCopies && canServeFromCache(error),
    connections: (kind) => s.connections.byKind(kind),
    connectionName: (kind, id) => {
      const c = s.connections.byKind(kind).find((x) => x.id === id);
      const label = kind === 'servicenow' ? 'ServiceNow' : kind === 'awx' ? 'AWX' : 'Prometheus';
      // A name that already says what it is ("Demo AWX", "AWX (prod)") is used as is: "AWX (Demo AWX)" names it twice.
      if (!c) return label;
      return c.name.toLowerCase().includes(label.toLowerCase()) ? c.name : `${label} (${c.name})`;
    },
    detailBudgetMs: budgetMs,
  };

  /** Live first; the copy when the live read throws for want of its system. */
  function copyFirst<M extends MethodName>(method: M, p: Extract<CallPolicy<M>, { kind: 'copy' }>, inner: Handler<M>): Handler<M> {
    return async (args: MethodArgs<M>, ctx: CallContext): Promise<MethodOutput<M>> => {
      try {
        const out = await inner(args, ctx);
        p.save(out, args, store);
        const key = p.key(args, store);
        if (key !== null) store.clearServed(method, key);
        return out;
      } catch (e) {
        const error = toContractError(e);
        if (!store.canServe(error)) throw e;
        const hit = await p.restore(args, error, store).catch(() => null);
        if (!hit) throw e;
        store.noteServed(method, hit.key, hit.syncedAt, error);
        return hit.out;
      }
    };
  }

  /** One record: live within the budget, else the copy; the live read still refreshes the copy when it lands. */
  function detail<M extends MethodName>(method: M, p: Extract<CallPolicy<M>, { kind: 'detail' }>, inner: Handler<M>): Handler<M> {
    return async (args: MethodArgs<M>, ctx: CallContext): Promise<MethodOutput<M>> => {
      const key = p.key(args, store);
      const system = p.system(args, store);
      const r = await liveOrCopy(
        () => Promise.resolve(inner(args, ctx)),
        (error) => p.restore(args, error, store),
        {
          budgetMs,
          canServe: store.canServe,
          overBudget: () => overBudgetError(system, budgetMs),
          onLive: (out) => {
            p.save(out, args, store);
            store.clearServed(method, key);
            // The system answers again: the other records of it shown from the copy while it was away are no
            // longer "not reachable" (one still on screen reads again by itself and gets the live answer).
            for (const x of served.filter((e) => e.method === method && servedSystem.get(`${method}\n${e.key}`) === system))
              store.clearServed(method, x.key);
          },
        },
      );
      if (r.copy) {
        store.noteServed(method, key, r.copy.syncedAt, r.copy.error);
        servedSystem.set(`${method}\n${key}`, system);
      }
      return r.out;
    };
  }

  const runner: PolicyRunner = {
    wrapCall<M extends MethodName>(method: M, policy: CallPolicy<M>, inner: Handler<M>): Handler<M> {
      if (policy.kind === 'copy') return copyFirst(method, policy, inner);
      if (policy.kind === 'detail') return detail(method, policy, inner);
      return policy.wrap(inner, store);
    },
    wrapSource<T extends TopicName>(_topic: T, policy: SourcePolicy<T>, inner: Source<T>): Source<T> {
      return policy.wrap(inner, store);
    },
  };
  registry.useOffline(runner);

  // --- the sync: every feature's step, in order, through the same (policy-wrapped) handlers ------------------
  const internal = (ms: number): CallContext => ({ transport: 'direct', signal: AbortSignal.timeout(ms) });

  async function runSync(): Promise<OfflineSyncReport> {
    const startedAt = new Date().toISOString();
    const errors: string[] = [];
    const writesBefore = new Map((await cache.entries()).map((e) => [`${e.kind}\n${e.key}`, e.syncedAt]));
    const ctx = internal(120_000);
    const sync: SyncContext = {
      store,
      errors,
      ctx,
      read: async <M extends MethodName>(method: M, args: MethodArgs<M>, label: string): Promise<MethodOutput<M> | null> => {
        // Not one feature looking up another's method: each sync step reads its own feature's methods, and the
        // runner resolves them as registered (offline policy included). A method with no handler belongs to a
        // feature this composition left out, so there is nothing to copy (null), not an error.
        const h = registry.handlerFor(method);
        if (!h) return null;
        try {
          return await h(args, internal(120_000));
        } catch (e) {
          errors.push(`${label}: ${toContractError(e).message}`);
          return null;
        }
      },
    };
    forcing++;
    try {
      for (const step of registry.offlineSyncSteps()) await step.run(sync);
      await cache.flush();
    } finally {
      forcing--;
    }
    const after = await cache.entries();
    const saved = after.filter((e) => writesBefore.get(`${e.kind}\n${e.key}`) !== e.syncedAt).length;
    lastSync = { startedAt, finishedAt: new Date().toISOString(), saved, errors };
    if (errors.length) log(`offline cache: sync finished with ${errors.length} problem(s): ${errors.slice(0, 3).join('; ')}`);
    return lastSync;
  }

  const sync = (): Promise<OfflineSyncReport> => {
    running ??= runSync().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = (ms: number): void => {
    if (disposed || !opts.background) return;
    timer = setTimeout(() => {
      timer = null;
      void sync()
        .catch((e: unknown) => log(`offline cache: sync failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => schedule(opts.intervalMs ?? 600_000));
    }, ms);
    timer.unref?.();
  };
  schedule(opts.firstSyncMs ?? 20_000);

  const status = async (): Promise<OfflineStatus> => ({
    entries: await cache.entries(),
    served: [...served],
    lastSync,
    syncing: running !== null,
  });

  registry.handle('offline.status', () => status()).handle('offline.sync', () => sync());

  return {
    cache,
    store,
    sync,
    status,
    dispose: async () => {
      disposed = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      await cache.dispose();
    },
  };
}
