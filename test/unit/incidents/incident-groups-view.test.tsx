// @vitest-environment jsdom
// The queue folds open incidents that carry the same alert into one group (count, fold/unfold by mouse and
// keys) and offers "make parent": a confirmation that says what will be sent and signed by whom, the answer next
// to the button, and — when ServiceNow refuses some children — which ones, in its words, with a retry.
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import IncidentsView from '../../../renderer/src/features/incidents/IncidentsView';
import { useQueuePrefs, useQueueSession } from '../../../renderer/src/features/incidents/queue-store';
import { startHashSync, useRoute } from '../../../renderer/src/app/state/route';
import { ContractFailure } from '@shared/kernel/result';
import type { IncidentRow, MadeParent, QueueSnapshot } from '@shared/incidents/model';
import { countQueue } from '@shared/incidents/queue';
import { createFakeBridge } from '../renderer/fake-bridge';
import type { FakeBridge } from '../renderer/fake-bridge';
import { renderWithApi } from '../renderer/render';

const L = (value: string, label = value): { value: string; label: string } => ({ value, label });

function row(n: number, over: Partial<IncidentRow> = {}): IncidentRow {
  return {
    sys_id: n.toString(16).padStart(32, '0'),
    number: `INC${String(10000 + n).padStart(7, '0')}`,
    short_description: `Incident number ${n}`,
    priority: L('3', '3 - Moderate'),
    state: L('2', 'In Progress'),
    hold_reason: L(''),
    assignment_group: L(''),
    assigned_to: L(''),
    cmdb_ci: L(''),
    opened_at: `2026-03-01 10:${String(n).padStart(2, '0')}:00`,
    sys_updated_on: '2026-03-02 10:00:00',
    sla_due: '',
    sys_mod_count: n,
    u_alert_name: '',
    u_alert_instance: '',
    parent_incident: '',
    ...over,
  };
}
const burn = (n: number, over: Partial<IncidentRow> = {}): IncidentRow =>
  row(n, { u_alert_name: 'HighErrorBudgetBurn', u_alert_instance: 'payments-api', short_description: `Payments burn ${n}`, ...over });

// Sorted by priority then age: 1 (P1, alone), then the four burns (P3, opened 2..5), then 6.
const ROWS = [row(1, { priority: L('1', '1 - Critical') }), burn(2), burn(3), burn(4), burn(5), row(6)];

function snapshot(rows: IncidentRow[]): QueueSnapshot {
  return {
    connectionId: 'snow',
    connectionName: 'ServiceNow',
    query: 'active=true',
    seq: 1,
    rows,
    me: null,
    myGroups: [],
    syncedAt: new Date().toISOString(),
    attemptedAt: new Date().toISOString(),
    refreshMs: 30_000,
    stale: false,
    error: null,
    nextAttemptAt: null,
    counts: countQueue(rows, null),
  };
}

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
  return <IncidentsView route={useRoute()} />;
}

let stopHash: () => void;
const height = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeAll(() => {
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
  useQueueSession.setState({ marks: {}, selected: null, own: {} });
  window.location.hash = '#/incidents';
  stopHash = startHashSync();
});
afterEach(() => {
  cleanup();
  stopHash();
});

function setup(makeParent: (a: { parentSysId: string; children: { sysId: string; seenModCount: number }[] }) => MadeParent): FakeBridge {
  const bridge = createFakeBridge({
    'connections.list': () => [snowConnection],
    'incidents.list': () => snapshot(ROWS),
    'incidents.makeParent': (a) => makeParent(a),
  });
  renderWithApi(<Routed />, bridge);
  return bridge;
}

const numbers = (): string[] => screen.getAllByTestId('incident-row').map((r) => r.getAttribute('data-number') ?? '');
const filed = (a: { parentSysId: string; children: { sysId: string }[] }, fail: string[] = []): MadeParent => {
  const parent = ROWS.find((r) => r.sys_id === a.parentSysId);
  const children = a.children.map((c) => {
    const r = ROWS.find((x) => x.sys_id === c.sysId) ?? row(99);
    return fail.includes(r.number)
      ? {
          sysId: r.sys_id,
          number: r.number,
          outcome: 'failed' as const,
          message: `${r.number}: ServiceNow refused this (403): ACL Exception Update Failed due to security constraints`,
          error: {
            code: 'forbidden',
            message: 'ServiceNow refused this (403): ACL Exception Update Failed due to security constraints',
            detail: { status: 403, remoteMessage: 'ACL Exception Update Failed due to security constraints' },
          },
        }
      : {
          sysId: r.sys_id,
          number: r.number,
          outcome: 'filed' as const,
          message: `${r.number} filed under ${parent?.number}`,
          row: { ...r, parent_incident: a.parentSysId, sys_mod_count: r.sys_mod_count + 1 },
        };
  });
  const ok = children.filter((c) => c.outcome === 'filed').length;
  const bad = children.filter((c) => c.outcome === 'failed').map((c) => c.number);
  return {
    parent: { sysId: a.parentSysId, number: parent?.number ?? '' },
    children,
    message: `${ok} filed under ${parent?.number}${bad.length ? `; ${bad.length} not filed: ${bad.join(', ')}` : ''}`,
  };
};

