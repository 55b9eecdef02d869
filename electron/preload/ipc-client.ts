import type { TocBridge } from '@shared/kernel/bridge';
import { IPC_CHANNELS } from '@shared/kernel/ipc-channels';
import type { ContractError, Result } from '@shared/kernel/result';

// window.toc over Electron IPC. The page gets two functions and a label, never ipcRenderer, never an IPC event
// object (its `sender` would be the whole ipcRenderer), and no Node or Electron type appears in what it sees.

/** The channel names come from a zod-free module: a sandboxed preload can only `require` electron itself. */
export const PRELOAD_CHANNELS = IPC_CHANNELS;

/** The part of ipcRenderer the bridge uses. */
export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

interface Listener {
  onBatch: (batch: unknown[]) => void;
  onError: ((error: ContractError) => void) | undefined;
}

export function createIpcBridge(ipc: IpcRendererPort): TocBridge {
  const listeners = new Map<number, Listener>();
  let nextId = 1;

  // One listener for all subscriptions, routing by id. Registered once per document and never removed: a
  // listener per subscription would have to be removed again, and removing a function that crossed
  // contextBridge silently fails (its identity changes on the way).
  ipc.on(PRELOAD_CHANNELS.events, (_event, id, batch) => {
    if (typeof id !== 'number' || !Array.isArray(batch)) return;
    const l = listeners.get(id);
    if (!l) return; // unsubscribed while the batch was in flight
    try {
      l.onBatch(batch);
    } catch (e) {
      console.error('toc: subscription callback failed', e);
    }
  });

  const invoke = async (method: string, args?: unknown): Promise<Result<unknown>> => {
    try {
      const res = await ipc.invoke(PRELOAD_CHANNELS.invoke, method, args);
      return isResult(res) ? res : { ok: false, error: { code: 'internal', message: 'Main answered outside the contract.' } };
    } catch (e) {
      // IPC itself failed: usually arguments that cannot be cloned (functions, DOM nodes).
      return { ok: false, error: { code: 'bad_request', message: `The call could not be sent: ${messageOf(e)}` } };
    }
  };

  const subscribe = (
    topic: string,
    args: unknown,
    onBatch: (batch: unknown[]) => void,
    onError?: (error: ContractError) => void,
  ): (() => void) => {
    const id = nextId++;
    // Registered before asking main, so a batch that arrives before the answer is not lost.
    listeners.set(id, { onBatch, onError });
    const report = (error: ContractError): void => {
      if (!listeners.delete(id)) return;
      try {
        onError?.(error);
      } catch (e) {
        console.error('toc: subscription error callback failed', e);
      }
    };
    ipc.invoke(PRELOAD_CHANNELS.subscribe, id, topic, args).then(
      (res) => {
        if (!isResult(res)) report({ code: 'internal', message: 'Main answered outside the contract.' });
        else if (!res.ok) report(res.error);
      },
      (e: unknown) => report({ code: 'bad_request', message: `The subscription could not be sent: ${messageOf(e)}` }),
    );
    // Created here, in the preload's world, so calling it from the page works whatever contextBridge does to
    // function identity. Calling it twice is harmless.
    return () => {
      if (!listeners.delete(id)) return;
      ipc.invoke(PRELOAD_CHANNELS.unsubscribe, id).catch(() => undefined);
    };
  };

  return Object.freeze({ transport: 'ipc' as const, invoke, subscribe });
}

function isResult(x: unknown): x is Result<unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as { ok?: unknown; error?: unknown };
  if (r.ok === true) return true;
  if (r.ok !== false || typeof r.error !== 'object' || r.error === null) return false;
  const err = r.error as { code?: unknown; message?: unknown };
  return typeof err.code === 'string' && typeof err.message === 'string';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
