import { z } from 'zod';

// Work notes and comments searched where they live: ServiceNow's journal (sys_journal_field), not only the notes
// of incidents this console happened to open. A hit says which it is: a comment is what the caller saw. When ServiceNow is away the core searches the notes in its offline copy instead
// and says so (`source: 'copy'`, with the copy's age and why).

export const NOTE_QUERY_MIN = 3;
export const NOTE_QUERY_MAX = 200;

export const NoteHit = z.object({
  connectionId: z.string(),
  sysId: z.string(),
  number: z.string(),
  shortDescription: z.string(),
  /** The incident's priority value ("1" … "5"), "" when unknown. */
  priority: z.string(),
  /** The matching passage of the newest matching note, whitespace folded. */
  snippet: z.string(),
  /** When that note was written (ServiceNow UTC `YYYY-MM-DD HH:mm:ss`). */
  noteAt: z.string(),
  /** Which journal the note is in: `work_notes` (internal) or `comments` (customer-visible). */
  element: z.enum(['work_notes', 'comments']),
});
export type NoteHit = z.infer<typeof NoteHit>;

export const NoteSearchResult = z.object({
  connectionId: z.string(),
  query: z.string(),
  /** Incidents, newest matching note first. */
  hits: z.array(NoteHit),
  /** More notes matched than were read. */
  truncated: z.boolean(),
  source: z.enum(['live', 'copy']),
  /** Set when answered from the offline copy: the newest copy searched, and why ServiceNow was not asked. */
  copy: z.object({ syncedAt: z.string().nullable(), reason: z.string(), searched: z.number().int() }).optional(),
});
export type NoteSearchResult = z.infer<typeof NoteSearchResult>;

/** The journals searched, in ServiceNow's element names. */
export const NOTE_ELEMENTS = ['work_notes', 'comments'] as const;
export type NoteElement = (typeof NOTE_ELEMENTS)[number];
export const isNoteElement = (e: string): e is NoteElement => (NOTE_ELEMENTS as readonly string[]).includes(e);

/** At most this many words are sent: each one is a condition ServiceNow runs over the whole journal. */
export const NOTE_WORDS_MAX = 5;

/**
 * The words of a query as typed (the docs call LIKE case-sensitive, typical instances are not: the user's case is
 * what is sent), distinct in any case, longest first (the most selective condition leads).
 */
export function noteWords(query: string): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const w of query.split(/\s+/).filter(Boolean)) {
    if (seen.has(w.toLowerCase())) continue;
    seen.add(w.toLowerCase());
    words.push(w);
  }
  return words.sort((a, b) => b.length - a.length).slice(0, NOTE_WORDS_MAX);
}

/** Whether a note holds every word, anywhere and in any case (what ServiceNow's LIKE does on a typical instance). */
export function noteMatches(text: string, words: readonly string[]): boolean {
  const t = text.toLowerCase();
  return words.every((w) => t.includes(w.toLowerCase()));
}

const PASSAGE_SIDE = 60;

/** The passage around the first word found, on one line, with "…" where it was cut. */
export function notePassage(text: string, words: readonly string[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  const at = Math.min(...words.map((w) => lower.indexOf(w.toLowerCase())).filter((i) => i >= 0), flat.length);
  if (at === flat.length) return flat.slice(0, PASSAGE_SIDE * 2);
  const from = Math.max(0, at - PASSAGE_SIDE);
  const to = Math.min(flat.length, at + PASSAGE_SIDE);
  return `${from > 0 ? '…' : ''}${flat.slice(from, to).trim()}${to < flat.length ? '…' : ''}`;
}
