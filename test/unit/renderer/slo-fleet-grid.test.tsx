// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { SloFleet, SloStatusView } from '@shared/slo/contract';
import type { ConnectionView } from '@shared/connections/model';
import { FleetView } from '../../../renderer/src/features/slo/FleetView';
import { compareBy, filterIndexed, groupFleet, indexFleet } from '../../../renderer/src/features/slo/fleet-model';
import { columnsFor, fleetRows, nextTile } from '../../../renderer/src/features/slo/fleet-rows';
import { sloStatusFixture } from '../../helpers/slo-status';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

// The fleet grid renders only the rows on screen. These tests try to break what that could cost: tiles the
// keyboard can no longer reach, a filter that loses order or shows stale tiles, an empty result with no way out.

const N = 2_000;
const TIERS = ['normal', 'caution', 'restricted', 'emergency'] as const;

function fleetOf(n: number): SloStatusView[] {
  return Array.from({ length: n }, (_, i) =>
    sloStatusFixture({
      id: `svc-${String(i).padStart(4, '0')}`,
      service: `svc-${String(i % 300).padStart(3, '0')}`,
      policy: TIERS[i % 4] ?? 'normal',
      errorBudgetRemaining: (i % 97) / 100,
      labels: { team: `team-${i % 12}`, region: `region-${i % 5}` },
      connectionId: `prom-${i % 4}`,
    }),
  );
}

describe('fleet rows and the keyboard', () => {
  const tiles = fleetOf(N).sort(compareBy('worst'));

  it('lays 2,000 tiles out in rows of the columns that fit, and End, PageDown and Tab all reach tile 1,999', () => {
    expect(columnsFor(1200, 272, 12)).toBe(4);
    expect(columnsFor(0, 272, 12)).toBe(1);
    expect(columnsFor(100, 272, 12)).toBe(1);
    const layout = fleetRows([{ key: 'all', title: 'All', items: tiles }], 4, false);
    expect(layout.rows).toHaveLength(500);
    expect(layout.tiles).toHaveLength(N);
    expect(nextTile(layout, 0, 'End')).toBe(N - 1);
    let i = 0;
    let steps = 0;
    for (let next = nextTile(layout, i, 'PageDown', 7); next !== null; next = nextTile(layout, i, 'PageDown', 7)) {
      i = next;
      steps++;
    }
    // PageDown goes 7 rows at a time, then to the last row (same column), then to the last tile.
    expect(i).toBe(N - 1);
    expect(steps).toBe(Math.ceil(499 / 7) + 1);
    let t = 0;
    let tabs = 0;
    for (let next = nextTile(layout, t, 'Tab'); next !== null; next = nextTile(layout, t, 'Tab')) {
      expect(next).toBe(t + 1);
      t = next;
      tabs++;
    }
    expect(t).toBe(N - 1);
    expect(tabs).toBe(N - 1);
    // Tab on the last tile, Shift+Tab on the first: the grid lets the browser move focus out.
    expect(nextTile(layout, N - 1, 'Tab')).toBeNull();
    expect(nextTile(layout, 0, 'ShiftTab')).toBeNull();
    expect(nextTile(layout, 5, 'ArrowDown')).toBe(9);
    expect(nextTile(layout, 5, 'ArrowUp')).toBe(1);
    expect(nextTile(layout, 1, 'ArrowUp')).toBeNull();
    expect(nextTile(layout, N, 'ArrowLeft')).toBeNull();
  });

  it('grouped by service, skips headings and lands on the last tile of a shorter row', () => {
    const a = tiles.slice(0, 6);
    const b = tiles.slice(6, 7);
    const c = tiles.slice(7, 12);
    const layout = fleetRows(
      [
        { key: 'a', title: 'a', items: a },
        { key: 'b', title: 'b', items: b },
        { key: 'c', title: 'c', items: c },
      ],
      4,
      true,
    );
    expect(layout.rows.map((r) => r.kind)).toEqual(['head', 'tiles', 'tiles', 'head', 'tiles', 'head', 'tiles', 'tiles']);
    // Column 3 of a's first row, down: a's second row has two tiles, so its last one.
    expect(nextTile(layout, 3, 'ArrowDown')).toBe(5);
    // Down again: over b's heading to b's only tile.
    expect(nextTile(layout, 5, 'ArrowDown')).toBe(6);
    expect(nextTile(layout, 6, 'ArrowDown')).toBe(7);
    expect(nextTile(layout, 7, 'ArrowUp')).toBe(6);
    expect(nextTile(layout, 11, 'ArrowDown')).toBeNull();
    expect(nextTile(layout, 11, 'PageDown')).toBeNull();
    expect(nextTile(layout, 0, 'PageUp')).toBeNull();
  });
});

