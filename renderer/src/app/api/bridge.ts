import type { TocBridge } from '@shared/kernel/bridge';
import type { Result } from '@shared/kernel/result';
import { bridgeUrl, takeAccessToken } from './token';
import type { BridgeSetup, Connectivity, ConnectivitySnapshot, InvokeOptions, RendererBridge } from './types';
import { createWsBridge } from './ws-bridge';

const ALWAYS_ONLINE: ConnectivitySnapshot = { state: 'online', failures: 0, nextRetryAt: null, missingToken: false, endpoint: null };

/** IPC to main does not drop the way a socket does: the preload's bridge is online for the window's life. */
export const alwaysOnline: Connectivity = {
  snapshot: () => ALWAYS_ONLINE,
  subscribe: () => () => undefined,
  reconnectNow: () => undefined,
};

function isTocBridge(x: unknown): x is TocBridge {
  if (typeof x !== 'object' || x === null) return false;
  const b = x as Partial<TocBridge>;
  return typeof b.invoke === 'function' && typeof b.subscribe === 'function';
}

/**
 * The preload object cannot take an AbortSignal (it does not survive contextBridge), so cancelling a call over
 * IPC only stops waiting for it here; main finishes the call and its answer is dropped.
 */
export function withLocalAbort(toc: TocBridge): RendererBridge {
  return {
    transport: toc.transport,
    subscribe: (topic, args, onBatch, onError) => toc.subscribe(topic, args, onBatch, onError),
    invoke(method: string, args?: unknown, opts?: InvokeOptions): Promise<Result<unknown>> {
      const signal = opts?.signal;
      const cancelled: Result<never> = { ok: false, error: { code: 'cancelled', message: `"${method}" was cancelled.` } };
      if (!signal) return toc.invoke(method, args);
      if (signal.aborted) return Promise.resolve(cancelled);
      return new Promise((resolve, reject) => {
        const onAbort = (): void => resolve(cancelled);
        signal.addEventListener('abort', onAbort, { once: true });
        toc.invoke(method, args).then(
          (r) => {
            signal.removeEventListener('abort', onAbort);
            resolve(r);
          },
          (e: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(e);
          },
        );
      });
    },
  };
}

/** `window.toc` inside Electron; otherwise (a browser on `toc serve`) the WebSocket bridge on this origin. */
export function resolveBridge(win: Window = window): BridgeSetup {
  const toc: unknown = (win as unknown as { toc?: unknown }).toc;
  if (isTocBridge(toc)) return { bridge: withLocalAbort(toc), connectivity: alwaysOnline };
  const token = takeAccessToken();
  const ws = createWsBridge({ url: bridgeUrl(win.location, token), missingToken: token === null });
  win.addEventListener('pagehide', () => ws.close(), { once: true });
  return ws;
}
