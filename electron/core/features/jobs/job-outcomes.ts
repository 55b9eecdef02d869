import type { LaunchInput } from '@shared/jobs/contract';
import type { IncidentRef, JobDetail, JobSummary, WorkNoteOutcome } from '@shared/jobs/model';
import { formatElapsed } from '@shared/jobs/jobs';
import { ContractFailure } from '@shared/kernel/result';
import type { AuditLog } from '../../kernel/audit/audit-log';
import type { JobSilencePort } from '../alerts/job-silence';
import type { FollowerPool } from './awx-followers';

// What happens around a launched job while it runs: the alerts silenced for it (expired when it ends, whatever
// the outcome) and the incident's work notes ("launched" now, the outcome when it ends). Each watches the job's
// shared follower; notes already on their way may land while the console shuts down.

/** What launching from an incident needs of the incident feature (ServiceNow): add a work note. */
export interface IncidentPort {
  addWorkNote(ref: IncidentRef, text: string): Promise<{ auditId: string; remoteRef: string; message: string }>;
}

export class JobOutcomes {
  private readonly pendingNotes = new Set<Promise<unknown>>();
  private readonly outcomeStops = new Set<() => void>();
  private disposed = false;

  constructor(
    private readonly followers: FollowerPool,
    private readonly incidents: IncidentPort,
    private readonly audit: Pick<AuditLog, 'append'>,
    private readonly silences: JobSilencePort | undefined,
  ) {}

  async holdSilence(
    request: NonNullable<LaunchInput['silenceWhileRunning']>,
    what: string,
    limit: string,
    incident: IncidentRef | undefined,
  ): Promise<string> {
    if (!this.silences)
      throw new ContractFailure(
        'not_configured',
        'Silencing alerts while a job runs needs the alerts feature, which is not available in this console.',
      );
    const held = await this.silences.begin({
      request,
      label: `${what}${limit ? ` on ${limit}` : ''}`,
      ...(incident ? { incident } : {}),
    });
    return held.ticket;
  }

  /** Expires the job's silence when the job ends, whatever the outcome (or when the console loses the job). */
  releaseSilenceAtEnd(ticket: string, connectionId: string, jobId: number): void {
    const silences = this.silences;
    if (!silences) return;
    silences.launched(ticket, jobId, connectionId);
    if (this.disposed) return;
    const follower = this.followers.follower(connectionId, jobId);
    let stopEnd = (): void => undefined;
    let unsubscribe = (): void => undefined;
    const stop = (): void => {
      stopEnd();
      unsubscribe();
      this.followers.release(follower);
      this.outcomeStops.delete(stop);
    };
    const finish = (status: string, detail?: string): void => {
      queueMicrotask(stop);
      const p = silences.end(ticket, status, detail).catch(() => undefined);
      this.pendingNotes.add(p);
      void p.finally(() => this.pendingNotes.delete(p));
    };
    this.outcomeStops.add(stop);
    unsubscribe = follower.subscribe(Number.MAX_SAFE_INTEGER, (item) => {
      if (item.kind === 'error' && item.fatal) finish('unknown', `the console lost track of AWX job #${jobId}: ${item.error.message}`);
    });
    stopEnd = follower.onEnd((end) => finish(end.status));
  }

  // --- work notes ---------------------------------------------------------------------------------------

  private async note(incident: IncidentRef, text: string): Promise<WorkNoteOutcome> {
    try {
      const r = await this.incidents.addWorkNote(incident, text);
      return { ok: true, message: r.message, remoteRef: r.remoteRef };
    } catch (e) {
      const f = e instanceof ContractFailure ? e : new ContractFailure('internal', String(e));
      return { ok: false, message: `The work note on ${incident.number} could not be added: ${f.message}` };
    }
  }

  /** "…launched: AWX job #N" now; the outcome (status, failed hosts, elapsed) when the job ends. */
  async launchNotes(incident: IncidentRef, connectionId: string, job: JobSummary, label: string, verb: string): Promise<WorkNoteOutcome> {
    const first = await this.note(incident, `${label} ${verb}: AWX job #${job.id} (${job.name}). ${job.link}`);
    this.watchOutcome(incident, connectionId, job, label);
    return first;
  }

  private watchOutcome(incident: IncidentRef, connectionId: string, job: JobSummary, label: string): void {
    if (this.disposed) return;
    const follower = this.followers.follower(connectionId, job.id);
    let settled = false;
    let unsubscribe = (): void => undefined;
    let stopEnd = (): void => undefined;
    const stop = (): void => {
      stopEnd();
      unsubscribe();
      this.followers.release(follower);
      this.outcomeStops.delete(stop);
    };
    const finish = (detail: JobDetail | null, lost: string | null): void => {
      if (settled) return;
      settled = true;
      queueMicrotask(stop);
      const text = detail
        ? outcomeNote(label, detail, follower.statsNow())
        : `${label}: the console lost track of AWX job #${job.id} (${lost ?? 'unknown error'}). See ${job.link}`;
      const p = this.note(incident, text).then(async (r) => {
        if (!r.ok) {
          await this.audit
            .append({
              action: 'incidents.work_note',
              target: `incident ${incident.number}`,
              connectionId: incident.connectionId ?? connectionId,
              outcome: 'error',
              remoteRef: `job ${job.id}`,
              message: r.message,
            })
            .catch(() => undefined);
        }
      });
      this.pendingNotes.add(p);
      void p.finally(() => this.pendingNotes.delete(p));
    };
    this.outcomeStops.add(stop);
    // A subscriber past every counter holds the follower without receiving lines.
    unsubscribe = follower.subscribe(Number.MAX_SAFE_INTEGER, (item) => {
      if (item.kind === 'error') finish(null, item.error.message);
    });
    stopEnd = follower.onEnd(() => finish(follower.jobNow(), null));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    // Outcome notes already on their way are allowed to land (the CLI exits right after a job ends).
    const deadline = new Promise((r) => setTimeout(r, 15_000).unref?.());
    await Promise.race([Promise.allSettled([...this.pendingNotes]), deadline]);
    for (const stop of [...this.outcomeStops]) stop();
  }
}

function outcomeNote(label: string, job: JobDetail, stats: { host: string; failures: number; dark: number }[] | null): string {
  const failedHosts = stats ? stats.filter((s) => s.failures > 0 || s.dark > 0).map((s) => s.host) : null;
  const hosts =
    failedHosts === null
      ? job.hostStatusCounts
        ? `${(job.hostStatusCounts.failures ?? 0) + (job.hostStatusCounts.dark ?? 0)} failed`
        : 'not reported'
      : failedHosts.length
        ? failedHosts.join(', ')
        : 'none';
  const parts = [
    `${label}: AWX job #${job.id} (${job.name}) finished ${job.status}.`,
    `Failed hosts: ${hosts}.`,
    `Elapsed: ${formatElapsed(job.elapsed)}.`,
  ];
  if (job.jobExplanation) parts.push(`AWX: ${job.jobExplanation}`);
  parts.push(job.link);
  return parts.join(' ');
}
