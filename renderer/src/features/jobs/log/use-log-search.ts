import { useEffect, useRef, useState } from 'react';
import type { LogModel } from './log-model';
import { useDebounced } from '../../../app/use-debounced';

// The log's search: the typed query (debounced), its matches as positions in the lines shown, and which one is
// current. Searching runs in slices of a few milliseconds, one per frame, so a first search over a million
// lines never holds a frame (it took one task of about 0.6 s); the count shows once every line is searched.
// Results grow with the log: while nothing is filtered, only lines added since the last search are searched.

/** CPU time a search may take per frame. */
const SLICE_MS = 8;

export interface LogSearch {
  query: string;
  setQuery: (q: string) => void;
  /** The query in effect ('' when none). */
  q: string;
  /** Ascending positions in the lines shown (those searched so far). */
  matches: readonly number[];
  /** Every line shown has been searched. */
  done: boolean;
  /** Index into `matches`, or -1. */
  currentMatch: number;
  setCurrent: (i: number) => void;
}

interface SearchState {
  q: string;
  visible: Int32Array | null;
  /** Positions before this one are searched. */
  searched: number;
  matches: number[];
}

export function useLogSearch(model: LogModel, visible: Int32Array | null, count: number): LogSearch {
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 150);
  const [current, setCurrent] = useState(0);
  const [, setSlices] = useState(0);
  const state = useRef<SearchState>({ q: '', visible: null, searched: 0, matches: [] });

  // In render, as the memo it replaces did: keep what was searched for the same view, or when only lines were
  // added and nothing is filtered; else start afresh. Then search one slice.
  let s = state.current;
  if (!q) {
    if (s.q !== '') s = state.current = { q: '', visible: null, searched: 0, matches: [] };
  } else {
    const sameView = s.visible === visible && (visible !== null || count >= s.searched);
    if (!(s.q === q && sameView)) {
      s = state.current = { q, visible, searched: 0, matches: [] };
    }
    if (s.searched < count) s.searched = model.searchUntil(q, visible, s.searched, s.matches, performance.now() + SLICE_MS);
  }
  const done = !q || s.searched >= count;

  // The rest, a slice per frame; each slice renders what it found.
  useEffect(() => {
    if (done) return;
    const frame = requestAnimationFrame(() => setSlices((n) => n + 1));
    return () => cancelAnimationFrame(frame);
  });

  const matches = s.matches;
  const currentMatch = matches.length > 0 ? Math.min(current, matches.length - 1) : -1;
  return { query, setQuery, q, matches, done, currentMatch, setCurrent };
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
