import type { IncidentDetail } from '@shared/incidents/model';
import type { NoteHit, NoteSearchResult } from '@shared/incidents/note-search';
import { isNoteElement, noteMatches, notePassage, noteWords } from '@shared/incidents/note-search';
import type { CallPolicy, OfflineStore } from '../../kernel/dispatch/offline-policy';

// Work-note and comment search when ServiceNow does not answer: the same words over the journals of the incident details in
// the offline copy (those the sync keeps and those opened while ServiceNow answered), under the rule of a detail
// read — live within the budget, else the copy, never the copy for a 403 or a 404 — marked `source: 'copy'`
// with its age and the reason, so the palette can say where the hits came from.

/** Details read per search at most: the copy holds thousands only on a console opened for months. */
export const COPY_SEARCH_MAX = 2_000;

const firstSnow = (store: OfflineStore): string | undefined => store.connections('servicenow')[0]?.id;

/** The copy's answer for one connection; null when the copy holds no incident detail of it. */
export async function searchCopiedNotes(
  store: Pick<OfflineStore, 'entries' | 'get'>,
  connectionId: string,
  query: string,
  limit: number,
  reason: string,
): Promise<NoteSearchResult | null> {
  const words = noteWords(query);
  const prefix = `${connectionId}\n`;
  const keys = (await store.entries()).filter((e) => e.kind === 'incident' && e.key.startsWith(prefix)).map((e) => e.key);
  if (keys.length === 0) return null;
  const hits: NoteHit[] = [];
  let newestSync: string | null = null;
  let searched = 0;
  for (const key of keys.slice(0, COPY_SEARCH_MAX)) {
    const rec = await store.get<IncidentDetail>('incident', key);
    if (!rec) continue;
    searched++;
    if (newestSync === null || rec.syncedAt > newestSync) newestSync = rec.syncedAt;
    // The journal is newest first, as ServiceNow sorted it when the detail was read.
    const note = rec.data.journal.find((j) => isNoteElement(j.element) && noteMatches(j.value, words));
    if (!note || !isNoteElement(note.element)) continue;
    hits.push({
      connectionId,
      sysId: rec.data.sys_id,
      number: rec.data.number,
      shortDescription: rec.data.short_description,
      priority: rec.data.priority.value,
      snippet: notePassage(note.value, words),
      noteAt: note.sys_created_on,
      element: note.element,
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

export const noteSearchOffline: CallPolicy<'incidents.searchNotes'> = {
  kind: 'detail',
  system: (a, store) => store.connectionName('servicenow', a.connectionId ?? firstSnow(store)),
  key: (a, store) => `${a.connectionId ?? firstSnow(store) ?? ''}\n${a.query}`,
  // Nothing to keep: the copy searched is the incident details the detail policy keeps.
  save: () => undefined,
  restore: async (a, error, store) => {
    const out = await searchCopiedNotes(store, a.connectionId ?? firstSnow(store) ?? '', a.query, a.limit ?? 20, error.message);
    return out ? { out, syncedAt: out.copy?.syncedAt ?? new Date().toISOString() } : null;
  },
};
