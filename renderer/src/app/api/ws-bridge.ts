import type { ClientMessage, ServerMessage } from '@shared/kernel/bridge';
import type { ContractError, Result } from '@shared/kernel/result';
import type { BridgeSetup, ConnectivitySnapshot, InvokeOptions, RendererBridge } from './types';

/** The part of the browser WebSocket the bridge uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
}

export interface WsBridgeOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** Reconnect back-off: doubles from initialMs up to maxMs, with jitter so many walls do not reconnect in step. */
  backoff?: { initialMs: number; maxMs: number };
  random?: () => number;
  missingToken?: boolean;
  /** Protocol-level complaints from the server (id -1); nothing a user can act on, kept for diagnostics. */
  onProtocolError?: (error: ContractError) => void;
}

export interface WsBridge extends BridgeSetup {
  /** Stops reconnecting and closes the socket (tests, page teardown). */
  close(): void;
}

const OPEN = 1;
const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 15_000 };

interface PendingCall {
  method: string;
  args: unknown;
  sent: boolean;
  settle: (r: Result<unknown>) => void;
}

interface ActiveSub {
  topic: string;
  args: unknown;
  onBatch: (batch: unknown[]) => void;
  onError: ((error: ContractError) => void) | undefined;
}

const failure = (error: ContractError): Result<never> => ({ ok: false, error });

/**
 * `TocBridge` over the `toc serve` WebSocket. Calls made while the first connection (or a reconnect attempt) is
 * being made wait for it; calls made while the link is down fail at once with `offline` so the UI can say so
 * instead of spinning. Subscriptions outlive drops: they are sent again, with the same ids, on every reconnect.
 */
export function createWsBridge(opts: WsBridgeOptions): WsBridge {
  const createSocket = opts.createSocket ?? ((url: string): SocketLike => new WebSocket(url));
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const random = opts.random ?? Math.random;
  const endpoint = hostOf(opts.url);

  let socket: SocketLike | null = null;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  const calls = new Map<number, PendingCall>();
  const subs = new Map<number, ActiveSub>();
  const listeners = new Set<() => void>();
  let snap: ConnectivitySnapshot = {
    state: 'connecting',
    failures: 0,
    nextRetryAt: null,
    missingToken: opts.missingToken ?? false,
    endpoint,
  };

  const setSnap = (patch: Partial<ConnectivitySnapshot>): void => {
    snap = { ...snap, ...patch };
    for (const l of listeners) l();
  };

  const offlineError = (method: string, inFlight: boolean): ContractError => ({
    code: 'offline',
    message: inFlight
      ? `The link to the console server (${endpoint}) dropped before "${method}" answered; it may or may not have run.`
      : `The console server (${endpoint}) is not reachable right now; the console keeps trying to reconnect.`,
    detail: { retryable: true },
  });

  const send = (m: ClientMessage): boolean => {
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(m));
    return true;
  };

  const sendCall = (id: number, c: PendingCall): void => {
    c.sent = send({ t: 'call', id, method: c.method, args: c.args ?? {} });
  };

  const onMessage = (raw: unknown): void => {
    if (typeof raw !== 'string') return;
    let m: ServerMessage;
    try {
      m = JSON.parse(raw) as ServerMessage;
    } catch {
      return;
    }
    switch (m.t) {
      case 'result': {
        const c = calls.get(m.id);
        if (!c) return; // cancelled or already failed locally
        calls.delete(m.id);
        c.settle(m.result);
        return;
      }
      case 'events':
        subs.get(m.id)?.onBatch(m.batch);
        return;
      case 'sub-error': {
        if (m.id === -1) {
          opts.onProtocolError?.(m.error);
          return;
        }
        const s = subs.get(m.id);
        subs.delete(m.id);
        s?.onError?.(m.error);
        return;
      }
    }
  };

  const scheduleReconnect = (failures: number): void => {
    if (closed) return;
    const exp = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 16));
    const delay = Math.round(exp * (0.5 + random() * 0.5));
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
    setSnap({ state: 'offline', failures, nextRetryAt: Date.now() + delay });
  };

  const connect = (): void => {
    if (closed) return;
    setSnap({ state: 'connecting', nextRetryAt: null });
    let s: SocketLike;
    try {
      s = createSocket(opts.url);
    } catch {
      failAll();
      scheduleReconnect(snap.failures + 1);
      return;
    }
    socket = s;
    s.onopen = () => {
      if (socket !== s) return;
      setSnap({ state: 'online', failures: 0, nextRetryAt: null });
      for (const [id, c] of calls) if (!c.sent) sendCall(id, c);
      for (const [id, sub] of subs) send({ t: 'sub', id, topic: sub.topic, args: sub.args ?? {} });
    };
    s.onmessage = (ev) => {
      if (socket === s) onMessage(ev.data);
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      // A drop after being online starts the back-off afresh; a failed attempt makes the next wait longer.
      const failures = snap.state === 'online' ? 0 : snap.failures + 1;
      failAll();
      scheduleReconnect(failures);
    };
    // An error is always followed by close; the close handler does the work.
    s.onerror = () => undefined;
  };

  const failAll = (): void => {
    const pending = [...calls.values()];
    calls.clear();
    for (const c of pending) c.settle(failure(offlineError(c.method, c.sent)));
  };

  const bridge: RendererBridge = {
    transport: 'ws',
    invoke(method: string, args?: unknown, options?: InvokeOptions): Promise<Result<unknown>> {
      const signal = options?.signal;
      if (signal?.aborted) return Promise.resolve(failure(cancelledError(method)));
      if (closed || snap.state === 'offline') return Promise.resolve(failure(offlineError(method, false)));
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        const onAbort = (): void => {
          const c = calls.get(id);
          if (!c) return;
          calls.delete(id);
          if (c.sent) send({ t: 'cancel', id });
          resolve(failure(cancelledError(method)));
        };
        const c: PendingCall = {
          method,
          args,
          sent: false,
          settle: (r) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(r);
          },
        };
        calls.set(id, c);
        signal?.addEventListener('abort', onAbort, { once: true });
        if (snap.state === 'online') sendCall(id, c);
      });
    },
    subscribe(topic, args, onBatch, onError) {
      const id = nextId++;
      subs.set(id, { topic, args, onBatch, onError });
      if (snap.state === 'online') send({ t: 'sub', id, topic, args: args ?? {} });
      return () => {
        if (!subs.delete(id)) return;
        send({ t: 'unsub', id });
      };
    },
  };

  connect();

  return {
    bridge,
    connectivity: {
      snapshot: () => snap,
      subscribe(onChange) {
        listeners.add(onChange);
        return () => listeners.delete(onChange);
      },
      reconnectNow() {
        if (closed || snap.state !== 'offline') return;
        if (retryTimer) clearTimeout(retryTimer);
        retryTimer = null;
        connect();
      },
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const s = socket;
      socket = null;
      failAll();
      s?.close(1000, 'page closed');
    },
  };
}

function cancelledError(method: string): ContractError {
  return { code: 'cancelled', message: `"${method}" was cancelled.` };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
