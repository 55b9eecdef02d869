// @vitest-environment jsdom
// Each alert in the Alerts view shows its context on demand (by click, or j/k then Enter): its SLO, the open
// incident that carries it or "Open incident" (which the core links to an existing one instead of duplicating),
// its runbooks, recent jobs and links. Also what "open incident" sends for an Alertmanager alert.
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import AlertsView from '../../../renderer/src/features/alerts/AlertsView';
import { useAlertsUi } from '../../../renderer/src/features/alerts/alerts-store';
import { alertForIncident } from '../../../renderer/src/features/alerts/alert-for-incident';
import { useShownContext } from '../../../renderer/src/features/context/shown-context';
import type { Alert, AlertGroups } from '@shared/alerts/model';
import type { ContextSubject, ServiceContext } from '@shared/context/model';
import type { IncidentRow } from '@shared/incidents/model';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

afterEach(() => {
  cleanup();
  useAlertsUi.setState({ flash: null, filter: '', showSuppressed: true, connectionId: null });
  useShownContext.setState({ stack: [] });
});

const NOW = new Date().toISOString();
const INC = 'f'.repeat(32);

function alert(fp: string, instance: string, over: Partial<Alert> = {}): Alert {
  return {
    fingerprint: fp,
    labels: { alertname: 'ErrorBudgetBurn', service: 'notifications', slo: instance, severity: 'page' },
    annotations: { summary: `${instance} burns 25x`, description: 'Page the on-call engineer.' },
    state: 'active',
    silencedBy: [],
    inhibitedBy: [],
    startsAt: NOW,
    updatedAt: NOW,
    endsAt: NOW,
    receivers: ['oncall'],
    links: { runbookUrl: 'https://wiki.example/burn', runbooks: [{ id: 'notifications-burn', title: 'Notifications burn' }] },
    ...over,
  };
}

const groups: AlertGroups = {
  connectionId: 'am',
  connectionName: 'Alertmanager',
  fetchedAt: NOW,
  refreshMs: 15_000,
  linkProblems: [],
  groups: [
    {
      key: 'oncall/[["alertname","ErrorBudgetBurn"]]',
      labels: { alertname: 'ErrorBudgetBurn' },
      receiver: 'oncall',
      alerts: [alert('0000000000000001', 'notifications-delivery'), alert('0000000000000002', 'payments-api')],
    },
  ],
};

function contextFor(subject: ContextSubject): ServiceContext {
  const instance = subject.kind === 'alert' ? (subject.instance ?? '') : '';
  const carried = instance === 'payments-api';
  return {
    service: 'notifications',
    alert: { name: 'ErrorBudgetBurn', instance },
    slos: [{ id: instance, name: instance, service: 'notifications', errorBudgetRemaining: 0.1, burnRate: 25, paging: true }],
    alerts: [],
    incidents: carried
      ? [
          {
            connectionId: 'snow',
            sysId: INC,
            number: 'INC0010077',
            shortDescription: 'Payments burning',
            state: 'In Progress',
            priority: '1 - Critical',
            alertName: 'ErrorBudgetBurn',
            alertInstance: 'payments-api',
            openedAt: '2026-03-01 10:00:00',
            match: 'alert',
            link: 'https://snow.example/x',
          },
        ]
      : [],
    runbooks: [
      { id: 'notifications-burn', title: 'Notifications burn', reasons: ['alert ErrorBudgetBurn'], production: false, launchable: true },
    ],
    jobs: [],
    changes: [],
    links: [{ label: 'Prometheus: the alert rule', url: 'https://prom.example/graph', kind: 'prometheus' }],
    problems: [],
    fetchedAt: NOW,
  };
}

const row = (n: number): IncidentRow => ({
  sys_id: n.toString(16).padStart(32, '0'),
  number: `INC00100${n}`,
  short_description: 'Notifications burning',
  priority: { value: '1', label: '1 - Critical' },
  state: { value: '2', label: 'In Progress' },
  hold_reason: { value: '', label: '' },
  assignment_group: { value: '', label: '' },
  assigned_to: { value: '', label: '' },
  cmdb_ci: { value: '', label: '' },
  opened_at: '2026-03-01 10:00:00',
  sys_updated_on: '2026-03-01 10:00:00',
  sla_due: '',
  sys_mod_count: 0,
  u_alert_name: 'ErrorBudgetBurn',
  u_alert_instance: 'notifications-delivery',
});

function setup() {
  const b = createFakeBridge({
    'alerts.context': () => ({ connections: [{ id: 'am', name: 'Alertmanager' }], defaultCreator: 'osuser', refreshMs: 15_000 }),
    'alerts.groups': () => groups,
    'alerts.silences': () => ({ connectionId: 'am', connectionName: 'Alertmanager', fetchedAt: NOW, active: [], pending: [], expired: [] }),
    'alerts.jobSilences': () => [],
    'context.of': ({ subject }) => contextFor(subject),
    'incidents.openFromAlert': () => ({
      outcome: 'linked',
      incident: row(12),
      link: 'https://snow.example/x',
      others: [],
      auditId: 'a1',
      message: 'INC0010012 already carries alert ErrorBudgetBurn on notifications-delivery: linked, no new incident',
    }),
  });
  renderWithApi(<AlertsView route={{ view: 'alerts', path: [] }} />, b);
  return b;
}

