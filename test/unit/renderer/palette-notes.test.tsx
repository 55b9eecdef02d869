// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { ContractFailure } from '@shared/kernel/result';
import type { ConnectionView } from '@shared/connections/model';
import type { NoteSearchResult } from '@shared/incidents/note-search';
import { CommandPalette } from '../../../renderer/src/features/workstation/CommandPalette';
import { useWorkstation } from '../../../renderer/src/features/workstation/workstation-store';
import { NOTE_DEBOUNCE_MS } from '../../../renderer/src/features/workstation/use-note-search';
import { createFakeBridge } from './fake-bridge';
import type { FakeBridge, Handlers } from './fake-bridge';
import { renderWithApi } from './render';

// The palette's work-note search as a user meets it: one call per pause in typing, the call for text typed past
// aborted, ServiceNow's hits listed after the palette's own, and when ServiceNow refuses or answers with a web
// page, the local results stay and one quiet line says why.

const snow: ConnectionView = {
  spec: {
    id: 'snow',
    kind: 'servicenow',
    name: 'ServiceNow prod',
    url: 'https://prod.service-now.com',
    auth: { type: 'basic', username: 'ops', password: { secret: { keychain: 'snow:password' } } },
  },
  provisioned: true,
  secrets: [{ field: 'password', ref: { secret: { keychain: 'snow:password' } }, present: true }],
};

const SYS = 'b'.repeat(32);
const answer = (query: string, over: Partial<NoteSearchResult> = {}): NoteSearchResult => ({
  connectionId: 'snow',
  query,
  hits: [
    {
      connectionId: 'snow',
      sysId: SYS,
      number: 'INC0010999',
      shortDescription: 'Payments slow in eu-west',
      priority: '2',
      snippet: '…the notification queue on db-03 backed up…',
      noteAt: '2026-12-06 21:00:00',
      element: 'work_notes',
    },
  ],
  truncated: false,
  source: 'live',
  ...over,
});

/** The bridge, recording the abort signal of every work-note search. */
function bridgeWith(h: Handlers): { bridge: FakeBridge; signals: AbortSignal[] } {
  const bridge = createFakeBridge({ 'connections.list': () => [snow], ...h });
  const signals: AbortSignal[] = [];
  const invoke = bridge.invoke.bind(bridge);
  bridge.invoke = (method, args, options) => {
    if (method === 'incidents.searchNotes' && options?.signal) signals.push(options.signal);
    return invoke(method, args, options);
  };
  return { bridge, signals };
}

const type = (text: string): void => void fireEvent.change(screen.getByTestId('palette-input'), { target: { value: text } });
const options = (): { id: string | null; text: string }[] =>
  screen.queryAllByTestId('palette-option').map((o) => ({ id: o.getAttribute('data-id'), text: o.textContent ?? '' }));
const pause = async (ms: number): Promise<void> => {
  await act(() => new Promise<void>((r) => setTimeout(r, ms)));
};

beforeEach(() => {
  window.location.hash = '';
  useWorkstation.setState({ paletteOpen: true });
});
afterEach(() => {
  cleanup();
  useWorkstation.setState({ paletteOpen: false });
});

