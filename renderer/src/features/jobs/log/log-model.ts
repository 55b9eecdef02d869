import type { HostStat, JobDetail, JobEndItem as EndItem, JobStreamItem } from '@shared/jobs/model';
import { logText } from '@shared/jobs/jobs';
import type { OfflineMark } from '@shared/offline/contract';
import { LineStore } from './line-store';

// The job log as the viewer holds it: every line once, in order, with what the viewer needs to filter and fold
// it. The lines live in a segment store (line-store.ts), mutated in place; `version` tells React something
// changed. Chunks are accepted only in sequence, so a replay after a reconnect is harmless.

type LinesItem = Extract<JobStreamItem, { kind: 'lines' }>;

/** Events AWX never saved, marked where their lines belong: before line `at` (or after the last line). */
export interface Gap {
  at: number;
  from: number;
  to: number;
  lines: number | null;
}

export const FLAG_FAILED = 1;
export const FLAG_CHANGED = 2;
export const FLAG_PLAY = 4;
export const FLAG_TASK = 8;
export const FLAG_RECAP = 16;

export interface Section {
  id: string;
  name: string;
  /** Index of its first line (the header). */
  first: number;
  /** Lines of the header itself. */
  headerLines: number;
  play: number;
}

export interface ViewOptions {
  failedOnly: boolean;
  changedOnly: boolean;
  collapsedPlays: ReadonlySet<number>;
  collapsedTasks: ReadonlySet<number>;
}

export class LogModel {
  private readonly store = new LineStore();
  readonly playSections: Section[] = [];
  readonly taskSections: Section[] = [];
  readonly gaps: Gap[] = [];
  /** Line index → the gap right before it. */
  readonly gapBefore = new Map<number, Gap>();
  private readonly playIndex = new Map<string, number>();
  private readonly taskIndex = new Map<string, number>();
  private visibleCache: VisibleState | null = null;
  /** Counter of the last event received whole. */
  lastCounter = 0;
  /** The event being received in chunks: its counter, lines received, and where its lines start. */
  private partial: { counter: number; received: number; first: number; carry: string } | null = null;
  job: JobDetail | null = null;
  stats: HostStat[] | null = null;
  end: EndItem | null = null;
  error: Extract<JobStreamItem, { kind: 'error' }>['error'] | null = null;
  notice: { level: 'info' | 'warn'; message: string } | null = null;
  /** The log is the offline copy of a finished job: when it was saved and why (kept after the end arrives). */
  offline: OfflineMark | null = null;
  /**
   * AWX cannot be reached and the copy has the job but not its log: what to say instead of the log. Cleared, with
   * the copy's mark, by the first sign of the live job on the stream (AWX answers again).
   */
  noLog: string | null = null;
  version = 0;

  get lineCount(): number {
    return this.store.count;
  }

  /** Line `i` as AWX printed it (colour codes included). */
  lineText(i: number): string {
    return this.store.text(i);
  }

  /** The colour open at the start of line `i` ('' mostly). */
  carryAt(i: number): string {
    return this.store.carry(i);
  }

  flagsAt(i: number): number {
    return this.store.meta(i)?.flags ?? 0;
  }

  playAt(i: number): number {
    return this.store.meta(i)?.play ?? -1;
  }

  taskAt(i: number): number {
    return this.store.meta(i)?.task ?? -1;
  }

  hostAt(i: number): string {
    return this.store.meta(i)?.host ?? '';
  }

  /** Every line, in order: a copy of the whole log (downloads, copies, tests), never per frame. */
  lines(): string[] {
    return this.store.lines();
  }

  /** Where to resume after a dropped link: the event after the last whole one (a partial one is dropped). */
  resumeCounter(): number {
    if (this.partial) this.truncate(this.partial.first);
    this.partial = null;
    return this.lastCounter + 1;
  }

  private truncate(n: number): void {
    this.store.truncate(n);
    while (this.playSections.length && (this.playSections[this.playSections.length - 1]?.first ?? 0) >= n) {
      this.playIndex.delete(this.playSections.pop()?.id ?? '');
    }
    while (this.taskSections.length && (this.taskSections[this.taskSections.length - 1]?.first ?? 0) >= n) {
      this.taskIndex.delete(this.taskSections.pop()?.id ?? '');
    }
    while (this.gaps.length && (this.gaps[this.gaps.length - 1]?.at ?? 0) > n) this.gapBefore.delete(this.gaps.pop()?.at ?? -1);
    this.version++;
  }

