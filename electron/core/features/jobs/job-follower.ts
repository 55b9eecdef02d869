import type { HostStat, JobDetail, JobEndItem as EndItem, JobStreamItem } from '@shared/jobs/model';
import { isTerminalStatus } from '@shared/jobs/jobs';
import { ContractFailure } from '@shared/kernel/result';
import type { AwxClient, AwxEvent } from '../../systems/awx/awx-client';
import { eventOf } from '../../systems/awx/awx-client';
import type { JobWatcher, SocketState } from '../../systems/awx/awx-socket';
import { EventLog, formatRanges } from './event-log';
import type { Range } from './event-log';
import { DEFAULT_TIMING } from './follow-timing';
import type { FollowTiming } from './follow-timing';
import { StreamDelivery } from './stream-delivery';
import type { Emit } from './stream-delivery';
import { WakeableSleep } from './wakeable-sleep';
import { decideEnd } from './end-decision';
import { jobIdentity, sameJob } from '../../systems/awx/job-identity';
import type { JobIdentity } from '../../systems/awx/job-identity';

// Follows one AWX job until its log is complete, for any number of subscribers.
//
// Why the log is complete: events are keyed by counter (AWX numbers them 1..N without gaps) and a subscriber is
// only ever given the contiguous prefix, in counter order, each counter once. REST is the source of truth and is
// read in bulk from the contiguous counter (`counter__gt=<contiguous>`, pages of 200 following `next`), so an
// event saved late by one of AWX's callback workers is picked up by the next sweep however many others were
// saved after it. The websocket only shows lines early and says "there is more" (it skips events by design).
// After the final status the follower keeps sweeping until AWX says `event_processing_finished`; then it sweeps
// again until a sweep brings nothing new, and only then names the counters AWX truly never saved (end-decision.ts).
// Delivery to subscribers is stream-delivery.ts; the pace is follow-timing.ts.

export { DEFAULT_TIMING };
export type { FollowTiming };

/** The part of AwxSocket a follower uses. */
export interface FollowerSocket {
  readonly state: SocketState;
  readonly reason: string;
  watchJob(jobId: number, w: JobWatcher): () => void;
}

const FATAL_CODES = new Set(['unauthorized', 'forbidden', 'not_found', 'not_configured', 'secret_missing', 'config', 'login_required']);

/** The answer is not the job asked for (a gateway's health page, another job under the same id): never retried. */
class NotThisJob extends ContractFailure {}

/** Ranges listed in the end item (the message names them all compactly). */
const MAX_MISSING_RANGES = 1000;

export class JobFollower {
  private readonly log = new EventLog();
  private job: JobDetail | null = null;
  private readonly delivery: StreamDelivery;
  private stats: HostStat[] | null = null;
  private endItem: EndItem | null = null;
  private fatalItem: JobStreamItem | null = null;
  private lastNotice: JobStreamItem | null = null;
  private stopped = false;
  private started = false;
  private socketLive = false;
  private stopSocket: (() => void) | null = null;
  private jobDirty = true;
  private lastJobFetch = 0;
  private terminalAt: number | null = null;
  private finishDelay: number;
  private nextFinishCheck = 0;
  private finalCounter: number | null = null;
  private errorStreak = 0;
  /** The last sweep brought events after AWX said it had saved them all: sweep again at once. */
  private sweepAgain = false;
  private identity: JobIdentity | null = null;
  private contiguousSince = Date.now();
  private readonly pause = new WakeableSleep();
  private readonly endListeners = new Set<(end: EndItem) => void>();
  private readonly timing: FollowTiming;

  constructor(
    readonly connectionId: string,
    readonly jobId: number,
    private readonly client: () => Promise<AwxClient>,
    private readonly socket: FollowerSocket | null,
    timing: Partial<FollowTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
    this.finishDelay = this.timing.finishBackoff.initialMs;
    this.delivery = new StreamDelivery(this.log, this.timing, () => this.endItem);
  }