describe("an alert's context", () => {
  it('expands under its row: SLO, runbook and links; "Open incident" when none carries it, which the core links to an existing one', async () => {
    const b = setup();
    const rows = await screen.findAllByTestId('alert-row');
    expect(screen.queryByTestId('alert-context')).toBeNull();
    const toggle = within(rows[0]!).getByTestId('alert-context-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const panel = await within(rows[0]!).findByTestId('alert-context');
    await waitFor(() => expect(within(panel).getByTestId('context-slo').getAttribute('data-id')).toBe('notifications-delivery'));
    expect(within(panel).getByTestId('context-runbook').getAttribute('href')).toBe('#/runbooks/notifications-burn');
    expect(within(panel).getByTestId('context-link-prometheus').getAttribute('href')).toBe('https://prom.example/graph');
    expect(b.callsOf('context.of')).toContainEqual({
      subject: {
        kind: 'alert',
        name: 'ErrorBudgetBurn',
        instance: 'notifications-delivery',
        labels: groups.groups[0]!.alerts[0]!.labels,
      },
    });
    // While shown, the palette knows this alert is on screen.
    expect(useShownContext.getState().stack.at(-1)?.subject).toMatchObject({ kind: 'alert', instance: 'notifications-delivery' });

    fireEvent.click(await within(rows[0]!).findByTestId('alert-open-incident-button'));
    expect((await within(rows[0]!).findByTestId('alert-open-incident-done')).textContent).toContain(
      'INC0010012 already carries alert ErrorBudgetBurn on notifications-delivery: linked, no new incident',
    );
    expect(b.callsOf('incidents.openFromAlert')).toEqual([
      {
        alert: {
          name: 'ErrorBudgetBurn',
          instance: 'notifications-delivery',
          source: 'alertmanager',
          labels: { service: 'notifications', slo: 'notifications-delivery', severity: 'page' },
          severity: 'page',
          summary: 'notifications-delivery burns 25x',
          description: 'Page the on-call engineer.',
          runbookUrl: 'https://wiki.example/burn',
          service: 'notifications',
          runbookTitle: 'Notifications burn',
          startsAt: NOW,
        },
      },
    ]);
    fireEvent.click(toggle);
    await waitFor(() => expect(within(rows[0]!).queryByTestId('alert-context')).toBeNull());
    expect(useShownContext.getState().stack).toEqual([]);
  });

  it('an alert an open incident carries shows that incident and no "Open incident"', async () => {
    setup();
    const rows = await screen.findAllByTestId('alert-row');
    fireEvent.click(within(rows[1]!).getByTestId('alert-context-toggle'));
    const panel = await within(rows[1]!).findByTestId('alert-context');
    await waitFor(() => expect(within(panel).getByTestId('context-incident').getAttribute('data-number')).toBe('INC0010077'));
    expect(within(rows[1]!).queryByTestId('alert-open-incident')).toBeNull();
  });

  it('by keyboard: j and k move between alerts, the focused toggle opens the context', async () => {
    setup();
    await screen.findAllByTestId('alert-row');
    const toggles = screen.getAllByTestId('alert-context-toggle');
    act(() => {
      fireEvent.keyDown(window, { key: 'j' });
    });
    expect(document.activeElement).toBe(toggles[0]);
    fireEvent.keyDown(window, { key: 'j' });
    expect(document.activeElement).toBe(toggles[1]);
    fireEvent.keyDown(window, { key: 'k' });
    expect(document.activeElement).toBe(toggles[0]);
    // A native button: Enter and Space press it.
    fireEvent.click(document.activeElement as HTMLElement);
    expect(await screen.findByTestId('alert-context')).toBeTruthy();
  });
});

describe('alertForIncident', () => {
  it('cuts long annotations to what the contract takes and leaves out what is empty', () => {
    const a = alert('1', 'x', {
      labels: { alertname: 'Burn', instance: 'web-1:9100' },
      annotations: { summary: 's'.repeat(5000), description: '' },
      links: { runbooks: [] },
    });
    const r = alertForIncident(a);
    expect(r).toMatchObject({ name: 'Burn', instance: 'web-1:9100', source: 'alertmanager' });
    expect(r?.summary).toHaveLength(2000);
    expect(r && 'description' in r).toBe(false);
    expect(r && 'severity' in r).toBe(false);
  });
  it('an alert without a name cannot open an incident', () => {
    expect(alertForIncident(alert('1', 'x', { labels: { instance: 'a' } }))).toBeNull();
  });
});
