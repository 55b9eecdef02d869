import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { atEnd, centredOffset, rowWindow } from './row-window';
import type { RowWindow } from './row-window';

// The scroll box of the log as a window of equal-height rows: its height (kept by a ResizeObserver), the row at
// its top (state only when that row changes, so scrolling within a row renders nothing), and the few calls the
// viewer needs. Reads of layout are avoided on the hot path: the end of the list is count × row height.

/** What jsdom (which lays nothing out) and the first render before layout use as the viewport. */
const FALLBACK_HEIGHT = 600;
const OVERSCAN = 10;

export interface RowWindowControls extends RowWindow {
  totalHeight: number;
  /** Call from the scroll box's onScroll; says whether the box is now at the end. */
  onScroll: () => boolean;
  scrollToIndex: (index: number) => void;
  scrollToEnd: () => void;
  scrollToTop: () => void;
}

export function useRowWindow(
  scrollRef: RefObject<HTMLDivElement | null>,
  count: number,
  rowHeight: number,
  pinned: boolean,
): RowWindowControls {
  const [topRow, setTopRow] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_HEIGHT);
  const viewportRef = useRef(FALLBACK_HEIGHT);
  const countRef = useRef(count);
  countRef.current = count;
  const pinnedRef = useRef(pinned);
  pinnedRef.current = pinned;

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const update = (): void => {
      const h = el.clientHeight || FALLBACK_HEIGHT;
      viewportRef.current = h;
      setViewport(h);
    };
    update();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, [scrollRef]);

  const onScroll = useCallback((): boolean => {
    const el = scrollRef.current;
    if (!el) return true;
    const end = atEnd(el.scrollTop, countRef.current, rowHeight, viewportRef.current);
    // While following, the window is the end whatever the offset: the scroll that follow mode itself makes after
    // each batch must not cost a second render.
    if (!(pinnedRef.current && end)) setTopRow(Math.floor(el.scrollTop / rowHeight));
    return end;
  }, [scrollRef, rowHeight]);

  // Leaving follow mode without scrolling (the toggle): the window starts from where the box is.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!pinned && el) setTopRow(Math.floor(el.scrollTop / rowHeight));
  }, [pinned, scrollRef, rowHeight]);

  const scrollTo = useCallback(
    (offset: number) => {
      const el = scrollRef.current;
      if (el) el.scrollTop = offset;
      // Render the target now, not when the scroll event comes back (jsdom sends none).
      setTopRow(Math.floor(offset / rowHeight));
    },
    [scrollRef, rowHeight],
  );
  const scrollToIndex = useCallback(
    (index: number) => scrollTo(centredOffset(index, rowHeight, viewportRef.current)),
    [scrollTo, rowHeight],
  );
  const scrollToEnd = useCallback(() => {
    const el = scrollRef.current;
    // Past the end on purpose: the browser clamps it, and no layout has to be read to know the end.
    if (el) el.scrollTop = (countRef.current + 1) * rowHeight;
  }, [scrollRef, rowHeight]);
  const scrollToTop = useCallback(() => scrollTo(0), [scrollTo]);

  const w = rowWindow({ count, rowHeight, topRow, viewportHeight: viewport, overscan: OVERSCAN, pinned });
  return { ...w, totalHeight: count * rowHeight, onScroll, scrollToIndex, scrollToEnd, scrollToTop };
}
