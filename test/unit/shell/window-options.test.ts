import { describe, expect, it } from 'vitest';
import { createWindowOptions, WINDOW_BACKGROUND } from '../../../electron/main/window-options';
import { visibleBounds, trackWindowBounds } from '../../../electron/main/window-bounds';
import type { BoundsSource } from '../../../electron/main/window-bounds';
import { EventEmitter } from 'node:events';

describe('window options', () => {
  const opts = createWindowOptions({ preloadPath: '/app/out/preload/index.cjs' });
  const web = opts.webPreferences ?? {};

  it('isolates and sandboxes the page: no Node anywhere, not in workers, not in sub-frames', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and every unsafe switch off', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect('enableBlinkFeatures' in web).toBe(false);
  });

  it('loads the bundled preload and opens hidden on the app background (shown on ready-to-show)', () => {
    expect(web.preload).toBe('/app/out/preload/index.cjs');
    expect(opts.show).toBe(false);
    expect(opts.backgroundColor).toBe(WINDOW_BACKGROUND);
  });

  it('uses remembered bounds, and a wall window is fullscreen and never throttled', () => {
    const w = createWindowOptions({ preloadPath: '/p', bounds: { x: 10, y: 20, width: 1000, height: 700 }, wall: true });
    expect(w).toMatchObject({ x: 10, y: 20, width: 1000, height: 700, fullscreen: true });
    expect(w.webPreferences?.backgroundThrottling).toBe(false);
    // The hardening flags do not depend on the mode.
    expect(w.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });
});

describe('remembered window bounds', () => {
  const display = { x: 0, y: 0, width: 1920, height: 1080 };
  const saved = { x: 100, y: 100, width: 1200, height: 800, maximized: false };

  it('restores bounds that are on a connected display', () => {
    expect(visibleBounds(saved, [display])).toEqual(saved);
  });

  it('drops bounds on a monitor that is gone, or with the title bar off-screen', () => {
    expect(visibleBounds({ ...saved, x: 2500 }, [display])).toBeUndefined();
    expect(visibleBounds({ ...saved, y: -500 }, [display])).toBeUndefined();
    expect(visibleBounds({ ...saved, x: 2500 }, [display, { x: 1920, y: 0, width: 2560, height: 1440 }])).toEqual({ ...saved, x: 2500 });
  });

  it('saves once after a burst of moves, and not while fullscreen', async () => {
    const win = new (class extends EventEmitter implements BoundsSource {
      full = false;
      getNormalBounds = () => ({ x: 5, y: 6, width: 1000, height: 700 });
      isMaximized = () => false;
      isFullScreen = () => this.full;
      isDestroyed = () => false;
    })();
    const saves: unknown[] = [];
    trackWindowBounds(win, (b) => saves.push(b), 20);
    for (let i = 0; i < 10; i++) win.emit('move');
    expect(saves).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(saves).toEqual([{ x: 5, y: 6, width: 1000, height: 700, maximized: false }]);
    win.full = true;
    win.emit('resize');
    win.emit('close');
    await new Promise((r) => setTimeout(r, 50));
    expect(saves).toHaveLength(1);
  });
});
