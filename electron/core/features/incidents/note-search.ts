import type { NoteHit, NoteSearchResult } from '@shared/incidents/note-search';
import { NOTE_ELEMENTS, isNoteElement, notePassage, noteWords } from '@shared/incidents/note-search';
import { EncodedQuery, EncodedQueryError } from '@shared/incidents/encoded-query';
import { ContractFailure } from '@shared/kernel/result';
import { asFailure } from '../../systems/servicenow/errors';
import type { SnowContext } from '../../systems/servicenow/snow-context';
import { valueOf } from '../../systems/servicenow/values';

// Work-note and comment search in ServiceNow itself: sys_journal_field rows (`elementINwork_notes,comments`) of
// incidents whose `value` holds every word
// (`valueLIKE<word>` per word; user text is escaped by EncodedQuery, so it never becomes query syntax), newest
// first, then the incidents they belong to in one `sys_idIN` read. Needs read access to sys_journal_field,
// which some instances keep from API users: a 403 comes back as the instance said it.

/** Notes read per search: enough for `limit` distinct incidents when a few incidents hold many matching notes. */
const NOTES_READ = 200;
const DEFAULT_LIMIT = 20;

export async function searchWorkNotes(
  ctx: SnowContext,
  query: string,
  limit = DEFAULT_LIMIT,
  signal?: AbortSignal,
): Promise<NoteSearchResult> {
  const words = noteWords(query);
  let q: EncodedQuery;
  try {
    q = EncodedQuery.where('name', '=', 'incident').and('element', 'IN', [...NOTE_ELEMENTS]);
    for (const w of words) q = q.and('value', 'LIKE', w);
    q = q.orderBy('sys_created_on', true);
  } catch (e) {
    if (e instanceof EncodedQueryError) throw new ContractFailure('bad_request', e.message);
    throw e;
  }
  try {
    const notes = await ctx.api.list({
      table: 'sys_journal_field',
      query: q.toString(),
      fields: ['element_id', 'element', 'value', 'sys_created_on'],
      limit: NOTES_READ,
      ...(signal ? { signal } : {}),
    });
    // The newest matching note per incident, in the order ServiceNow sorted them.
    const newest = new Map<string, { value: string; at: string; element: NoteHit['element'] }>();
    for (const r of notes.rows) {
      const id = valueOf(r.element_id);
      const element = valueOf(r.element);
      // A row of another journal (an instance that ignored the IN) is not a hit.
      if (!id || newest.has(id) || !isNoteElement(element)) continue;
      newest.set(id, { value: valueOf(r.value), at: valueOf(r.sys_created_on), element });
      if (newest.size >= limit) break;
    }
    if (newest.size === 0)
      return { connectionId: ctx.spec.id, query, hits: [], truncated: notes.rows.length >= NOTES_READ, source: 'live' };
    const incidents = await ctx.api.list({
      table: 'incident',
      query: EncodedQuery.where('sys_id', 'IN', [...newest.keys()]).toString(),
      fields: ['sys_id', 'number', 'short_description', 'priority'],
      limit: newest.size,
      ...(signal ? { signal } : {}),
    });
    const byId = new Map(incidents.rows.map((r) => [valueOf(r.sys_id), r]));
    const hits: NoteHit[] = [];
    // An incident the user may not read (ACL) is left out, even though its note matched.
    for (const [sysId, note] of newest) {
      const inc = byId.get(sysId);
      if (!inc) continue;
      hits.push({
        connectionId: ctx.spec.id,
        sysId,
        number: valueOf(inc.number),
        shortDescription: valueOf(inc.short_description),
        priority: valueOf(inc.priority),
        snippet: notePassage(note.value, words),
        noteAt: note.at,
        element: note.element,
      });
    }
    return { connectionId: ctx.spec.id, query, hits, truncated: notes.rows.length >= NOTES_READ || newest.size >= limit, source: 'live' };
  } catch (e) {
    throw asFailure(e, { spec: ctx.spec });
  }
}
