// @vitest-environment jsdom
import { act } from 'react';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import IncidentsView from '../../../renderer/src/features/incidents/IncidentsView';
import { useQueuePrefs, useQueueSession } from '../../../renderer/src/features/incidents/queue-store';
import { startHashSync, useRoute } from '../../../renderer/src/app/state/route';
import { ContractFailure } from '@shared/kernel/result';
import type { IncidentDetail, IncidentRow, QueueSnapshot } from '@shared/incidents/model';
import { sloStatusFixture } from '../../helpers/slo-status';
import { countQueue } from '@shared/incidents/queue';
import { createFakeBridge } from '../renderer/fake-bridge';
import type { FakeBridge } from '../renderer/fake-bridge';
import { renderWithApi } from '../renderer/render';

const ME = 'a'.repeat(32);
const SRE = 'b'.repeat(32);
const L = (value: string, label = value): { value: string; label: string } => ({ value, label });
const PRIO: Record<string, string> = { '1': '1 - Critical', '2': '2 - High', '3': '3 - Moderate', '4': '4 - Low', '5': '5 - Planning' };

function row(n: number, over: Partial<IncidentRow> = {}): IncidentRow {
  const p = String((n % 5) + 1);
  return {
    sys_id: n.toString(16).padStart(32, '0'),
    number: `INC${String(10000 + n).padStart(7, '0')}`,
    short_description: `Incident number ${n}`,
    priority: L(p, PRIO[p]),
    state: n % 3 === 0 ? L('1', 'New') : L('2', 'In Progress'),
    hold_reason: L(''),
    assignment_group: n % 2 === 0 ? L(SRE, 'Site Reliability Engineering') : L('c'.repeat(32), 'Network Operations'),
    assigned_to: n % 4 === 0 ? L('') : n % 4 === 1 ? L(ME, 'TOC Console') : L('d'.repeat(32), 'Ada Lovelace'),
    cmdb_ci: L('e'.repeat(32), `host-${n}`),
    opened_at: '2026-03-01 10:00:00',
    sys_updated_on: '2026-03-02 10:00:00',
    sla_due: '2026-03-01 14:00:00',
    sys_mod_count: 3,
    u_alert_name: n === 1 ? 'DiskAlmostFull' : '',
    u_alert_instance: n === 1 ? 'db-01:9100' : '',
    ...over,
  };
}

function snapshot(rows: IncidentRow[], seq = 1): QueueSnapshot {
  return {
    connectionId: 'snow',
    connectionName: 'ServiceNow',
    query: 'active=true^stateNOT IN6,7,8',
    seq,
    rows,
    me: { sys_id: ME, name: 'TOC Console', user_name: 'toc' },
    myGroups: [L(SRE, 'Site Reliability Engineering')],
    syncedAt: new Date().toISOString(),
    attemptedAt: new Date().toISOString(),
    refreshMs: 30_000,
    stale: false,
    error: null,
    nextAttemptAt: null,
    counts: countQueue(rows, ME),
  };
}

function detailOf(r: IncidentRow, over: Partial<IncidentDetail> = {}): IncidentDetail {
  return {
    ...r,
    description: 'The disk is filling up.',
    caller_id: L('f'.repeat(32), 'Prometheus Alertmanager'),
    opened_by: L('f'.repeat(32), 'Prometheus Alertmanager'),
    impact: L('2', '2 - Medium'),
    urgency: L('2', '2 - Medium'),
    category: L('hardware', 'Hardware'),
    subcategory: L('disk', 'Disk'),
    contact_type: L('monitoring', 'Monitoring'),
    business_service: L('9'.repeat(32), 'Checkout'),
    close_code: L(''),
    close_notes: '',
    resolved_at: '',
    resolved_by: L(''),
    sys_created_on: r.opened_at,
    sys_updated_by: 'ada.lovelace',
    made_sla: true,
    reassignment_count: 0,
    reopen_count: 0,
    journal: [
      {
        sys_id: '1'.repeat(32),
        element: 'work_notes',
        value: 'Newest note',
        sys_created_on: '2026-03-02 09:00:00',
        sys_created_by: 'ada',
        author: 'Ada Lovelace',
      },
      {
        sys_id: '2'.repeat(32),
        element: 'comments',
        value: 'Older comment',
        sys_created_on: '2026-03-01 11:00:00',
        sys_created_by: 'bob',
        author: 'Bob',
      },
    ],
    journalError: null,
    link: 'https://x.service-now.com/nav_to.do?uri=incident.do',
    alert: r.u_alert_name ? { name: r.u_alert_name, instance: r.u_alert_instance } : null,
    ...over,
  };
}

