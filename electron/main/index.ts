import { app, BrowserWindow, ipcMain, Menu, Notification, powerMonitor, powerSaveBlocker, screen } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NavigateTarget } from '@shared/app/contract';
import { demoNoticesFromEnv } from '../core/features/app/demo-notices';
import { createCore } from '../core/core';
import type { Core } from '../core/core';
import { ResilientSecretStore, redact, secretRegistry } from '../core/kernel/secrets/index';
import type { SecretLogEvent } from '../core/kernel/secrets/index';
import { buildMenuTemplate } from './app-menu';
import { APP_ENTRY_URL, APP_ORIGIN, originOf } from './app-origin';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { parseDeepLink } from './deep-link';
import { installHardening, openExternalSafely } from './hardening';
import { gestureGated, UserGestureTracker } from './user-gesture';
import { bindIpcBridge } from './ipc-bridge';
import type { IpcBridge } from './ipc-bridge';
import { DEEP_LINK_SCHEME, findDeepLink, parseLaunchArgs } from './launch-args';
import { openSettingsBackend } from './settings-store';
import { visibleBounds, trackWindowBounds } from './window-bounds';
import { createWindowOptions } from './window-options';
import { startDesktopNotifications } from './desktop-notifications';
import { loginItemFor } from './login-item';
import { registerRunbookPdf } from './runbook-pdf';

// The desktop entry: wires Electron to the core and nothing more. Everything that decides something (window
// options, hardening, sender checks, protocol paths, menus, deep links) lives in its own module with tests;
// this file only calls them in the order Electron requires.

const log = (message: string): void => console.log(`[toc] ${redact(message)}`);

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const RENDERER_DIR = here('../renderer/');
const PRELOAD_PATH = here('../preload/index.cjs');

// --- Before ready: everything here must happen before Electron's 'ready' event. ---------------------------

const launch = parseLaunchArgs(process.argv, process.env, process.cwd());
// Before the single-instance lock: the lock lives in userData, so a test run with its own folder is its own app.
if (launch.userData) app.setPath('userData', launch.userData);

// electron-vite's dev server, development builds only; packaged builds load nothing but app://console.
const devServerUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
const devOrigin = devServerUrl ? originOf(devServerUrl) : null;
const appOrigins: readonly string[] = devOrigin ? [APP_ORIGIN, devOrigin] : [APP_ORIGIN];
// Clicks and key presses in the app's windows: links go to the OS browser only right after one.
const gestures = new UserGestureTracker();