describe('work-note search in the palette', () => {
  it('asks once per pause in typing, never for under three characters, and lists the hits after the palette’s own', async () => {
    const { bridge } = bridgeWith({ 'incidents.searchNotes': (a) => answer(a.query) });
    renderWithApi(<CommandPalette />, bridge);
    await waitFor(() => expect(bridge.callsOf('connections.list').length).toBeGreaterThan(0));
    type('no');
    await pause(NOTE_DEBOUNCE_MS * 2);
    expect(bridge.callsOf('incidents.searchNotes')).toEqual([]);
    type('not');
    type('noti');
    type('notif');
    await waitFor(() => expect(bridge.callsOf('incidents.searchNotes')).toEqual([{ connectionId: 'snow', query: 'notif' }]));
    await waitFor(() => expect(options().map((o) => o.id)).toContain(`incident:${SYS}`));
    const ids = options().map((o) => o.id);
    // "Notification settings" matches by title prefix: it stays above ServiceNow's hit.
    expect(ids.indexOf('notifications')).toBeLessThan(ids.indexOf(`incident:${SYS}`));
    expect(options().find((o) => o.id === `incident:${SYS}`)?.text).toContain('Work note: …the notification queue on db-03 backed up…');
    expect(screen.queryByTestId('palette-notes-status')).toBeNull();
  });

  it('aborts the search for text the user typed past, and never shows its answer for the new text', async () => {
    const pending: ((r: NoteSearchResult) => void)[] = [];
    const { bridge, signals } = bridgeWith({
      'incidents.searchNotes': (a) =>
        a.query === 'disk' ? new Promise<NoteSearchResult>((r) => pending.push(r)) : answer(a.query, { hits: [] }),
    });
    renderWithApi(<CommandPalette />, bridge);
    type('disk');
    await waitFor(() => expect(signals).toHaveLength(1));
    expect(screen.getByTestId('palette-notes-status').textContent).toBe('Searching work notes and comments in ServiceNow…');
    type('disk full');
    await waitFor(() => expect(signals[0]?.aborted).toBe(true));
    await waitFor(() => expect(bridge.callsOf('incidents.searchNotes')).toHaveLength(2));
    // The old search answers late: its hit must not appear under "disk full".
    act(() => pending[0]?.(answer('disk')));
    await pause(50);
    expect(options().map((o) => o.id)).not.toContain(`incident:${SYS}`);
    expect(signals[1]?.aborted).toBe(false);
  });

  it('a 403 from ServiceNow: the local results stay and one quiet line quotes the refusal', async () => {
    const { bridge } = bridgeWith({
      'incidents.searchNotes': () => {
        throw new ContractFailure('forbidden', 'ServiceNow prod refused: “User Not Authorized: Failed API level ACL Validation”.', {
          status: 403,
        });
      },
    });
    renderWithApi(<CommandPalette />, bridge);
    type('notification');
    await waitFor(() =>
      expect(screen.getByTestId('palette-notes-status').textContent).toBe(
        'Work notes and comments were not searched in ServiceNow: ServiceNow prod refused: “User Not Authorized: Failed API level ACL Validation”.',
      ),
    );
    expect(screen.getAllByTestId('palette-notes-status')).toHaveLength(1);
    expect(options().map((o) => o.id)).toEqual(['notifications']);
    expect(screen.queryByTestId('palette-empty')).toBeNull();
  });

  it('an HTML page instead of JSON: the same, with the local results and the one line', async () => {
    const { bridge } = bridgeWith({
      'incidents.searchNotes': () => {
        throw new ContractFailure(
          'login_required',
          'ServiceNow prod answered with a login page ("Log in | ServiceNow"): the session expired or an SSO login is needed.',
        );
      },
    });
    renderWithApi(<CommandPalette />, bridge);
    type('theme');
    await waitFor(() =>
      expect(screen.getByTestId('palette-notes-status').textContent).toMatch(
        /^Work notes and comments were not searched in ServiceNow: ServiceNow prod answered with a login page/,
      ),
    );
    expect(options().map((o) => o.id)).toEqual(['theme']);
  });

  it('answered from the offline copy: the hits, and the line says where they came from', async () => {
    const { bridge } = bridgeWith({
      'incidents.searchNotes': (a) =>
        answer(a.query, {
          source: 'copy',
          copy: { syncedAt: new Date(Date.now() - 3 * 60_000).toISOString(), reason: 'ServiceNow prod is not reachable.', searched: 50 },
        }),
    });
    renderWithApi(<CommandPalette />, bridge);
    type('queue');
    await waitFor(() => expect(options().map((o) => o.id)).toContain(`incident:${SYS}`));
    expect(screen.getByTestId('palette-notes-status').textContent).toBe(
      'Work notes and comments searched in the offline copy (synced 3 min ago), 50 incidents: ServiceNow prod is not reachable.',
    );
  });
});
