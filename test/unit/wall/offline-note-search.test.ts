import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Registry } from '../../../electron/core/kernel/dispatch/registry';
import type { CallContext } from '../../../electron/core/kernel/dispatch/registry';
import { installOfflineCache } from '../../../electron/core/features/offline/offline-feature';
import type { OfflineFeature } from '../../../electron/core/features/offline/offline-feature';
import { noteSearchOffline } from '../../../electron/core/features/incidents/note-search-offline';
import { ContractFailure } from '@shared/kernel/result';
import { NoteSearchResult } from '@shared/incidents/note-search';
import type { IncidentDetail } from '@shared/incidents/model';

// Work-note search with ServiceNow away: the copy's journals within the budget when ServiceNow hangs, at once
// when it refuses the connection; never the copy for a 403 or a question that was wrong.

const ctx: CallContext = { transport: 'ws', signal: new AbortController().signal };
const BUDGET = 150;
const L = (label: string) => ({ value: label.toLowerCase(), label });

const detail = (sysId: string, number: string, notes: { element: string; value: string; at: string }[]): IncidentDetail =>
  ({
    sys_id: sysId,
    number,
    short_description: `Incident ${number}`,
    priority: { value: '2', label: '2 - High' },
    state: L('In Progress'),
    journal: notes.map((n, i) => ({
      sys_id: `${sysId}-${i}`,
      element: n.element,
      value: n.value,
      sys_created_on: n.at,
      sys_created_by: 'ada',
      author: 'Ada',
    })),
  }) as unknown as IncidentDetail;

let dir: string;
let live: () => Promise<unknown>;
let feature: OfflineFeature;
let registry: Registry;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-note-search-'));
  registry = new Registry();
  registry.handle('incidents.searchNotes', () => live() as Promise<never>, { offline: noteSearchOffline });
  feature = installOfflineCache(
    registry,
    {
      connections: { byKind: (kind: string) => (kind === 'servicenow' ? [{ id: 'snow', name: 'prod' }] : []) },
    },
    { dataDir: dir, background: false, minWriteIntervalMs: 0, detailBudgetMs: BUDGET },
  );
  const put = (conn: string, sysId: string, d: IncidentDetail): Promise<void> => feature.store.putNow('incident', `${conn}\n${sysId}`, d);
  await put(
    'snow',
    'a'.repeat(32),
    detail('a'.repeat(32), 'INC0010001', [
      { element: 'work_notes', value: 'Restarted the Otter-7 pool; watching.', at: '2026-12-06 10:00:00' },
    ]),
  );
  await put(
    'snow',
    'b'.repeat(32),
    detail('b'.repeat(32), 'INC0010002', [
      { element: 'work_notes', value: 'otter-7 drained again after the deploy', at: '2026-12-06 12:00:00' },
    ]),
  );
  // A customer-visible comment is found too (and says it is one); another connection's copy is not this one's;
  // a journal entry of another kind (an approval history) is not a note.
  await put(
    'snow',
    'c'.repeat(32),
    detail('c'.repeat(32), 'INC0010003', [{ element: 'comments', value: 'Otter-7 update for the customer', at: '2026-12-06 13:00:00' }]),
  );
  await put(
    'snow',
    'e'.repeat(32),
    detail('e'.repeat(32), 'INC0010005', [{ element: 'approval_history', value: 'Otter-7 change approved', at: '2026-12-06 15:00:00' }]),
  );
  await put(
    'other',
    'd'.repeat(32),
    detail('d'.repeat(32), 'INC0010004', [{ element: 'work_notes', value: 'Otter-7 on the other instance', at: '2026-12-06 14:00:00' }]),
  );
});
afterEach(async () => {
  await feature.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function search(answer: () => Promise<unknown>): Promise<unknown> {
  live = answer;
  const h = registry.handlerFor('incidents.searchNotes');
  if (!h) throw new Error('no handler');
  return Promise.resolve(h({ query: 'OTTER-7' }, ctx));
}

describe('work-note search from the offline copy', () => {
  it('ServiceNow refuses the connection: the copy at once, newest note first, marked with the reason', async () => {
    const r = NoteSearchResult.parse(await search(() => Promise.reject(new ContractFailure('unreachable', 'connect ECONNREFUSED'))));
    expect(r.source).toBe('copy');
    expect(r.hits.map((h) => [h.number, h.element])).toEqual([
      ['INC0010003', 'comments'],
      ['INC0010002', 'work_notes'],
      ['INC0010001', 'work_notes'],
    ]);
    expect(r.hits[2]?.snippet).toBe('Restarted the Otter-7 pool; watching.');
    expect(r.copy).toMatchObject({ reason: 'connect ECONNREFUSED', searched: 4 });
    expect(r.copy?.syncedAt).not.toBeNull();
  });

  it('ServiceNow hangs: the copy within the budget, not after the HTTP timeout', async () => {
    const started = Date.now();
    const r = NoteSearchResult.parse(await search(() => new Promise(() => undefined)));
    expect(r.source).toBe('copy');
    expect(r.copy?.reason).toBe('ServiceNow (prod) did not answer within 0.2 s.');
    expect(Date.now() - started).toBeLessThan(BUDGET + 2_000);
  });

  it('a 403 or a bad query is never answered from the copy', async () => {
    await expect(search(() => Promise.reject(new ContractFailure('forbidden', 'Failed API level ACL Validation')))).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(search(() => Promise.reject(new ContractFailure('bad_request', 'bad')))).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('ServiceNow answering wins over the copy', async () => {
    const live = { connectionId: 'snow', query: 'OTTER-7', hits: [], truncated: false, source: 'live' as const };
    expect(await search(() => Promise.resolve(live))).toEqual(live);
  });
});
