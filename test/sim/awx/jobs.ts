// The job lifecycle: pending → waiting → running → successful | failed | error | canceled, a minimal task
// manager (one active job per template unless allow_simultaneous), cancel, relaunch and timeouts.
import { startAnsibleRun, type AnsibleRun } from './ansible-run';
import { CallbackReceiver } from './callback-receiver';
import { nowMs } from './clock';
import { EventNumberer, verboseRecord, type DraftEvent } from './event-records';
import type { JobRequest } from './launch';
import { randomHex, randomUuid } from './rng';
import { eventProcessingFinished } from './serialize';
import { NODE_NAME, type SimState } from './state';
import { isActive } from './types';
import type { HostSummary, JobStatus, JobTemplate, LaunchType, SimEvent, SimJob } from './types';
import type { WebsocketHub } from './websocket';
import { WebsocketThrottle } from './ws-throttle';

export interface JobTiming {
  /** Time a new job spends in `pending` before the task manager picks it. */
  pendingMs: number;
  /** Time in `waiting` (dispatched to a node) before ansible starts. */
  waitingMs: number;
  /** Callback-receiver flush period (AWX JOB_EVENT_BUFFER_SECONDS). */
  flushMs: number;
  /** Grace period between asking ansible to stop and killing its process group. */
  cancelGraceMs: number;
}

export const DEFAULT_TIMING: JobTiming = { pendingMs: 150, waitingMs: 150, flushMs: 250, cancelGraceMs: 3000 };

const ERROR_TRACEBACK = `Traceback (most recent call last):
  File "/var/lib/awx/venv/awx/lib64/python3.11/site-packages/awx/main/tasks/jobs.py", line 604, in run
    res = receptor_job.run()
  File "/var/lib/awx/venv/awx/lib64/python3.11/site-packages/awx/main/tasks/receptor.py", line 317, in run
    res = self._run_internal(receptor_ctl)
  File "/var/lib/awx/venv/awx/lib64/python3.11/site-packages/awx/main/tasks/receptor.py", line 392, in _run_internal
    raise RuntimeError(detail)
RuntimeError: Error: image pull failed: quay.io/ansible/awx-ee:missing: manifest unknown
`;

function summariesFromStats(data: Record<string, unknown>): HostSummary[] {
  const map = (key: string): Record<string, number> => {
    const v = data[key];
    return v !== null && typeof v === 'object' ? (v as Record<string, number>) : {};
  };
  const hosts = new Set<string>();
  for (const key of ['processed', 'ok', 'changed', 'failures', 'dark', 'skipped', 'ignored', 'rescued']) {
    for (const host of Object.keys(map(key))) hosts.add(host);
  }
  return [...hosts].sort().map((host) => ({
    host,
    changed: map('changed')[host] ?? 0,
    dark: map('dark')[host] ?? 0,
    failures: map('failures')[host] ?? 0,
    ignored: map('ignored')[host] ?? 0,
    ok: map('ok')[host] ?? 0,
    processed: map('processed')[host] ?? 0,
    rescued: map('rescued')[host] ?? 0,
    skipped: map('skipped')[host] ?? 0,
  }));
}

/** A new job in `pending`, configured from its template and the launch request. */
export function newJob(
  id: number,
  template: JobTemplate,
  request: JobRequest,
  launchType: LaunchType,
  userId: number,
  relaunchOf: number | null,
): SimJob {
  const now = nowMs();
  return {
    id,
    templateId: template.id,
    name: template.name,
    description: template.description,
    status: 'pending',
    launchType,
    launchedBy: userId,
    created: now,
    modified: now,
    started: null,
    finished: null,
    canceledOn: null,
    jobExplanation: '',
    resultTraceback: '',
    jobType: request.jobType,
    inventory: request.inventory,
    project: template.project,
    playbook: template.playbook,
    scmBranch: request.scmBranch,
    forks: request.forks,
    limit: request.limit,
    verbosity: request.verbosity,
    extraVars: request.extraVars,
    surveyPasswords: request.surveyPasswords,
    jobTags: request.jobTags,
    skipTags: request.skipTags,
    timeout: request.timeout,
    diffMode: request.diffMode,
    allowSimultaneous: template.allowSimultaneous,
    jobArgs: [],
    jobCwd: '',
    jobEnv: {},
    executionNode: '',
    workUnitId: '',
    relaunchOf,
    events: [],
    emittedEvents: null,
    eventStreamDone: false,
    hostSummaries: null,
    cancelRequested: false,
  };
}

