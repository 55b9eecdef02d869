import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { WebSocket } from 'ws';
import type { ConnectionSpec } from '@shared/connections/model';
import { isRecord, num, str } from './awx-values';
import type { Json } from './awx-values';

// AWX's `/websocket/` (research/awx.md §6), one socket per connection shared by every job being followed.
// The handshake carries the connection's Authorization header (AWX >= 23.8) and `Cookie: csrftoken=X`; every
// message repeats X as `xrftoken`. A subscribe message replaces the whole set, so the full set is sent on every
// change and after every reconnect. The socket is a hint, never the source of truth: it drops events by design,
// so followers fill holes from REST and poll when the socket is down.

export type SocketState = 'idle' | 'connecting' | 'open' | 'down' | 'unavailable';

export interface StatusMessage {
  jobId: number;
  status: string;
  finished: string | null;
}

export interface JobWatcher {
  onEvent(raw: Json): void;
  onStatus(m: StatusMessage): void;
  onSummary(finalCounter: number): void;
  onState(state: SocketState, why: string): void;
}

export interface SocketOptions {
  /** The Authorization header value, read from the secret store at connect time. */
  authorization?: () => Promise<string | null>;
  /** Paths tried in order until one upgrades (AWX: /websocket/; >= 23.8 also /api/websocket/). */
  paths?: string[];
  handshakeTimeoutMs?: number;
  /** Reconnect back-off after a drop: doubles from initial to max. */
  backoff?: { initialMs: number; maxMs: number };
  /** Wait after "no websocket here" (404 on every path, refused handshake) before trying again. */
  unavailableRetryMs?: number;
  /** Close the socket this long after the last watcher leaves. */
  idleCloseMs?: number;
  pingMs?: number;
}

const DEFAULTS = {
  handshakeTimeoutMs: 10_000,
  backoff: { initialMs: 1000, maxMs: 30_000 },
  unavailableRetryMs: 60_000,
  idleCloseMs: 5000,
  pingMs: 25_000,
};

