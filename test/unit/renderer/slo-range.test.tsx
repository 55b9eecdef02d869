// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import SloDetailView from '../../../renderer/src/features/slo/SloDetailView';
import { viewArgs } from '../../../renderer/src/features/slo/ChartRange';
import type { SloDetail } from '@shared/slo/contract';
import { sloStatusFixture } from '../../helpers/slo-status';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

// The SLO charts' range picker: 1 h … the SLO's window, each a read of that span from the core; a zoom is a
// read of exactly the span dragged over.

beforeAll(() => {
  // jsdom has no layout: the view measures its width with a ResizeObserver.
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= class {
    observe(): void {}
    disconnect(): void {}
  };
});
afterEach(cleanup);

const detail = (args: { widthPx: number; from?: number; to?: number }): SloDetail => {
  const end = Date.now();
  const start = args.from ?? end - 30 * 86_400_000;
  return {
    status: sloStatusFixture({ id: 'checkout', fetchedAt: new Date().toISOString() }),
    range: { start, end: args.to ?? end, stepSeconds: 300 },
    windowEnd: end,
    budget: { actual: [{ t: start, v: 1 }], ideal: [] },
    sli: [{ t: start, v: 0.999 }],
    requests: null,
    errors: null,
    burnTable: [],
    alertTimeline: [],
    widthPx: args.widthPx,
    queryCount: 2,
    rangeFetch: 'full',
    fetchedAt: new Date().toISOString(),
    notes: [],
  };
};

describe('SLO chart range', () => {
  it('"last N" ends now, on a minute boundary; a zoom is the span dragged; the window asks for nothing', () => {
    const now = Date.UTC(2026, 11, 6, 21, 5, 42);
    expect(viewArgs({ kind: 'window' }, now)).toEqual({});
    expect(viewArgs({ kind: 'last', seconds: 3600 }, now)).toEqual({ from: Date.UTC(2026, 11, 6, 20, 5, 0) });
    expect(viewArgs({ kind: 'zoom', from: 1000.4, to: 2000.6 }, now)).toEqual({ from: 1000, to: 2001 });
  });

  it('offers 1 h to the window, and each choice reads that span', async () => {
    const bridge = createFakeBridge({ 'slo.detail': (a) => detail(a) });
    renderWithApi(<SloDetailView id="checkout" />, bridge);
    const picker = await screen.findByTestId('slo-range');
    expect([...picker.querySelectorAll('button')].map((b) => b.textContent)).toEqual([
      'Last 1 h',
      'Last 6 h',
      'Last 1 d',
      'Last 7 d',
      'Whole window (30d)',
    ]);
    expect(bridge.callsOf('slo.detail').at(-1)).not.toHaveProperty('from');
    fireEvent.click(screen.getByTestId('slo-range-6h'));
    await waitFor(() => expect(bridge.callsOf('slo.detail').at(-1)).toHaveProperty('from'));
    const from = (bridge.callsOf('slo.detail').at(-1) as { from: number }).from;
    expect(Math.abs(Date.now() - 6 * 3_600_000 - from)).toBeLessThan(61_000);
    expect(screen.getByTestId('slo-range-6h').getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByTestId('slo-range-window'));
    await waitFor(() => expect(screen.getByTestId('slo-range-window').getAttribute('aria-pressed')).toBe('true'));
  });
});
