import { beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '@shared/kernel/bridge';
import type { TocBridge } from '@shared/kernel/bridge';
import { PRELOAD_CHANNELS } from '../../../electron/preload/ipc-client';
import { contextBridge, ipcRenderer, resetElectronStub } from '../../stubs/electron';

let toc: TocBridge;

beforeAll(async () => {
  resetElectronStub();
  // Importing the preload runs it against the stub's contextBridge, which records what was exposed.
  await import('../../../electron/preload/index');
  toc = contextBridge.exposed.get('toc') as TocBridge;
});

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('preload', () => {
  it('exposes exactly one object, window.toc, with exactly invoke, subscribe and transport', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['toc']);
    expect(Object.keys(toc).sort()).toEqual(['invoke', 'subscribe', 'transport']);
    expect(toc.transport).toBe('ipc');
    expect(Object.isFrozen(toc)).toBe(true);
  });

  it('never hands out ipcRenderer or anything reaching it', () => {
    for (const value of Object.values(toc)) expect(value).not.toBe(ipcRenderer);
    expect(JSON.stringify(Object.getOwnPropertyNames(toc))).not.toMatch(/ipc|send|on\b|require|process/i);
  });

  it('uses the contract channel names (restated in the preload so it bundles without zod)', () => {
    expect(PRELOAD_CHANNELS).toEqual(IPC_CHANNELS);
  });

  it('keeps a single listener on the events channel however many subscriptions there are', () => {
    const unsubs = [1, 2, 3].map(() => toc.subscribe('app.navigate', {}, () => undefined));
    expect(ipcRenderer.listenerCount(IPC_CHANNELS.events)).toBe(1);
    unsubs.forEach((u) => u());
    expect(ipcRenderer.listenerCount(IPC_CHANNELS.events)).toBe(1);
  });

  it('invoke goes through ipcRenderer.invoke and always resolves to an envelope', async () => {
    ipcRenderer.invokeHandler = (channel, method) =>
      channel === IPC_CHANNELS.invoke && method === 'app.info' ? { ok: true, data: 1 } : 'junk';
    expect(await toc.invoke('app.info', {})).toEqual({ ok: true, data: 1 });
    expect(await toc.invoke('x')).toMatchObject({ ok: false, error: { code: 'internal' } });
    ipcRenderer.invokeHandler = () => {
      throw new Error('An object could not be cloned.');
    };
    expect(await toc.invoke('app.info', { f: 1 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('routes batches by id, and the returned unsubscribe (made in the preload) stops delivery and tells main', async () => {
    const calls: { channel: string; args: unknown[] }[] = [];
    ipcRenderer.invokeHandler = (channel, ...args) => {
      calls.push({ channel, args });
      return channel === IPC_CHANNELS.subscribe ? { ok: true, data: { id: args[0] } } : { ok: true, data: { stopped: true } };
    };
    const a: unknown[][] = [];
    const b: unknown[][] = [];
    const unsubA = toc.subscribe('app.navigate', {}, (batch) => a.push(batch));
    toc.subscribe('settings.changed', {}, (batch) => b.push(batch));
    await tick();
    const [subA, subB] = calls.filter((c) => c.channel === IPC_CHANNELS.subscribe);
    const idA = subA?.args[0];
    const idB = subB?.args[0];
    expect(subA?.args.slice(1)).toEqual(['app.navigate', {}]);
    expect(idA).not.toBe(idB);

    ipcRenderer.deliver(IPC_CHANNELS.events, idA, [{ view: 'jobs' }]);
    ipcRenderer.deliver(IPC_CHANNELS.events, idB, [{ theme: 'dark' }]);
    ipcRenderer.deliver(IPC_CHANNELS.events, 'nonsense', 'not a batch');
    expect(a).toEqual([[{ view: 'jobs' }]]);
    expect(b).toEqual([[{ theme: 'dark' }]]);

    unsubA();
    unsubA();
    ipcRenderer.deliver(IPC_CHANNELS.events, idA, [{ view: 'slos' }]);
    expect(a).toHaveLength(1);
    await tick();
    expect(calls.filter((c) => c.channel === IPC_CHANNELS.unsubscribe)).toEqual([{ channel: IPC_CHANNELS.unsubscribe, args: [idA] }]);
  });

  it('reports a refused subscription through onError and forgets it', async () => {
    ipcRenderer.invokeHandler = () => ({ ok: false, error: { code: 'forbidden_sender', message: 'Refused' } });
    const errors: string[] = [];
    const batches: unknown[] = [];
    toc.subscribe(
      'app.navigate',
      {},
      (x) => batches.push(x),
      (e) => errors.push(e.code),
    );
    await tick();
    expect(errors).toEqual(['forbidden_sender']);
    const last = ipcRenderer.invocations.at(-1);
    ipcRenderer.deliver(IPC_CHANNELS.events, last?.args[0], [1]);
    expect(batches).toEqual([]);
  });
});