describe('the fleet filter', () => {
  const list = fleetOf(N);
  const index = indexFleet([...list].sort(compareBy('worst')));

  it('keeps the sorted order, needs every word, and matches labels, services and connections', () => {
    const all = filterIndexed(index, { search: '', facets: [], tiers: [] });
    expect(all.map((s) => s.id)).toEqual([...list].sort(compareBy('worst')).map((s) => s.id));
    const both = filterIndexed(index, { search: '  REGION-2   team-3 ', facets: [], tiers: [] });
    expect(both.length).toBeGreaterThan(0);
    expect(both.every((s) => s.labels['region'] === 'region-2' && s.labels['team'] === 'team-3')).toBe(true);
    expect(both.map((s) => s.id)).toEqual(all.filter((s) => both.includes(s)).map((s) => s.id));
    expect(filterIndexed(index, { search: 'connection=prom-1', facets: ['team=team-1'], tiers: ['caution'] }).length).toBeGreaterThan(0);
    expect(
      filterIndexed(index, { search: '', facets: ['team=team-1'], tiers: ['emergency'] }).every(
        (s) => s.policy === 'emergency' && s.labels['team'] === 'team-1',
      ),
    ).toBe(true);
  });

  it('has zero matches for words no status holds, and groups nothing then', () => {
    const none = filterIndexed(index, { search: 'svc-0001 team-5', facets: [], tiers: [] });
    expect(none).toEqual([]);
    expect(groupFleet(none, true)).toEqual([]);
    expect(groupFleet(none, false)).toEqual([{ key: 'all', title: 'All SLOs', items: [] }]);
  });
});

const prom: ConnectionView = {
  spec: { id: 'prom-0', kind: 'prometheus', name: 'Prometheus 0', url: 'https://prom.example:9090', auth: { type: 'none' } },
  provisioned: true,
  secrets: [],
};

function fleetPayload(statuses: SloStatusView[]): SloFleet {
  return {
    statuses,
    fetchedAt: new Date().toISOString(),
    evaluatedAt: Math.floor(Date.now() / 1000),
    queryCount: 36,
    durationMs: 900,
    stale: false,
    refreshMs: 60_000,
    connections: [0, 1, 2, 3].map((i) => ({
      id: `prom-${i}`,
      name: `Prometheus ${i}`,
      ok: true,
      fetchedAt: new Date().toISOString(),
      periodReadAt: null,
      queryCount: 9,
    })),
    warnings: [],
    problems: [],
  };
}

// jsdom lays nothing out: the scroller gets a 1200×800 box, scrolling moves scrollTop and fires "scroll", and
// every row measures 224 px (a tile and its gap), so the virtualiser computes what a browser would.
let restore: (() => void) | null = null;
beforeEach(() => {
  const proto = HTMLElement.prototype;
  const rect = Object.getOwnPropertyDescriptor(Element.prototype, 'getBoundingClientRect');
  const clientHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight');
  Element.prototype.getBoundingClientRect = function (this: Element): DOMRect {
    const el = this as HTMLElement;
    const h = el.dataset?.['testid'] === 'scroller' ? 800 : el.classList.contains('slo-fleet-row') ? 224 : 0;
    return { x: 0, y: 0, top: 0, left: 0, right: 1200, bottom: h, width: 1200, height: h, toJSON: () => ({}) } as DOMRect;
  };
  const scrollTop = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTop');
  const tops = new WeakMap<Element, number>();
  Object.defineProperty(Element.prototype, 'scrollTop', {
    configurable: true,
    get(this: Element) {
      return tops.get(this) ?? 0;
    },
    set(this: Element, v: number) {
      tops.set(this, v);
    },
  });
  const scrollHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollHeight');
  Object.defineProperty(Element.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      if (this.dataset?.['testid'] !== 'scroller') return 0;
      const grid = this.querySelector<HTMLElement>('[data-testid="slo-fleet-grid"]');
      return Number.parseFloat(grid?.style.height ?? '0') || 0;
    },
  });
  const offsetHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight');
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset['testid'] === 'scroller' ? 800 : this.classList.contains('slo-fleet-row') ? 224 : 0;
    },
  });
  Object.defineProperty(Element.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset?.['testid'] === 'scroller' ? 800 : 0;
    },
  });
  const scrollTo = (proto as { scrollTo?: unknown }).scrollTo;
  (proto as unknown as { scrollTo: (o: ScrollToOptions) => void }).scrollTo = function (this: HTMLElement, o: ScrollToOptions) {
    if (typeof o.top === 'number') this.scrollTop = o.top;
    this.dispatchEvent(new Event('scroll'));
  };
  restore = () => {
    if (rect) Object.defineProperty(Element.prototype, 'getBoundingClientRect', rect);
    if (offsetHeight) Object.defineProperty(HTMLElement.prototype, 'offsetHeight', offsetHeight);
    if (scrollTop) Object.defineProperty(Element.prototype, 'scrollTop', scrollTop);
    if (scrollHeight) Object.defineProperty(Element.prototype, 'scrollHeight', scrollHeight);
    if (clientHeight) Object.defineProperty(Element.prototype, 'clientHeight', clientHeight);
    else delete (Element.prototype as { clientHeight?: number }).clientHeight;
    (proto as { scrollTo?: unknown }).scrollTo = scrollTo;
  };
});

