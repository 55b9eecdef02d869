import type { JobEndItem, JobStreamItem } from '@shared/jobs/model';
import type { EventLog } from './event-log';

// Hands one job's log to its subscribers: each has its own cursor (counter, and lines already sent of that
// event), is only ever given the contiguous prefix of the log in counter order, and gets at most `chunkLines`
// lines per `tickMs` — a big event goes out in chunks so no batch has to be swallowed in one frame. A counter AWX
// never saved becomes one gap marker where its lines belong; the end item follows the last line.

export type Emit = (item: JobStreamItem) => void;

interface Sub {
  cursor: number;
  offset: number;
  emit: Emit;
  ended: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

export class StreamDelivery {
  private readonly subs = new Set<Sub>();

  constructor(
    private readonly log: EventLog,
    private readonly pace: { chunkLines: number; tickMs: number },
    /** The end item once the log is whole (null before). */
    private readonly endItem: () => JobEndItem | null,
  ) {}

  get size(): number {
    return this.subs.size;
  }

  /** Adds a subscriber from `fromCounter` (nothing delivered yet); returns its handle. */
  add(fromCounter: number, emit: Emit): Sub {
    const sub: Sub = { cursor: Math.max(1, fromCounter), offset: 0, emit, ended: false, timer: null };
    this.subs.add(sub);
    return sub;
  }

  remove(sub: Sub): void {
    if (sub.timer) clearTimeout(sub.timer);
    sub.timer = null;
    this.subs.delete(sub);
  }

  /** Cancels every pending tick (the follower stopped). */
  stop(): void {
    for (const s of this.subs) if (s.timer) clearTimeout(s.timer);
  }

  broadcast(item: JobStreamItem): void {
    for (const s of this.subs) s.emit(item);
  }

  deliverAll(): void {
    for (const s of this.subs) this.deliver(s);
  }

  deliver(sub: Sub): void {
    if (sub.timer || !this.subs.has(sub)) return;
    const log = this.log;
    let budget = this.pace.chunkLines;
    while (budget > 0 && sub.cursor <= log.contiguous) {
      const e = log.get(sub.cursor);
      if (e === null) {
        // Counters AWX never saved: one marker where they belong, so a reader sees the gap, not a seam.
        const from = sub.cursor;
        let to = from;
        while (to < log.contiguous && log.get(to + 1) === null) to++;
        sub.emit({ kind: 'gap', from, to, lines: log.linesMissing(from, to) });
        sub.cursor = to + 1;
        sub.offset = 0;
        budget--;
        continue;
      }
      if (!e || e.lines.length === 0 || sub.offset >= e.lines.length) {
        if (e?.stats && e.lines.length === 0) sub.emit({ kind: 'stats', hosts: e.stats });
        sub.cursor++;
        sub.offset = 0;
        continue;
      }
      const n = Math.min(budget, e.lines.length - sub.offset);
      sub.emit({
        kind: 'lines',
        counter: e.counter,
        event: e.event,
        offset: sub.offset,
        total: e.lines.length,
        line: e.startLine + sub.offset,
        lines: n === e.lines.length ? e.lines : e.lines.slice(sub.offset, sub.offset + n),
        failed: e.failed,
        changed: e.changed,
        host: e.host,
        play: e.play,
        playId: e.playId,
        task: e.task,
        taskId: e.taskId,
      });
      sub.offset += n;
      budget -= n;
      if (sub.offset >= e.lines.length) {
        if (e.stats) sub.emit({ kind: 'stats', hosts: e.stats });
        sub.cursor++;
        sub.offset = 0;
      }
    }
    const end = this.endItem();
    if (sub.cursor <= log.contiguous) {
      sub.timer = setTimeout(() => {
        sub.timer = null;
        this.deliver(sub);
      }, this.pace.tickMs);
    } else if (end && !sub.ended) {
      sub.ended = true;
      sub.emit(end);
    }
  }
}
