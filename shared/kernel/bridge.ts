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

/**
 * The longest string any contract argument may hold (`slo.import`'s YAML); a test checks every method's schema
 * against it, so raising a limit in the contract means raising it here.
 */
export const LARGEST_CONTRACT_STRING = 1_000_000;
/** JSON text can spend up to 6 UTF-8 bytes on one UTF-16 unit: a control character or lone surrogate is `\uXXXX`. */
const JSON_BYTES_PER_CHAR_WORST = 6;
/** Room for the message envelope and the other, small arguments next to the largest string. */
const ENVELOPE_BYTES = 64 * 1024;
/**
 * The largest WebSocket message `toc serve` accepts, derived from the contract: whatever a call may legitimately
 * carry fits in one frame however it is encoded, so a valid call is never cut off with 1009 (too big).
 */
export const MAX_BRIDGE_FRAME_BYTES = LARGEST_CONTRACT_STRING * JSON_BYTES_PER_CHAR_WORST + ENVELOPE_BYTES;
/** Subscriptions one socket may hold at once; the renderer needs a few dozen at most. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 256;
/** Bytes `toc serve` keeps queued for a client that does not read; past this its socket is dropped. */
export const MAX_BUFFERED_BYTES_PER_SOCKET = 64 * 1024 * 1024;
/** Calls one socket may have waiting for an answer at once. */
export const MAX_CALLS_IN_FLIGHT_PER_SOCKET = 256;

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
