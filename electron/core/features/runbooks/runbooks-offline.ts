import type { MethodOutput } from '@shared/contract';
import type { RunbookSummary } from '@shared/runbooks/model';
import type { ContractError } from '@shared/kernel/result';
import { toContractError } from '../../kernel/dispatch/errors';
import type { CallPolicy, SyncStep } from '../../kernel/dispatch/offline-policy';
import { syncedText } from '../../kernel/dispatch/offline-policy';

// Runbooks offline: local files, but the folders may live on a share that goes with the network. The list and
// each runbook are kept; a search over the copy matches the same words the live search would.

type RunbookList = MethodOutput<'runbooks.list'>;

/** Runbook search over the cached list when the folders cannot be read: every word in title, tags or file. */
export function filterRunbooks(list: readonly RunbookSummary[], query: string): RunbookSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return list.filter((r) => {
    const hay = [r.title, r.id, ...r.tags, ...r.services, ...r.alerts, ...r.cis, r.awx?.template ?? ''].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** A folder that cannot be read answers with no runbooks and a problem naming it, rather than throwing. */
const unreadable = (out: RunbookList): boolean => out.runbooks.length === 0 && out.problems.some((p) => out.folders.includes(p.file));

/**
 * The list: kept when it was read whole (no query, folders readable); answered from the copy when the read throws
 * and also when it "succeeds" with unreadable folders, saying so in the problems.
 */
export const runbookListOffline: CallPolicy<'runbooks.list'> = {
  kind: 'wrap',
  wrap: (inner, store) => async (args, ctx) => {
    let out: RunbookList;
    try {
      out = await inner(args, ctx);
    } catch (e) {
      const error = toContractError(e);
      if (!store.canServe(error)) throw e;
      const hit = await store.get<RunbookList>('runbooks', '').catch(() => null);
      if (!hit) throw e;
      store.noteServed('runbooks.list', args.query ?? '', hit.syncedAt, error);
      return { ...hit.data, runbooks: args.query ? filterRunbooks(hit.data.runbooks, args.query) : hit.data.runbooks };
    }
    if (!args.query && !unreadable(out)) store.put('runbooks', '', out);
    store.clearServed('runbooks.list', args.query ?? '');
    if (!unreadable(out) || !store.serveCopies) return out;
    const hit = await store.get<RunbookList>('runbooks', '');
    if (!hit) return out;
    const error: ContractError = { code: 'unreachable', message: out.problems.map((p) => p.message).join(' ') };
    store.noteServed('runbooks.list', args.query ?? '', hit.syncedAt, error);
    const note = {
      file: 'offline cache',
      message: `The runbook folders cannot be read; these are the runbooks ${syncedText(hit.syncedAt, Date.now())}.`,
    };
    return {
      ...hit.data,
      runbooks: args.query ? filterRunbooks(hit.data.runbooks, args.query) : hit.data.runbooks,
      problems: [...out.problems, note],
    };
  },
};

export const runbookOffline: CallPolicy<'runbooks.get'> = {
  kind: 'copy',
  key: (a) => a.id,
  save: (out, _a, store) => store.put('runbook', out.id, out),
  restore: async (a, _error, store) => {
    const hit = await store.get<MethodOutput<'runbooks.get'>>('runbook', a.id);
    return hit ? { out: hit.data, syncedAt: hit.syncedAt, key: a.id } : null;
  },
};

/** Every runbook read again; deleted ones are removed from the copy only after a sync that read them all. */
export const runbooksSync: SyncStep = {
  name: 'runbooks',
  order: 10,
  run: async ({ read, errors, store }) => {
    const list = await read('runbooks.list', {}, 'Runbooks');
    if (!list) return;
    for (const r of list.runbooks) await read('runbooks.get', { id: r.id }, `Runbook ${r.title}`);
    // Only after every runbook was read again: a half-read folder never removes anything.
    const live = new Set(list.runbooks.map((r) => r.id));
    if (!errors.some((e) => e.startsWith('Runbook')) && !store.wasServed('runbooks.list')) await store.prune('runbook', (k) => live.has(k));
  },
};
