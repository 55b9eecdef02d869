import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IPC_CHANNELS } from '@shared/kernel/bridge';
import type { Result } from '@shared/kernel/result';
import { createCore } from '../../../electron/core/core';
import type { Core } from '../../../electron/core/core';
import { Dispatcher } from '../../../electron/core/kernel/dispatch/dispatcher';
import { Registry } from '../../../electron/core/kernel/dispatch/registry';
import { bindIpcBridge } from '../../../electron/main/ipc-bridge';
import type { IpcBridge, SenderEventLike } from '../../../electron/main/ipc-bridge';
import { createIpcBridge } from '../../../electron/preload/ipc-client';
import { FakeIpcMain, FakeIpcRenderer, FakeWebContents } from '../../stubs/electron';
import type { FakeFrame } from '../../stubs/electron';
import { fakeSecrets } from '../../helpers/fake-secrets';

const APP_FRAME: FakeFrame = { url: 'app://console/index.html', parent: null };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let dir: string;
let core: Core;
let ipcMain: FakeIpcMain;
let bridge: IpcBridge;
let wc: FakeWebContents;

const eventFrom = (contents: FakeWebContents, frame: FakeFrame | null = APP_FRAME): SenderEventLike => ({
  sender: contents,
  senderFrame: frame,
});
const call = (method: unknown, args?: unknown, event = eventFrom(wc)): Promise<Result<unknown>> =>
  ipcMain.invoke(IPC_CHANNELS.invoke, event, method, args) as Promise<Result<unknown>>;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-ipc-'));
  core = await createCore({ version: '0.0.0', transport: 'ipc', workspaceFile: null, dataDir: dir, secrets: fakeSecrets() });
  ipcMain = new FakeIpcMain();
  bridge = bindIpcBridge({ ipcMain, dispatcher: core.dispatcher, batchIntervalMs: 5 });
  wc = new FakeWebContents();
  bridge.trust(wc);
});

