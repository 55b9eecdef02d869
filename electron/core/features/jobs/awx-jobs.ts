import type { ConnectionProblem, JobDetail, JobSummary } from '@shared/jobs/model';
import { isTerminalStatus } from '@shared/jobs/jobs';
import { ContractFailure } from '@shared/kernel/result';
import { jobIdentity } from '../../systems/awx/job-identity';
import type { AwxPool } from './awx-pool';
import type { LaunchMemory } from './launch-memory';

// Jobs as AWX lists them: running and recent across connections, one job's detail, its whole output in one
// download, and the live status of jobs (over the socket when it works, else by polling).

export class AwxJobs {
  constructor(
    private readonly pool: AwxPool,
    private readonly memory: LaunchMemory,
    private readonly statusPollMs: number | undefined,
  ) {}

  async listJobs(opts: {
    connectionId?: string;
    limit?: number;
    activeOnly?: boolean;
  }): Promise<{ jobs: JobSummary[]; problems: ConnectionProblem[]; fetchedAt: string }> {
    const ids = this.pool.connectionIds(opts.connectionId);
    const limit = opts.limit ?? 50;
    const results = await Promise.all(
      ids.map(async (id) => {
        try {
          const client = await this.pool.client(id);
          return {
            jobs: (await client.jobs({ limit, activeOnly: opts.activeOnly ?? false })).map((j) => client.jobSummaryOf(j)),
            problem: null,
          };
        } catch (e) {
          return { jobs: [] as JobSummary[], problem: this.pool.problemOf(id, e) };
        }
      }),
    );
    const jobs = results
      .flatMap((r) => r.jobs)
      .sort(
        (a, b) =>
          Number(isTerminalStatus(a.status)) - Number(isTerminalStatus(b.status)) ||
          (b.created ?? '').localeCompare(a.created ?? '') ||
          b.id - a.id,
      )
      .slice(0, limit);
    return { jobs, problems: results.flatMap((r) => (r.problem ? [r.problem] : [])), fetchedAt: new Date().toISOString() };
  }

  async getJob(connectionId: string, jobId: number): Promise<JobDetail> {
    const client = await this.pool.client(this.pool.connectionId(connectionId));
    const detail = client.jobDetailOf(await client.job(jobId));
    const remembered = this.memory.get(client.spec.id, jobId);
    return remembered?.production ? { ...detail, production: true } : detail;
  }

  /**
   * The whole output as text, through AWX's `txt_download`/`ansi_download` (one request, no size limit: the
   * other formats answer a "too large to display" sentence above 1 MiB).
   */
  async stdoutDownload(connectionId: string, jobId: number, ansi: boolean): Promise<{ filename: string; text: string; lines: number }> {
    const client = await this.pool.client(this.pool.connectionId(connectionId));
    const text = (await client.download(jobId, ansi)).replaceAll('\r\n', '\n');
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    return { filename: `job_${jobId}${ansi ? '.ansi' : ''}.txt`, text, lines };
  }

  /**
   * A finished job's whole log in one download (`txt_download`/`ansi_download`), when that is provably the same
   * text the events give: the job is the one asked for, finished, every event processed, its events numbered
   * 1..N without a gap (their count equals the last counter) and the download has exactly the last event's
   * `end_line` lines. Otherwise null, and the caller follows the events (which also names any gap).
   */
  async finishedLog(connectionId: string, jobId: number, ansi: boolean): Promise<{ job: JobDetail; text: string; lines: number } | null> {
    const client = await this.pool.client(this.pool.connectionId(connectionId));
    const raw = await client.job(jobId);
    const who = jobIdentity(raw, jobId, client.spec.name);
    if (!who.ok) throw new ContractFailure('bad_response', who.message, { remoteMessage: who.quoted });
    const job = client.jobDetailOf(raw);
    if (!isTerminalStatus(job.status) || !job.eventProcessingFinished) return null;
    const { count, last } = await client.lastEvent(jobId);
    if (last === null || count !== last.counter) return last === null && count === 0 ? { job, text: '', lines: 0 } : null;
    const text = (await client.download(jobId, ansi)).replaceAll('\r\n', '\n');
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    if (lines !== last.endLine || (text !== '' && !text.endsWith('\n'))) return null;
    return { job, text, lines };
  }

  /** Status changes of jobs on one AWX connection or all: immediate over the socket, else by polling. */
  watchStatus(connectionId: string | undefined, emit: (job: JobSummary) => void): () => void {
    const stops = this.pool.connectionIds(connectionId).map((id) => this.watchConnection(id, emit));
    return () => stops.forEach((s) => s());
  }

  private watchConnection(connectionId: string, emit: (job: JobSummary) => void): () => void {
    let stopped = false;
    const known = new Map<number, string>();
    let first = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const pollMs = this.statusPollMs ?? 5000;
    const seen = (j: JobSummary): void => {
      const sig = `${j.status}|${j.finished ?? ''}`;
      if (known.get(j.id) === sig) return;
      known.set(j.id, sig);
      if (!first) emit(j);
    };
    const poll = async (): Promise<void> => {
      if (stopped) return;
      try {
        const client = await this.pool.client(connectionId);
        const rows = await client.jobs({ limit: 50 });
        for (const r of rows) seen(client.jobSummaryOf(r));
        first = false;
      } catch {
        // The list view shows its own errors; this watcher only patches it.
      }
      if (!stopped) timer = setTimeout(() => void poll(), socket?.state === 'open' ? pollMs * 3 : pollMs);
    };
    const socket = this.pool.socket(connectionId);
    const pending = new Set<number>();
    const stopSocket = socket?.onStatus((m) => {
      if (pending.has(m.jobId)) return;
      pending.add(m.jobId);
      setTimeout(() => {
        pending.delete(m.jobId);
        if (stopped) return;
        void this.pool
          .client(connectionId)
          .then(async (c) => seen(c.jobSummaryOf(await c.job(m.jobId))))
          .catch(() => undefined);
      }, 150);
    });
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stopSocket?.();
    };
  }
}
