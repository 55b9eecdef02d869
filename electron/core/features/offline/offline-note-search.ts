import type { IncidentDetail } from '@shared/incidents/model';
import type { NoteHit, NoteSearchResult } from '@shared/incidents/note-search';
import { noteMatches, notePassage, noteWords } from '@shared/incidents/note-search';
import type { ContractError } from '@shared/kernel/result';
import type { Registry } from '../../kernel/dispatch/registry';
import type { OfflineCache } from './offline-cache';
import { DETAIL_BUDGET_MS, liveOrCopy } from './offline-detail';

// Work-note search when ServiceNow does not answer: the same words over the journals of the incident details
// in the offline copy (those the sync keeps and those opened while ServiceNow answered), under the same rule as
// a detail read — live within the budget, else the copy, never the copy for a 403 or a 404 — and marked
// `source: 'copy'` with its age and the reason, so the palette can say where the hits came from.

/** Details read per search at most: the copy holds thousands only on a console opened for months. */
export const COPY_SEARCH_MAX = 2_000;

export interface OfflineNoteSearchDeps {
  cache: OfflineCache;
  canServe: (error: ContractError) => boolean;
  firstSnow: () => string | undefined;
  connectionName: (id: string | undefined) => string;
  budgetMs?: number;
}

/** The copy's answer for one connection; null when the copy holds no incident detail of it. */
export async function searchCopiedNotes(
  cache: OfflineCache,
  connectionId: string,
  query: string,
  limit: number,
  reason: string,
): Promise<NoteSearchResult | null> {
  const words = noteWords(query);
  const prefix = `${connectionId}\n`;
  const keys = (await cache.keys('incident')).filter((k) => k.startsWith(prefix));
  if (keys.length === 0) return null;
  const hits: NoteHit[] = [];
  let newestSync: string | null = null;
  let searched = 0;
  for (const key of keys.slice(0, COPY_SEARCH_MAX)) {
    const rec = await cache.get<IncidentDetail>('incident', key);
    if (!rec) continue;
    searched++;
    if (newestSync === null || rec.syncedAt > newestSync) newestSync = rec.syncedAt;
    // The journal is newest first, as ServiceNow sorted it when the detail was read.
    const note = rec.data.journal.find((j) => j.element === 'work_notes' && noteMatches(j.value, words));
    if (!note) continue;
    hits.push({
      connectionId,
      sysId: rec.data.sys_id,
      number: rec.data.number,
      shortDescription: rec.data.short_description,
      priority: rec.data.priority.value,
      snippet: notePassage(note.value, words),
      noteAt: note.sys_created_on,
    });
  }
  hits.sort((a, b) => b.noteAt.localeCompare(a.noteAt) || a.number.localeCompare(b.number));
  return {
    connectionId,
    query,
    hits: hits.slice(0, limit),
    truncated: hits.length > limit || keys.length > COPY_SEARCH_MAX,
    source: 'copy',
    copy: { syncedAt: newestSync, reason, searched },
  };
}

export function installOfflineNoteSearch(registry: Registry, d: OfflineNoteSearchDeps): void {
  const budgetMs = d.budgetMs ?? DETAIL_BUDGET_MS;
  registry.decorate('incidents.searchNotes', (inner) => async (args, ctx) => {
    const connectionId = args.connectionId ?? d.firstSnow() ?? '';
    const r = await liveOrCopy(
      () => Promise.resolve(inner(args, ctx)),
      async (error) => {
        const out = await searchCopiedNotes(d.cache, connectionId, args.query, args.limit ?? 20, error.message);
        return out ? { out, syncedAt: out.copy?.syncedAt ?? '' } : null;
      },
      {
        budgetMs,
        canServe: d.canServe,
        overBudget: () => ({
          code: 'timeout',
          message: `${d.connectionName(connectionId)} did not answer the work-note search within ${(budgetMs / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s.`,
        }),
        onLive: () => undefined,
      },
    );
    return r.out;
  });
}