afterEach(() => {
  cleanup();
  restore?.();
  restore = null;
});

function renderFleet(statuses: SloStatusView[]): void {
  const bridge = createFakeBridge({ 'connections.list': () => [prom], 'slo.fleet': () => fleetPayload(statuses) });
  renderWithApi(
    <div data-testid="scroller" style={{ overflowY: 'auto', height: '800px' }}>
      <FleetView />
    </div>,
    bridge,
  );
}

const tileIds = (): string[] => screen.queryAllByTestId('slo-tile').map((t) => t.dataset['sloId'] ?? '');
const linkOf = (id: string): HTMLElement => {
  const tile = screen.getAllByTestId('slo-tile').find((t) => t.dataset['sloId'] === id);
  const link = tile?.querySelector<HTMLElement>('[data-testid="slo-tile-link"]');
  if (!link) throw new Error(`tile ${id} is not rendered`);
  return link;
};

describe('the virtualised fleet view with 2,000 SLOs', () => {
  const statuses = fleetOf(N);
  const sorted = [...statuses].sort(compareBy('worst')).map((s) => s.id);

  it('renders a few rows, not 2,000 tiles, and the keyboard still reaches tile 1,999 and comes back', async () => {
    renderFleet(statuses);
    const grid = await screen.findByTestId('slo-fleet-grid', undefined, { timeout: 5_000 });
    expect(grid.dataset['count']).toBe(String(N));
    expect(screen.getByTestId('slo-shown-count').textContent).toBe('2,000 SLOs');
    const first = tileIds();
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(40);
    expect(first[0]).toBe(sorted[0]);

    linkOf(sorted[0] ?? '').focus();
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'End' });
    await waitFor(() => expect(document.activeElement?.closest('[data-slo-id]')?.getAttribute('data-slo-id')).toBe(sorted[N - 1]));
    expect(tileIds().length).toBeLessThan(40);
    expect(tileIds()).not.toContain(sorted[0]);

    // Tab from the last tile is the browser's: not taken by the grid.
    const tab = fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Tab' });
    expect(tab).toBe(true);
    // Shift+Tab walks back one tile; Home goes to the first again.
    expect(fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Tab', shiftKey: true })).toBe(false);
    await waitFor(() => expect(document.activeElement?.closest('[data-slo-id]')?.getAttribute('data-slo-id')).toBe(sorted[N - 2]));
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Home' });
    await waitFor(() => expect(document.activeElement?.closest('[data-slo-id]')?.getAttribute('data-slo-id')).toBe(sorted[0]));
    // The tile's link still opens its detail.
    expect(linkOf(sorted[0] ?? '').getAttribute('href')).toBe(`#/slos/detail/${sorted[0]}`);
  });

  it('a search with zero matches shows the empty state, and clearing it brings the fleet back in order', async () => {
    renderFleet(statuses);
    await screen.findByTestId('slo-fleet-grid', undefined, { timeout: 5_000 });
    const box = screen.getByTestId('slo-search');
    act(() => {
      fireEvent.change(box, { target: { value: 'no-such-service' } });
    });
    await screen.findByTestId('slo-no-match');
    expect(screen.queryByTestId('slo-fleet-grid')).toBeNull();
    expect(screen.queryAllByTestId('slo-tile')).toHaveLength(0);
    expect(screen.getByTestId('slo-shown-count').textContent).toBe('0 of 2,000 SLOs');
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    const grid = await screen.findByTestId('slo-fleet-grid');
    expect(grid.dataset['count']).toBe(String(N));
    expect(tileIds()[0]).toBe(sorted[0]);
    act(() => {
      fireEvent.change(screen.getByTestId('slo-search'), { target: { value: 'svc-0017' } });
    });
    await waitFor(() => expect(screen.getByTestId('slo-fleet-grid').dataset['count']).toBe('1'));
    expect(tileIds()).toEqual(['svc-0017']);
  });
});
