import { IPC_CHANNELS } from '@shared/kernel/bridge';
import { fail, ok } from '@shared/kernel/result';
import type { Result } from '@shared/kernel/result';
import type { Dispatcher, Subscription } from '../core/kernel/dispatch/dispatcher';
import { createBatchingSink } from '../core/kernel/dispatch/batching';
import type { BatchingSink } from '../core/kernel/dispatch/batching';
import { toContractError } from '../core/kernel/dispatch/errors';
import { APP_ORIGIN, originOf } from './app-origin';

// Binds the core's Dispatcher to Electron IPC. Exactly three invoke channels exist (call, subscribe,
// unsubscribe) and one outgoing event channel, so there is no such thing as an unknown channel; unknown
// methods and bad arguments are refused by the dispatcher. Every request is checked for who sent it, and every
// answer is a Result value: a throw across ipcMain.handle would reach the page as a bare message.

/** The frame an IPC message came from, as far as validation cares. Electron's WebFrameMain satisfies it. */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: SenderFrameLike | null;
}

/** The webContents that sent a message / receives events. Electron's WebContents satisfies it. */
export interface BridgeContents {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  on(event: 'destroyed' | 'render-process-gone' | 'did-navigate', listener: () => void): unknown;
}

export interface SenderEventLike {
  readonly sender: BridgeContents;
  /** Null when the frame navigated away or was destroyed after sending. */
  readonly senderFrame: SenderFrameLike | null;
}

