// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { Banners } from '../../../renderer/src/app/shell/banners/Banners';
import { DEFAULT_UI_SETTINGS } from '@shared/settings/model';
import type { UiSettings, UiSettingsPatch } from '@shared/settings/model';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

// The offline-copy and keychain banners fold to one line each, and stay folded after a reload: the choice
// lives in the settings main keeps, not in the page.

afterEach(cleanup);

function world(): { stored: UiSettings; bridge: ReturnType<typeof createFakeBridge> } {
  const w = { stored: { ...DEFAULT_UI_SETTINGS } as UiSettings, bridge: createFakeBridge() };
  w.bridge.handle('settings.get', () => w.stored);
  w.bridge.handle('settings.update', (patch: UiSettingsPatch) => {
    w.stored = { ...w.stored, ...(patch.bannersCollapsed !== undefined ? { bannersCollapsed: patch.bannersCollapsed } : {}) };
    return w.stored;
  });
  w.bridge.handle('connections.secretStatus', () => ({
    backend: 'memory',
    state: 'no-daemon',
    reason: 'The name org.freedesktop.secrets was not provided by any .service files',
    checkedAt: new Date().toISOString(),
  }));
  w.bridge.handle('offline.status', () => ({
    entries: [],
    served: [
      {
        method: 'slo.fleet',
        key: '',
        syncedAt: new Date(Date.now() - 600_000).toISOString(),
        reason: 'refused',
        at: new Date().toISOString(),
      },
    ],
    lastSync: null,
    syncing: false,
  }));
  return w;
}

describe('banners', () => {
  it('"Less" folds both banners to their title and is remembered after a reload', async () => {
    const w = world();
    const first = renderWithApi(<Banners />, w.bridge);
    await screen.findByTestId('banner-secrets');
    await screen.findByTestId('banner-offline-copy');
    expect(screen.getByTestId('banner-secrets-reason')).toBeTruthy();
    fireEvent.click(screen.getByTestId('banner-secrets-fold'));
    // Both, the one clicked and the other.
    await waitFor(() => expect(screen.getByTestId('banner-secrets').dataset['folded']).toBe('true'));
    expect(screen.getByTestId('banner-offline-copy').dataset['folded']).toBe('true');
    expect(screen.queryByTestId('banner-secrets-reason')).toBeNull();
    await waitFor(() => expect(w.stored.bannersCollapsed).toBe(true));
    first.unmount();

    // A reload: a new page over the same settings.
    renderWithApi(<Banners />, w.bridge);
    const again = await screen.findByTestId('banner-secrets');
    await waitFor(() => expect(again.dataset['folded']).toBe('true'));
    expect(screen.getByTestId('banner-secrets').textContent).toMatch(/Secrets are kept for this session only/);
    fireEvent.click(screen.getByTestId('banner-offline-copy-fold'));
    await waitFor(() => expect(w.stored.bannersCollapsed).toBe(false));
    expect(screen.getByTestId('banner-secrets-reason')).toBeTruthy();
  });

  it('main refusing the change puts the banners back as they were', async () => {
    const w = world();
    w.bridge.handle('settings.update', () => {
      throw new Error('settings file is read-only');
    });
    renderWithApi(<Banners />, w.bridge);
    await screen.findByTestId('banner-secrets');
    fireEvent.click(screen.getByTestId('banner-secrets-fold'));
    await waitFor(() => expect(screen.getByTestId('banner-secrets').dataset['folded']).toBe('false'));
  });
});
