// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { App } from '../../../renderer/src/app/shell/App';
import { ExternalLink } from '../../../renderer/src/app/components/ExternalLink';
import { NeedsConnection } from '../../../renderer/src/app/components/NeedsConnection';
import { RefreshButton } from '../../../renderer/src/app/components/RefreshButton';
import { registerView, VIEWS } from '../../../renderer/src/app/views';
import { SHORTCUTS } from '../../../renderer/src/app/shortcuts';
import { useUiStore } from '../../../renderer/src/app/state/ui';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

// The shell knows the features only through their registration (features/<cap>/index.ts), and links out of the
// console go through one component that lets only web pages leave.

beforeEach(() => {
  window.location.hash = '';
  useUiStore.setState({ theme: 'dark', helpOpen: false });
});
afterEach(cleanup);

describe('view registration', () => {
  it('the navigation lists every feature in its order, and "?" lists the keys of views whose chunk never loaded', async () => {
    renderWithApi(<App />, createFakeBridge());
    const nav = await screen.findByRole('navigation');
    const labels = within(nav)
      .getAllByRole('link')
      .map((a) => a.textContent?.trim() ?? '');
    expect(labels.slice(0, 8).map((l) => l.replace(/\s+/g, ' '))).toEqual(
      ['SLOs', 'Alerts', 'Incidents', 'Runbooks', 'Jobs', 'Activity', 'Insights', 'Settings'].map((l) => expect.stringContaining(l)),
    );
    // The SLO view is open; incidents, alerts and job views were never rendered, yet their keys are listed.
    fireEvent.keyDown(window, { key: '?' });
    const help = await screen.findByTestId('shortcut-help');
    for (const line of [
      'Incidents: next incident',
      'Alerts: filter alerts by matchers',
      'Job log: follow new lines (pin to the bottom)',
      'Go to Incidents',
    ])
      expect(within(help).getByText(line)).toBeTruthy();
  });

  it('registering a view or its keys again (hot reload, a second import) lists them once', () => {
    const before = VIEWS.length;
    const keys = SHORTCUTS.length;
    const again = VIEWS.find((v) => v.id === 'jobs');
    expect(again).toBeDefined();
    if (again) registerView({ ...again }, [{ keys: ['End'], description: 'Job log: follow new lines (pin to the bottom)' }]);
    expect(VIEWS.length).toBe(before);
    expect(SHORTCUTS.length).toBe(keys);
    expect(VIEWS.map((v) => v.order)).toEqual([...VIEWS.map((v) => v.order)].sort((a, b) => a - b));
  });
});

describe('ExternalLink', () => {
  const hostile = [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'app://console/index.html',
    'mailto:ops@example.com',
    '//evil.example.com/x',
    'https://',
    '',
  ];
  it.each(hostile)('a link to %j from a remote system is shown as text, never as a link', (href) => {
    renderWithApi(
      <ExternalLink href={href} testId="out">
        runbook
      </ExternalLink>,
      createFakeBridge(),
    );
    const el = screen.getByTestId('out');
    expect(el.tagName).toBe('SPAN');
    expect(el.textContent).toBe('runbook');
    expect(document.querySelector('a')).toBeNull();
  });

  it('a web page opens in a new tab with no handle on the console (browser)', () => {
    renderWithApi(
      <ExternalLink href="https://awx.example.com/#/jobs/playbook/42" testId="out">
        job 42
      </ExternalLink>,
      createFakeBridge(),
    );
    const a = screen.getByTestId('out');
    expect(a.tagName).toBe('A');
    expect(a.getAttribute('href')).toBe('https://awx.example.com/#/jobs/playbook/42');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('in the desktop app a click goes to main (shell.openExternal), not to a new Electron window', async () => {
    const bridge = createFakeBridge({ 'app.openExternal': () => ({ opened: true }) });
    const ipc = { ...bridge, transport: 'ipc' as const };
    renderWithApi(
      <ExternalLink href="http://snow.example.com/nav_to.do?uri=incident.do" testId="out">
        INC1
      </ExternalLink>,
      ipc,
    );
    const notPrevented = fireEvent.click(screen.getByTestId('out'));
    expect(notPrevented).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    expect(bridge.callsOf('app.openExternal')).toEqual([{ url: 'http://snow.example.com/nav_to.do?uri=incident.do' }]);
  });
});

describe('NeedsConnection', () => {
  it.each([
    ['prometheus', 'Prometheus'],
    ['servicenow', 'ServiceNow'],
    ['awx', 'AWX / Automation Controller'],
    ['alertmanager', 'Alertmanager'],
  ] as const)('names %s and links to a new connection of that kind', (kind, label) => {
    renderWithApi(<NeedsConnection kind={kind} reads="This view reads it" />, createFakeBridge());
    const state = screen.getByTestId('state-needs-connection');
    expect(state.textContent).toContain(`No ${label} connection yet`);
    expect(state.textContent).toContain('This view reads it — add one in Settings → Connections.');
    expect(screen.getByTestId('add-connection-link').getAttribute('href')).toBe(`#/settings/connections/new/${kind}`);
  });
});

describe('RefreshButton', () => {
  it('refreshes once per press, and not at all while a refresh runs', () => {
    let n = 0;
    const { rerender } = renderWithApi(<RefreshButton busy={false} onRefresh={() => n++} testId="r" />, createFakeBridge());
    fireEvent.click(screen.getByTestId('r'));
    expect(n).toBe(1);
    rerender(<RefreshButton busy onRefresh={() => n++} testId="r" />);
    const b = screen.getByTestId('r') as HTMLButtonElement;
    expect(b.textContent).toBe('Refreshing…');
    expect(b.disabled).toBe(true);
    fireEvent.click(b);
    expect(n).toBe(1);
  });
});
