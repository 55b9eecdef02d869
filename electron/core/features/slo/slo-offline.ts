import type { SloDetail, SloFleet, SloStatusView } from '@shared/slo/contract';
import type { OfflineMark } from '@shared/offline/contract';
import type { ContractError } from '@shared/kernel/result';
import { toContractError } from '../../kernel/dispatch/errors';
import type { CallPolicy, OfflineStore, SourcePolicy, SyncStep } from '../../kernel/dispatch/offline-policy';
import { syncedText } from '../../kernel/dispatch/offline-policy';

// SLOs offline: the fleet as last read whole (the call and the live topic share one copy), and each SLO's detail
// with its charts; an SLO whose charts were never read gets its summary from the fleet copy.

/** Marks SLO statuses from the cache: stale, with why and since when; the tile greys them and says so. */
export function staleFleetFrom(cached: SloFleet, live: SloFleet | null, syncedAt: string, reason: string, now: number): SloFleet {
  const why = `offline copy ${syncedText(syncedAt, now)} — ${reason}`;
  const mark = (s: SloStatusView): SloStatusView => ({ ...s, stale: true, staleReason: why });
  if (!live) return { ...cached, stale: true, statuses: cached.statuses.map(mark) };
  const old = new Map(cached.statuses.map((s) => [s.id, s]));
  // Statuses this process never read (fetchedAt null) come from the copy; everything read live stays live.
  const statuses = live.statuses.map((s) => {
    const c = s.fetchedAt === null ? old.get(s.id) : undefined;
    return c ? mark(c) : s;
  });
  return {
    ...live,
    statuses,
    fetchedAt: live.fetchedAt ?? cached.fetchedAt,
    stale: true,
    connections: live.connections.map((c) =>
      c.fetchedAt === null ? { ...c, fetchedAt: cached.connections.find((x) => x.id === c.id)?.fetchedAt ?? null } : c,
    ),
  };
}

/** An SLO's detail from its fleet status: the summary and burn rates, no chart points. */
export function sloDetailFromStatus(status: SloStatusView, widthPx: number, syncedAt: string): SloDetail {
  const end = Date.parse(status.fetchedAt ?? syncedAt);
  return {
    status,
    range: { start: end - status.windowSeconds * 1000, end, stepSeconds: 0 },
    windowEnd: end,
    budget: { actual: [], ideal: [] },
    sli: [],
    requests: null,
    errors: null,
    burnTable: [],
    alertTimeline: [],
    widthPx,
    queryCount: 0,
    rangeFetch: 'cached',
    fetchedAt: status.fetchedAt ?? syncedAt,
    notes: [],
  };
}

const mark = (syncedAt: string, error: ContractError, missing?: string): OfflineMark => ({
  syncedAt,
  reason: error.message,
  ...(missing ? { missing } : {}),
});

export interface SloOffline {
  fleet: CallPolicy<'slo.fleet'>;
  fleetTopic: SourcePolicy<'slo.fleet'>;
  detail: CallPolicy<'slo.detail'>;
  sync: SyncStep;
}

/** The SLO policies of one console; they share the fleet copy (read from disk once, when first wrapped). */
export function sloOffline(opts: { hasSloFiles: () => boolean }): SloOffline {
  let fleetCopy: { data: SloFleet; syncedAt: string } | null = null;
  let loaded: Promise<void> | null = null;
  const load = (store: OfflineStore): Promise<void> =>
    (loaded ??= store.get<SloFleet>('sloFleet', '').then(
      (hit) => {
        fleetCopy ??= hit;
      },
      () => undefined,
    ));
  const saveFleet = (store: OfflineStore, f: SloFleet): void => {
    const allLive = f.fetchedAt !== null && f.connections.every((c) => c.ok) && f.statuses.every((x) => !x.stale);
    if (!allLive || f.statuses.length === 0) return;
    fleetCopy = { data: f, syncedAt: f.fetchedAt ?? new Date().toISOString() };
    store.put('sloFleet', '', f, fleetCopy.syncedAt);
    store.clearServed('slo.fleet', '');
  };
  /** The live fleet, with what this process never read filled in from the copy. */
  const withCopy = (store: OfflineStore, f: SloFleet): SloFleet => {
    const missing = f.connections.length > 0 && f.statuses.some((x) => x.fetchedAt === null && x.status !== 'ok');
    if (!missing || !fleetCopy || !store.serveCopies) return f;
    const reason = f.connections.find((c) => !c.ok)?.error ?? 'Prometheus could not be reached';
    store.noteServed('slo.fleet', '', fleetCopy.syncedAt, { code: 'unreachable', message: reason });
    return staleFleetFrom(fleetCopy.data, f, fleetCopy.syncedAt, reason, Date.now());
  };

  return {
    fleet: {
      kind: 'wrap',
      wrap: (inner, store) => {
        void load(store);
        return async (args, ctx) => {
          await load(store);
          try {
            const f = await inner(args, ctx);
            saveFleet(store, f);
            return withCopy(store, f);
          } catch (e) {
            const error = toContractError(e);
            if (!store.canServe(error) || !fleetCopy) throw e;
            store.noteServed('slo.fleet', '', fleetCopy.syncedAt, error);
            return staleFleetFrom(fleetCopy.data, null, fleetCopy.syncedAt, error.message, Date.now());
          }
        };
      },
    },
    fleetTopic: {
      wrap: (inner, store) => {
        void load(store);
        return (args, emit) =>
          inner(args, (f) => {
            saveFleet(store, f);
            emit(withCopy(store, f));
          });
      },
    },
    // The charts last read; else the fleet copy's summary.
    detail: {
      kind: 'detail',
      system: () => 'Prometheus',
      key: (a) => a.id,
      save: (out, a, store) => {
        // The whole window only: a zoomed view is not what the detail opens on.
        if (!out.offline && !out.status.stale && a.from === undefined && a.to === undefined)
          store.put('sloDetail', a.id, out, out.fetchedAt);
      },
      restore: async (a, error, store) => {
        const hit = await store.get<SloDetail>('sloDetail', a.id);
        if (hit) return { out: { ...hit.data, offline: mark(hit.syncedAt, error) }, syncedAt: hit.syncedAt };
        await load(store);
        const fleet = fleetCopy;
        const status = fleet?.data.statuses.find((s) => s.id === a.id);
        if (!fleet || !status) return null;
        const out = sloDetailFromStatus(status, a.widthPx, fleet.syncedAt);
        return {
          out: {
            ...out,
            offline: mark(fleet.syncedAt, error, 'The charts were never read while Prometheus answered; the summary is from the fleet.'),
          },
          syncedAt: fleet.syncedAt,
        };
      },
    },
    sync: {
      name: 'slo',
      order: 30,
      run: async ({ read, errors, store }) => {
        if (store.connections('prometheus').length === 0 && !opts.hasSloFiles()) return;
        const f = await read('slo.fleet', {}, 'SLO fleet');
        for (const c of f?.connections.filter((x) => !x.ok) ?? []) errors.push(`SLO fleet on ${c.name}: ${c.error ?? 'not reachable'}`);
      },
    },
  };
}