const ROWS = Array.from({ length: 40 }, (_, i) => row(i + 1));
const snowConnection = {
  spec: {
    id: 'snow',
    kind: 'servicenow' as const,
    name: 'ServiceNow',
    url: 'https://x.service-now.com',
    auth: { type: 'basic' as const, username: 'toc', password: { secret: { env: 'X' } } },
  },
  provisioned: true,
  secrets: [],
};

function Routed(): ReactNode {
  const route = useRoute();
  return <IncidentsView route={route} />;
}

let stopHash: () => void;
const height = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');

beforeAll(() => {
  // jsdom lays nothing out: give the queue's scroll box a height so the virtualiser renders rows.
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'incident-queue-scroll' ? 600 : 0;
    },
  });
});

afterAll(() => {
  if (height) Object.defineProperty(HTMLElement.prototype, 'clientHeight', height);
});

beforeEach(() => {
  localStorage.clear();
  useQueuePrefs.setState({ filter: useQueuePrefs.getInitialState().filter, sort: useQueuePrefs.getInitialState().sort, views: [] });
  useQueueSession.setState({ marks: {}, selected: null });
  window.location.hash = '#/incidents';
  stopHash = startHashSync();
});

afterEach(() => {
  cleanup();
  stopHash();
});

function setup(extra: Parameters<typeof createFakeBridge>[0] = {}): FakeBridge {
  const bridge = createFakeBridge({
    'connections.list': () => [snowConnection],
    'incidents.list': () => snapshot(ROWS),
    'incidents.get': ({ sysId }) => detailOf(ROWS.find((r) => r.sys_id === sysId) ?? row(99)),
    'incidents.choices': () => ({
      state: [L('1', 'New'), L('2', 'In Progress'), L('3', 'On Hold')],
      hold_reason: [L('1', 'Awaiting Caller'), L('4', 'Awaiting Vendor')],
      close_code: [L('Solution provided'), L('Workaround provided')],
      priority: [],
      impact: [],
      urgency: [],
      change_state: [],
      fetchedAt: new Date().toISOString(),
    }),
    ...extra,
  });
  renderWithApi(<Routed />, bridge);
  return bridge;
}

const visibleNumbers = (): string[] => screen.getAllByTestId('incident-row').map((r) => r.getAttribute('data-number') ?? '');

