// The wall's page rotation: one page after the other every `intervalMs`; a page with anything red is pinned
// (rotation stops on it) until it clears; with several red pages the wall rotates among those only. Pure: the
// state is three fields, so weeks of rotation allocate nothing that grows.

export interface RotationState {
  index: number;
  /** When the current page came on screen (epoch ms). */
  since: number;
  /** The current page is red and held. */
  pinned: boolean;
}

export type RotationView = RotationState;

export function startRotation(now: number): RotationState {
  return { index: 0, since: now, pinned: false };
}

/** The next state for `now`, given which pages are red right now. */
export function rotate(state: RotationState, red: readonly boolean[], now: number, intervalMs: number): RotationView {
  const n = red.length;
  if (n === 0) return { index: 0, since: state.since, pinned: false };
  const index = state.index >= 0 && state.index < n ? state.index : 0;
  const due = now - state.since >= intervalMs;
  const reds = red.flatMap((r, i) => (r ? [i] : []));
  if (reds.length > 0) {
    if (red[index]) {
      if (!due || reds.length === 1) return { index, since: due ? now : state.since, pinned: true };
      return { index: nextOf(reds, index, n), since: now, pinned: true };
    }
    // Something turned red elsewhere: go there now, not at the end of this page's turn.
    return { index: nextOf(reds, index, n), since: now, pinned: true };
  }
  if (index !== state.index) return { index, since: now, pinned: false };
  // Just cleared: a full turn on screen, so the room sees it clear before the rotation moves on.
  if (state.pinned) return { index, since: now, pinned: false };
  return due ? { index: (index + 1) % n, since: now, pinned: false } : { index, since: state.since, pinned: false };
}

/** The first entry of `list` after `from` in cyclic order (list holds page indices in ascending order). */
function nextOf(list: readonly number[], from: number, n: number): number {
  for (let step = 1; step <= n; step++) {
    const i = (from + step) % n;
    if (list.includes(i)) return i;
  }
  return list[0] ?? 0;
}

/** Seconds until the next page, for the position indicator (null while pinned). */
export function secondsLeft(state: RotationView, now: number, intervalMs: number): number | null {
  if (state.pinned) return null;
  return Math.max(0, Math.ceil((state.since + intervalMs - now) / 1000));
}
