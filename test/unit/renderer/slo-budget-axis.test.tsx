// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { AlertTimeline } from '../../../renderer/src/features/slo/AlertTimeline';
import SloDetailView from '../../../renderer/src/features/slo/SloDetailView';
import { chartDomains } from '../../../renderer/src/features/slo/ChartRange';
import type { SloDetail } from '@shared/slo/contract';
import { sloStatusFixture } from '../../helpers/slo-status';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

// The budget burn-down is cumulative, so the core always sends it for the whole window, also when the range
// picker narrows the other charts to 6 h. Its axis must then be the window's, labelled in days: drawn on the
// 6 h domain, Recharts widened it to the data's 30 days and labelled those days "11:00 14:00 …" as if hours.

beforeAll(() => {
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= class {
    observe(): void {}
    disconnect(): void {}
  };
});
afterEach(cleanup);

const DAY = 86_400_000;
const END = Date.now();
const START = END - 30 * DAY;

const detail = (args: { from?: number }): SloDetail => {
  const from = args.from ?? START;
  const step = args.from ? 300_000 : 6 * 3_600_000;
  const pts = (a: number, b: number, s: number, v: (i: number) => number): { t: number; v: number }[] =>
    Array.from({ length: Math.floor((b - a) / s) + 1 }, (_, i) => ({ t: a + i * s, v: v(i) }));
  return {
    status: sloStatusFixture({ id: 'checkout', fetchedAt: new Date(END).toISOString() }),
    range: { start: from, end: END, stepSeconds: step / 1000 },
    windowEnd: END,
    // Whole window, whatever the range: what slo-detail.ts sends.
    budget: {
      actual: pts(START, END, 6 * 3_600_000, (i) => 1 - i / 200),
      ideal: [
        { t: START, v: 1 },
        { t: END, v: 0 },
      ],
    },
    sli: pts(from, END, step, () => 0.999),
    requests: null,
    errors: null,
    burnTable: [],
    alertTimeline: [],
    widthPx: 1000,
    queryCount: 2,
    rangeFetch: 'full',
    fetchedAt: new Date(END).toISOString(),
    notes: [],
  };
};

describe('budget chart axis with a narrowed range', () => {
  it('the burn-down keeps the whole window as its axis when the range is narrowed, and marks the range', () => {
    const narrowed = detail({ from: END - 6 * 3_600_000 });
    const { budget, shown } = chartDomains(narrowed, true);
    // On the 6 h domain Recharts widened the axis to the data (30 d) and labelled it as hours.
    expect(budget).toEqual([START, END]);
    expect(shown).toEqual([END - 6 * 3_600_000, END]);
    const whole = chartDomains(detail({}), false);
    expect(whole).toEqual({ budget: [START, END], shown: null });
    // A calendar window ending after now: the axis runs to its end.
    expect(chartDomains({ ...detail({}), windowEnd: END + 5 * DAY }, false).budget).toEqual([START, END + 5 * DAY]);
  });

  it('picking 6 h marks that span on the burn-down; the whole window marks nothing', async () => {
    const bridge = createFakeBridge({ 'slo.detail': (a) => detail(a) });
    renderWithApi(<SloDetailView id="checkout" />, bridge);
    const budget = await screen.findByTestId('slo-chart-budget');
    expect(budget.querySelector('.range-shown')).toBeNull();
    fireEvent.click(screen.getByTestId('slo-range-6h'));
    await waitFor(() => expect(screen.getByTestId('slo-chart-budget').querySelector('.range-shown')).not.toBeNull());
  });
});

describe('alert timeline axis', () => {
  it('labels a 6 h range in hours and minutes, a 30-day window in days', () => {
    const span = {
      alertname: 'ErrorBudgetBurn',
      state: 'firing' as const,
      severity: 'page',
      labels: {},
      start: END - 2 * 3_600_000,
      end: END,
      open: true,
    };
    const labels = (): string[] =>
      [...screen.getByTestId('slo-alert-timeline').querySelectorAll('.timeline-tick text')].map((t) => t.textContent ?? '');
    render(<AlertTimeline spans={[span]} start={END - 6 * 3_600_000} end={END} width={800} />);
    // Five ticks 90 minutes apart: five different times of day, not "12-07" five times.
    expect(labels()).toHaveLength(5);
    expect(labels().every((t) => /^\d\d:\d\d$/.test(t))).toBe(true);
    expect(new Set(labels()).size).toBe(5);
    cleanup();
    render(<AlertTimeline spans={[span]} start={START} end={END} width={800} />);
    expect(labels().every((t) => /^\d\d-\d\d$/.test(t))).toBe(true);
  });
});