describe('incident queue view', () => {
  it('shows the queue virtualised, P1 first, with counts by priority', async () => {
    setup();
    await screen.findByTestId('incident-queue');
    const rendered = screen.getAllByTestId('incident-row');
    // 600 px / 34 px per row plus overscan: only the rows in view are in the DOM.
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(ROWS.length);
    expect(rendered[0]?.getAttribute('data-priority')).toBe('1');
    expect(screen.getByTestId('incident-queue').getAttribute('data-count')).toBe('40');
    expect(screen.getByTestId('count-p1').getAttribute('data-count')).toBe('8');
    expect(screen.getByTestId('count-unassigned').getAttribute('data-count')).toBe('10');
    expect(screen.getByTestId('count-mine').getAttribute('data-count')).toBe('10');
  });

  it('filters by text, my groups, assigned to me, unassigned and priority, and sorts by a column', async () => {
    setup();
    await screen.findByTestId('incident-queue');
    fireEvent.change(screen.getByTestId('filter-text'), { target: { value: 'host-17' } });
    await waitFor(() => expect(visibleNumbers()).toEqual(['INC0010017']));
    fireEvent.click(screen.getByTestId('filter-reset'));
    fireEvent.click(screen.getByTestId('filter-my-groups'));
    await waitFor(() => expect(screen.getByTestId('queue-shown').getAttribute('data-count')).toBe('20'));
    fireEvent.click(screen.getByTestId('filter-mine'));
    // Even rows are SRE; n % 4 === 1 is mine: none are both.
    await waitFor(() => expect(screen.getByTestId('incidents-filtered-empty')).toBeTruthy());
    fireEvent.click(screen.getByTestId('filter-reset'));
    fireEvent.click(screen.getByTestId('filter-unassigned'));
    fireEvent.click(screen.getByTestId('count-p1'));
    await waitFor(() => expect(screen.getByTestId('queue-shown').getAttribute('data-count')).toBe('2'));
    fireEvent.click(screen.getByTestId('filter-reset'));
    fireEvent.click(screen.getByTestId('sort-number'));
    await waitFor(() => expect(visibleNumbers()[0]).toBe('INC0010001'));
    fireEvent.click(screen.getByTestId('sort-number'));
    await waitFor(() => expect(visibleNumbers()[0]).toBe('INC0010040'));
  });

  it('saves a view and brings it back', async () => {
    setup();
    await screen.findByTestId('incident-queue');
    fireEvent.click(screen.getByTestId('filter-unassigned'));
    fireEvent.change(screen.getByTestId('view-name'), { target: { value: 'Unassigned' } });
    fireEvent.click(screen.getByTestId('view-save'));
    fireEvent.click(screen.getByTestId('filter-reset'));
    await waitFor(() => expect(screen.getByTestId('queue-shown').getAttribute('data-count')).toBe('40'));
    fireEvent.change(screen.getByTestId('view-select'), { target: { value: 'Unassigned' } });
    await waitFor(() => expect(screen.getByTestId('queue-shown').getAttribute('data-count')).toBe('10'));
    expect(JSON.parse(localStorage.getItem('toc.incidents.queue') ?? '{}').state.views[0].name).toBe('Unassigned');
  });

  it('folds the live stream in: new and changed rows are marked, removed ones go', async () => {
    const bridge = setup();
    await screen.findByTestId('incident-queue');
    await waitFor(() => expect(bridge.subscriberCount('incidents.queue')).toBe(1));
    const fresh = row(41, { priority: L('1', '1 - Critical'), short_description: 'Checkout down' });
    const changed = { ...ROWS[4]!, short_description: 'Edited elsewhere', sys_mod_count: 4 };
    const rows = [...ROWS.filter((r) => r.sys_id !== ROWS[0]!.sys_id).map((r) => (r.sys_id === changed.sys_id ? changed : r)), fresh];
    act(() =>
      bridge.emit('incidents.queue', {
        ...snapshot(rows),
        kind: 'delta',
        connectionId: 'snow',
        seq: 2,
        added: [fresh],
        changed: [changed],
        removed: [ROWS[0]!.sys_id],
      }),
    );
    await waitFor(() => expect(screen.getByTestId('incident-queue').getAttribute('data-count')).toBe('40'));
    const byNumber = (n: string): HTMLElement | undefined =>
      screen.getAllByTestId('incident-row').find((r) => r.getAttribute('data-number') === n);
    expect(byNumber(fresh.number)?.getAttribute('data-mark')).toBe('new');
    expect(byNumber(changed.number)?.getAttribute('data-mark')).toBe('changed');
    expect(byNumber(ROWS[0]!.number)).toBeUndefined();
    expect(screen.getByTestId('count-p1').getAttribute('data-count')).toBe(String(countQueue(rows, ME).byPriority['1']));
    // A delta that does not follow the snapshot makes the view read the queue again.
    const before = bridge.callsOf('incidents.list').length;
    act(() =>
      bridge.emit('incidents.queue', {
        ...snapshot(rows),
        kind: 'delta',
        connectionId: 'snow',
        seq: 9,
        added: [],
        changed: [],
        removed: [],
      }),
    );
    await waitFor(() => expect(bridge.callsOf('incidents.list').length).toBe(before + 1));
  });

  it('keyboard: j/k move, Enter opens the detail with its journal newest first and the alert behind it', async () => {
    setup();
    await screen.findByTestId('incident-queue');
    fireEvent.keyDown(window, { key: 'j' });
    fireEvent.keyDown(window, { key: 'j' });
    fireEvent.keyDown(window, { key: 'k' });
    fireEvent.keyDown(window, { key: 'Enter' });
    const first = visibleNumbers()[0];
    const detail = await screen.findByTestId('incident-detail-loaded');
    expect(window.location.hash).toContain(ROWS.find((r) => r.number === first)?.sys_id ?? 'x');
    expect(
      within(detail)
        .getAllByTestId('journal-entry')
        .map((e) => e.textContent),
    ).toEqual([expect.stringContaining('Newest note'), expect.stringContaining('Older comment')]);
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('incident-detail')).toBeNull());
    fireEvent.click(screen.getAllByTestId('incident-row').find((r) => r.getAttribute('data-number') === 'INC0010001') as HTMLElement);
    expect((await screen.findByTestId('detail-alert')).textContent).toContain('DiskAlmostFull');
  });

  it('ties the alert behind the incident to the firing Prometheus alert and its SLO, and says so quietly without Prometheus', async () => {
    const status = sloStatusFixture({ id: 'openslo/db-disk', name: 'db-disk', service: 'database' });

    const bridge = setup({
      'slo.alerts': () => ({
        fetchedAt: new Date().toISOString(),
        errors: [],
        alerts: [
          {
            connectionId: 'prom',
            alertname: 'DiskAlmostFull',
            state: 'firing',
            severity: 'page',
            labels: { alertname: 'DiskAlmostFull', instance: 'db-01:9100', service: 'database', severity: 'page' },
            annotations: { summary: 'Disk on db-01 is 95 % full', runbook_url: 'https://runbooks.example/disk' },
            activeAt: '2026-03-01T09:55:00Z',
            value: 95,
            runbookUrl: 'https://runbooks.example/disk',
          },
        ],
      }),
      'slo.fleet': () => ({
        statuses: [status],
        fetchedAt: null,
        evaluatedAt: null,
        queryCount: 0,
        durationMs: 0,
        stale: false,
        refreshMs: 30_000,
        connections: [{ id: 'prom', name: 'Prometheus', ok: true, fetchedAt: null, periodReadAt: null, queryCount: 0 }],
        warnings: [],
        problems: [],
      }),
    });
    window.location.hash = `#/incidents/${ROWS[0]!.sys_id}`;
    const firing = await screen.findByTestId('incident-alert-firing');
    expect(firing.getAttribute('data-alertname')).toBe('DiskAlmostFull');
    expect(firing.textContent).toContain('firing');
    expect(firing.textContent).toContain('Disk on db-01 is 95 % full');
    expect(within(firing).getByTestId('incident-alert-runbook').getAttribute('href')).toBe('https://runbooks.example/disk');
    await waitFor(() => expect(screen.getByTestId('incident-alert-slo').getAttribute('href')).toBe('#/slos/detail/openslo%2Fdb-disk'));

    // Without Prometheus the section says so and the detail stays.
    bridge.handle('slo.alerts', () => {
      throw new ContractFailure('not_configured', 'no Prometheus');
    });
    cleanup();
    renderWithApi(<Routed />, bridge);
    const none = await screen.findByTestId('incident-alert-firing-none');
    await waitFor(() => expect(none.getAttribute('data-state')).toBe('no-prometheus'));
    expect(screen.getByTestId('incident-detail-loaded')).toBeTruthy();
    expect(screen.queryByTestId('incident-alert-firing')).toBeNull();
  });

  it('a work note that fails keeps its text and shows the instance words; one that lands is confirmed and cleared', async () => {
    let fail = true;
    const bridge = setup({
      'incidents.addWorkNote': ({ sysId }) => {
        if (fail)
          throw new ContractFailure(
            'forbidden',
            'ServiceNow sim answered 403 (forbidden): Operation Failed: ACL Exception Update Failed due to security constraints',
            { status: 403, remoteMessage: 'Operation Failed: ACL Exception Update Failed due to security constraints' },
          );
        return {
          row: ROWS.find((r) => r.sys_id === sysId) ?? row(1),
          auditId: 'audit-1',
          remoteRef: '3'.repeat(32),
          message: 'work note added to INC0010001 (11 characters)',
        };
      },
    });
    window.location.hash = `#/incidents/${ROWS[0]!.sys_id}`;
    await screen.findByTestId('incident-detail-loaded');
    fireEvent.keyDown(window, { key: 'n' });
    const box = screen.getByTestId('action-work-note-text') as HTMLTextAreaElement;
    expect(document.activeElement).toBe(box);
    fireEvent.change(box, { target: { value: 'Disk clean' } });
    fireEvent.click(screen.getByTestId('action-work-note-send'));
    const err = await screen.findByTestId('action-work-note-error');
    expect(err.textContent).toContain('ACL Exception Update Failed due to security constraints');
    expect(box.value).toBe('Disk clean');
    expect(screen.queryByTestId('action-work-note-done')).toBeNull();
    fail = false;
    fireEvent.click(screen.getByTestId('action-work-note-send'));
    expect((await screen.findByTestId('action-work-note-done')).textContent).toContain('ServiceNow confirmed');
    expect(box.value).toBe('');
    expect(bridge.callsOf('incidents.addWorkNote')).toHaveLength(2);
  });

  it('conflict: says it changed, sends nothing more until the user overwrites on purpose', async () => {
    const bridge = setup({
      'incidents.resolve': (a) => {
        if (!a.force) {
          throw new ContractFailure(
            'conflict',
            'INC0010002 changed since you opened it: 1 update by ada at 2026-03-02 10:05:00 UTC (assigned to: Ada Lovelace → Bob). Nothing was sent.',
            {
              fields: [{ path: 'assigned_to', message: 'assigned to: Ada Lovelace → Bob' }],
            },
          );
        }
        return {
          row: { ...ROWS[1]!, state: L('6', 'Resolved') },
          auditId: 'a2',
          remoteRef: ROWS[1]!.sys_id,
          message: 'INC0010002 resolved (Solution provided)',
        };
      },
    });
    window.location.hash = `#/incidents/${ROWS[1]!.sys_id}`;
    await screen.findByTestId('incident-detail-loaded');
    fireEvent.click(screen.getByTestId('action-resolve-open'));
    await waitFor(() => expect(screen.getAllByRole('option', { name: 'Solution provided' }).length).toBeGreaterThan(0));
    fireEvent.change(screen.getByTestId('action-resolve-code'), { target: { value: 'Solution provided' } });
    fireEvent.change(screen.getByTestId('action-resolve-notes'), { target: { value: 'Cleaned up.' } });
    fireEvent.click(screen.getByTestId('action-resolve-send'));
    const err = await screen.findByTestId('action-resolve-error');
    expect(err.getAttribute('data-code')).toBe('conflict');
    expect(err.textContent).toContain('assigned to: Ada Lovelace → Bob');
    expect((screen.getByTestId('action-resolve-notes') as HTMLTextAreaElement).value).toBe('Cleaned up.');
    fireEvent.click(screen.getByTestId('action-resolve-overwrite'));
    expect((await screen.findByTestId('action-resolve-done')).textContent).toContain('resolved');
    expect(bridge.callsOf('incidents.resolve')).toEqual([
      { connectionId: 'snow', sysId: ROWS[1]!.sys_id, seenModCount: 3, closeCode: 'Solution provided', closeNotes: 'Cleaned up.' },
      {
        connectionId: 'snow',
        sysId: ROWS[1]!.sys_id,
        seenModCount: 3,
        closeCode: 'Solution provided',
        closeNotes: 'Cleaned up.',
        force: true,
      },
    ]);
  });

  it('"a" assigns the open incident to me once ServiceNow confirms', async () => {
    const bridge = setup({
      'incidents.assignToMe': ({ sysId }) => ({
        row: { ...(ROWS.find((r) => r.sys_id === sysId) ?? row(1)), assigned_to: L(ME, 'TOC Console') },
        auditId: 'a3',
        remoteRef: sysId,
        message: 'INC0010003 assigned to TOC Console',
      }),
    });
    window.location.hash = `#/incidents/${ROWS[2]!.sys_id}`;
    await screen.findByTestId('incident-detail-loaded');
    fireEvent.keyDown(window, { key: 'a' });
    expect((await screen.findByTestId('action-assign-me-done')).textContent).toContain('assigned to TOC Console');
    expect(bridge.callsOf('incidents.assignToMe')).toEqual([{ connectionId: 'snow', sysId: ROWS[2]!.sys_id, seenModCount: 3 }]);
  });

  it('opens a deep link by incident number, from the queue or by asking ServiceNow', async () => {
    const outside = row(77, { number: 'INC0099999' });
    const bridge = setup({
      'incidents.query': () => ({ rows: [outside], truncated: false }),
      'incidents.get': ({ sysId }) => detailOf([...ROWS, outside].find((r) => r.sys_id === sysId) ?? row(99)),
    });
    window.location.hash = '#/incidents/INC0010005';
    expect((await screen.findByTestId('incident-detail-loaded')).getAttribute('data-sys-id')).toBe(ROWS[4]!.sys_id);
    expect(bridge.callsOf('incidents.query')).toEqual([]);
    window.location.hash = '#/incidents/INC0099999';
    await waitFor(() => expect(screen.getByTestId('incident-detail-loaded').getAttribute('data-sys-id')).toBe(outside.sys_id));
    expect(bridge.callsOf('incidents.query')).toEqual([{ connectionId: 'snow', query: 'number=INC0099999', limit: 1 }]);
  });

  it('a failed refresh keeps the rows and says why; no connection says where to add one', async () => {
    setup({
      'incidents.list': () => ({
        ...snapshot(ROWS),
        error: {
          code: 'login_required',
          message: 'ServiceNow answered with a login page instead of data: the session expired or an SSO login is needed.',
        },
      }),
    });
    expect((await screen.findByTestId('incidents-sync-error')).textContent).toContain('SSO login is needed');
    expect(screen.getAllByTestId('incident-row').length).toBeGreaterThan(0);
    cleanup();
    renderWithApi(<Routed />, createFakeBridge({ 'connections.list': () => [] }));
    expect(await screen.findByTestId('state-needs-connection')).toBeTruthy();
  });
});
