import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { defaultRangeExtractor, useVirtualizer } from '@tanstack/react-virtual';
import type { SloFleet } from '@shared/slo/contract';
import { SloTile } from './SloTile';
import { connectionOf } from './fleet-model';
import type { FleetGroup } from './fleet-model';
import { columnsFor, fleetRows, nextTile } from './fleet-rows';
import type { GridKey } from './fleet-rows';

// The fleet's tiles, virtualised: only the rows in and near the viewport are in the DOM, so a fleet of 2,000
// SLOs scrolls and filters like one of twenty. The page keeps its scroller (the app's main pane); the grid
// reserves the whole height and places the rendered rows in it. Keyboard: Tab and Shift+Tab walk every tile in
// order (rows off screen are brought in first), arrows move by tile and by row, Home/End and PageUp/PageDown
// jump; the focused tile's row stays rendered while it is scrolled away, so focus is never dropped.

/** Tile width and gap, as slo-fleet.css sets them for .slo-grid (in rem). */
const TILE_MIN_REM = 17;
const GAP_REM = 0.75;
/** First guesses before a row is measured: a tile, a group heading. */
const TILE_ROW_REM = 14;
const HEAD_ROW_REM = 2.75;
/**
 * Fleets up to this many tiles are rendered whole (a few hundred tiles cost a frame or two): the browser's own
 * find-in-page and screen readers' browse mode then see every tile. Above it, only the rows near the viewport.
 */
const RENDER_ALL_UP_TO = 150;

const KEYS: Record<string, GridKey | undefined> = {
  ArrowLeft: 'ArrowLeft',
  ArrowRight: 'ArrowRight',
  ArrowUp: 'ArrowUp',
  ArrowDown: 'ArrowDown',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
};

function rootRem(): number {
  const px = Number.parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(px) && px > 0 ? px : 16;
}

/** The nearest ancestor that scrolls vertically (the app's main pane), else the document's scroller. */
function scrollParent(el: HTMLElement | null): HTMLElement {
  for (let p = el?.parentElement ?? null; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowY;
    if (o === 'auto' || o === 'scroll') return p;
  }
  return (document.scrollingElement as HTMLElement | null) ?? document.documentElement;
}

