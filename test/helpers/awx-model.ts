import type { AwxEvent } from '../../electron/core/systems/awx/awx-client';
import type { JobWatcher, SocketState } from '../../electron/core/systems/awx/awx-socket';
import type { FollowerSocket } from '../../electron/core/features/jobs/job-follower';
import type { HttpClient, HttpRequest, HttpResponse } from '../../electron/core/kernel/http/types';

// An in-memory AWX for one job (id 1), on a real clock scaled to milliseconds, that behaves as research/awx.md §6
// says AWX does: each event is produced at its time and saved by a callback worker after its own delay (so REST
// briefly lacks earlier counters); some counters may never be saved at all; the final status comes when the run
// ends, `event_processing_finished` only once every event that will be saved is; the websocket carries saved
// events at most `rate` per second (never those without output once streaming began, always play/task starts
// and stats), drops while it is down and never replays. REST lists page by 200 at most and follow `next`.

export interface ModelEvent {
  counter: number;
  event: string;
  lines: string[];
  /** ms after start when ansible produced it. */
  at: number;
  /** ms after `at` until a callback worker saved it; null: never saved. */
  saveDelay: number | null;
}

export interface ModelPlan {
  events: ModelEvent[];
  /** ms after start when the run ends (final status). */
  endAt: number;
  status: 'successful' | 'failed';
  /** Websocket events per second (0: unlimited); null: no websocket. */
  rate: number | null;
  /** ms intervals [from, to) during which the websocket is down. */
  drops: [number, number][];
}

export interface AwxModel {
  http: HttpClient;
  socket: FollowerSocket | null;
  /** AWX's `stdout?format=txt` once every event is saved. */
  txt(): string;
  /** Counters never saved, merged into ranges. */
  absent(): { from: number; to: number }[];
  requests: string[];
  /** Replaces the job's answer (a gateway, another job under the same id). */
  override: ((job: Record<string, unknown>) => Record<string, unknown>) | null;
  stop(): void;
}

const ALWAYS_SENT = new Set(['playbook_on_play_start', 'playbook_on_task_start', 'playbook_on_stats']);
const ESC = String.fromCharCode(27);
const SGR = new RegExp(`${ESC}\\[[^m]*m`, 'g');

export function modelEvents(lines: string[][], absent: Set<number> = new Set()): ModelEvent[] {
  return lines.map((l, i) => ({
    counter: i + 1,
    event: i === 0 ? 'playbook_on_start' : i === lines.length - 1 ? 'playbook_on_stats' : 'runner_on_ok',
    lines: l,
    at: i,
    saveDelay: absent.has(i + 1) ? null : 0,
  }));
}

