import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { NOTE_QUERY_MIN } from '@shared/incidents/note-search';
import { useEnvironment } from '../../app/api/environment';
import { methodKey, useCall } from '../../app/api/hooks';
import { formatAge } from '../../app/format/time';
import { navigate } from '../../app/state/route';
import { useDebounced } from '../../app/use-debounced';
import type { PaletteItem } from './palette-search';
import { noteHitItem, noteStatusLine } from './palette-notes';

// The palette's search provider for work notes in ServiceNow: one call per pause in typing (300 ms), none for
// fewer than three characters; a query the user has typed past is dropped (react-query aborts its call, and
// the bridge tells the server to stop), and its answer is never shown for the newer text.

export const NOTE_DEBOUNCE_MS = 300;

export interface NoteSearch {
  items: (PaletteItem & { run: () => void })[];
  /** One quiet line: searching, answered from the offline copy, or why it was not searched. */
  status: string | null;
}

export function useNoteSearch(open: boolean, query: string): NoteSearch {
  const scope = useEnvironment();
  const snow = scope.connections.find((c) => c.spec.kind === 'servicenow')?.spec.id;
  const typed = query.trim();
  const settled = useDebounced(typed, NOTE_DEBOUNCE_MS);
  const enabled = open && snow !== undefined && settled.length >= NOTE_QUERY_MIN && settled === typed;
  const qc = useQueryClient();
  // Typing on (or closing the palette) stops the search in flight at once, not at the next pause.
  useEffect(() => {
    if (!enabled) void qc.cancelQueries({ queryKey: methodKey('incidents.searchNotes'), fetchStatus: 'fetching' });
  }, [enabled, qc]);
  const q = useCall(
    'incidents.searchNotes',
    { ...(snow ? { connectionId: snow } : {}), query: settled },
    { enabled, staleTime: 30_000, gcTime: 60_000, retry: false },
  );
  if (!enabled) return { items: [], status: null };
  const items = (q.data?.hits ?? []).map((h) => ({
    ...noteHitItem(h),
    run: () => navigate({ view: 'incidents', path: [h.sysId] }),
  }));
  const status = noteStatusLine({ fetching: q.isFetching, error: q.error, data: q.data }, (iso) => formatAge(Date.now() - Date.parse(iso)));
  return { items, status };
}
