// Which rows of a list of equal-height rows are on screen. Every log line is one row of the same height, so the
// window is arithmetic on the scroll offset: no per-row measurement, nothing that grows with the log (a
// general-purpose virtualiser rebuilt its measurements for all rows whenever the count changed, which at a
// million lines was most of every frame).

export interface RowWindow {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
}

export interface RowWindowInput {
  count: number;
  rowHeight: number;
  /** The first row at the top of the viewport (scroll offset ÷ row height, rounded down). */
  topRow: number;
  viewportHeight: number;
  /** Rows rendered beyond each edge, so a fast scroll does not show blank space for a frame. */
  overscan: number;
  /** Following the end: the window is the last screenful whatever the last scroll offset said. */
  pinned: boolean;
}

export function rowWindow(o: RowWindowInput): RowWindow {
  if (o.count <= 0) return { start: 0, end: 0 };
  const onScreen = Math.max(1, Math.ceil(o.viewportHeight / o.rowHeight));
  if (o.pinned) return { start: Math.max(0, o.count - onScreen - o.overscan), end: o.count };
  const top = Math.min(Math.max(0, o.topRow), o.count - 1);
  return { start: Math.max(0, top - o.overscan), end: Math.min(o.count, top + onScreen + 1 + o.overscan) };
}

/** The scroll offset that puts row `index` in the middle of the viewport (never before the top). */
export function centredOffset(index: number, rowHeight: number, viewportHeight: number): number {
  return Math.max(0, index * rowHeight - (viewportHeight - rowHeight) / 2);
}

/** Whether a scroll offset is at the end of `count` rows (within a row and a half, as a user sees it). */
export function atEnd(scrollTop: number, count: number, rowHeight: number, viewportHeight: number): boolean {
  return count * rowHeight - scrollTop - viewportHeight < rowHeight * 1.5;
}
