// @vitest-environment jsdom
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import GeneralSettings from '../../../renderer/src/features/settings/GeneralSettings';
import { useTimeZoneSync } from '../../../renderer/src/app/shell/theme';
import { formatDateTime, getZoneMode, setZoneMode } from '../../../renderer/src/app/format/time';
import { DEFAULT_UI_SETTINGS } from '@shared/settings/model';
import type { UiSettings, UiSettingsPatch } from '@shared/settings/model';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

// Settings → Time zone: choosing UTC is saved, and every formatter follows it (the shell syncs the mode).

afterEach(() => {
  cleanup();
  setZoneMode('local');
});

function Probe(): ReactNode {
  useTimeZoneSync();
  return <span data-testid="probe">{formatDateTime(Date.UTC(2026, 11, 6, 21, 5, 9))}</span>;
}

describe('time zone setting', () => {
  it('choosing UTC saves it and every time on screen is then UTC, 24-hour', async () => {
    let stored: UiSettings = { ...DEFAULT_UI_SETTINGS };
    const bridge = createFakeBridge();
    bridge.handle('settings.get', () => stored);
    bridge.handle('settings.update', (p: UiSettingsPatch) => {
      stored = { ...stored, ...(p.timeZone ? { timeZone: p.timeZone } : {}) };
      return stored;
    });
    renderWithApi(
      <>
        <GeneralSettings />
        <Probe />
      </>,
      bridge,
    );
    const utc = await screen.findByTestId('settings-time-zone-utc');
    fireEvent.click(utc);
    await waitFor(() => expect(stored.timeZone).toBe('utc'));
    await waitFor(() => expect(screen.getByTestId('probe').textContent).toBe('2026-12-06 21:05:09 UTC'));
    expect(getZoneMode()).toBe('utc');
    expect(screen.getByTestId('settings-time-zone').textContent).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  });
});
