import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IPC_CHANNELS } from '@shared/kernel/bridge';
import type { Result } from '@shared/kernel/result';
import { app, BrowserWindow, ipcMain, Menu, powerSaveBlocker, protocol, resetElectronStub } from '../../stubs/electron';
import type { FakeBrowserWindow, FakeMenuTemplateItem } from '../../stubs/electron';

// The entry file wired against the Electron stub: the order of things before 'ready', what the window gets,
// that IPC reaches the core, and that menu, deep link and wall mode go through the contract.

// electron-store imports the real 'electron' package (which would try to download its binary): the settings
// file goes through conf instead, as in the CLI. The keychain is replaced by an in-memory store.
vi.mock('../../../electron/main/settings-store', async () => {
  const { openConfBackend } = await import('../../../electron/core/kernel/settings/conf-backend');
  return { openSettingsBackend: (dir: string) => openConfBackend(dir) };
});
vi.mock('../../../electron/core/kernel/secrets/index', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../../electron/core/kernel/secrets/index')>();
  class ResilientSecretStore extends orig.MemorySecretStore {}
  return { ...orig, ResilientSecretStore };
});

let userData: string;
let win: FakeBrowserWindow;
const appFrame = { url: 'app://console/index.html', parent: null };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const call = (method: string, args?: unknown): Promise<Result<unknown>> =>
  ipcMain.invoke(IPC_CHANNELS.invoke, { sender: win.webContents, senderFrame: appFrame }, method, args) as Promise<Result<unknown>>;
const flatten = (items: readonly FakeMenuTemplateItem[]): FakeMenuTemplateItem[] => items.flatMap((i) => [i, ...flatten(i.submenu ?? [])]);
const menuItem = (accelerator: string): FakeMenuTemplateItem | undefined =>
  flatten(Menu.getApplicationMenu()?.template ?? []).find((i) => i.accelerator === accelerator);

beforeAll(async () => {
  resetElectronStub();
  userData = mkdtempSync(path.join(os.tmpdir(), 'toc-main-'));
  vi.stubEnv('TOC_USER_DATA', userData);
  vi.stubEnv('TOC_WORKSPACE', '');
  await import('../../../electron/main/index');
  // Before ready: the scheme is privileged and every renderer will be sandboxed.
  expect(protocol.privileged.map((s) => s.scheme)).toEqual(['app']);
  expect(app.sandboxEnabled).toBe(true);
  expect(app.getPath('userData')).toBe(userData);
  app.fireReady();
  for (let i = 0; i < 200 && BrowserWindow.getAllWindows().length === 0; i++) await sleep(10);
  const w = BrowserWindow.getAllWindows()[0];
  if (!w) throw new Error('no window was created');
  win = w;
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(userData, { recursive: true, force: true });
});

describe('desktop entry', () => {
  it('creates one hidden, hardened window on app://console and shows it on ready-to-show', () => {
    expect(win.options).toMatchObject({
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false },
    });
    expect(String((win.options.webPreferences as { preload?: string }).preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(win.loaded).toEqual(['app://console/index.html']);
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
    expect(protocol.handlers.has('app')).toBe(true);
    // A development build does not claim toc:// links from the OS.
    expect(app.protocolClients).toEqual([]);
  });

  it('hardens the window it created', () => {
    expect(win.webContents.tryNavigate('will-navigate', 'https://example.invalid/')).toBe(false);
    expect(win.webContents.openWindow('about:blank')).toBe('deny');
  });

  it('answers the window over IPC with the demo workspace, and refuses another webContents', async () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([IPC_CHANNELS.invoke, IPC_CHANNELS.subscribe, IPC_CHANNELS.unsubscribe].sort());
    const info = await call('app.info');
    expect(info).toMatchObject({ ok: true, data: { transport: 'ipc', wall: false, workspace: { demo: true } } });
    const stranger = new BrowserWindow({}).webContents;
    const refused = await ipcMain.invoke(IPC_CHANNELS.invoke, { sender: stranger, senderFrame: appFrame }, 'app.info');
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });

  it('holds a deep link from a second instance until the page listens for navigation', async () => {
    app.emit('second-instance', {}, ['/opt/toc', 'toc://incidents/INC0012345'], '/');
    await sleep(40);
    expect(win.webContents.sent).toEqual([]);
    await ipcMain.invoke(IPC_CHANNELS.subscribe, { sender: win.webContents, senderFrame: appFrame }, 1, 'app.navigate', {});
    await sleep(60);
    expect(win.webContents.sent).toEqual([{ channel: IPC_CHANNELS.events, args: [1, [{ view: 'incidents', id: 'INC0012345' }]] }]);
  });

  it('menu shortcuts navigate through the contract', async () => {
    win.webContents.sent.length = 0;
    menuItem('CmdOrCtrl+4')?.click?.();
    menuItem('CmdOrCtrl+,')?.click?.();
    await sleep(60);
    expect(win.webContents.sent.flatMap((m) => m.args[1] as unknown[])).toEqual([{ view: 'jobs' }, { view: 'settings' }]);
  });

  it('wall mode: fullscreen, display kept awake, every action refused; and back', async () => {
    menuItem('CmdOrCtrl+Shift+D')?.click?.();
    expect(win.isFullScreen()).toBe(true);
    expect([...powerSaveBlocker.active.values()]).toEqual(['prevent-display-sleep']);
    expect(await call('app.info')).toMatchObject({ ok: true, data: { wall: true } });
    expect(await call('connections.remove', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'read_only' } });
    menuItem('CmdOrCtrl+Shift+D')?.click?.();
    expect(win.isFullScreen()).toBe(false);
    expect(powerSaveBlocker.active.size).toBe(0);
    expect(await call('app.info')).toMatchObject({ ok: true, data: { wall: false } });
  });

  it('ends the page subscriptions when the window closes', async () => {
    win.close();
    win.webContents.sent.length = 0;
    menuItem('CmdOrCtrl+1')?.click?.();
    await sleep(60);
    expect(win.webContents.sent).toEqual([]);
  });
});
