// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import type { ConnectionHealth } from '@shared/connections/model';
import { StatusBar } from '../../../renderer/src/app/shell/StatusBar';
import { describeHealth, HEALTH_REFRESH_MS } from '../../../renderer/src/app/format/health';
import { formatAge } from '../../../renderer/src/app/format/time';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

const T0 = Date.parse('2025-05-01T10:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

describe('status bar', () => {
  beforeEach(() => {
    // Only the clock is faked: testing-library's own polling keeps real timeouts.
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows each connection’s data age, ticking live, and marks it stale past twice the refresh interval', async () => {
    const health: ConnectionHealth[] = [
      { id: 'prom', kind: 'prometheus', name: 'Prometheus', state: 'ok', checkedAt: iso(T0 - 12_000), lastOkAt: iso(T0 - 12_000) },
      {
        id: 'snow',
        kind: 'servicenow',
        name: 'ServiceNow',
        state: 'error',
        message: 'HTTP 401',
        checkedAt: iso(T0 - 5_000),
        lastOkAt: iso(T0 - 300_000),
      },
      { id: 'awx', kind: 'awx', name: 'AWX', state: 'unknown' },
    ];
    const bridge = createFakeBridge({ 'connections.health': () => health });
    renderWithApi(<StatusBar />, bridge);

    const prom = await screen.findByTestId('status-conn-prom');
    expect(prom.getAttribute('data-state')).toBe('ok');
    expect(prom.getAttribute('data-stale')).toBe('false');
    expect(screen.getByTestId('status-conn-prom-age').textContent).toBe('12 s ago');
    expect(screen.getByTestId('status-conn-snow-age').textContent).toBe('last good 5 min ago');
    expect(screen.getByTestId('status-conn-snow').textContent).toContain('error');
    expect(screen.getByTestId('status-conn-awx').textContent).toContain('not checked yet');

    act(() => vi.advanceTimersByTime(3_000));
    expect(screen.getByTestId('status-conn-prom-age').textContent).toBe('15 s ago');

    act(() => vi.advanceTimersByTime(2 * HEALTH_REFRESH_MS));
    expect(screen.getByTestId('status-conn-prom').getAttribute('data-stale')).toBe('true');
    expect(screen.getByTestId('status-conn-prom').textContent).toContain('stale');
  });

  it('follows the connections.health topic (fresh answer → fresh age)', async () => {
    const bridge = createFakeBridge({
      'connections.health': () => [{ id: 'prom', kind: 'prometheus', name: 'Prometheus', state: 'ok', lastOkAt: iso(T0 - 600_000) }],
    });
    const { LiveCacheSync } = await import('../../../renderer/src/app/shell/LiveCacheSync');
    renderWithApi(
      <>
        <LiveCacheSync />
        <StatusBar />
      </>,
      bridge,
    );
    expect((await screen.findByTestId('status-conn-prom')).getAttribute('data-stale')).toBe('true');
    act(() => bridge.emit('connections.health', [{ id: 'prom', kind: 'prometheus', name: 'Prometheus', state: 'ok', lastOkAt: iso(T0) }]));
    // react-query delivers cache updates on its own next tick.
    await waitFor(() => expect(screen.getByTestId('status-conn-prom').getAttribute('data-stale')).toBe('false'));
    expect(screen.getByTestId('status-conn-prom-age').textContent).toBe('just now');
  });

  it('shows the secret store state', async () => {
    const bridge = createFakeBridge({
      'connections.secretStatus': () => ({ backend: 'memory', state: 'no-dbus', reason: 'Cannot autolaunch D-Bus', checkedAt: iso(T0) }),
    });
    renderWithApi(<StatusBar />, bridge);
    const item = await screen.findByTestId('status-secrets');
    expect(item.getAttribute('data-backend')).toBe('memory');
    expect(item.textContent).toContain('session only (no-dbus)');
  });
});

describe('age wording', () => {
  it('reads short and exact', () => {
    expect(formatAge(400)).toBe('just now');
    expect(formatAge(12_400)).toBe('12 s ago');
    expect(formatAge(5 * 60_000 + 10_000)).toBe('5 min ago');
    expect(formatAge(3 * 3_600_000)).toBe('3 h ago');
    expect(formatAge(3 * 86_400_000)).toBe('3 d ago');
  });

  it('is stale only beyond twice the refresh interval, and an error is never shown as ok', () => {
    const at = (ageMs: number): ConnectionHealth => ({ id: 'x', kind: 'awx', name: 'x', state: 'ok', lastOkAt: iso(T0 - ageMs) });
    expect(describeHealth(at(2 * HEALTH_REFRESH_MS), T0).stale).toBe(false);
    expect(describeHealth(at(2 * HEALTH_REFRESH_MS + 1000), T0)).toMatchObject({ stale: true, tone: 'warn', word: 'stale' });
    expect(describeHealth({ ...at(0), state: 'error' }, T0).tone).toBe('error');
  });
});
