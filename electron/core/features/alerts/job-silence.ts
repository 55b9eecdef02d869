import { randomUUID } from 'node:crypto';
import type { JobSilenceStatus, MatcherInput, Silence, SilenceWhileRunning } from '@shared/alerts/model';
import { formatMatchers } from '@shared/alerts/matchers';
import type { AlertsService } from './alerts-service';

// "Silence this target's alerts while the job runs." The silence is created BEFORE the launch, with an end time
// as a safety net (the job's timeout plus a margin, else 2 h) for when the console is closed mid-job; the console
// expires it as soon as the job ends, whatever the outcome, or at once if the launch itself fails. Both the
// silence and its expiry go to the audit log (through AlertsService) and, when the job works on an incident, to
// its work notes.
//
// The jobs feature drives it: begin() before launching, launched() with the job id, end() with the final status
// (or launchFailed()). runWithSilence() does the three in order for a launch function and a "wait for the end"
// function.

export const DEFAULT_SAFETY_NET_MINUTES = 120;
/** Added to a job timeout: AWX needs a moment to stop a timed-out job and report it. */
const TIMEOUT_MARGIN_MINUTES = 10;

export interface IncidentTarget {
  connectionId?: string | undefined;
  sysId: string;
  number?: string | undefined;
}

export interface JobSilenceBegin {
  request: SilenceWhileRunning;
  /** What runs, for comments and notes: `AWX job template "Disk cleanup" (limit web-1)`. */
  label: string;
  /** The job template's timeout in seconds (0 or absent: none). */
  timeoutSeconds?: number | undefined;
  createdBy?: string | undefined;
  /** The incident the launch works on; when absent, the incident carrying the silenced alerts is looked up. */
  incident?: IncidentTarget | undefined;
}

export interface JobSilenceDeps {
  alerts: Pick<AlertsService, 'create' | 'expire' | 'connectionId'> & { deps: { who: string } };
  /** Adds a work note to an incident (the incidents feature's addWorkNote); absent: no notes. */
  workNote?: (incident: IncidentTarget, text: string) => Promise<void>;
  /** The open incident carrying alerts these matchers match, if any. */
  findIncident?: (connectionId: string, matchers: MatcherInput[]) => Promise<(IncidentTarget & { number: string }) | undefined>;
  now?: () => number;
}

/** What the jobs feature calls (AwxService's `silences` option): JobSilences implements it. */
export interface JobSilencePort {
  begin(b: JobSilenceBegin): Promise<JobSilenceStatus>;
  launched(ticketId: string, jobId: number, jobConnectionId?: string): void;
  launchFailed(ticketId: string, error: unknown): Promise<JobSilenceStatus>;
  end(ticketId: string, outcome: string, detail?: string): Promise<JobSilenceStatus>;
}

interface Ticket extends JobSilenceStatus {
  incidentTarget?: IncidentTarget;
  ending?: Promise<JobSilenceStatus>;
}

export class JobSilences implements JobSilencePort {
  private tickets = new Map<string, Ticket>();
  private listeners = new Set<(s: JobSilenceStatus) => void>();

