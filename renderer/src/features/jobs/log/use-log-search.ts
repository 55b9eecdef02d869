import { useMemo, useRef, useState } from 'react';
import type { LogModel } from './log-model';
import { useDebounced } from '../../../app/use-debounced';

// The log's search: the typed query (debounced), its matches as positions in the lines shown, and which one is
// current. Results grow with the log: while nothing is filtered, only lines added since the last search are
// searched, so a search left open while a million lines stream costs each frame only the new lines.

export interface LogSearch {
  query: string;
  setQuery: (q: string) => void;
  /** The query in effect ('' when none). */
  q: string;
  /** Ascending positions in the lines shown. */
  matches: readonly number[];
  /** Index into `matches`, or -1. */
  currentMatch: number;
  setCurrent: (i: number) => void;
}

export function useLogSearch(model: LogModel, visible: Int32Array | null, count: number): LogSearch {
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 150);
  const [current, setCurrent] = useState(0);
  const state = useRef<{ q: string; visible: Int32Array | null; searched: number; matches: number[] }>({
    q: '',
    visible: null,
    searched: 0,
    matches: [],
  });
  const matches = useMemo(() => {
    const s = state.current;
    if (!q) {
      state.current = { q: '', visible: null, searched: 0, matches: [] };
      return state.current.matches;
    }
    if (s.q === q && s.visible === null && visible === null && count >= s.searched) {
      model.search(q, null, s.searched, s.matches);
      s.searched = count;
      return s.matches;
    }
    const fresh = { q, visible, searched: count, matches: model.search(q, visible) };
    state.current = fresh;
    return fresh.matches;
  }, [q, visible, count, model]);
  const currentMatch = matches.length > 0 ? Math.min(current, matches.length - 1) : -1;
  return { query, setQuery, q, matches, currentMatch, setCurrent };
}

/** Whether an ascending list holds `n` (a binary search, per row shown). */
export function sortedHas(sorted: readonly number[], n: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] ?? 0;
    if (v === n) return true;
    if (v < n) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
