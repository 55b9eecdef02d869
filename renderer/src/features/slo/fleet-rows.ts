import type { SloStatusView } from '@shared/slo/contract';
import type { FleetGroup } from './fleet-model';

// The fleet grid as rows of tiles, so only the rows on screen are rendered (a fleet of 2,000 SLOs laid out in
// full was a 120,000 px page: scrolling and typing dropped to a few frames a second). Pure: the grid component
// measures the width, this decides what goes where and where the keyboard goes next.

export type FleetRow =
  | { kind: 'head'; key: string; group: string; title: string }
  | { kind: 'tiles'; key: string; group: string; start: number; items: SloStatusView[] };

export interface FleetRows {
  rows: FleetRow[];
  /** Every tile in reading order (the order the keyboard walks). */
  tiles: SloStatusView[];
  /** Row of each tile, by its index in `tiles`. */
  rowOf: number[];
}

/** Tiles per row for a grid of `width` px whose tiles are at least `minTile` px wide with `gap` px between. */
export function columnsFor(width: number, minTile: number, gap: number): number {
  if (!(width > 0) || !(minTile > 0)) return 1;
  return Math.max(1, Math.floor((width + gap) / (minTile + gap)));
}

/** Rows of `columns` tiles per group, each group under a heading when `headings` (grouped by service). */
export function fleetRows(groups: readonly FleetGroup[], columns: number, headings: boolean): FleetRows {
  const cols = Math.max(1, Math.floor(columns));
  const rows: FleetRow[] = [];
  const tiles: SloStatusView[] = [];
  const rowOf: number[] = [];
  for (const g of groups) {
    if (headings) rows.push({ kind: 'head', key: `head:${g.key}`, group: g.key, title: g.title });
    for (let i = 0; i < g.items.length; i += cols) {
      const items = g.items.slice(i, i + cols);
      const row = rows.length;
      rows.push({ kind: 'tiles', key: `tiles:${g.key}:${i}`, group: g.key, start: tiles.length, items });
      for (const s of items) {
        tiles.push(s);
        rowOf.push(row);
      }
    }
  }
  return { rows, tiles, rowOf };
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown' | 'Tab' | 'ShiftTab';

/** The tile rows above (-1) or below (+1) `row`, skipping group headings; undefined past either end. */
function tileRowFrom(rows: readonly FleetRow[], row: number, dir: 1 | -1, steps: number): Extract<FleetRow, { kind: 'tiles' }> | undefined {
  let found: Extract<FleetRow, { kind: 'tiles' }> | undefined;
  let left = steps;
  for (let r = row + dir; r >= 0 && r < rows.length && left > 0; r += dir) {
    const x = rows[r];
    if (x?.kind !== 'tiles') continue;
    found = x;
    left--;
  }
  return found;
}

/**
 * Where focus goes from tile `index` on `key`: arrows move one tile or one row (the same column, or the last tile
 * of a shorter row), Home/End to the first/last tile, PageUp/PageDown by `pageRows` rows, Tab/Shift+Tab to the
 * next/previous tile. Null when the key leaves the grid (Tab on the last tile) or goes nowhere.
 */
export function nextTile(layout: FleetRows, index: number, key: GridKey, pageRows = 4): number | null {
  const n = layout.tiles.length;
  if (n === 0 || index < 0 || index >= n) return null;
  const row = layout.rowOf[index] ?? 0;
  const current = layout.rows[row];
  const col = current?.kind === 'tiles' ? index - current.start : 0;
  const vertical = (dir: 1 | -1, steps: number): number | null => {
    const target = tileRowFrom(layout.rows, row, dir, steps);
    if (!target) return null;
    return target.start + Math.min(col, target.items.length - 1);
  };
  switch (key) {
    case 'ArrowLeft':
      return index > 0 ? index - 1 : null;
    case 'ArrowRight':
      return index < n - 1 ? index + 1 : null;
    case 'Tab':
      return index < n - 1 ? index + 1 : null;
    case 'ShiftTab':
      return index > 0 ? index - 1 : null;
    case 'ArrowUp':
      return vertical(-1, 1);
    case 'ArrowDown':
      return vertical(1, 1);
    case 'PageUp':
      return vertical(-1, Math.max(1, pageRows)) ?? (index > 0 ? 0 : null);
    case 'PageDown':
      return vertical(1, Math.max(1, pageRows)) ?? (index < n - 1 ? n - 1 : null);
    case 'Home':
      return index > 0 ? 0 : null;
    case 'End':
      return index < n - 1 ? n - 1 : null;
  }
}