  constructor(private readonly deps: JobSilenceDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Creates the silence. Throws (in Alertmanager's words) if it cannot: the caller should not launch then. */
  async begin(b: JobSilenceBegin): Promise<JobSilenceStatus> {
    const connectionId = this.deps.alerts.connectionId(b.request.connectionId);
    const minutes =
      b.request.maxMinutes ??
      (b.timeoutSeconds && b.timeoutSeconds > 0 ? Math.ceil(b.timeoutSeconds / 60) + TIMEOUT_MARGIN_MINUTES : DEFAULT_SAFETY_NET_MINUTES);
    const start = this.now();
    const endsAt = new Date(start + minutes * 60_000).toISOString();
    const created = await this.deps.alerts.create(
      {
        connectionId,
        matchers: b.request.matchers,
        startsAt: new Date(start).toISOString(),
        endsAt,
        createdBy: b.createdBy?.trim() || this.deps.alerts.deps.who,
        comment: `TOC Console: silenced while ${b.label} runs; expired by the console when the job ends (ends by itself at ${endsAt} at the latest).`,
      },
      `job-scoped: ${b.label}`,
    );
    const ticket: Ticket = {
      ticket: randomUUID(),
      connectionId,
      silenceId: created.silence.id,
      label: b.label,
      matchers: b.request.matchers,
      createdAt: new Date(start).toISOString(),
      safetyNetEndsAt: endsAt,
      state: 'silencing',
      problems: [],
    };
    this.tickets.set(ticket.ticket, ticket);
    const incident = b.incident ?? (await this.lookupIncident(connectionId, b.request.matchers, ticket));
    if (incident) {
      ticket.incidentTarget = incident;
      ticket.incident = { connectionId: incident.connectionId ?? '', sysId: incident.sysId, number: incident.number ?? '' };
      await this.note(
        ticket,
        `Alertmanager silence ${ticket.silenceId} created by TOC Console before launching ${b.label}: ${formatMatchers(b.request.matchers)}. ` +
          `The console expires it when the job ends; it ends by itself at ${endsAt} at the latest.`,
      );
    }
    this.emit(ticket);
    return this.view(ticket);
  }

  /** Records the job the silence belongs to. */
  launched(ticketId: string, jobId: number, jobConnectionId?: string): void {
    const t = this.tickets.get(ticketId);
    if (!t) return;
    t.jobId = jobId;
    if (jobConnectionId) t.jobConnectionId = jobConnectionId;
    this.emit(t);
  }

  /** The launch failed: nothing will run, so the silence goes now. */
  launchFailed(ticketId: string, error: unknown): Promise<JobSilenceStatus> {
    return this.end(ticketId, 'launch_failed', error instanceof Error ? error.message : String(error));
  }

  /**
   * The job ended (successful, failed, error, canceled): expires the silence and notes it on the incident.
   * Idempotent: a second call returns the first one's result.
   */
  end(ticketId: string, outcome: string, detail?: string): Promise<JobSilenceStatus> {
    const t = this.tickets.get(ticketId);
    if (!t) return Promise.reject(new Error(`no job silence ${ticketId}`));
    t.ending ??= this.doEnd(t, outcome, detail);
    return t.ending;
  }

  private async doEnd(t: Ticket, outcome: string, detail?: string): Promise<JobSilenceStatus> {
    const what = t.jobId !== undefined ? `job ${t.jobId} (${t.label})` : t.label;
    const why = outcome === 'launch_failed' ? `the launch of ${t.label} failed${detail ? `: ${detail}` : ''}` : `${what} ended: ${outcome}`;
    t.outcome = outcome;
    t.endedAt = new Date(this.now()).toISOString();
    try {
      await this.deps.alerts.expire({ connectionId: t.connectionId, id: t.silenceId }, `job-scoped: ${why}`);
      t.state = 'expired';
    } catch (e) {
      t.state = 'expire_failed';
      t.problems.push(
        `The silence could not be expired (it ends by itself at ${t.safetyNetEndsAt}): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (t.incidentTarget) {
      await this.note(
        t,
        t.state === 'expired'
          ? `Alertmanager silence ${t.silenceId} expired by TOC Console: ${why}. Alerts for ${formatMatchers(t.matchers)} notify again.`
          : `Alertmanager silence ${t.silenceId} could NOT be expired after ${why}; it ends by itself at ${t.safetyNetEndsAt}. Expire it by hand in Alertmanager if the alerts should notify now.`,
      );
    }
    this.emit(t);
    return this.view(t);
  }

  /**
   * Begin, launch, and end when the job ends. Resolves once launched, with `ended` settling after the expiry.
   * A failed launch expires the silence and rethrows the launch's error.
   */
  async runWithSilence<L>(
    b: JobSilenceBegin,
    launch: () => Promise<L>,
    jobIdOf: (launched: L) => number,
    waitForEnd: (launched: L) => Promise<string>,
  ): Promise<{ silence: JobSilenceStatus; launched: L; ended: Promise<JobSilenceStatus> }> {
    const silence = await this.begin(b);
    let launched: L;
    try {
      launched = await launch();
    } catch (e) {
      await this.launchFailed(silence.ticket, e);
      throw e;
    }
    this.launched(silence.ticket, jobIdOf(launched));
    const ended = waitForEnd(launched).then(
      (status) => this.end(silence.ticket, status),
      (e: unknown) =>
        this.end(silence.ticket, 'unknown', `the console lost track of the job: ${e instanceof Error ? e.message : String(e)}`),
    );
    return { silence: this.view(this.tickets.get(silence.ticket) ?? silence), launched, ended };
  }

  list(): JobSilenceStatus[] {
    return [...this.tickets.values()].map((t) => this.view(t)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(ticketId: string): JobSilenceStatus | undefined {
    const t = this.tickets.get(ticketId);
    return t ? this.view(t) : undefined;
  }

  /** What the silence list shows for a silence the console holds for a job. */
  jobOf(silenceId: string): Silence['job'] | undefined {
    for (const t of this.tickets.values()) {
      if (t.silenceId === silenceId) return { label: t.label, ...(t.jobId !== undefined ? { jobId: t.jobId } : {}) };
    }
    return undefined;
  }

  onChange(cb: (s: JobSilenceStatus) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Waits for every expiry in progress (core dispose: do not cut an expiry off half-way). */
  async settle(): Promise<void> {
    await Promise.all([...this.tickets.values()].map((t) => t.ending?.catch(() => undefined)));
  }

  private async lookupIncident(
    connectionId: string,
    matchers: MatcherInput[],
    t: Ticket,
  ): Promise<(IncidentTarget & { number: string }) | undefined> {
    if (!this.deps.findIncident) return undefined;
    try {
      return await this.deps.findIncident(connectionId, matchers);
    } catch (e) {
      t.problems.push(`The incident for these alerts could not be looked up: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  private async note(t: Ticket, text: string): Promise<void> {
    if (!this.deps.workNote || !t.incidentTarget) return;
    try {
      await this.deps.workNote(t.incidentTarget, text);
    } catch (e) {
      t.problems.push(`Work note on ${t.incident?.number || 'the incident'} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private emit(t: Ticket): void {
    const v = this.view(t);
    for (const l of this.listeners) l(v);
  }

  private view(t: Ticket): JobSilenceStatus {
    return {
      ticket: t.ticket,
      connectionId: t.connectionId,
      silenceId: t.silenceId,
      label: t.label,
      ...(t.jobId !== undefined ? { jobId: t.jobId } : {}),
      ...(t.jobConnectionId ? { jobConnectionId: t.jobConnectionId } : {}),
      matchers: t.matchers,
      createdAt: t.createdAt,
      safetyNetEndsAt: t.safetyNetEndsAt,
      state: t.state,
      ...(t.outcome ? { outcome: t.outcome } : {}),
      ...(t.endedAt ? { endedAt: t.endedAt } : {}),
      ...(t.incident ? { incident: t.incident } : {}),
      problems: [...t.problems],
    };
  }
}
