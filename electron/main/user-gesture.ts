// shell.openExternal starts another program with a URL. Chromium lets a page open a popup only during a user
// activation; main applies the same rule to both ways a page can reach the OS browser (window.open and the
// `app.openExternal` call): only right after a click, tap or key press in a console window, and one input
// opens one link. A compromised page or a runaway timer cannot open browsers by itself.

/** How long a click stays usable: Chromium's transient activation lasts 5 s. */
export const USER_GESTURE_MS = 5000;

// Input a person makes on purpose. Moves, wheels, scrolls and hovers are not: they happen without intent.
const ACTIVATING = new Set(['mouseDown', 'mouseUp', 'rawKeyDown', 'keyDown', 'gestureTap', 'touchEnd', 'pointerUp']);

/** What the tracker needs of a webContents; Electron's WebContents satisfies it ('input-event' covers mouse and keys). */
export interface InputSource {
  on(event: 'input-event', listener: (event: unknown, input: { type: string }) => void): unknown;
}

export class UserGestureTracker {
  private lastInputAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly windowMs: number;

  constructor(opts: { now?: () => number; windowMs?: number } = {}) {
    this.now = opts.now ?? Date.now;
    this.windowMs = opts.windowMs ?? USER_GESTURE_MS;
  }

  /** Records activating input of one of the console's webContents. */
  watch(contents: InputSource): void {
    contents.on('input-event', (_e, input) => {
      if (ACTIVATING.has(input.type)) this.lastInputAt = this.now();
    });
  }

  /** True once per recent user input: using it spends it. */
  consume(): boolean {
    const fresh = this.now() - this.lastInputAt <= this.windowMs;
    this.lastInputAt = Number.NEGATIVE_INFINITY;
    return fresh;
  }
}

/** An opener that runs only on a fresh user gesture; otherwise logs why and answers false. */
export function gestureGated(
  gestures: Pick<UserGestureTracker, 'consume'>,
  open: (url: string) => boolean,
  log?: (message: string) => void,
): (url: string) => boolean {
  return (url) => {
    if (!gestures.consume()) {
      log?.('openExternal refused: no click or key press in a console window just before it');
      return false;
    }
    return open(url);
  };
}