describe('incidents carrying the same alert', () => {
  it('fold into one lead row with the count; the toggle shows them under a group line', async () => {
    setup((a) => filed(a));
    await screen.findByTestId('incident-queue');
    expect(numbers()).toEqual(['INC0010001', 'INC0010002', 'INC0010006']);
    expect(screen.getByTestId('incident-queue').getAttribute('data-count')).toBe('6');
    const toggle = screen.getByTestId('group-toggle');
    expect(toggle.textContent).toContain('×4');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    await waitFor(() => expect(numbers()).toEqual(['INC0010001', 'INC0010002', 'INC0010003', 'INC0010004', 'INC0010005', 'INC0010006']));
    expect(screen.getByTestId('incident-group').textContent).toContain('4 open incidents carry alert HighErrorBudgetBurn on payments-api');
    // Unfolding is not opening: no incident was opened by the toggle.
    expect(window.location.hash).toBe('#/incidents');
    fireEvent.click(screen.getByTestId('group-toggle'));
    await waitFor(() => expect(numbers()).toHaveLength(3));
  });

  it('make parent: confirms what it sends and who signs it, files the others, and says so next to the button', async () => {
    const bridge = setup((a) => filed(a));
    await screen.findByTestId('incident-queue');
    fireEvent.click(screen.getByTestId('group-toggle'));
    fireEvent.click(await screen.findByTestId('make-parent-open'));
    const panel = await screen.findByTestId('make-parent');
    // The oldest is proposed; the plan names the operator that signs the notes.
    await waitFor(() =>
      expect(within(panel).getByTestId('make-parent-plan').textContent).toMatch(
        /Files the other 3 under INC0010002 .*— j\.doe via TOC Console/,
      ),
    );
    expect(bridge.callsOf('incidents.makeParent')).toHaveLength(0);
    fireEvent.click(within(panel).getAllByTestId('make-parent-choice')[2] as HTMLElement);
    expect(within(panel).getByTestId('make-parent-confirm').textContent).toBe('File 3 under INC0010004');
    fireEvent.click(within(panel).getByTestId('make-parent-confirm'));
    const result = await within(panel).findByTestId('make-parent-result');
    expect(result.textContent).toContain('ServiceNow confirmed');
    expect(result.textContent).toContain('3 filed under INC0010004');
    expect(bridge.callsOf('incidents.makeParent')).toEqual([
      {
        connectionId: 'snow',
        parentSysId: ROWS[3]?.sys_id,
        children: [2, 3, 5].map((n) => ({ sysId: n.toString(16).padStart(32, '0'), seenModCount: n })),
      },
    ]);
    // The user's own writes are never marked as changed by someone else.
    expect(useQueueSession.getState().own).toMatchObject({ [ROWS[1]?.sys_id ?? '']: 3 });
  });

  it('a partial refusal names the refused children in ServiceNow words and offers to try them again', async () => {
    let fail = ['INC0010003'];
    const bridge = setup((a) => filed(a, fail));
    await screen.findByTestId('incident-queue');
    fireEvent.click(screen.getByTestId('group-toggle'));
    fireEvent.click(await screen.findByTestId('make-parent-open'));
    fireEvent.click(await screen.findByTestId('make-parent-confirm'));
    const failures = await screen.findAllByTestId('make-parent-failure');
    expect(failures.map((f) => [f.getAttribute('data-number'), f.getAttribute('data-code')])).toEqual([['INC0010003', 'forbidden']]);
    expect(failures[0]?.textContent).toContain('ACL Exception Update Failed due to security constraints');
    expect(screen.getByTestId('make-parent-result').textContent).toContain('Partly done');
    const retry = screen.getByTestId('make-parent-confirm');
    expect(retry.textContent).toBe('Try again (1 not filed)');
    fail = [];
    fireEvent.click(retry);
    await waitFor(() => expect(screen.getByTestId('make-parent-result').getAttribute('data-failed')).toBe('0'));
    expect(bridge.callsOf('incidents.makeParent')).toHaveLength(2);
  });

  it('a refusal of the whole call shows the error next to the button, and nothing is marked filed', async () => {
    setup(() => {
      throw new ContractFailure('unreachable', 'ServiceNow (snow) could not be reached: connect ECONNREFUSED 127.0.0.1:9');
    });
    await screen.findByTestId('incident-queue');
    fireEvent.click(screen.getByTestId('group-toggle'));
    fireEvent.click(await screen.findByTestId('make-parent-open'));
    fireEvent.click(await screen.findByTestId('make-parent-confirm'));
    const err = await screen.findByTestId('make-parent-error');
    expect(err.getAttribute('data-code')).toBe('unreachable');
    expect(err.textContent).toContain('ECONNREFUSED');
    expect(screen.queryByTestId('make-parent-result')).toBeNull();
  });

  it('by keyboard: j to the group, → unfolds, ← folds, p proposes the highlighted incident as parent, Escape cancels', async () => {
    setup((a) => filed(a));
    await screen.findByTestId('incident-queue');
    fireEvent.keyDown(window, { key: 'j' });
    fireEvent.keyDown(window, { key: 'j' });
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(numbers()).toHaveLength(6));
    fireEvent.keyDown(window, { key: 'j' });
    fireEvent.keyDown(window, { key: 'j' });
    fireEvent.keyDown(window, { key: 'p' });
    const panel = await screen.findByTestId('make-parent');
    expect(within(panel).getByTestId('make-parent-confirm').textContent).toBe('File 3 under INC0010004');
    expect(document.activeElement?.getAttribute('data-number')).toBe('INC0010004');
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('make-parent')).toBeNull());
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await waitFor(() => expect(numbers()).toHaveLength(3));
  });
});
