import { eventLines } from '@shared/jobs/jobs';
import type { AwxEvent } from '../../systems/awx/awx-client';

// A job's events keyed by counter, whatever order and however often they arrive (the websocket is lossy and out
// of order, REST pages overlap it). Counters are contiguous from 1 in AWX, so "complete up to N" is simply
// "every counter 1..N is here"; holes between that and the highest counter seen are what REST must fill.

export interface LoggedEvent extends Omit<AwxEvent, 'stdout'> {
  /** The event's output lines (split once, on `\r\n`). */
  lines: string[];
}

export type Range = [from: number, to: number];

export class EventLog {
  private readonly byCounter = new Map<number, LoggedEvent | null>();
  private contiguousTo = 0;
  private highest = 0;
  private lineTotal = 0;

  /** Every counter 1..contiguous is known (an event, or a counter AWX never saved and we gave up on). */
  get contiguous(): number {
    return this.contiguousTo;
  }

  get maxSeen(): number {
    return this.highest;
  }

  /** Lines of the events known so far. */
  get lineCount(): number {
    return this.lineTotal;
  }

  get size(): number {
    return this.byCounter.size;
  }

  has(counter: number): boolean {
    return this.byCounter.has(counter);
  }

  /** The event at a counter; null for a counter that was given up on; undefined when not (yet) known. */
  get(counter: number): LoggedEvent | null | undefined {
    return this.byCounter.get(counter);
  }

  /** Adds an event; false when that counter was already known (a duplicate from REST or the socket). */
  add(e: AwxEvent): boolean {
    if (e.counter < 1 || this.byCounter.get(e.counter)) return false;
    const { stdout, ...meta } = e;
    const logged: LoggedEvent = { ...meta, lines: eventLines(stdout) };
    this.byCounter.set(e.counter, logged);
    this.lineTotal += logged.lines.length;
    this.highest = Math.max(this.highest, e.counter);
    this.advance();
    return true;
  }

  /** Marks counters AWX will never have (it finished processing and they are still missing). */
  giveUp(range: Range): void {
    for (let c = range[0]; c <= range[1]; c++) if (!this.byCounter.has(c)) this.byCounter.set(c, null);
    this.highest = Math.max(this.highest, range[1]);
    this.advance();
  }

  private advance(): void {
    while (this.byCounter.has(this.contiguousTo + 1)) this.contiguousTo++;
  }

  /** Holes between the contiguous prefix and the highest counter seen, merged into ranges, at most `limit`. */
  missingRanges(limit = 20): Range[] {
    const out: Range[] = [];
    let start = -1;
    for (let c = this.contiguousTo + 1; c < this.highest; c++) {
      const missing = !this.byCounter.has(c);
      if (missing && start < 0) start = c;
      if (!missing && start >= 0) {
        out.push([start, c - 1]);
        start = -1;
        if (out.length >= limit) return out;
      }
    }
    if (start >= 0) out.push([start, this.highest - 1]);
    return out.slice(0, limit);
  }

  /** The known events with output, in counter order (for a finished job's text). */
  *linesInOrder(): Generator<string> {
    for (let c = 1; c <= this.contiguousTo; c++) {
      const e = this.byCounter.get(c);
      if (e) yield* e.lines;
    }
  }
}
