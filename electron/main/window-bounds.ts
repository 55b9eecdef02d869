import type { Rectangle } from 'electron';
import type { WindowBounds } from '../core/kernel/settings/settings-service';

// Window position is remembered between runs, but a window restored onto a monitor that has since been
// unplugged would open off-screen with no way to drag it back; such bounds are dropped.

/** Enough of the window must be on a display to grab its title bar. */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

export function visibleBounds(saved: WindowBounds | undefined, workAreas: readonly Rectangle[]): WindowBounds | undefined {
  if (!saved) return undefined;
  const onScreen = workAreas.some((a) => {
    const w = Math.min(saved.x + saved.width, a.x + a.width) - Math.max(saved.x, a.x);
    const h = Math.min(saved.y + saved.height, a.y + a.height) - Math.max(saved.y, a.y);
    // The top edge (title bar) must be inside the display, not just any corner of the window.
    const topInside = saved.y >= a.y && saved.y < a.y + a.height - MIN_VISIBLE.height;
    return w >= MIN_VISIBLE.width && h >= MIN_VISIBLE.height && topInside;
  });
  return onScreen ? saved : undefined;
}

/** What trackWindowBounds needs of a BrowserWindow. */
export interface BoundsSource {
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  isFullScreen(): boolean;
  isDestroyed(): boolean;
  on(event: 'move' | 'resize' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

/**
 * Saves the window's bounds a moment after it stops moving or resizing (a drag fires dozens of events and each
 * save rewrites the settings file), and once more on close. Fullscreen (wall mode) is not a size to remember.
 */
export function trackWindowBounds(win: BoundsSource, save: (b: WindowBounds) => void, delayMs = 500): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const saveNow = (): void => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (win.isDestroyed() || win.isFullScreen()) return;
    const b = win.getNormalBounds();
    save({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  };
  const later = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(saveNow, delayMs);
  };
  win.on('move', later);
  win.on('resize', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', saveNow);
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
