import { EventEmitter } from 'node:events';

// What `import … from 'electron'` resolves to under vitest (see vitest.config.ts). The real package would try
// to download its binary on first require, and unit tests must run anywhere. Each fake does just enough for the
// shell's unit tests and records what it was asked, so a test can assert on it. Production code is still
// type-checked against Electron's own electron.d.ts; tests import this module by path to reach the recorders.

/** A minimal Electron-style event: handlers call preventDefault(), the test reads defaultPrevented. */
export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** A navigation-style event (will-navigate, will-redirect, will-frame-navigate). */
export class FakeNavigationEvent extends FakeEvent {
  constructor(
    readonly url: string,
    readonly isMainFrame = true,
  ) {
    super();
  }
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

export type PermissionRequestHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
export type PermissionCheckHandler = (wc: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean;

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  setPermissionRequestHandler(h: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = h;
  }
  /** Asks the request handler like Chromium would; resolves with its answer (or Electron's default: granted). */
  requestPermission(permission: string): Promise<boolean> {
    const h = this.permissionRequestHandler;
    if (!h) return Promise.resolve(true);
    return new Promise((resolve) => h(null, permission, resolve, {}));
  }
  checkPermission(permission: string, origin = 'app://console'): boolean {
    return this.permissionCheckHandler ? this.permissionCheckHandler(null, permission, origin, {}) : true;
  }
}

let nextContentsId = 1;

export interface SentMessage {
  channel: string;
  args: unknown[];
}

export type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly sent: SentMessage[] = [];
  readonly session: FakeSession;
  windowOpenHandler: WindowOpenHandler | null = null;
  /** Where sent messages go besides `sent` (a test wires it to a FakeIpcRenderer). */
  onSend: ((channel: string, ...args: unknown[]) => void) | null = null;
  mainFrame: FakeFrame = { url: 'app://console/index.html', parent: null };
  private destroyed = false;

  constructor(session: FakeSession = new FakeSession()) {
    super();
    this.session = session;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
    this.onSend?.(channel, ...args);
  }
  setWindowOpenHandler(h: WindowOpenHandler): void {
    this.windowOpenHandler = h;
  }
  /** Runs the window-open handler as Chromium would for window.open(url); Electron's default is allow. */
  openWindow(url: string): 'allow' | 'deny' {
    return this.windowOpenHandler ? this.windowOpenHandler({ url }).action : 'allow';
  }
  /** Emits a preventable navigation event and says whether the navigation would go ahead. */
  tryNavigate(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', url: string, isMainFrame = true): boolean {
    const e = new FakeNavigationEvent(url, isMainFrame);
    this.emit(event, e, url);
    return !e.defaultPrevented;
  }
  reload(): void {
    this.emit('did-navigate');
  }
  setBackgroundThrottling(_on: boolean): void {}
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: never, ...args: never[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener as (event: unknown, ...args: unknown[]) => unknown);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke would get back: the handler's (awaited) answer. */
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  }
}

export class FakeIpcRenderer extends EventEmitter {
  readonly invocations: { channel: string; args: unknown[] }[] = [];
  /** Answers ipcRenderer.invoke; tests replace it to play main. */
  invokeHandler: (channel: string, ...args: unknown[]) => unknown = () => undefined;
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return this.invokeHandler(channel, ...args);
  }
  send(channel: string, ...args: unknown[]): void {
    this.invocations.push({ channel, args });
  }
  /** Delivers a message from main the way Electron does: an event object first, then the arguments. */
  deliver(channel: string, ...args: unknown[]): void {
    this.emit(channel, { sender: this, senderId: 0 }, ...args);
  }
}