export function awxModel(plan: ModelPlan): AwxModel {
  const t0 = Date.now();
  const now = (): number => Date.now() - t0;
  const requests: string[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const saved = new Map<number, AwxEvent>();
  let lineNo = 0;
  const rows: AwxEvent[] = plan.events.map((e) => {
    const row: AwxEvent = {
      counter: e.counter,
      event: e.event,
      stdout: e.lines.join('\r\n'),
      startLine: lineNo,
      endLine: lineNo + e.lines.length,
      failed: false,
      changed: false,
      host: 'h',
      play: 'p',
      playId: 'pid',
      task: 't',
      taskId: 'tid',
      uuid: `u${e.counter}`,
      stats: null,
    };
    lineNo += e.lines.length;
    return row;
  });
  const willSave = plan.events.filter((e) => e.saveDelay !== null).length;
  let finished = false;
  let summarySent = false;

  // --- the websocket ---------------------------------------------------------------------------------------
  const watchers = new Set<JobWatcher>();
  const sentAt: number[] = [];
  let streaming = false;
  const down = (t: number): boolean => plan.drops.some(([a, b]) => t >= a && t < b);
  const socket: (FollowerSocket & { state: SocketState; reason: string }) | null =
    plan.rate === null
      ? null
      : {
          state: down(0) ? 'down' : 'open',
          reason: down(0) ? 'the websocket dropped; reconnecting' : 'live',
          watchJob(_id: number, w: JobWatcher) {
            watchers.add(w);
            return () => watchers.delete(w);
          },
        };
  const setSocket = (state: SocketState, why: string): void => {
    if (!socket || socket.state === state) return;
    socket.state = state;
    socket.reason = why;
    for (const w of watchers) w.onState(state, why);
  };
  const toSocket = (row: AwxEvent): void => {
    if (!socket || socket.state !== 'open') return;
    const t = now();
    if (!ALWAYS_SENT.has(row.event)) {
      if (streaming && row.startLine === row.endLine) return;
      streaming = true;
      while (sentAt.length && t - (sentAt[0] ?? 0) > 1000) sentAt.shift();
      if (plan.rate && sentAt.length >= plan.rate) return;
      sentAt.push(t);
    }
    const raw = {
      counter: row.counter,
      event: row.event,
      stdout: row.stdout,
      start_line: row.startLine,
      end_line: row.endLine,
      uuid: row.uuid,
      job: 1,
      group_name: 'job_events',
    };
    for (const w of watchers) w.onEvent(raw);
  };
  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  for (const [a, b] of plan.drops) {
    later(a, () => setSocket('down', 'the websocket dropped; reconnecting'));
    later(b, () => {
      if (!down(now())) setSocket('open', 'live');
    });
  }
  const maybeSummary = (): void => {
    if (summarySent || !finished) return;
    summarySent = true;
    if (socket?.state === 'open') for (const w of watchers) w.onSummary(plan.events.length);
  };
  plan.events.forEach((e, i) => {
    if (e.saveDelay === null) return;
    later(e.at + e.saveDelay, () => {
      const row = rows[i] as AwxEvent;
      saved.set(row.counter, row);
      toSocket(row);
    });
  });
  later(plan.endAt, () => {
    finished = true;
    if (socket?.state === 'open') for (const w of watchers) w.onStatus({ jobId: 1, status: plan.status, finished: null });
    maybeSummary();
  });

  // --- REST ------------------------------------------------------------------------------------------------
  const model: AwxModel = {
    requests,
    override: null,
    socket,
    txt: () =>
      rows
        .filter((r) => plan.events[r.counter - 1]?.saveDelay !== null && r.stdout !== '')
        .map((r) => `${r.stdout.replaceAll('\r\n', '\n').replace(SGR, '')}\n`)
        .join(''),
    absent: () => {
      const out: { from: number; to: number }[] = [];
      for (const e of plan.events) {
        if (e.saveDelay !== null) continue;
        const last = out[out.length - 1];
        if (last && last.to === e.counter - 1) last.to = e.counter;
        else out.push({ from: e.counter, to: e.counter });
      }
      return out;
    },
    stop: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
    http: {
      request: async <T>(req: HttpRequest): Promise<HttpResponse<T>> => {
        await new Promise((r) => setTimeout(r, 0));
        const q = (req.query ?? {}) as Record<string, string | number | boolean | undefined>;
        requests.push(`${req.path}?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString()}`);
        const respond = (body: unknown): HttpResponse<T> => ({ status: 200, headers: {}, body: body as T, url: req.path });
        if (req.path === '/api/v2/jobs/1/') {
          const job: Record<string, unknown> = {
            id: 1,
            name: 'model job',
            status: finished ? plan.status : 'running',
            failed: finished && plan.status === 'failed',
            created: '2024-06-03T08:00:00.000000Z',
            job_template: 7,
            event_processing_finished: finished && saved.size >= willSave,
            elapsed: now() / 1000,
          };
          return respond(model.override ? model.override(job) : job);
        }
        if (req.path === '/api/v2/jobs/1/job_events/') {
          const all = [...saved.values()].sort((a, b) => a.counter - b.counter);
          const desc = q.order_by === '-counter';
          const gt = q.counter__gt !== undefined ? Number(q.counter__gt) : -Infinity;
          const matching = all.filter((r) => r.counter > gt);
          if (desc) matching.reverse();
          const size = Math.min(200, Number(q.page_size ?? 25));
          const page = Number(q.page ?? 1);
          const slice = matching.slice((page - 1) * size, page * size);
          const next = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
          next.set('page', String(page + 1));
          next.set('page_size', String(size));
          return respond({
            count: matching.length,
            next: matching.length > page * size ? `/api/v2/jobs/1/job_events/?${next.toString()}` : null,
            previous: null,
            results: slice.map((r) => ({
              counter: r.counter,
              event: r.event,
              stdout: r.stdout,
              start_line: r.startLine,
              end_line: r.endLine,
              uuid: r.uuid,
              event_data: {},
            })),
          });
        }
        if (req.path === '/api/v2/jobs/1/stdout/') {
          return respond(model.txt());
        }
        throw new Error(`the model AWX has no ${req.path}`);
      },
    },
  };
  return model;
}