export interface IpcMainPort {
  handle(channel: string, listener: (event: SenderEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Only the console's own top-level page in a window main created may talk to main: a trusted webContents id,
 * the top frame (an iframe could hold anything), and the app origin. A null frame (navigated or destroyed
 * since sending) is refused, and so is a frame without a URL (about:blank, the Playwright/devtools case
 * VS Code tolerates: here it is not worth the risk).
 */
export function validateSender(
  event: { readonly sender: { readonly id: number } | null | undefined; readonly senderFrame: SenderFrameLike | null | undefined },
  trustedIds: ReadonlySet<number>,
  allowedOrigins: readonly string[] = [APP_ORIGIN],
): SenderVerdict {
  const sender = event.sender;
  if (!sender || !trustedIds.has(sender.id)) return { ok: false, reason: 'message from a webContents the console did not create' };
  const frame = event.senderFrame;
  if (!frame) return { ok: false, reason: 'the sending frame is gone' };
  if (frame.parent !== null) return { ok: false, reason: 'message from a child frame' };
  const origin = originOf(frame.url);
  if (origin === null || !allowedOrigins.includes(origin)) return { ok: false, reason: 'message from a foreign origin' };
  return { ok: true };
}

export interface IpcBridgeOptions {
  ipcMain: IpcMainPort;
  dispatcher: Pick<Dispatcher, 'call' | 'subscribe'>;
  /** The console's origins: app://console, plus the dev server's in development. */
  allowedOrigins?: readonly string[];
  /** How long stream payloads are collected before one IPC message carries them. */
  batchIntervalMs?: number;
  /** Called after a subscription starts (main uses it to deliver a deep link once the page listens). */
  onSubscribed?: (topic: string, contents: BridgeContents) => void;
  log?: (message: string) => void;
}

export interface IpcBridge {
  /** Lets a webContents the app created talk to main, until it is destroyed. */
  trust(contents: BridgeContents): void;
  /** Active subscriptions, for one webContents or all. */
  subscriptionCount(contentsId?: number): number;
  dispose(): void;
}

interface ContentsState {
  contents: BridgeContents;
  subs: Map<number, { sub: Subscription; sink: BatchingSink<unknown> }>;
  calls: Set<AbortController>;
}

const MAX_SUBSCRIPTIONS_PER_PAGE = 500;

export function bindIpcBridge(opts: IpcBridgeOptions): IpcBridge {
  const trusted = new Set<number>();
  const states = new Map<number, ContentsState>();
  const allowed = opts.allowedOrigins ?? [APP_ORIGIN];
  const intervalMs = opts.batchIntervalMs ?? 30;

  const refuse = (event: SenderEventLike): Result<never> | null => {
    const verdict = validateSender(event, trusted, allowed);
    if (verdict.ok) return null;
    opts.log?.(`IPC refused: ${verdict.reason}`);
    return fail('forbidden_sender', `Refused: ${verdict.reason}.`);
  };

  const stateOf = (contents: BridgeContents): ContentsState => {
    let st = states.get(contents.id);
    if (!st) {
      st = { contents, subs: new Map(), calls: new Set() };
      states.set(contents.id, st);
    }
    return st;
  };

  // Everything a page started ends with the page: when its webContents is destroyed, its renderer crashes, or it
  // reloads (the new document starts over with its own subscriptions and ids).
  const endAll = (contentsId: number): void => {
    const st = states.get(contentsId);
    if (!st) return;
    states.delete(contentsId);
    for (const { sub, sink } of st.subs.values()) {
      sub.stop();
      sink.close();
    }
    st.subs.clear();
    for (const c of st.calls) c.abort();
    st.calls.clear();
  };

  const send = (contents: BridgeContents, id: number, batch: unknown[]): void => {
    // A window closing while a batch is in flight is normal, not an error.
    if (contents.isDestroyed()) return;
    try {
      contents.send(IPC_CHANNELS.events, id, batch);
    } catch (e) {
      opts.log?.(`event batch dropped: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  opts.ipcMain.handle(IPC_CHANNELS.invoke, async (event, method, args): Promise<Result<unknown>> => {
    const refused = refuse(event);
    if (refused) return refused;
    if (typeof method !== 'string') return fail('bad_request', 'The method name must be a string.');
    const st = stateOf(event.sender);
    const controller = new AbortController();
    st.calls.add(controller);
    try {
      return await opts.dispatcher.call(method, args, { transport: 'ipc', signal: controller.signal });
    } catch (e) {
      return { ok: false, error: toContractError(e) };
    } finally {
      st.calls.delete(controller);
    }
  });

  opts.ipcMain.handle(IPC_CHANNELS.subscribe, (event, id, topic, args): Result<{ id: number }> => {
    const refused = refuse(event);
    if (refused) return refused;
    if (!isSubscriptionId(id)) return fail('bad_request', 'The subscription id must be a positive integer.');
    if (typeof topic !== 'string') return fail('bad_request', 'The topic must be a string.');
    const contents = event.sender;
    const st = stateOf(contents);
    // An id still in use belongs to a document this webContents has since replaced: end the old one.
    const previous = st.subs.get(id);
    if (previous) {
      previous.sub.stop();
      previous.sink.close();
      st.subs.delete(id);
    }
    if (st.subs.size >= MAX_SUBSCRIPTIONS_PER_PAGE) return fail('bad_request', 'Too many open subscriptions.');
    const sink = createBatchingSink<unknown>((batch) => send(contents, id, batch), { intervalMs });
    try {
      const started = opts.dispatcher.subscribe(topic, args, (payload) => sink.push(payload));
      if (!started.ok) {
        sink.close();
        return started;
      }
      st.subs.set(id, { sub: started.data, sink });
    } catch (e) {
      sink.close();
      return { ok: false, error: toContractError(e) };
    }
    opts.onSubscribed?.(topic, contents);
    return ok({ id });
  });

  opts.ipcMain.handle(IPC_CHANNELS.unsubscribe, (event, id): Result<{ stopped: boolean }> => {
    const refused = refuse(event);
    if (refused) return refused;
    if (!isSubscriptionId(id)) return fail('bad_request', 'The subscription id must be a positive integer.');
    const st = states.get(event.sender.id);
    const entry = st?.subs.get(id);
    if (!st || !entry) return ok({ stopped: false });
    st.subs.delete(id);
    entry.sub.stop();
    // Payloads already collected still reach the page; it drops them once its callback is gone.
    entry.sink.close();
    return ok({ stopped: true });
  });

  return {
    trust(contents) {
      if (trusted.has(contents.id)) return;
      trusted.add(contents.id);
      const id = contents.id;
      contents.on('destroyed', () => {
        trusted.delete(id);
        endAll(id);
      });
      contents.on('render-process-gone', () => endAll(id));
      contents.on('did-navigate', () => endAll(id));
    },
    subscriptionCount(contentsId) {
      if (contentsId !== undefined) return states.get(contentsId)?.subs.size ?? 0;
      let n = 0;
      for (const st of states.values()) n += st.subs.size;
      return n;
    },
    dispose() {
      for (const id of [...states.keys()]) endAll(id);
      trusted.clear();
      opts.ipcMain.removeHandler(IPC_CHANNELS.invoke);
      opts.ipcMain.removeHandler(IPC_CHANNELS.subscribe);
      opts.ipcMain.removeHandler(IPC_CHANNELS.unsubscribe);
    },
  };
}

function isSubscriptionId(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
}
