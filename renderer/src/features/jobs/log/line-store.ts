import { stripAnsi } from '@shared/jobs/jobs';
import { carryAfter } from './ansi';

// The lines of a job log, kept as few objects as possible: each appended batch (one AWX event, or one chunk of a
// big one) is one segment — its lines joined into one string with their start offsets, and the event's flags,
// play, task and host once. A million-line log is then a few hundred strings instead of a million, so the
// garbage collector has little to walk and nothing is copied as the log grows (a plain array of lines was
// copied whenever it outgrew its backing store, and every line was an object to mark: pauses of 50–100 ms).

export interface SegmentMeta {
  flags: number;
  play: number;
  task: number;
  host: string;
}

interface Segment extends SegmentMeta {
  /** Index of its first line in the log. */
  first: number;
  count: number;
  /** Its lines joined by '\n'. */
  text: string;
  /** Where each line starts in `text`; null for a one-line segment. */
  starts: Int32Array | null;
  /** The colour open at the start of each line; null when no line starts inside a colour. */
  carries: string[] | null;
  /** Lower-case text without colour codes and its line starts, made when a search first needs them. */
  plain: string | null;
  plainStarts: Int32Array | null;
}

const ESC = '\u001b';

function startsOf(lines: readonly string[]): Int32Array {
  const starts = new Int32Array(lines.length);
  let at = 0;
  for (let k = 0; k < lines.length; k++) {
    starts[k] = at;
    at += (lines[k] ?? '').length + 1;
  }
  return starts;
}

export class LineStore {
  private segments: Segment[] = [];
  private total = 0;
  /** The segment found last: rows are read in order, so the next lookup is usually the same or the next. */
  private hint = 0;

  get count(): number {
    return this.total;
  }

  /** Runs appended so far (a run, once appended, never changes until a truncation). */
  get runCount(): number {
    return this.segments.length;
  }

  /** Changes on every truncation: what was computed from earlier runs is void then. */
  epoch = 0;

  /**
   * Appends lines that share the same metadata; `carry` is the colour open before the first of them.
   * Returns the colour open after the last.
   */
  append(lines: readonly string[], meta: SegmentMeta, carry: string): string {
    if (lines.length === 0) return carry;
    const text = lines.length === 1 ? (lines[0] ?? '') : lines.join('\n');
    let carries: string[] | null = null;
    let open = carry;
    if (open !== '' || text.indexOf(ESC) !== -1) {
      carries = new Array<string>(lines.length);
      let any = false;
      for (let k = 0; k < lines.length; k++) {
        carries[k] = open;
        if (open !== '') any = true;
        open = carryAfter(lines[k] ?? '', open);
      }
      if (!any) carries = null;
    }
    this.segments.push({
      ...meta,
      first: this.total,
      count: lines.length,
      text,
      starts: lines.length === 1 ? null : startsOf(lines),
      carries,
      plain: null,
      plainStarts: null,
    });
    this.total += lines.length;
    return open;
  }

  /** Keeps the first `n` lines. */
  truncate(n: number): void {
    if (n >= this.total) return;
    this.epoch++;
    while (this.segments.length > 0) {
      const last = this.segments[this.segments.length - 1];
      if (!last || last.first < n) break;
      this.segments.pop();
    }
    const last = this.segments[this.segments.length - 1];
    if (last && last.first + last.count > n) {
      const keep = n - last.first;
      const lines: string[] = [];
      for (let k = 0; k < keep; k++) lines.push(this.lineOf(last, k));
      this.segments.pop();
      this.total = last.first;
      this.append(lines, last, last.carries?.[0] ?? '');
    }
    this.total = n;
    this.hint = 0;
  }