afterEach(() => {
  bridge.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('IPC bridge: calls', () => {
  it('registers exactly the three invoke channels', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([IPC_CHANNELS.invoke, IPC_CHANNELS.subscribe, IPC_CHANNELS.unsubscribe].sort());
  });

  it('answers the app page with the contract envelope', async () => {
    const r = await call('app.info');
    expect(r).toMatchObject({ ok: true, data: { name: 'TOC Console', transport: 'ipc', wall: false } });
  });

  it('refuses bad arguments with bad_request, as a value', async () => {
    const r = await call('activity.list', { limit: 'all', extra: true });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bad_request');
      expect(r.error.detail?.fields?.length).toBeGreaterThan(0);
    }
  });

  it('refuses an unknown method, and a method that is not a string', async () => {
    expect(await call('fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await call('__proto__')).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await call({ toString: 'x' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('refuses every action in wall mode, and allows reads', async () => {
    core.setWall(true);
    expect(await call('connections.remove', { id: 'prom' })).toMatchObject({ ok: false, error: { code: 'read_only' } });
    expect(await call('settings.update', { theme: 'dark' })).toMatchObject({ ok: true });
    expect(await call('connections.setSecret', { connectionId: 'c', field: 'token', value: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'read_only' },
    });
    expect(await call('app.info')).toMatchObject({ ok: true, data: { wall: true } });
  });

  it('refuses foreign senders with forbidden_sender instead of throwing', async () => {
    const stranger = new FakeWebContents();
    const cases: SenderEventLike[] = [
      eventFrom(stranger),
      eventFrom(wc, { url: 'https://evil.example/', parent: null }),
      eventFrom(wc, { url: 'app://console/index.html', parent: APP_FRAME }),
      eventFrom(wc, null),
    ];
    for (const ev of cases) {
      await expect(call('app.info', undefined, ev)).resolves.toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
      await expect(ipcMain.invoke(IPC_CHANNELS.subscribe, ev, 1, 'app.navigate', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'forbidden_sender' },
      });
    }
    expect(bridge.subscriptionCount()).toBe(0);
  });

  it('stops trusting a webContents once it is destroyed', async () => {
    wc.destroy();
    expect(await call('app.info')).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });
});

describe('IPC bridge: subscriptions', () => {
  it('batches payloads into one message per interval on the events channel', async () => {
    const r = await ipcMain.invoke(IPC_CHANNELS.subscribe, eventFrom(wc), 1, 'app.navigate', {});
    expect(r).toEqual({ ok: true, data: { id: 1 } });
    core.services.navigate({ view: 'incidents' });
    core.services.navigate({ view: 'jobs', id: '42' });
    core.services.navigate({ view: 'slos' });
    expect(wc.sent).toHaveLength(0);
    await sleep(30);
    expect(wc.sent).toEqual([
      { channel: IPC_CHANNELS.events, args: [1, [{ view: 'incidents' }, { view: 'jobs', id: '42' }, { view: 'slos' }]] },
    ]);
  });

  it('refuses unknown topics and bad ids', async () => {
    expect(await ipcMain.invoke(IPC_CHANNELS.subscribe, eventFrom(wc), 1, 'fs.watch', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(await ipcMain.invoke(IPC_CHANNELS.subscribe, eventFrom(wc), -1, 'app.navigate', {})).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await ipcMain.invoke(IPC_CHANNELS.subscribe, eventFrom(wc), 1, 'app.navigate', { x: 1 })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(bridge.subscriptionCount()).toBe(0);
  });

  it('stops the source on unsubscribe; nothing more is sent', async () => {
    await ipcMain.invoke(IPC_CHANNELS.subscribe, eventFrom(wc), 3, 'app.navigate', {});
    expect(await ipcMain.invoke(IPC_CHANNELS.unsubscribe, eventFrom(wc), 3)).toEqual({ ok: true, data: { stopped: true } });
    expect(await ipcMain.invoke(IPC_CHANNELS.unsubscribe, eventFrom(wc), 3)).toEqual({ ok: true, data: { stopped: false } });
    core.services.navigate({ view: 'incidents' });
    await sleep(20);
    expect(wc.sent).toHaveLength(0);
  });

  it('ends every subscription of a webContents when it is destroyed, crashes or reloads; sends nothing to a destroyed one', async () => {
    const stopped: string[] = [];
    const registry = new Registry();
    const emitters: ((p: unknown) => void)[] = [];
    registry.source('activity.appended', (_a, e) => {
      emitters.push(e as (p: unknown) => void);
      return () => stopped.push('audit');
    });
    const ipc = new FakeIpcMain();
    const b = bindIpcBridge({ ipcMain: ipc, dispatcher: new Dispatcher({ registry, isReadOnly: () => false }), batchIntervalMs: 5 });
    for (const ending of ['destroyed', 'render-process-gone', 'did-navigate'] as const) {
      const page = new FakeWebContents();
      b.trust(page);
      await ipc.invoke(IPC_CHANNELS.subscribe, eventFrom(page), 1, 'activity.appended', {});
      expect(b.subscriptionCount(page.id)).toBe(1);
      if (ending === 'destroyed') {
        // A payload already batched when the window goes away must not be sent to it.
        emitters.at(-1)?.({ late: true });
        page.destroy();
      } else page.emit(ending);
      expect(b.subscriptionCount(page.id)).toBe(0);
      await sleep(20);
      expect(page.sent).toHaveLength(0);
    }
    expect(stopped).toEqual(['audit', 'audit', 'audit']);
    b.dispose();
  });
});

describe('preload and main over a fake wire', () => {
  it('invoke, subscribe, refusal and unsubscribe work end to end through window.toc', async () => {
    const renderer = new FakeIpcRenderer();
    // What IPC does between the processes: structured clones both ways, main's answers as invoke results.
    renderer.invokeHandler = (channel, ...args) => ipcMain.invoke(channel, eventFrom(wc), ...structuredClone(args)).then(structuredClone);
    wc.onSend = (channel, ...args) => renderer.deliver(channel, ...structuredClone(args));
    const toc = createIpcBridge(renderer);

    expect(await toc.invoke('app.info')).toMatchObject({ ok: true, data: { transport: 'ipc' } });
    expect(await toc.invoke('nope')).toMatchObject({ ok: false, error: { code: 'unknown_method' } });

    const batches: unknown[][] = [];
    const unsubscribe = toc.subscribe('app.navigate', {}, (b) => batches.push(b));
    await sleep(5);
    core.services.navigate({ view: 'runbooks' });
    await sleep(30);
    expect(batches).toEqual([[{ view: 'runbooks' }]]);

    const errors: string[] = [];
    toc.subscribe(
      'no.such.topic',
      {},
      () => undefined,
      (e) => errors.push(e.code),
    );
    await sleep(5);
    expect(errors).toEqual(['unknown_method']);

    unsubscribe();
    await sleep(5);
    expect(bridge.subscriptionCount(wc.id)).toBe(0);
    core.services.navigate({ view: 'jobs' });
    await sleep(30);
    expect(batches).toHaveLength(1);
  });
});
