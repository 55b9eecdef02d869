// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ContractFailure } from '@shared/kernel/result';
import type { Connectivity, ConnectivitySnapshot } from '../../../renderer/src/app/api/types';
import { App } from '../../../renderer/src/app/shell/App';
import { useUiStore } from '../../../renderer/src/app/state/ui';
import { createFakeBridge } from './fake-bridge';
import type { FakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

// The views load as lazy chunks that vite transforms on first use: over a second on a busy machine.
configure({ asyncUtilTimeout: 5000 });

const theme = (): string | undefined => document.documentElement.dataset['theme'];

function renderApp(bridge: FakeBridge, connectivity?: Connectivity): void {
  renderWithApi(<App />, bridge, connectivity);
}

beforeEach(() => {
  window.location.hash = '';
  useUiStore.setState({ theme: 'dark', helpOpen: false });
  delete document.documentElement.dataset['theme'];
});
afterEach(cleanup);

describe('theme', () => {
  it('applies the stored theme, switches at once on click and saves it through settings.update', async () => {
    const bridge = createFakeBridge();
    window.location.hash = '#/settings';
    renderApp(bridge);
    await waitFor(() => expect(theme()).toBe('dark'));
    fireEvent.click(await screen.findByTestId('settings-theme-light'));
    expect(theme()).toBe('light');
    await waitFor(() => expect(bridge.callsOf('settings.update')).toEqual([{ theme: 'light' }]));
    expect((screen.getByTestId('settings-theme-light') as HTMLInputElement).checked).toBe(true);
  });

  it('goes back to the previous theme and says why when the save is refused', async () => {
    const bridge = createFakeBridge({
      'settings.update': () => {
        throw new ContractFailure('read_only', 'The console is in wall mode (read-only): "settings.update" is refused.');
      },
    });
    window.location.hash = '#/settings';
    renderApp(bridge);
    fireEvent.click(await screen.findByTestId('settings-theme-light'));
    const err = await screen.findByTestId('settings-theme-error');
    expect(err.textContent).toContain('wall mode');
    expect(theme()).toBe('dark');
  });

  it('follows settings.changed from another window', async () => {
    const bridge = createFakeBridge();
    renderApp(bridge);
    await waitFor(() => expect(bridge.subscriberCount('settings.changed')).toBe(1));
    act(() =>
      bridge.emit('settings.changed', {
        theme: 'light',
        notifications: { newP1P2: true, burnAlerts: true, jobFinished: true },
        environment: null,
      }),
    );
    await waitFor(() => expect(theme()).toBe('light'));
  });
});

describe('shell', () => {
  it('navigates from the nav, the keyboard and the app.navigate topic', async () => {
    const bridge = createFakeBridge();
    renderApp(bridge);
    expect((await screen.findByTestId('nav-slos')).getAttribute('aria-current')).toBe('page');

    fireEvent.keyDown(window, { key: '5', ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId('nav-activity').getAttribute('aria-current')).toBe('page'));
    expect(await screen.findByTestId('state-empty')).toBeTruthy();

    fireEvent.keyDown(window, { key: ',', metaKey: true });
    await waitFor(() => expect(window.location.hash).toBe('#/settings'));

    await waitFor(() => expect(bridge.subscriberCount('app.navigate')).toBe(1));
    act(() => bridge.emit('app.navigate', { view: 'settings', id: 'connections' }));
    await waitFor(() => expect(window.location.hash).toBe('#/settings/connections'));
    expect(await screen.findByTestId('connections-empty')).toBeTruthy();
  });

  it('opens the shortcut help with "?" (not while typing) and closes it with Escape', async () => {
    renderApp(createFakeBridge());
    await screen.findByTestId('nav-slos');
    fireEvent.keyDown(window, { key: '?' });
    const help = await screen.findByTestId('shortcut-help');
    expect(within(help).getByText('Go to Activity')).toBeTruthy();
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('shortcut-help')).toBeNull());

    const input = document.createElement('input');
    document.body.appendChild(input);
    fireEvent.keyDown(input, { key: '?' });
    expect(screen.queryByTestId('shortcut-help')).toBeNull();
    input.remove();
  });

  it('says a Prometheus connection is needed before SLOs can show, and links to adding one', async () => {
    renderApp(createFakeBridge());
    const empty = await screen.findByTestId('state-needs-connection');
    expect(empty.textContent).toContain('No Prometheus connection yet');
    expect(within(empty).getByTestId('add-connection-link').getAttribute('href')).toBe('#/settings/connections/new/prometheus');
  });

  it('shows the header workspace, the secrets fallback banner with reason and remedy, and retries the keychain', async () => {
    const bridge = createFakeBridge({
      'connections.secretStatus': () => ({
        backend: 'memory',
        state: 'no-dbus',
        reason: 'Cannot autolaunch D-Bus without X11 $DISPLAY',
        remedy: 'Start the console under dbus-run-session.',
        checkedAt: new Date().toISOString(),
      }),
      'connections.retrySecrets': () => ({ backend: 'keychain', state: 'ok', checkedAt: new Date().toISOString() }),
      'app.workspaceProblems': () => [
        { file: 'toc.yaml', line: 12, field: 'connections[1].url', message: 'must be an http:// or https:// URL' },
      ],
      'app.info': () => ({
        name: 'TOC Console',
        version: '1',
        transport: 'direct',
        wall: false,
        workspace: { path: null, name: 'Demo', demo: true, notices: ['Prometheus is not installed: apt-get install prometheus'] },
        operator: { name: 'j.doe', source: 'os' },
      }),
    });
    renderApp(bridge);
    await waitFor(() => expect(screen.getByTestId('header-workspace').textContent).toBe('Demo'));
    const banner = await screen.findByTestId('banner-secrets');
    expect(within(banner).getByTestId('banner-secrets-reason').textContent).toContain('Cannot autolaunch D-Bus without X11 $DISPLAY');
    expect(within(banner).getByTestId('banner-secrets-remedy').textContent).toBe('Start the console under dbus-run-session.');
    expect((await screen.findByTestId('workspace-problem')).textContent).toBe(
      'toc.yaml:12 connections[1].url: must be an http:// or https:// URL',
    );
    expect((await screen.findByTestId('demo-notice')).textContent).toContain('apt-get install prometheus');

    fireEvent.click(within(banner).getByTestId('banner-secrets-retry'));
    await waitFor(() => expect(screen.queryByTestId('banner-secrets')).toBeNull());
    expect(bridge.callsOf('connections.retrySecrets')).toHaveLength(1);
  });

  it('shows the offline banner when the server link is down', async () => {
    let snap: ConnectivitySnapshot = { state: 'online', failures: 0, nextRetryAt: null, missingToken: false, endpoint: '127.0.0.1:4000' };
    const listeners = new Set<() => void>();
    let reconnects = 0;
    const connectivity: Connectivity = {
      snapshot: () => snap,
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      reconnectNow: () => void reconnects++,
    };
    renderApp(createFakeBridge(), connectivity);
    await screen.findByTestId('nav-slos');
    expect(screen.queryByTestId('banner-offline')).toBeNull();
    expect(screen.getByTestId('status-link').getAttribute('data-state')).toBe('online');

    act(() => {
      snap = { ...snap, state: 'offline', nextRetryAt: Date.now() + 4000 };
      for (const l of listeners) l();
    });
    const banner = screen.getByTestId('banner-offline');
    expect(banner.textContent).toContain('127.0.0.1:4000');
    // The page clock ticks once a second, so the countdown may still read the previous second.
    expect(banner.textContent).toMatch(/Next attempt in [45] s/);
    fireEvent.click(within(banner).getByTestId('banner-offline-reconnect'));
    expect(reconnects).toBe(1);
    expect(screen.getByTestId('status-link').getAttribute('data-state')).toBe('offline');
  });
});
