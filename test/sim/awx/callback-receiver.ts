// AWX saves job events through a pool of callback-receiver workers (events spread over them by uuid hash),
// each flushing its buffer about once per JOB_EVENT_BUFFER_SECONDS. So events reach the database, REST
// and the websocket in batches, slightly out of counter order, and still trickle in after the job's final
// status. This reproduces that timing.
import { nowMs } from './clock';
import type { DraftEvent } from './event-records';
import { shuffled, type Rng } from './rng';
import type { SimState } from './state';
import type { SimEvent, SimJob } from './types';

export interface ReceiverHooks {
  /** An event became visible in REST. */
  saved(job: SimJob, event: SimEvent, skipWebsocket: boolean): void;
  /** The run's end-of-stream marker was processed (AWX sends the `summary` websocket message here). */
  endOfStream(job: SimJob, finalCounter: number): void;
}

type WorkItem =
  | { kind: 'event'; job: SimJob; draft: DraftEvent; skipWebsocket: boolean; at: number }
  | { kind: 'eof'; job: SimJob; finalCounter: number; at: number };

interface Worker {
  queue: WorkItem[];
  nextFlush: number;
}

export interface ReceiverOptions {
  workers: number;
  flushMs: number;
  rng: Rng;
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  return h;
}

export class CallbackReceiver {
  private readonly workers: Worker[];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly state: SimState,
    private readonly hooks: ReceiverHooks,
    private readonly options: ReceiverOptions,
  ) {
    const start = nowMs();
    // Workers flush on their own phases, which is what makes batches interleave out of order.
    this.workers = Array.from({ length: Math.max(1, options.workers) }, () => ({
      queue: [],
      nextFlush: start + options.rng() * options.flushMs,
    }));
  }

  enqueue(job: SimJob, draft: DraftEvent, skipWebsocket: boolean): void {
    this.workerFor(hash(draft.uuid)).queue.push({ kind: 'event', job, draft, skipWebsocket, at: nowMs() });
    this.ensureTimer();
  }

  endOfStream(job: SimJob, finalCounter: number): void {
    this.workerFor(job.id).queue.push({ kind: 'eof', job, finalCounter, at: nowMs() });
    this.ensureTimer();
  }

  /** True while any event of the job waits to be saved. */
  hasPending(job: SimJob): boolean {
    return this.workers.some((w) => w.queue.some((item) => item.job === job));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const w of this.workers) w.queue = [];
  }

  private workerFor(n: number): Worker {
    return this.workers[n % this.workers.length] as Worker;
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.floor(this.options.flushMs / 4)));
    this.timer.unref();
  }

  private tick(): void {
    const now = nowMs();
    const minAge = this.options.flushMs / 2;
    for (const worker of shuffled(this.workers, this.options.rng)) {
      if (worker.queue.length === 0 || now < worker.nextFlush) continue;
      worker.nextFlush = now + this.options.flushMs;
      const due = worker.queue.filter((item) => now - item.at >= minAge);
      if (due.length === 0) continue;
      worker.queue = worker.queue.filter((item) => now - item.at < minAge);
      for (const item of due) this.process(item, now);
    }
    if (this.workers.every((w) => w.queue.length === 0) && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private process(item: WorkItem, now: number): void {
    if (item.kind === 'eof') {
      this.hooks.endOfStream(item.job, item.finalCounter);
      return;
    }
    if (this.state.lostCounters.has(item.draft.counter)) {
      // A broken AWX: the event is never saved, yet counted as processed.
      item.job.lostEvents = (item.job.lostEvents ?? 0) + 1;
      return;
    }
    const event: SimEvent = { ...item.draft, id: this.state.allocateEventId(), modified: now };
    item.job.events.push(event);
    this.hooks.saved(item.job, event, item.skipWebsocket);
  }
}