  get isDone(): boolean {
    return this.endItem !== null || this.fatalItem !== null;
  }

  get failed(): boolean {
    return this.fatalItem !== null;
  }

  /** Lines held in memory for this job. */
  get lineCount(): number {
    return this.log.lineCount;
  }

  get subscriberCount(): number {
    return this.delivery.size;
  }

  jobNow(): JobDetail | null {
    return this.job;
  }

  statsNow(): HostStat[] | null {
    return this.stats;
  }

  /** Called once the follower has the whole log (not on fatal errors). */
  onEnd(cb: (end: EndItem) => void): () => void {
    if (this.endItem) {
      const end = this.endItem;
      queueMicrotask(() => cb(end));
      return () => undefined;
    }
    this.endListeners.add(cb);
    return () => this.endListeners.delete(cb);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.socket) {
      this.stopSocket = this.socket.watchJob(this.jobId, {
        onEvent: (raw) => this.onSocketEvent(raw),
        onStatus: (m) => {
          if (m.status !== this.job?.status) {
            this.jobDirty = true;
            this.wake(0);
          }
        },
        onSummary: (fc) => {
          this.finalCounter = fc;
          this.wake(this.timing.holeDelayMs);
        },
        onState: (state, why) => this.onSocketState(state, why),
      });
      this.onSocketState(this.socket.state, this.socket.reason);
    } else {
      this.notice('info', 'Following by polling AWX (no websocket for this connection).');
    }
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.stopSocket?.();
    this.stopSocket = null;
    this.delivery.stop();
    this.wake(0);
  }

  /** Starts delivering from `fromCounter`; returns the unsubscribe function. */
  subscribe(fromCounter: number, emit: Emit): () => void {
    const sub = this.delivery.add(fromCounter, emit);
    if (this.fatalItem) emit(this.fatalItem);
    else {
      if (this.job) emit({ kind: 'job', job: this.job });
      if (this.lastNotice && !this.isDone) emit(this.lastNotice);
      this.delivery.deliver(sub);
    }
    return () => this.delivery.remove(sub);
  }

  // --- the loop ------------------------------------------------------------------------------------------

  private async loop(): Promise<void> {
    while (!this.stopped && !this.isDone) {
      try {
        await this.round();
        this.errorStreak = 0;
      } catch (e) {
        const f = e instanceof ContractFailure ? e : new ContractFailure('internal', (e as Error).message ?? String(e));
        // Credentials, permissions or a job that does not exist will not fix themselves; neither, for a caller
        // waiting on its first answer, does an AWX that stays unreachable.
        if (f instanceof NotThisJob || FATAL_CODES.has(f.code) || (this.job === null && this.errorStreak >= 2)) {
          this.fail(f);
          return;
        }
        this.errorStreak++;
        if (this.errorStreak === 1 || this.errorStreak % 10 === 0)
          this.notice('warn', `AWX did not answer (${f.message}); retrying.`, { code: f.code, message: f.message });
      }
      this.deliverAll();
      if (this.isDone || this.stopped) break;
      await this.sleep(this.nextDelay());
    }
    this.stopSocket?.();
    this.stopSocket = null;
  }

  private nextDelay(): number {
    if (this.errorStreak > 0) return Math.min(this.timing.retryMaxMs, this.timing.pollMs * 2 ** Math.min(this.errorStreak, 6));
    if (this.sweepAgain) return 0;
    const stuck = this.stuckMs();
    if (stuck > this.timing.stuckAfterMs && this.job && !isTerminalStatus(this.job.status)) {
      return Math.min(this.timing.retryMaxMs, Math.max(this.timing.pollMs, stuck / 4));
    }
    if (this.job && isTerminalStatus(this.job.status) && !this.job.eventProcessingFinished) {
      return Math.max(0, Math.min(this.nextFinishCheck - Date.now(), this.socketLive ? this.timing.livePollMs : this.timing.pollMs));
    }
    return this.socketLive ? this.timing.livePollMs : this.timing.pollMs;
  }

  private async round(): Promise<void> {
    const client = await this.client();
    const now = Date.now();
    const terminal = this.job !== null && isTerminalStatus(this.job.status);
    const refreshEvery = this.socketLive ? this.timing.jobRefreshMs * 3 : this.timing.jobRefreshMs;
    const due =
      this.job === null ||
      this.jobDirty ||
      (!terminal && now - this.lastJobFetch >= refreshEvery) ||
      (terminal && this.job !== null && !this.job.eventProcessingFinished && now >= this.nextFinishCheck);
    if (due) await this.refreshJob(client);

    // Read before the sweep: only a sweep that started after AWX said "every event is saved" can prove a gap.
    const job = this.job;
    const processed = job !== null && isTerminalStatus(job.status) && job.eventProcessingFinished;
    const brought = await this.sweep(client);
    this.sweepAgain = false;
    if (!job || !isTerminalStatus(job.status) || this.stopped) return;
    this.terminalAt ??= now;
    const d = decideEnd(
      { status: job.status, processed, brought, sinceFinalMs: now - this.terminalAt, missing: () => this.missing() },
      this.timing,
    );
    if (d.kind === 'sweep-again') this.sweepAgain = true;
    else if (d.kind === 'complete') this.finish(true, d.message);
    else if (d.kind === 'incomplete') this.giveUpAndFinish(d.missing, d.why);
  }

  /** Every event after the contiguous counter that REST has now; returns how many were new. */
  private async sweep(client: AwxClient): Promise<number> {
    let brought = 0;
    for await (const page of client.eventPages(this.jobId, this.log.contiguous)) {
      for (const e of page) if (this.add(e)) brought++;
      this.deliverAll();
      if (this.stopped) break;
    }
    return brought;
  }

  /** Counters after the contiguous prefix that are not here, up to the highest AWX announced. */
  private missing(): Range[] {
    return this.log.missingUpTo(Math.max(this.log.maxSeen, this.finalCounter ?? 0));
  }

  private async refreshJob(client: AwxClient): Promise<void> {
    const raw = await client.job(this.jobId);
    const who = jobIdentity(raw, this.jobId, client.spec.name);
    if (!who.ok) throw new NotThisJob('bad_response', who.message, { remoteMessage: who.quoted });
    if (this.identity && !sameJob(this.identity, who.identity)) {
      throw new NotThisJob(
        'conflict',
        `AWX job ${this.jobId} is now a different job (created ${who.identity.created || '?'} from template ${who.identity.template ?? '?'}; the one followed was created ${this.identity.created || '?'} from template ${this.identity.template ?? '?'}). Stopped, so its output is not added to the old job's log.`,
      );
    }
    this.identity ??= who.identity;
    const job = client.jobDetailOf(raw);
    this.lastJobFetch = Date.now();
    this.jobDirty = false;
    const prev = this.job;
    this.job = job;
    if (isTerminalStatus(job.status) && !job.eventProcessingFinished) {
      this.nextFinishCheck = Date.now() + this.finishDelay;
      this.finishDelay = Math.min(this.timing.finishBackoff.maxMs, this.finishDelay * 2);
    }
    if (
      !prev ||
      prev.status !== job.status ||
      prev.eventProcessingFinished !== job.eventProcessingFinished ||
      prev.finished !== job.finished ||
      prev.jobExplanation !== job.jobExplanation ||
      prev.resultTraceback !== job.resultTraceback ||
      JSON.stringify(prev.hostStatusCounts) !== JSON.stringify(job.hostStatusCounts)
    ) {
      this.broadcast({ kind: 'job', job });
    }
  }

  private add(e: AwxEvent): boolean {
    const before = this.log.contiguous;
    if (!this.log.add(e)) return false;
    if (this.log.contiguous > before) this.contiguousSince = Date.now();
    if (e.stats) this.stats = e.stats;
    return true;
  }

  /**
   * How long the contiguous counter has not moved while later events exist: a counter that stays missing in a
   * running job. Every sweep re-reads what follows it and nothing new can be shown past it, so sweeps slow down
   * (and the socket stops waking them) until it moves; the final sweeps after the job ends are not slowed.
   */
  private stuckMs(): number {
    if (this.log.contiguous >= this.log.maxSeen) return 0;
    return Date.now() - this.contiguousSince;
  }

  private giveUpAndFinish(missing: Range[], why: string): void {
    for (const r of missing) this.log.giveUp(r);
    this.finish(false, `${why} events ${formatRanges(missing)}; the log misses their lines.`, missing);
  }

  private finish(complete: boolean, message: string, missing: Range[] = []): void {
    const status = this.job?.status ?? 'unknown';
    const lines = this.log.lineCount;
    this.endItem = {
      kind: 'end',
      status,
      complete,
      lastCounter: this.log.contiguous,
      lineCount: lines,
      message: message || `The log is complete: ${this.log.contiguous} events, ${lines} lines, as AWX saved them.`,
      missing: missing.slice(0, MAX_MISSING_RANGES).map(([from, to]) => ({ from, to })),
    };
    this.deliverAll();
    for (const l of this.endListeners) l(this.endItem);
    this.endListeners.clear();
  }

  private fail(f: ContractFailure): void {
    this.stopSocket?.();
    this.stopSocket = null;
    this.fatalItem = {
      kind: 'error',
      fatal: true,
      error: {
        code: f.code,
        message: f.message,
        ...(f.detail?.remoteMessage ? { remoteMessage: f.detail.remoteMessage } : {}),
        ...(f.detail?.status !== undefined ? { status: f.detail.status } : {}),
      },
    };
    this.broadcast(this.fatalItem);
  }

  // --- the socket -----------------------------------------------------------------------------------------

  private onSocketEvent(raw: Record<string, unknown>): void {
    const e = eventOf(raw);
    if (!e) return;
    const before = this.log.contiguous;
    if (!this.add(e)) return;
    if (this.log.contiguous > before) this.deliverAll();
    if (this.log.contiguous < this.log.maxSeen && this.stuckMs() <= this.timing.stuckAfterMs) this.wake(this.timing.holeDelayMs);
  }

  private onSocketState(state: SocketState, why: string): void {
    const live = state === 'open';
    const was = this.socketLive;
    this.socketLive = live;
    if (live && !was) {
      this.notice('info', 'Live: following over AWX’s websocket (gaps are filled from the REST API).');
      // Anything sent while the socket was down is lost on it (a status change too): catch up from REST now.
      this.jobDirty = true;
      this.wake(0);
    } else if (!live && (state === 'down' || state === 'unavailable')) {
      this.notice(
        was ? 'warn' : 'info',
        `Live updates unavailable (${why}): following by polling AWX every ${Math.round(this.timing.pollMs / 100) / 10} s.`,
      );
      this.wake(0);
    }
  }

  // --- delivery -----------------------------------------------------------------------------------------

  private notice(level: 'info' | 'warn', message: string, retrying?: { code: string; message: string }): void {
    const item: JobStreamItem = { kind: 'notice', level, message, ...(retrying ? { retrying } : {}) };
    if (this.lastNotice?.kind === 'notice' && this.lastNotice.message === message) return;
    this.lastNotice = item;
    this.broadcast(item);
  }

  private broadcast(item: JobStreamItem): void {
    this.delivery.broadcast(item);
  }

  private deliverAll(): void {
    this.delivery.deliverAll();
  }

  // --- sleeping -----------------------------------------------------------------------------------------

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.pause.sleep(ms);
  }

  /** Ends the current sleep within `ms` (never later than it was due). */
  private wake(ms: number): void {
    this.pause.wake(ms);
  }
}