  apply(items: readonly JobStreamItem[]): boolean {
    let changed = false;
    for (const item of items) {
      if (this.noLog !== null && item.kind !== 'notice') {
        this.noLog = null;
        this.offline = null;
      }
      switch (item.kind) {
        case 'lines':
          changed = this.addLines(item) || changed;
          break;
        case 'job':
          this.job = item.job;
          changed = true;
          break;
        case 'stats':
          this.stats = item.hosts;
          changed = true;
          break;
        case 'gap':
          // Only in sequence (a replay after a reconnect repeats it), and never inside a chunked event.
          if (item.from > this.lastCounter && !this.partial) {
            const gap: Gap = { at: this.store.count, from: item.from, to: item.to, lines: item.lines };
            this.gaps.push(gap);
            this.gapBefore.set(gap.at, gap);
            this.lastCounter = item.to;
            changed = true;
          }
          break;
        case 'end':
          this.end = item;
          changed = true;
          break;
        case 'error':
          this.error = item.error;
          changed = true;
          break;
        case 'notice':
          this.notice = { level: item.level, message: item.message };
          if (item.offline) this.offline = item.offline;
          if (item.noLog) this.noLog = item.message;
          changed = true;
          break;
      }
    }
    if (changed) this.version++;
    return changed;
  }

  private addLines(item: LinesItem): boolean {
    const p = this.partial;
    if (p) {
      if (item.counter !== p.counter || item.offset !== p.received) return false;
    } else if (item.counter <= this.lastCounter || item.offset !== 0) {
      return false;
    }
    let carry = p ? p.carry : '';
    const first = p ? p.first : this.store.count;
    let flags = (item.failed ? FLAG_FAILED : 0) | (item.changed ? FLAG_CHANGED : 0);
    let play = item.playId ? (this.playIndex.get(item.playId) ?? -1) : -1;
    let task = item.taskId ? (this.taskIndex.get(item.taskId) ?? -1) : -1;
    if (item.event === 'playbook_on_play_start' && item.offset === 0) {
      play = this.playSections.length;
      this.playSections.push({ id: item.playId, name: item.play, first: this.store.count, headerLines: item.total, play });
      this.playIndex.set(item.playId, play);
      task = -1;
    }
    if (item.event === 'playbook_on_task_start' && item.offset === 0) {
      task = this.taskSections.length;
      this.taskSections.push({ id: item.taskId, name: item.task, first: this.store.count, headerLines: item.total, play });
      this.taskIndex.set(item.taskId, task);
    }
    if (item.event === 'playbook_on_play_start') flags |= FLAG_PLAY;
    else if (item.event === 'playbook_on_task_start') flags |= FLAG_TASK;
    else if (item.event === 'playbook_on_stats') flags |= FLAG_RECAP;
    if (play < 0 && task >= 0) play = this.taskSections[task]?.play ?? -1;
    carry = this.store.append(item.lines, { flags, play, task, host: item.host }, carry);
    const received = item.offset + item.lines.length;
    if (received >= item.total) {
      this.partial = null;
      this.lastCounter = item.counter;
    } else {
      this.partial = { counter: item.counter, received, first, carry };
    }
    return true;
  }

  /** Lower-case text without colour codes, computed per segment when search first needs it. */
  plain(i: number): string {
    return this.store.plain(i);
  }

  /**
   * The lines to show, as indexes into the log; null means "all of them, in order" (the common case, kept free
   * of a 200,000-entry array). Filtering keeps each matching line's task and play headers for context.
   */
  visible(o: ViewOptions, atVersion = this.version): Int32Array | null {
    const c = this.visibleCache;
    const same =
      c !== null &&
      c.o.failedOnly === o.failedOnly &&
      c.o.changedOnly === o.changedOnly &&
      c.o.collapsedPlays === o.collapsedPlays &&
      c.o.collapsedTasks === o.collapsedTasks;
    if (same && c.version === atVersion) return c.result;
    if (!o.failedOnly && !o.changedOnly && o.collapsedPlays.size === 0 && o.collapsedTasks.size === 0) {
      this.visibleCache = null;
      return null;
    }
    // The same view of a log that only grew: decide the new runs only (a filter left on while a million lines
    // stream must not re-walk the log every frame).
    const st: VisibleState =
      same && c.epoch === this.store.epoch
        ? c
        : {
            o,
            epoch: this.store.epoch,
            runs: 0,
            out: new IndexList(),
            shownPlay: new Set(),
            shownTask: new Set(),
            version: -1,
            result: null,
          };
    this.extendVisible(st);
    st.version = atVersion;
    st.result = st.out.view();
    this.visibleCache = st;
    return st.result;
  }

