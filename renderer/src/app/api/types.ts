import type { TocBridge } from '@shared/kernel/bridge';
import type { Result } from '@shared/kernel/result';

export interface InvokeOptions {
  /** Aborting cancels the call: the ws bridge tells the server, and the caller gets a `cancelled` error at once. */
  signal?: AbortSignal;
}

/**
 * The bridge as the renderer uses it: `TocBridge` plus an optional AbortSignal per call. Kept apart from
 * `window.toc` because a signal cannot cross Electron's contextBridge; `bridge.ts` adapts the preload object.
 */
export interface RendererBridge extends TocBridge {
  invoke(method: string, args?: unknown, opts?: InvokeOptions): Promise<Result<unknown>>;
}

export type LinkState = 'connecting' | 'online' | 'offline';

/** How the renderer's link to main is doing. Electron IPC is always online; the ws bridge can drop. */
export interface ConnectivitySnapshot {
  state: LinkState;
  /** Consecutive failed connection attempts since the link was last up. */
  failures: number;
  /** When the next reconnect attempt is due (epoch ms), while offline. */
  nextRetryAt: number | null;
  /** The page was opened without the per-run token `toc serve` prints, so the server will refuse it. */
  missingToken: boolean;
  /** Where the ws bridge connects (host:port), for messages. */
  endpoint: string | null;
}

export interface Connectivity {
  snapshot(): ConnectivitySnapshot;
  subscribe(onChange: () => void): () => void;
  /** Skips the back-off wait (the banner's "Reconnect now"). */
  reconnectNow(): void;
}

export interface BridgeSetup {
  bridge: RendererBridge;
  connectivity: Connectivity;
}
