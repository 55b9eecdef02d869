import { z } from 'zod';
import type { ContractError, Result } from './result';

// What the renderer gets as `window.toc`: one object, two functions. Electron's preload and the `toc serve`
// WebSocket client both implement it; tests and the CLI use a direct implementation over the dispatcher.

export interface TocBridge {
  readonly transport: 'ipc' | 'ws' | 'direct';
  invoke(method: string, args?: unknown): Promise<Result<unknown>>;
  /**
   * Starts a subscription; payloads arrive in batches. Returns the unsubscribe function (a function created on
   * this side of the bridge, so it works across contextBridge where listener identity does not).
   */
  subscribe(topic: string, args: unknown, onBatch: (batch: unknown[]) => void, onError?: (error: ContractError) => void): () => void;
}

// WebSocket wire messages (toc serve). The server validates every client message with these schemas.
export const ClientMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), method: z.string().max(100), args: z.unknown() }).strict(),
  z.object({ t: z.literal('cancel'), id: z.number().int().nonnegative() }).strict(),
  z.object({ t: z.literal('sub'), id: z.number().int().nonnegative(), topic: z.string().max(100), args: z.unknown() }).strict(),
  z.object({ t: z.literal('unsub'), id: z.number().int().nonnegative() }).strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ServerMessage =
  | { t: 'result'; id: number; result: Result<unknown> }
  | { t: 'events'; id: number; batch: unknown[] }
  | { t: 'sub-error'; id: number; error: ContractError };

export { IPC_CHANNELS } from './ipc-channels';