export class JobService {
  private readonly receiver: CallbackReceiver;
  private readonly runs = new Map<number, AnsibleRun>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wrappedUp = new Set<number>();
  private readonly starting = new Set<Promise<AnsibleRun>>();
  private stopping = false;

  constructor(
    private readonly state: SimState,
    private readonly hub: WebsocketHub,
    private readonly timing: JobTiming,
    private readonly rootDir: string,
    private readonly apiUrl: () => string,
    workers: number,
  ) {
    this.receiver = new CallbackReceiver(
      state,
      {
        saved: (job, event, skip) => this.onSaved(job, event, skip),
        endOfStream: (job, finalCounter) => {
          job.eventStreamDone = true;
          this.hub.jobSummary(job, finalCounter);
          this.maybeWrapUp(job);
        },
      },
      { workers, flushMs: timing.flushMs, rng: state.rng },
    );
  }

  create(template: JobTemplate, request: JobRequest, launchType: LaunchType, userId: number, relaunchOf: number | null): SimJob {
    const job = newJob(this.state.allocateJobId(), template, request, launchType, userId, relaunchOf);
    this.state.jobs.set(job.id, job);
    this.hub.jobStatus(job, 'pending');
    this.later(this.timing.pendingMs, () => this.schedule());
    return job;
  }

  /** AWX cancel: false when there is nothing to cancel (the API answers 405). */
  cancel(job: SimJob): boolean {
    if (!isActive(job.status)) return false;
    if (job.cancelRequested) return true;
    job.cancelRequested = true;
    job.canceledOn = nowMs();
    job.modified = job.canceledOn;
    // AWX announces the cancel at once; the final `canceled` follows when the run has stopped.
    this.hub.jobStatus(job, 'canceled');
    const run = this.runs.get(job.id);
    if (run) this.stopRun(run);
    else if (job.status === 'pending' || job.status === 'waiting') this.finish(job, 'canceled', 0, false);
    // A job already `running` but without a process yet is stopped by run() when the process appears.
    return true;
  }

  private stopRun(run: AnsibleRun): void {
    run.interrupt();
    this.later(this.timing.cancelGraceMs, () => run.kill());
  }

  /** Stops every run and timer; used when the simulator shuts down. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // A run still being prepared registers itself when it spawns; wait for that, then kill them all.
    await Promise.allSettled([...this.starting]);
    await new Promise((resolve) => setImmediate(resolve));
    const closing = [...this.runs.values()].map((run) => {
      run.kill();
      return run.closed;
    });
    await Promise.all(closing);
    this.receiver.stop();
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Task manager pass: start pending jobs whose template is free (or allows simultaneous runs). */
  private schedule(): void {
    const pending = [...this.state.jobs.values()].filter((j) => j.status === 'pending').sort((a, b) => a.id - b.id);
    for (const job of pending) {
      const busy = [...this.state.jobs.values()].some(
        (other) => other !== job && other.templateId === job.templateId && (other.status === 'waiting' || other.status === 'running'),
      );
      if (busy && !job.allowSimultaneous) continue;
      job.status = 'waiting';
      job.executionNode = NODE_NAME;
      job.modified = nowMs();
      // `waiting` is never announced on the websocket.
      this.later(this.timing.waitingMs, () => void this.run(job));
    }
  }

  private markRunning(job: SimJob): void {
    job.status = 'running';
    job.started = nowMs();
    job.modified = job.started;
    job.workUnitId = randomHex(this.state.rng, 8);
    this.hub.jobStatus(job, 'running');
  }