  private find(i: number): Segment | undefined {
    const segs = this.segments;
    const h = segs[this.hint];
    if (h && i >= h.first && i < h.first + h.count) return h;
    const next = segs[this.hint + 1];
    if (next && i >= next.first && i < next.first + next.count) {
      this.hint++;
      return next;
    }
    let lo = 0;
    let hi = segs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = segs[mid];
      if (!s) break;
      if (i < s.first) hi = mid - 1;
      else if (i >= s.first + s.count) lo = mid + 1;
      else {
        this.hint = mid;
        return s;
      }
    }
    return undefined;
  }

  private lineOf(s: Segment, k: number): string {
    if (!s.starts) return s.text;
    const from = s.starts[k] ?? 0;
    const to = k + 1 < s.count ? (s.starts[k + 1] ?? 0) - 1 : s.text.length;
    return s.text.slice(from, to);
  }

  text(i: number): string {
    const s = this.find(i);
    return s ? this.lineOf(s, i - s.first) : '';
  }

  carry(i: number): string {
    const s = this.find(i);
    return s?.carries?.[i - s.first] ?? '';
  }

  meta(i: number): SegmentMeta | undefined {
    return this.find(i);
  }

  /**
   * Calls `f` once per run of lines sharing metadata, in order, from run `fromRun`: filters work per run, not per
   * line, and only on the runs appended since they last looked.
   */
  forEachRun(f: (first: number, count: number, meta: SegmentMeta) => void, fromRun = 0): void {
    for (let k = fromRun; k < this.segments.length; k++) {
      const s = this.segments[k];
      if (s) f(s.first, s.count, s);
    }
  }

  /** Every line, in order (the whole log in memory once: for downloads, copies and tests). */
  lines(): string[] {
    const out: string[] = [];
    for (const s of this.segments) for (let k = 0; k < s.count; k++) out.push(this.lineOf(s, k));
    return out;
  }

  private plainOf(s: Segment): { plain: string; starts: Int32Array | null } {
    if (s.plain === null) {
      const lower = s.text.indexOf(ESC) === -1 ? s.text.toLowerCase() : null;
      if (lower !== null && lower.length === s.text.length) {
        s.plain = lower;
        s.plainStarts = s.starts;
      } else {
        const lines: string[] = [];
        for (let k = 0; k < s.count; k++) lines.push(stripAnsi(this.lineOf(s, k)).toLowerCase());
        s.plain = lines.length === 1 ? (lines[0] ?? '') : lines.join('\n');
        s.plainStarts = lines.length === 1 ? null : startsOf(lines);
      }
    }
    return { plain: s.plain, starts: s.plainStarts };
  }

  /** Line `i` without colour codes, in lower case. */
  plain(i: number): string {
    const s = this.find(i);
    if (!s) return '';
    const { plain, starts } = this.plainOf(s);
    if (!starts) return plain;
    const k = i - s.first;
    const from = starts[k] ?? 0;
    const to = k + 1 < s.count ? (starts[k + 1] ?? 0) - 1 : plain.length;
    return plain.slice(from, to);
  }

  /**
   * Indexes of the lines from `from` on whose plain text contains `q` (already lower case, without '\n'),
   * appended to `into` in order: one indexOf over each segment's text, not one test per line.
   */
  search(q: string, from: number, into: number[]): number[] {
    this.searchUntil(q, from, into, Infinity);
    return into;
  }

  /**
   * The same, stopping at the first segment boundary after `deadline` (performance.now() time): returns the line
   * reached, where the next call goes on ( = count when done).
   */
  searchUntil(q: string, from: number, into: number[], deadline: number): number {
    if (!q || from >= this.total) return Math.max(from, this.total);
    const first = this.find(from);
    let k = first ? this.segments.indexOf(first) : this.segments.length;
    const k0 = k;
    for (; k < this.segments.length; k++) {
      const s = this.segments[k];
      if (!s) break;
      // Past the deadline, stop between segments (never before the first: every call makes progress).
      if (k > k0 && deadline !== Infinity && performance.now() > deadline) return s.first;
      const { plain, starts } = this.plainOf(s);
      let line = Math.max(0, from - s.first);
      if (!starts) {
        if (line === 0 && plain.includes(q)) into.push(s.first);
        continue;
      }
      let at = starts[line] ?? 0;
      for (;;) {
        const hit = plain.indexOf(q, at);
        if (hit < 0) break;
        // The line holding the hit: the last start at or before it (starts ascend; search from the current line).
        let lo = line;
        let hi = s.count - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if ((starts[mid] ?? 0) <= hit) lo = mid;
          else hi = mid - 1;
        }
        into.push(s.first + lo);
        line = lo + 1;
        if (line >= s.count) break;
        at = starts[line] ?? 0;
      }
    }
    return this.total;
  }
}
