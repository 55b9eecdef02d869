// Work-note and comment hits from ServiceNow merged into the palette's ranked list. The server matched the words anywhere in
// a note, which the palette's own scoring cannot see, so the hits are not re-scored: they come after every item
// that matches each word in its title or keywords at least as a prefix (a number typed exactly, an SLO by
// name), and before the weaker matches (subtitle, body text, initials). An incident already in the list stays
// where it ranked and is not repeated.
import type { NoteHit, NoteSearchResult } from '@shared/incidents/note-search';
import type { PaletteItem, Ranked } from './palette-search';
import { wordScore } from './palette-search';

/** A word's score from a title or keyword prefix upwards (see palette-search.ts). */
export const STRONG_WORD = 25;

export function noteHitItem(h: NoteHit): PaletteItem {
  return {
    id: `incident:${h.sysId}`,
    kind: 'incident',
    title: `${h.number} ${h.shortDescription}`,
    // A comment is what the caller read; a work note stayed inside: the engineer needs to know which matched.
    subtitle: `${h.element === 'comments' ? 'Comment' : 'Work note'}: ${h.snippet}`,
    tone: h.priority === '1' ? 'error' : h.priority === '2' ? 'warn' : 'unknown',
  };
}

/** The ranked list with the note hits placed after the strong matches; at most `limit` items. */
export function mergeNoteHits<T extends PaletteItem>(ranked: readonly Ranked<T>[], hits: readonly T[], query: string, limit: number): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const seen = new Set(ranked.map((r) => r.item.id));
  const extra = hits.filter((h) => !seen.has(h.id));
  const strong = ranked.filter((r) => words.length > 0 && words.every((w) => wordScore(w, r.item) >= STRONG_WORD));
  const weak = ranked.filter((r) => !strong.includes(r));
  return [...strong.map((r) => r.item), ...extra, ...weak.map((r) => r.item)].slice(0, limit);
}

/** The one quiet line under the results: where the work notes were (or were not) searched. Null when all is well. */
export function noteStatusLine(
  s: { fetching: boolean; error: { message: string } | null; data: NoteSearchResult | undefined },
  age: (iso: string) => string,
): string | null {
  if (s.error) return `Work notes and comments were not searched in ServiceNow: ${s.error.message}`;
  if (s.data?.source === 'copy') {
    const c = s.data.copy;
    const when = c?.syncedAt ? ` (synced ${age(c.syncedAt)})` : '';
    return `Work notes and comments searched in the offline copy${when}, ${c?.searched ?? 0} incidents: ${c?.reason ?? 'ServiceNow did not answer'}`;
  }
  if (s.fetching && !s.data) return 'Searching work notes and comments in ServiceNow…';
  return null;
}
