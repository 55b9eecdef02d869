import { describe, expect, it } from 'vitest';
import { rankItems } from '../../../renderer/src/features/workstation/palette-search';
import type { PaletteItem } from '../../../renderer/src/features/workstation/palette-search';
import { mergeNoteHits, noteHitItem, noteStatusLine } from '../../../renderer/src/features/workstation/palette-notes';
import { noteMatches, notePassage, noteWords } from '@shared/incidents/note-search';
import type { NoteHit, NoteSearchResult } from '@shared/incidents/note-search';

// Work-note hits from ServiceNow in the palette: after the exact and prefix matches, before the weak ones, never
// twice; and the one line that says where the notes were searched.

const local: PaletteItem[] = [
  { id: 'incident:a', kind: 'incident', title: 'INC0010375 Checkout returns 502', keywords: ['INC0010375'] },
  { id: 'incident:b', kind: 'incident', title: 'INC0010237 Disk full on web-07', keywords: ['INC0010237'] },
  { id: 'rb:disk', kind: 'runbook', title: 'Free disk space on a host', keywords: ['disk-cleanup'] },
  // Matches "disk" only in its body text: a weak match.
  { id: 'rb:restart', kind: 'runbook', title: 'Restart a service', text: 'check the disk before restarting' },
];

const hit = (sysId: string, number: string, over: Partial<NoteHit> = {}): NoteHit => ({
  connectionId: 'snow',
  sysId,
  number,
  shortDescription: 'Payments slow',
  priority: '2',
  snippet: '…the disk on db-03 filled up overnight…',
  noteAt: '2026-12-06 21:00:00',
  element: 'work_notes',
  ...over,
});

const merged = (q: string, hits: NoteHit[]): string[] => mergeNoteHits(rankItems(local, q), hits.map(noteHitItem), q, 40).map((i) => i.id);

describe('work-note hits in the palette ranking', () => {
  it('come after title and keyword prefix matches and before body-text matches', () => {
    expect(merged('disk', [hit('z', 'INC0010999')])).toEqual(['incident:b', 'rb:disk', 'incident:z', 'rb:restart']);
  });

  it('never push an exact incident number down', () => {
    const ids = merged('INC0010375', [hit('y', 'INC0010400', { snippet: 'duplicate of INC0010375' })]);
    expect(ids[0]).toBe('incident:a');
    expect(ids).toContain('incident:y');
  });

  it('an incident already found locally keeps its place and is not listed twice', () => {
    const ids = merged('disk', [hit('b', 'INC0010237'), hit('z', 'INC0010999')]);
    expect(ids.filter((i) => i === 'incident:b')).toHaveLength(1);
    expect(ids.indexOf('incident:b')).toBeLessThan(ids.indexOf('incident:z'));
  });

  it('with no local match at all, the note hits are the list, in the server order', () => {
    expect(merged('overnight', [hit('z', 'INC0010999'), hit('w', 'INC0010111')])).toEqual(['incident:z', 'incident:w']);
  });

  it('stops at the limit', () => {
    const many = Array.from({ length: 60 }, (_, i) => hit(`s${i}`, `INC00${String(20000 + i)}`));
    expect(mergeNoteHits(rankItems(local, 'zz'), many.map(noteHitItem), 'zz', 40)).toHaveLength(40);
  });

  it('shows the note passage and the priority tone', () => {
    const item = noteHitItem(hit('z', 'INC0010999', { priority: '1' }));
    expect(item.title).toBe('INC0010999 Payments slow');
    expect(item.subtitle).toBe('Work note: …the disk on db-03 filled up overnight…');
    expect(item.tone).toBe('error');
  });

  it('says when the passage is from a comment the caller saw, not a work note', () => {
    expect(noteHitItem(hit('z', 'INC0010999', { element: 'comments' })).subtitle).toBe('Comment: …the disk on db-03 filled up overnight…');
  });
});

describe('the work-note status line', () => {
  const age = (): string => '5 min ago';
  const live: NoteSearchResult = { connectionId: 'snow', query: 'disk', hits: [], truncated: false, source: 'live' };

  it('says nothing when ServiceNow answered', () => {
    expect(noteStatusLine({ fetching: false, error: null, data: live }, age)).toBeNull();
    expect(noteStatusLine({ fetching: true, error: null, data: live }, age)).toBeNull();
  });

  it('says it is searching only until the first answer', () => {
    expect(noteStatusLine({ fetching: true, error: null, data: undefined }, age)).toBe('Searching work notes and comments in ServiceNow…');
  });

  it('quotes why ServiceNow was not searched', () => {
    const line = noteStatusLine(
      { fetching: false, error: { message: 'ServiceNow refused: “Failed API level ACL Validation” (403)' }, data: undefined },
      age,
    );
    expect(line).toBe(
      'Work notes and comments were not searched in ServiceNow: ServiceNow refused: “Failed API level ACL Validation” (403)',
    );
  });

  it('names the offline copy, its age and the reason', () => {
    const copy: NoteSearchResult = {
      ...live,
      source: 'copy',
      copy: { syncedAt: '2026-12-06T21:00:00Z', reason: 'ServiceNow is not reachable (connection refused).', searched: 50 },
    };
    expect(noteStatusLine({ fetching: false, error: null, data: copy }, age)).toBe(
      'Work notes and comments searched in the offline copy (synced 5 min ago), 50 incidents: ServiceNow is not reachable (connection refused).',
    );
  });
});

describe('note words and passages', () => {
  it('keeps the case typed, drops repeats in any case, puts the longest word first and keeps five', () => {
    expect(noteWords('  Disk DISK db-03 full a b c d e ')).toEqual(['db-03', 'Disk', 'full', 'a', 'b']);
  });

  it('matches every word anywhere in any case', () => {
    expect(noteMatches('Disk on DB-03 filled', ['db-03', 'DISK'])).toBe(true);
    expect(noteMatches('Disk on DB-03 filled', ['db-04', 'disk'])).toBe(false);
  });

  it('cuts a long note around the first word found, on one line', () => {
    const text = `${'a '.repeat(100)}the disk\non db-03\tfilled ${'b '.repeat(100)}`;
    const p = notePassage(text, ['db-03']);
    expect(p.startsWith('…')).toBe(true);
    expect(p.endsWith('…')).toBe(true);
    expect(p).toContain('the disk on db-03 filled');
    expect(p.length).toBeLessThanOrEqual(122);
    expect(notePassage('short note', ['zzz'])).toBe('short note');
  });
});
