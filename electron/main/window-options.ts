import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';

// Every BrowserWindow of the console is built here, so the security settings live in one reviewed place and a
// unit test can assert each of them. Several are Electron's defaults already; they are spelled out anyway so a
// future default change (or a copy-pasted template) cannot silently weaken a window.

/** The dark background of the UI: shown while the window paints, so there is no white flash. */
export const WINDOW_BACKGROUND = '#0f1115';

export const DEFAULT_WINDOW_SIZE = { width: 1440, height: 900 } as const;
export const MIN_WINDOW_SIZE = { width: 960, height: 600 } as const;

export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  preloadPath: string;
  /** Remembered bounds, already checked to be on a connected display. */
  bounds?: Rectangle | undefined;
  /** NOC wall display: fullscreen with no menu bar. */
  wall?: boolean;
  title?: string;
  icon?: string;
}

export function createWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const bounds = input.bounds ?? DEFAULT_WINDOW_SIZE;
  return {
    ...bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: input.title ?? 'TOC Console',
    ...(input.icon ? { icon: input.icon } : {}),
    // Created hidden and shown on ready-to-show: no half-painted window, no white flash.
    show: false,
    backgroundColor: WINDOW_BACKGROUND,
    fullscreen: input.wall ?? false,
    autoHideMenuBar: input.wall ?? false,
    webPreferences: {
      preload: input.preloadPath,
      // The page runs in its own JS world with no Node and an OS-sandboxed process: a script injected into
      // the page (or a compromised dependency of the UI) reaches only window.toc, never the keychain or disk.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      // Same-origin policy and mixed-content blocking stay on.
      webSecurity: true,
      allowRunningInsecureContent: false,
      // No unreviewed Chromium features (enableBlinkFeatures is deliberately never set).
      experimentalFeatures: false,
      // <webview> would embed a guest page with its own preferences; the console has no use for it.
      webviewTag: false,
      // A wall display must keep refreshing when another window covers it.
      backgroundThrottling: !(input.wall ?? false),
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}