  private async run(job: SimJob): Promise<void> {
    if (job.status !== 'waiting' || this.stopping) return;
    const template = this.state.template(job.templateId);
    const inventory = this.state.inventory(job.inventory);
    this.markRunning(job);
    if (!template || !inventory || template.simulate === 'error') {
      this.later(300, () => {
        if (job.status !== 'running') return;
        if (job.cancelRequested) {
          this.finish(job, 'canceled', 0, false);
          return;
        }
        job.jobExplanation = 'Job terminated due to error';
        job.resultTraceback = ERROR_TRACEBACK;
        this.finish(job, 'error', 0, false);
      });
      return;
    }

    const numberer = new EventNumberer(job.id, new Map(inventory.hosts.map((h) => [h.name, h.id])));
    const throttle = new WebsocketThrottle(this.state.limits.maxWebsocketEventRate);
    let timedOut = false;
    const accept = (draft: DraftEvent): void => {
      this.receiver.enqueue(job, draft, throttle.skip(draft, nowMs()));
    };
    try {
      const start = startAnsibleRun(
        job,
        { rootDir: this.rootDir, inventory, apiUrl: this.apiUrl() },
        {
          record: (record) => accept(numberer.next(record)),
          rawLine: (text) => accept(numberer.next(verboseRecord(text, randomUuid(this.state.rng)))),
          closed: (code) => {
            this.runs.delete(job.id);
            this.receiver.endOfStream(job, numberer.emitted);
            if (job.cancelRequested) this.finish(job, 'canceled', numberer.emitted);
            else if (timedOut) {
              job.jobExplanation = 'Job terminated due to timeout';
              this.finish(job, 'failed', numberer.emitted);
            } else this.finish(job, code === 0 ? 'successful' : 'failed', numberer.emitted);
          },
          spawnFailed: (error) => {
            this.runs.delete(job.id);
            job.jobExplanation = 'Job terminated due to error';
            job.resultTraceback = `Traceback (most recent call last):\n  File "ansible-playbook", line 1, in <module>\n${error.name}: ${error.message}\n`;
            this.receiver.endOfStream(job, numberer.emitted);
            this.finish(job, 'error', numberer.emitted);
          },
        },
      );
      this.starting.add(start);
      const run = await start.finally(() => this.starting.delete(start));
      job.jobArgs = run.args;
      job.jobCwd = run.cwd;
      job.jobEnv = run.env;
      this.runs.set(job.id, run);
      if (this.stopping) run.kill();
      else if (job.cancelRequested) this.stopRun(run);
      if (job.timeout > 0) {
        this.later(job.timeout * 1000, () => {
          if (!this.runs.has(job.id)) return;
          timedOut = true;
          run.kill();
        });
      }
    } catch (error) {
      job.jobExplanation = 'Job terminated due to error';
      job.resultTraceback = String(error instanceof Error ? (error.stack ?? error.message) : error);
      this.finish(job, 'error', numberer.emitted, false);
    }
  }

  private finish(job: SimJob, status: JobStatus, emitted: number, streamed = true): void {
    if (!isActive(job.status)) return;
    // A job that never produced an event stream has nothing left to process.
    if (!streamed) job.eventStreamDone = true;
    const now = nowMs();
    job.status = status;
    job.finished = now;
    job.modified = now;
    job.emittedEvents = emitted;
    this.hub.jobStatus(job, status);
    this.maybeWrapUp(job);
    this.later(0, () => this.schedule());
  }

  private onSaved(job: SimJob, event: SimEvent, skipWebsocket: boolean): void {
    if (event.event === 'playbook_on_stats') job.hostSummaries = summariesFromStats(event.eventData);
    this.hub.eventSaved(job, event, skipWebsocket);
    this.maybeWrapUp(job);
  }

  /** Once every event is saved: parents of failed/changed host events are marked too (as AWX does). */
  private maybeWrapUp(job: SimJob): void {
    if (this.wrappedUp.has(job.id) || !eventProcessingFinished(job) || this.receiver.hasPending(job)) return;
    this.wrappedUp.add(job.id);
    const byUuid = new Map(job.events.map((e) => [e.uuid, e]));
    for (const e of job.events) {
      if (!e.event.startsWith('runner_on')) continue;
      const parent = byUuid.get(e.parentUuid);
      if (!parent) continue;
      if (e.failed) parent.failed = true;
      if (e.changed) parent.changed = true;
    }
  }
}
