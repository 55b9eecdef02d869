import type { HostStat, JobDetail, JobStreamItem } from '@shared/jobs/model';
import { logText, stripAnsi } from '@shared/jobs/jobs';
import { carryAfter } from './ansi';

// The job log as the viewer holds it: every line once, in order, with what the viewer needs to filter and fold
// it. Plain arrays, mutated in place (a 200,000-line job must not be copied per batch); `version` tells React
// something changed. Chunks are accepted only in sequence, so a replay after a reconnect is harmless.

type EndItem = Extract<JobStreamItem, { kind: 'end' }>;
type LinesItem = Extract<JobStreamItem, { kind: 'lines' }>;

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
  readonly texts: string[] = [];
  /** The colour open at the start of each line ('' mostly; shared strings, not copies). */
  readonly carries: string[] = [];
  readonly flags: number[] = [];
  readonly plays: number[] = [];
  readonly tasks: number[] = [];
  readonly hosts: string[] = [];
  readonly playSections: Section[] = [];
  readonly taskSections: Section[] = [];
  private readonly playIndex = new Map<string, number>();
  private readonly taskIndex = new Map<string, number>();
  private plainCache: (string | undefined)[] = [];
  private visibleCache: { version: number; o: ViewOptions; result: Int32Array | null } | null = null;
  /** Counter of the last event received whole. */
  lastCounter = 0;
  /** The event being received in chunks: its counter, lines received, and where its lines start. */
  private partial: { counter: number; received: number; first: number; carry: string } | null = null;
  job: JobDetail | null = null;
  stats: HostStat[] | null = null;
  end: EndItem | null = null;
  error: Extract<JobStreamItem, { kind: 'error' }>['error'] | null = null;
  notice: { level: 'info' | 'warn'; message: string } | null = null;
  version = 0;

  get lineCount(): number {
    return this.texts.length;
  }

  /** Where to resume after a dropped link: the event after the last whole one (a partial one is dropped). */
  resumeCounter(): number {
    if (this.partial) this.truncate(this.partial.first);
    this.partial = null;
    return this.lastCounter + 1;
  }

  private truncate(n: number): void {
    for (const a of [this.texts, this.carries, this.flags, this.plays, this.tasks, this.hosts]) a.length = n;
    if (this.plainCache.length > n) this.plainCache.length = n;
    while (this.playSections.length && (this.playSections[this.playSections.length - 1]?.first ?? 0) >= n) {
      this.playIndex.delete(this.playSections.pop()?.id ?? '');
    }
    while (this.taskSections.length && (this.taskSections[this.taskSections.length - 1]?.first ?? 0) >= n) {
      this.taskIndex.delete(this.taskSections.pop()?.id ?? '');
    }
    this.version++;
  }

  apply(items: readonly JobStreamItem[]): boolean {
    let changed = false;
    for (const item of items) {
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
    const first = p ? p.first : this.texts.length;
    let flags = (item.failed ? FLAG_FAILED : 0) | (item.changed ? FLAG_CHANGED : 0);
    let play = item.playId ? (this.playIndex.get(item.playId) ?? -1) : -1;
    let task = item.taskId ? (this.taskIndex.get(item.taskId) ?? -1) : -1;
    if (item.event === 'playbook_on_play_start' && item.offset === 0) {
      play = this.playSections.length;
      this.playSections.push({ id: item.playId, name: item.play, first: this.texts.length, headerLines: item.total, play });
      this.playIndex.set(item.playId, play);
      task = -1;
    }
    if (item.event === 'playbook_on_task_start' && item.offset === 0) {
      task = this.taskSections.length;
      this.taskSections.push({ id: item.taskId, name: item.task, first: this.texts.length, headerLines: item.total, play });
      this.taskIndex.set(item.taskId, task);
    }
    if (item.event === 'playbook_on_play_start') flags |= FLAG_PLAY;
    else if (item.event === 'playbook_on_task_start') flags |= FLAG_TASK;
    else if (item.event === 'playbook_on_stats') flags |= FLAG_RECAP;
    if (play < 0 && task >= 0) play = this.taskSections[task]?.play ?? -1;
    for (const text of item.lines) {
      this.texts.push(text);
      this.carries.push(carry);
      this.flags.push(flags);
      this.plays.push(play);
      this.tasks.push(task);
      this.hosts.push(item.host);
      carry = carryAfter(text, carry);
    }
    const received = item.offset + item.lines.length;
    if (received >= item.total) {
      this.partial = null;
      this.lastCounter = item.counter;
    } else {
      this.partial = { counter: item.counter, received, first, carry };
    }
    return true;
  }

  /** Lower-case text without colour codes, computed once per line when search first needs it. */
  plain(i: number): string {
    let s = this.plainCache[i];
    if (s === undefined) {
      s = stripAnsi(this.texts[i] ?? '').toLowerCase();
      this.plainCache[i] = s;
    }
    return s;
  }

  /**
   * The lines to show, as indexes into the log; null means "all of them, in order" (the common case, kept free
   * of a 200,000-entry array). Filtering keeps each matching line's task and play headers for context.
   */
  visible(o: ViewOptions, atVersion = this.version): Int32Array | null {
    const c = this.visibleCache;
    if (
      c &&
      c.version === atVersion &&
      c.o.failedOnly === o.failedOnly &&
      c.o.changedOnly === o.changedOnly &&
      c.o.collapsedPlays === o.collapsedPlays &&
      c.o.collapsedTasks === o.collapsedTasks
    ) {
      return c.result;
    }
    const result = this.computeVisible(o);
    this.visibleCache = { version: atVersion, o, result };
    return result;
  }

  private computeVisible(o: ViewOptions): Int32Array | null {
    const filtering = o.failedOnly || o.changedOnly;
    if (!filtering && o.collapsedPlays.size === 0 && o.collapsedTasks.size === 0) return null;
    const want = (o.failedOnly ? FLAG_FAILED : 0) | (o.changedOnly ? FLAG_CHANGED : 0);
    const out: number[] = [];
    const shownTask = new Set<number>();
    const shownPlay = new Set<number>();
    const n = this.texts.length;
    for (let i = 0; i < n; i++) {
      const f = this.flags[i] ?? 0;
      const play = this.plays[i] ?? -1;
      const task = this.tasks[i] ?? -1;
      if (filtering) {
        if (f & FLAG_RECAP) {
          out.push(i);
          continue;
        }
        if ((f & (FLAG_PLAY | FLAG_TASK)) !== 0 || (f & want) === 0) continue;
        if (play >= 0 && !shownPlay.has(play)) {
          shownPlay.add(play);
          this.pushHeader(out, this.playSections[play]);
        }
        if (task >= 0 && !shownTask.has(task)) {
          shownTask.add(task);
          this.pushHeader(out, this.taskSections[task]);
        }
        if (!this.hidden(i, f, play, task, o)) out.push(i);
        continue;
      }
      if (!this.hidden(i, f, play, task, o)) out.push(i);
    }
    return Int32Array.from(out);
  }

  private pushHeader(out: number[], s: Section | undefined): void {
    if (!s) return;
    for (let k = 0; k < s.headerLines; k++) out.push(s.first + k);
  }

  private hidden(_i: number, f: number, play: number, task: number, o: ViewOptions): boolean {
    if (f & FLAG_PLAY) return false;
    if (play >= 0 && o.collapsedPlays.has(play)) return true;
    if (f & FLAG_TASK) return false;
    return task >= 0 && o.collapsedTasks.has(task);
  }

  /** Positions (in the visible list) of lines containing `query`, case-insensitive. */
  search(query: string, visible: Int32Array | null, from = 0, into: number[] = []): number[] {
    const q = query.toLowerCase();
    if (!q) return into;
    const count = visible ? visible.length : this.texts.length;
    for (let pos = from; pos < count; pos++) {
      const i = visible ? (visible[pos] ?? 0) : pos;
      if (this.plain(i).includes(q)) into.push(pos);
    }
    return into;
  }

  /** The whole log as AWX's txt (or ansi) download has it. */
  text(ansi = false): string {
    return logText(this.texts, ansi);
  }
}