export function FleetGrid(props: { groups: FleetGroup[]; byService: boolean; fleet: SloFleet }): ReactNode {
  const { fleet } = props;
  const gridRef = useRef<HTMLDivElement>(null);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [width, setWidth] = useState(0);
  const [margin, setMargin] = useState(0);
  const rem = useMemo(rootRem, []);

  useLayoutEffect(() => {
    const el = gridRef.current;
    if (!el) return;
    setScroller(scrollParent(el));
    const measure = (): void => setWidth(el.clientWidth);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Where the grid starts inside the scroller's content, again whenever the view around it changes size (the
  // warnings and problems panels above it open and close, banners come and go).
  useLayoutEffect(() => {
    const el = gridRef.current;
    if (!el || !scroller) return;
    const measure = (): void =>
      setMargin(Math.round(el.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop));
    measure();
    if (typeof ResizeObserver === 'undefined' || !el.parentElement) return;
    const ro = new ResizeObserver(measure);
    ro.observe(el.parentElement);
    return () => ro.disconnect();
  }, [scroller]);

  const columns = columnsFor(width, TILE_MIN_REM * rem, GAP_REM * rem);
  const layout = useMemo(() => fleetRows(props.groups, columns, props.byService), [props.groups, columns, props.byService]);
  const indexOf = useMemo(() => new Map(layout.tiles.map((s, i) => [s.id, i])), [layout]);
  const connName = useMemo(() => new Map(fleet.connections.map((c) => [c.id, c.name])), [fleet.connections]);

  const focusedRow = useRef<number | null>(null);
  const pendingFocus = useRef<number | null>(null);
  const virtualizer = useVirtualizer({
    count: layout.rows.length,
    getScrollElement: () => scroller,
    estimateSize: (i) => (layout.rows[i]?.kind === 'head' ? HEAD_ROW_REM : TILE_ROW_REM) * rem,
    overscan: layout.tiles.length <= RENDER_ALL_UP_TO ? layout.rows.length : 2,
    scrollMargin: margin,
    getItemKey: (i) => layout.rows[i]?.key ?? i,
    initialRect: { width: 1200, height: 800 },
    // The focused tile's row stays in the DOM while scrolled away: removing it would drop keyboard focus.
    rangeExtractor: (range) => {
      const rows = defaultRangeExtractor(range);
      const f = focusedRow.current;
      if (f !== null && f < range.count && !rows.includes(f)) {
        rows.push(f);
        rows.sort((a, b) => a - b);
      }
      return rows;
    },
  });

  const focusPending = useCallback((): void => {
    const i = pendingFocus.current;
    const s = i === null ? undefined : layout.tiles[i];
    if (!s) return;
    // The rendered tiles are a few dozen: compare ids rather than build a selector from one.
    const tile = [...(gridRef.current?.querySelectorAll<HTMLElement>('[data-slo-id]') ?? [])].find((el) => el.dataset.sloId === s.id);
    const link = tile?.querySelector<HTMLElement>('[data-testid="slo-tile-link"]');
    if (!link) return;
    pendingFocus.current = null;
    link.focus({ preventScroll: true });
  }, [layout]);
  // A tile asked for by the keyboard gets focus once its row is rendered.
  useLayoutEffect(() => focusPending());

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const key: GridKey | undefined = e.key === 'Tab' ? (e.shiftKey ? 'ShiftTab' : 'Tab') : KEYS[e.key];
    if (!key) return;
    const tile = (e.target as HTMLElement).closest<HTMLElement>('[data-slo-id]');
    const from = tile ? indexOf.get(tile.dataset.sloId ?? '') : undefined;
    if (from === undefined) return;
    const pageRows = Math.max(1, Math.floor((scroller?.clientHeight ?? 800) / (TILE_ROW_REM * rem)));
    const to = nextTile(layout, from, key, pageRows);
    // Tab past the last tile (or Shift+Tab before the first) leaves the grid the usual way.
    if (to === null) return;
    e.preventDefault();
    pendingFocus.current = to;
    const row = layout.rowOf[to] ?? 0;
    focusedRow.current = row;
    virtualizer.scrollToIndex(row, { align: 'auto' });
    focusPending();
  };

  const rowOfTarget = (target: EventTarget | null): number | null => {
    const id = (target as HTMLElement | null)?.closest?.<HTMLElement>('[data-slo-id]')?.dataset.sloId;
    const i = id === undefined ? undefined : indexOf.get(id);
    return i === undefined ? null : (layout.rowOf[i] ?? null);
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div
      ref={gridRef}
      className="slo-fleet-grid"
      role="region"
      aria-label={`${props.byService ? 'SLOs by service' : 'SLOs, worst first'}: ${layout.tiles.length}. Arrow keys move between tiles.`}
      data-testid="slo-fleet-grid"
      data-count={layout.tiles.length}
      data-columns={columns}
      style={{ height: `${virtualizer.getTotalSize()}px` }}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        focusedRow.current = rowOfTarget(e.target);
      }}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) focusedRow.current = null;
      }}
    >
      {items.map((vi) => {
        const row = layout.rows[vi.index];
        if (!row) return null;
        const style = { transform: `translateY(${vi.start - virtualizer.options.scrollMargin}px)` };
        if (row.kind === 'head') {
          return (
            <div key={vi.key} ref={virtualizer.measureElement} data-index={vi.index} className="slo-fleet-row" style={style}>
              <h2 className="slo-group-title" data-testid="slo-group" data-group={row.group}>
                {row.title}
              </h2>
            </div>
          );
        }
        return (
          <div
            key={vi.key}
            ref={virtualizer.measureElement}
            data-index={vi.index}
            data-group={row.group}
            className="slo-fleet-row slo-grid"
            style={{ ...style, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
          >
            {row.items.map((s) => (
              <SloTile
                key={s.id}
                s={s}
                refreshMs={fleet.refreshMs}
                conn={connectionOf(s, fleet.connections)}
                connectionName={s.connectionId !== undefined ? (connName.get(s.connectionId) ?? s.connectionId) : undefined}
              />
            ))}
          </div>
        );
      })}
    </div>
  );
}