export class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(apiKey: string, api: unknown): void {
    if (this.exposed.has(apiKey)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${apiKey}`);
    this.exposed.set(apiKey, api);
  }
}

export class FakeApp extends EventEmitter {
  isPackaged = false;
  sandboxEnabled = false;
  readonly paths = new Map<string, string>([
    ['userData', '/tmp/toc-stub-userdata'],
    ['home', '/tmp'],
    ['temp', '/tmp'],
  ]);
  readonly protocolClients: string[] = [];
  singleInstance = true;
  quitCalled = false;
  private readyFired = false;
  private readyResolve: (() => void) | null = null;
  private readonly ready = new Promise<void>((resolve) => {
    this.readyResolve = resolve;
  });

  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  /** Test helper: fire 'ready'. */
  fireReady(): void {
    if (this.readyFired) return;
    this.readyFired = true;
    this.readyResolve?.();
    this.emit('ready');
  }
  isReady(): boolean {
    return this.readyFired;
  }
  getPath(name: string): string {
    const p = this.paths.get(name);
    if (!p) throw new Error(`Failed to get '${name}' path`);
    return p;
  }
  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  getName(): string {
    return 'TOC Console';
  }
  getAppPath(): string {
    return process.cwd();
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  setAsDefaultProtocolClient(scheme: string): boolean {
    this.protocolClients.push(scheme);
    return true;
  }
  setAboutPanelOptions(_o: unknown): void {}
  showAboutPanel(): void {}
  /** What the shell last asked the OS about starting at login. */
  loginItem: { openAtLogin: boolean; args?: string[]; path?: string } = { openAtLogin: false };
  setLoginItemSettings(settings: { openAtLogin?: boolean; args?: string[]; path?: string }): void {
    this.loginItem = {
      openAtLogin: settings.openAtLogin ?? false,
      ...(settings.args ? { args: settings.args } : {}),
      ...(settings.path ? { path: settings.path } : {}),
    };
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { openAtLogin: this.loginItem.openAtLogin };
  }
  quit(): void {
    this.quitCalled = true;
  }
  exit(_code?: number): void {
    this.quitCalled = true;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly all = new Set<FakeBrowserWindow>();
  static getAllWindows(): FakeBrowserWindow[] {
    return [...FakeBrowserWindow.all];
  }
  readonly webContents: FakeWebContents;
  readonly loaded: string[] = [];
  visible = false;
  fullScreen = false;
  private destroyed = false;

  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    this.webContents = new FakeWebContents(session.defaultSession);
    this.fullScreen = options.fullscreen === true;
    FakeBrowserWindow.all.add(this);
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {}
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  maximize(): void {}
  isMaximized(): boolean {
    return false;
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  setFullScreen(on: boolean): void {
    this.fullScreen = on;
  }
  setAutoHideMenuBar(_on: boolean): void {}
  setMenuBarVisibility(_on: boolean): void {}
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 0, y: 0, width: Number(this.options.width ?? 800), height: Number(this.options.height ?? 600) };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.emit('close');
    this.destroyed = true;
    FakeBrowserWindow.all.delete(this);
    this.webContents.destroy();
    this.emit('closed');
  }
}

export interface RegisteredScheme {
  scheme: string;
  privileges?: Record<string, boolean>;
}

export class FakeProtocol {
  readonly privileged: RegisteredScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  registerSchemesAsPrivileged(schemes: RegisteredScheme[]): void {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    this.handlers.set(scheme, handler);
  }
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }
  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }
}

export class FakeShell {
  readonly opened: string[] = [];
  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  }
}

export interface FakeMenuTemplateItem {
  label?: string;
  role?: string;
  accelerator?: string;
  submenu?: FakeMenuTemplateItem[];
  click?: () => void;
}

export class FakeMenu {
  constructor(readonly template: readonly FakeMenuTemplateItem[]) {}
  static applicationMenu: FakeMenu | null = null;
  static buildFromTemplate(template: readonly FakeMenuTemplateItem[]): FakeMenu {
    return new FakeMenu(template);
  }
  static setApplicationMenu(menu: FakeMenu | null): void {
    FakeMenu.applicationMenu = menu;
  }
  static getApplicationMenu(): FakeMenu | null {
    return FakeMenu.applicationMenu;
  }
}

export class FakePowerSaveBlocker {
  private next = 1;
  readonly active = new Map<number, string>();
  start(type: string): number {
    const id = this.next++;
    this.active.set(id, type);
    return id;
  }
  stop(id: number): boolean {
    return this.active.delete(id);
  }
  isStarted(id: number): boolean {
    return this.active.has(id);
  }
}

/** powerMonitor: tests emit 'resume' / 'unlock-screen' on it. */
export class FakePowerMonitor extends EventEmitter {}

/** Desktop notifications the shell showed, newest last; a test clicks one with `emit('click')`. */
export class FakeNotification extends EventEmitter {
  static readonly shown: FakeNotification[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title?: string; body?: string; urgency?: string }) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
  close(): void {
    this.emit('close');
  }
}

export const screen = {
  getAllDisplays: (): { id: number; workArea: { x: number; y: number; width: number; height: number } }[] => [
    { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } },
  ],
};

export const net = {
  fetch: (): Promise<never> => Promise.reject(new Error('net.fetch is not available in unit tests')),
};

export const app = new FakeApp();
export const session = { defaultSession: new FakeSession() };
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();
export const contextBridge = new FakeContextBridge();
export const protocol = new FakeProtocol();
export const shell = new FakeShell();
export const powerSaveBlocker = new FakePowerSaveBlocker();
export const powerMonitor = new FakePowerMonitor();
export const Notification = FakeNotification;
export const BrowserWindow = FakeBrowserWindow;
export const Menu = FakeMenu;
export const dialog = {
  showMessageBox: (): Promise<{ response: number }> => Promise.resolve({ response: 0 }),
  showSaveDialog: (): Promise<{ canceled: boolean; filePath?: string }> => Promise.resolve({ canceled: true }),
  showErrorBox: (): void => undefined,
};

/** Forget everything the fakes recorded (call from beforeEach). */
export function resetElectronStub(): void {
  app.removeAllListeners();
  app.sandboxEnabled = false;
  app.isPackaged = false;
  app.quitCalled = false;
  app.protocolClients.length = 0;
  session.defaultSession = new FakeSession();
  ipcMain.removeAllListeners();
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invocations.length = 0;
  ipcRenderer.invokeHandler = () => undefined;
  contextBridge.exposed.clear();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  shell.opened.length = 0;
  powerSaveBlocker.active.clear();
  powerMonitor.removeAllListeners();
  FakeNotification.shown.length = 0;
  app.loginItem = { openAtLogin: false };
  FakeMenu.applicationMenu = null;
  FakeBrowserWindow.all.clear();
}

export default {
  app,
  session,
  ipcMain,
  ipcRenderer,
  contextBridge,
  protocol,
  shell,
  powerSaveBlocker,
  powerMonitor,
  Notification,
  BrowserWindow,
  Menu,
  screen,
  net,
  dialog,
};