  private extendVisible(st: VisibleState): void {
    const { o, out, shownPlay, shownTask } = st;
    const filtering = o.failedOnly || o.changedOnly;
    const want = (o.failedOnly ? FLAG_FAILED : 0) | (o.changedOnly ? FLAG_CHANGED : 0);
    // Flags, play and task are the same for every line of a run (one event's lines), so each run is decided once.
    this.store.forEachRun((first, n, { flags: f, play, task }) => {
      const shown = !this.hidden(f, play, task, o);
      if (filtering) {
        if (f & FLAG_RECAP) {
          out.pushRange(first, n);
          return;
        }
        if ((f & (FLAG_PLAY | FLAG_TASK)) !== 0 || (f & want) === 0) return;
        if (play >= 0 && !shownPlay.has(play)) {
          shownPlay.add(play);
          this.pushHeader(out, this.playSections[play]);
        }
        if (task >= 0 && !shownTask.has(task)) {
          shownTask.add(task);
          this.pushHeader(out, this.taskSections[task]);
        }
      }
      if (shown) out.pushRange(first, n);
    }, st.runs);
    st.runs = this.store.runCount;
  }

  private pushHeader(out: IndexList, s: Section | undefined): void {
    if (s) out.pushRange(s.first, s.headerLines);
  }

  private hidden(f: number, play: number, task: number, o: ViewOptions): boolean {
    if (f & FLAG_PLAY) return false;
    if (play >= 0 && o.collapsedPlays.has(play)) return true;
    if (f & FLAG_TASK) return false;
    return task >= 0 && o.collapsedTasks.has(task);
  }

  /** Positions (in the visible list) of lines containing `query`, case-insensitive. */
  search(query: string, visible: Int32Array | null, from = 0, into: number[] = []): number[] {
    this.searchUntil(query, visible, from, into, Infinity);
    return into;
  }

  /**
   * The same in slices: stops soon after `deadline` (performance.now() time) and returns the position reached,
   * where the next call goes on (the count of lines shown when done), so a search over a million lines never
   * holds a frame.
   */
  searchUntil(query: string, visible: Int32Array | null, from: number, into: number[], deadline: number): number {
    const q = query.toLowerCase();
    const count = visible ? visible.length : this.store.count;
    if (!q) return count;
    // Everything shown and a one-line query: one scan per segment (a query holding a newline matches nothing
    // there, as it matches no single line below).
    if (!visible && !q.includes('\n')) return this.store.searchUntil(q, from, into, deadline);
    for (let pos = from; pos < count; pos++) {
      if ((pos & 1023) === 0 && pos > from && deadline !== Infinity && performance.now() > deadline) return pos;
      const i = visible ? (visible[pos] ?? 0) : pos;
      if (this.plain(i).includes(q)) into.push(pos);
    }
    return count;
  }

  /** The whole log as AWX's txt (or ansi) download has it. */
  text(ansi = false): string {
    return logText(this.store.lines(), ansi);
  }
}

/** What the filtered view was computed from, so a grown log extends it instead of recomputing it. */
interface VisibleState {
  o: ViewOptions;
  /** The store's epoch it was computed in (a truncation voids it). */
  epoch: number;
  /** Runs of the store already decided. */
  runs: number;
  out: IndexList;
  shownPlay: Set<number>;
  shownTask: Set<number>;
  version: number;
  result: Int32Array | null;
}

/** Line indexes in a typed array that doubles when full; views of it are what the viewer reads. */
class IndexList {
  private buf = new Int32Array(1024);
  private length = 0;

  pushRange(first: number, n: number): void {
    if (this.length + n > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < this.length + n) cap *= 2;
      const next = new Int32Array(cap);
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    for (let k = 0; k < n; k++) this.buf[this.length + k] = first + k;
    this.length += n;
  }

  /** A new view on every call (so a memo sees the change); later appends never touch what it covers. */
  view(): Int32Array {
    return this.buf.subarray(0, this.length);
  }
}

/** "events 3–4 (4 lines)" */
export function gapLabel(g: Gap): string {
  const events = g.from === g.to ? `event ${g.from}` : `events ${g.from}–${g.to}`;
  return g.lines === null ? events : `${events} (${g.lines} line${g.lines === 1 ? '' : 's'})`;
}