export class AwxSocket {
  private ws: WebSocket | null = null;
  private stateNow: SocketState = 'idle';
  private why = '';
  private readonly xrf = randomBytes(16).toString('hex');
  private readonly watchers = new Map<number, Set<JobWatcher>>();
  private readonly statusListeners = new Set<(m: StatusMessage) => void>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private failures = 0;
  private pathIndex = 0;
  private accepted = false;
  private closed = false;
  private readonly paths: string[];

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly opts: SocketOptions = {},
  ) {
    const base = spec.apiBasePath ?? '/api/v2/';
    this.paths = opts.paths ?? ['/websocket/', '/api/websocket/', `${base}websocket/`];
  }

  get state(): SocketState {
    return this.stateNow;
  }

  get reason(): string {
    return this.why;
  }

  /** Follows one job's events and status; returns the stop function. */
  watchJob(jobId: number, w: JobWatcher): () => void {
    const set = this.watchers.get(jobId) ?? new Set<JobWatcher>();
    const added = set.size === 0;
    set.add(w);
    this.watchers.set(jobId, set);
    this.interest();
    if (added) this.sendSubscription();
    return () => {
      set.delete(w);
      if (set.size === 0) {
        this.watchers.delete(jobId);
        this.sendSubscription();
      }
      this.maybeIdle();
    };
  }

  /** Every job's status changes on this connection (AWX broadcasts them to all subscribers). */
  onStatus(cb: (m: StatusMessage) => void): () => void {
    this.statusListeners.add(cb);
    this.interest();
    return () => {
      this.statusListeners.delete(cb);
      this.maybeIdle();
    };
  }

  close(): void {
    this.closed = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    ws?.terminate();
  }

  private hasInterest(): boolean {
    return this.watchers.size > 0 || this.statusListeners.size > 0;
  }

  private interest(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.closed) return;
    if (this.stateNow === 'idle') void this.connect();
  }

  private maybeIdle(): void {
    if (this.hasInterest() || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.hasInterest()) return;
      this.clearTimers();
      const ws = this.ws;
      this.ws = null;
      ws?.close(1000, 'idle');
      this.setState('idle', 'nothing to follow');
    }, this.opts.idleCloseMs ?? DEFAULTS.idleCloseMs);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.idleTimer = null;
    this.pingTimer = null;
  }

  private setState(state: SocketState, why: string): void {
    if (this.stateNow === state && this.why === why) return;
    this.stateNow = state;
    this.why = why;
    for (const set of this.watchers.values()) for (const w of set) w.onState(state, why);
  }

  private url(path: string): string {
    const base = new URL(this.spec.url.endsWith('/') ? this.spec.url : `${this.spec.url}/`);
    const u = new URL(path.replace(/^\/+/, ''), base);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    return u.toString();
  }

  private async connect(): Promise<void> {
    if (this.closed || !this.hasInterest()) return;
    if (this.spec.proxy) {
      // The ws client here does not tunnel through HTTP proxies: follow by polling instead.
      this.setState('unavailable', 'the connection uses a proxy; following jobs by polling');
      return;
    }
    this.setState('connecting', 'connecting');
    const headers: Record<string, string> = { ...(this.spec.headers ?? {}), Cookie: `csrftoken=${this.xrf}` };
    let ca: string | undefined;
    try {
      const auth = await this.opts.authorization?.();
      if (auth) headers.Authorization = auth;
      if (this.spec.caFile) ca = await readFile(this.spec.caFile, 'utf8');
    } catch (e) {
      this.setState('unavailable', `cannot prepare the websocket: ${(e as Error).message}`);
      this.scheduleRetry(true);
      return;
    }
    if (this.closed || !this.hasInterest()) {
      this.setState('idle', 'nothing to follow');
      return;
    }
    const path = this.paths[this.pathIndex] ?? '/websocket/';
    const ws = new WebSocket(this.url(path), {
      headers,
      handshakeTimeout: this.opts.handshakeTimeoutMs ?? DEFAULTS.handshakeTimeoutMs,
      perMessageDeflate: false,
      maxPayload: 256 * 1024 * 1024,
      ...(ca ? { ca } : {}),
    });
    this.ws = ws;
    this.accepted = false;
    ws.on('unexpected-response', (_req, res) => {
      if (this.ws !== ws) return;
      const code = res.statusCode ?? 0;
      res.resume();
      this.ws = null;
      ws.terminate();
      if (code === 404 && this.pathIndex + 1 < this.paths.length) {
        this.pathIndex++;
        void this.connect();
        return;
      }
      this.pathIndex = 0;
      this.setState('unavailable', code === 404 ? 'AWX has no websocket here (HTTP 404)' : `AWX refused the websocket (HTTP ${code})`);
      this.scheduleRetry(true);
    });
    ws.on('open', () => {
      if (this.ws !== ws) return;
      this.pingTimer = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.ping();
      }, this.opts.pingMs ?? DEFAULTS.pingMs);
    });
    ws.on('message', (data, isBinary) => {
      if (this.ws !== ws || isBinary) return;
      this.receive(data.toString());
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      if (this.closed) return;
      this.setState('down', this.accepted ? 'the websocket dropped; reconnecting' : 'the websocket could not be opened; retrying');
      this.scheduleRetry(false);
    });
  }

  private scheduleRetry(unavailable: boolean): void {
    if (this.closed || this.retryTimer) return;
    if (!this.hasInterest()) {
      this.setState('idle', 'nothing to follow');
      return;
    }
    const b = this.opts.backoff ?? DEFAULTS.backoff;
    const delay = unavailable
      ? (this.opts.unavailableRetryMs ?? DEFAULTS.unavailableRetryMs)
      : Math.min(b.maxMs, b.initialMs * 2 ** Math.min(this.failures, 10)) * (0.75 + Math.random() * 0.5);
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private subscription(): Json {
    return {
      xrftoken: this.xrf,
      groups: { jobs: ['status_changed', 'summary'], job_events: [...this.watchers.keys()] },
    };
  }

  private sendSubscription(): void {
    const ws = this.ws;
    if (!ws || !this.accepted || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify(this.subscription()));
  }

  private receive(text: string): void {
    let m: unknown;
    try {
      m = JSON.parse(text);
    } catch {
      return;
    }
    if (!isRecord(m)) return;
    if (m.accept === true) {
      this.accepted = true;
      this.sendSubscription();
      return;
    }
    if (Array.isArray(m.groups_current)) {
      this.failures = 0;
      this.setState('open', 'live');
      return;
    }
    if (typeof m.error === 'string') {
      // "access denied to channel …": the socket says nothing for that job; REST polling still covers it.
      const id = /resource id (\d+)/.exec(m.error)?.[1];
      const set = id ? this.watchers.get(Number(id)) : undefined;
      if (set) for (const w of set) w.onState('unavailable', `AWX: ${m.error}`);
      return;
    }
    if (m.close === true) return;
    const group = str(m.group_name);
    if (group === 'job_events') {
      const set = this.watchers.get(num(m.job, -1));
      if (set) for (const w of set) w.onEvent(m);
      return;
    }
    if (group === 'jobs') {
      const jobId = num(m.unified_job_id, -1);
      if (typeof m.status === 'string') {
        const sm: StatusMessage = { jobId, status: m.status, finished: typeof m.finished === 'string' ? m.finished : null };
        for (const l of this.statusListeners) l(sm);
        const set = this.watchers.get(jobId);
        if (set) for (const w of set) w.onStatus(sm);
      } else if (typeof m.final_counter === 'number') {
        const set = this.watchers.get(jobId);
        if (set) for (const w of set) w.onSummary(m.final_counter);
      }
    }
  }
}