if (!app.requestSingleInstanceLock()) {
  // The running instance gets our argv through 'second-instance' (focus, deep link) and this one leaves.
  app.quit();
} else {
  registerAppScheme();
  installHardening({ appOrigins, openExternal: (url) => void openExternalSafely(url, log), gestures, log });
  // Registering makes the OS hand toc:// links to this executable; a development build must not claim them
  // (on Linux that rewrites the user's mimeapps.list to point at a checkout).
  if (app.isPackaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  void start().catch((e: unknown) => {
    console.error('[toc] startup failed', e);
    app.exit(1);
  });
}

// --- After ready. -------------------------------------------------------------------------------------------

async function start(): Promise<void> {
  let mainWindow: BrowserWindow | null = null;
  let core: Core | null = null;
  let bridge: IpcBridge | null = null;
  let wall = launch.wall;
  let powerBlockId: number | null = null;
  // Deep links that arrive before the page listens for 'app.navigate' wait here; the latest one wins.
  let pendingNav: NavigateTarget | null = launch.deepLink ? parseDeepLink(launch.deepLink) : null;
  let pageListens = false;

  const navigate = (target: NavigateTarget): void => {
    if (core && pageListens) core.services.navigate(target);
    else pendingNav = target;
  };
  const deliverLink = (url: string): void => {
    const target = parseDeepLink(url);
    if (target) navigate(target);
    else log(`deep link ignored: not a console link`);
  };
  const focus = (): void => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  // Registered before ready: macOS delivers links (and a link that launched the app) through 'open-url'.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deliverLink(url);
    focus();
  });
  app.on('second-instance', (_event, argv) => {
    focus();
    const link = findDeepLink(argv);
    if (link) deliverLink(link);
  });

  // The keychain probe can take seconds (a locked keyring, a hanging prompt). It runs while the window opens:
  // until it answers, every secret call waits for it (openSecretStore would await it before returning).
  const secrets = new ResilientSecretStore({ registry: secretRegistry, log: logSecretEvent });
  void secrets.retry();

  await app.whenReady();

  const userData = app.getPath('userData');
  // `npm start` starts the demo backends itself and passes the generated workspace plus TOC_DEMO=1.
  const demo = !launch.workspace || process.env.TOC_DEMO === '1';
  const workspaceFile = launch.workspace ?? path.join(app.getAppPath(), 'resources', 'demo', 'toc.yaml');
  const notices: string[] = [];
  if (demo && !existsSync(workspaceFile)) notices.push(`The demo workspace file is missing (${workspaceFile}).`);
  notices.push(...demoNoticesFromEnv(process.env.TOC_DEMO_NOTICES));

  core = await createCore({
    version: app.getVersion(),
    transport: 'ipc',
    workspaceFile,
    dataDir: userData,
    settingsBackend: openSettingsBackend(userData, log),
    secrets,
    wall,
    ...(demo ? { demo: { notices } } : {}),
    env: process.env,
    // The page's own `app.openExternal` call obeys the same rule as window.open: a fresh click or key press.
    openExternal: gestureGated(gestures, (url) => openExternalSafely(url, log), log),
    validateOutput: !app.isPackaged,
    healthIntervalMs: 60_000,
    redact,
    onSecretUsed: (value) => secretRegistry.add(value),
  });
  const theCore = core;

  const stopProtocol = handleAppProtocol(RENDERER_DIR);
  bridge = bindIpcBridge({
    ipcMain,
    dispatcher: theCore.dispatcher,
    allowedOrigins: appOrigins,
    log,
    onSubscribed: (topic) => {
      if (topic !== 'app.navigate') return;
      pageListens = true;
      if (pendingNav) {
        const t = pendingNav;
        pendingNav = null;
        theCore.services.navigate(t);
      }
    },
  });

  const setPowerBlock = (on: boolean): void => {
    if (on && powerBlockId === null) powerBlockId = powerSaveBlocker.start('prevent-display-sleep');
    if (!on && powerBlockId !== null) {
      powerSaveBlocker.stop(powerBlockId);
      powerBlockId = null;
    }
  };

  const setWall = (on: boolean): void => {
    wall = on;
    // The contract refuses every action in wall mode, whatever the page shows.
    theCore.setWall(on);
    notifier.refresh();
    setPowerBlock(on);
    if (mainWindow && !mainWindow.isDestroyed()) {
      mainWindow.setFullScreen(on);
      mainWindow.setAutoHideMenuBar(on);
      mainWindow.setMenuBarVisibility(!on);
      // A wall keeps refreshing even when another window covers it.
      mainWindow.webContents.setBackgroundThrottling(!on);
    }
    navigate({ view: on ? 'wall' : 'slos' });
    installMenu();
  };

  const installMenu = (): void => {
    const template = buildMenuTemplate(
      {
        navigate: (view) => navigate({ view }),
        toggleWall: () => setWall(!wall),
        toggleFullScreen: () => mainWindow?.setFullScreen(!mainWindow.isFullScreen()),
        reload: () => mainWindow?.webContents.reload(),
        about: () => app.showAboutPanel(),
      },
      { platform: process.platform, isPackaged: app.isPackaged, wall, appName: 'TOC Console' },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  const createWindow = (): BrowserWindow => {
    const saved = visibleBounds(
      theCore.services.settings.getWindowBounds(),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const win = new BrowserWindow(
      createWindowOptions({
        preloadPath: PRELOAD_PATH,
        bounds: saved ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : undefined,
        wall,
      }),
    );
    bridge?.trust(win.webContents);
    const stopTracking = trackWindowBounds(win, (b) => theCore.services.settings.setWindowBounds(b));
    win.once('ready-to-show', () => {
      if (saved?.maximized && !wall) win.maximize();
      win.show();
    });
    win.webContents.on('did-start-loading', () => {
      // A reload ends the page's subscriptions (ipc-bridge); a deep link must wait for the new page.
      pageListens = false;
    });
    win.webContents.on('render-process-gone', (_e, details) => log(`renderer gone: ${details.reason}`));
    win.on('closed', () => {
      stopTracking();
      if (mainWindow === win) mainWindow = null;
    });
    void win.loadURL(devServerUrl ?? APP_ENTRY_URL).catch((e: unknown) => log(`page failed to load: ${String(e)}`));
    return win;
  };

  // Issue 6: runbooks as PDF, desktop notifications, start at login, recovery after sleep.
  registerRunbookPdf(theCore.registry, { window: () => mainWindow, documents: () => app.getPath('documents'), log });
  const notifier = startDesktopNotifications({
    core: theCore,
    isWall: () => wall,
    log,
    open: (target) => {
      if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow();
      focus();
      navigate(target);
    },
    show: (note, onClick) => {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title: note.title, body: note.body, urgency: note.urgent ? 'critical' : 'normal' });
      n.on('click', onClick);
      n.show();
    },
  });
  const applyLoginItem = (mode: Parameters<typeof loginItemFor>[0]): void => {
    const item = loginItemFor(mode, launch.workspace);
    // A development build must not register a checkout's Electron binary with the OS.
    if (!app.isPackaged) {
      if (item.openAtLogin) log('start at login is only registered by installed builds');
      return;
    }
    app.setLoginItemSettings({ openAtLogin: item.openAtLogin, args: item.args });
  };
  let loginMode = theCore.services.settings.getUi().startAtLogin;
  applyLoginItem(loginMode);
  const stopLoginWatch = theCore.services.settings.onUiChange((ui) => {
    if (ui.startAtLogin === loginMode) return;
    loginMode = ui.startAtLogin;
    applyLoginItem(loginMode);
  });
  // After sleep or a locked screen, every page reads its data again (the core's loops resume by themselves).
  powerMonitor.on('resume', () => theCore.resume('resume'));
  powerMonitor.on('unlock-screen', () => theCore.resume('unlock'));

  app.setAboutPanelOptions({ applicationName: 'TOC Console', applicationVersion: app.getVersion() });
  installMenu();
  if (wall) {
    // Started as a wall (--wall): the window opens fullscreen (window options) and the page on the wall
    // board, unless a deep link asked for something else. createCore already made the contract read-only.
    setPowerBlock(true);
    pendingNav ??= { view: 'wall' };
  }
  mainWindow = createWindow();

  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open opens one again.
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    notifier.stop();
    stopLoginWatch();
    setPowerBlock(false);
    bridge?.dispose();
    stopProtocol();
    void theCore.dispose();
  });
}

function logSecretEvent(e: SecretLogEvent): void {
  const parts = [`secrets ${e.level}: ${e.event}`];
  if (e.state) parts.push(`state=${e.state}`);
  if (e.backend) parts.push(`backend=${e.backend}`);
  if (e.message) parts.push(e.message);
  log(parts.join(' '));
}
