// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import WallView from '../../../renderer/src/features/wall/WallView';
import type { Connectivity, ConnectivitySnapshot } from '../../../renderer/src/app/api/types';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

// A wall tab opened without its token (a bookmark, a browser restart) and not paired says exactly that and
// how to pair — not "server unreachable", which sends people to restart the server.

afterEach(cleanup);

const link = (s: Partial<ConnectivitySnapshot>): Connectivity => {
  const snap: ConnectivitySnapshot = {
    state: 'offline',
    failures: 1,
    nextRetryAt: null,
    missingToken: true,
    endpoint: '127.0.0.1:8765',
    ...s,
  };
  return { snapshot: () => snap, subscribe: () => () => undefined, reconnectNow: () => undefined };
};

describe('wall without a token', () => {
  it('shows the not-paired screen with how to pair', async () => {
    renderWithApi(<WallView route={{ view: 'wall', path: [] }} />, createFakeBridge(), link({}));
    const screenEl = await screen.findByTestId('wall-token-missing');
    expect(screenEl.textContent).toMatch(/not paired/);
    expect(screenEl.textContent).toMatch(/toc serve --wall --port N/);
    expect(screenEl.textContent).not.toMatch(/unreachable/i);
  });

  it('a paired wall (no token, but the link is up) shows the wall, and a token-less first attempt is not yet an error', async () => {
    renderWithApi(<WallView route={{ view: 'wall', path: [] }} />, createFakeBridge(), link({ state: 'online', failures: 0 }));
    expect(await screen.findByTestId('wall')).toBeTruthy();
    expect(screen.queryByTestId('wall-token-missing')).toBeNull();
    cleanup();
    renderWithApi(<WallView route={{ view: 'wall', path: [] }} />, createFakeBridge(), link({ state: 'connecting', failures: 0 }));
    expect(screen.queryByTestId('wall-token-missing')).toBeNull();
  });
});
