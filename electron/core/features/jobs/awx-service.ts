import type { LaunchInput } from '@shared/jobs/contract';
import type {
  CancelResult,
  ConnectionProblem,
  IncidentRef,
  JobDetail,
  JobStreamItem,
  JobSummary,
  LaunchForm,
  LaunchResult,
  TemplateSummary,
} from '@shared/jobs/model';
import type { AuditLog } from '../../kernel/audit/audit-log';
import type { RunbookStore } from '../runbooks/runbook-store';
import type { AwxClient } from '../../systems/awx/awx-client';
import type { SocketOptions } from '../../systems/awx/awx-socket';
import type { JobSilencePort } from '../alerts/job-silence';
import type { FollowTiming } from './job-follower';
import { AwxPool } from './awx-pool';
import type { AwxConnections } from './awx-pool';
import { FollowerPool } from './awx-followers';
import { AwxTemplates } from './awx-templates';
import { AwxLaunch } from './awx-launch';
import { AwxJobs } from './awx-jobs';
import { JobOutcomes } from './job-outcomes';
import type { IncidentPort } from './job-outcomes';
import { LaunchMemory } from './launch-memory';

// Everything the console does with AWX, behind one object the jobs feature registers: the client pool
// (awx-pool.ts), templates and launch forms (awx-templates.ts), launch/cancel/relaunch with audit, confirmation,
// silences and work notes (awx-launch.ts, job-outcomes.ts), the job list and its live status (awx-jobs.ts), and
// job followers shared by every view, CLI and work-note watcher that follows the same job (awx-followers.ts).

export type { IncidentPort } from './job-outcomes';
export { consoleVariables } from './launch-values';

export interface AwxDeps {
  connections: AwxConnections;
  audit: Pick<AuditLog, 'append'>;
  runbooks: RunbookStore;
  incidents: IncidentPort;
  /** The engineer launching: passed to the playbook as `toc_operator`. */
  operator: () => string;
}

export interface AwxServiceOptions {
  timing?: Partial<FollowTiming>;
  /** false: never open AWX's websocket (poll only). */
  websocket?: boolean;
  socket?: SocketOptions;
  /** How often the jobs.status watcher polls the job list (the socket makes it immediate when it works). */
  statusPollMs?: number;
  /** The alerts feature's job-scoped silences (launch option `silenceWhileRunning`). */
  silences?: JobSilencePort;
}

export class AwxService {
  private readonly pool: AwxPool;
  private readonly followers: FollowerPool;
  private readonly forms: AwxTemplates;
  private readonly outcomes: JobOutcomes;
  private readonly launches: AwxLaunch;
  private readonly jobs: AwxJobs;

  constructor(deps: AwxDeps, opts: AwxServiceOptions = {}) {
    this.pool = new AwxPool(deps.connections, {
      ...(opts.websocket !== undefined ? { websocket: opts.websocket } : {}),
      ...(opts.socket ? { socket: opts.socket } : {}),
    });
    const memory = new LaunchMemory();
    this.followers = new FollowerPool(this.pool, opts.timing);
    this.forms = new AwxTemplates(this.pool, deps.runbooks);
    this.outcomes = new JobOutcomes(this.followers, deps.incidents, deps.audit, opts.silences);
    this.launches = new AwxLaunch(deps, this.pool, this.forms, this.outcomes, memory, opts.silences);
    this.jobs = new AwxJobs(this.pool, memory, opts.statusPollMs);
  }

  connectionId(requested?: string | null): string {
    return this.pool.connectionId(requested);
  }

  client(connectionId: string): Promise<AwxClient> {
    return this.pool.client(connectionId);
  }

  templates(connectionId?: string, search?: string): Promise<{ templates: TemplateSummary[]; problems: ConnectionProblem[] }> {
    return this.forms.templates(connectionId, search);
  }

  launchForm(input: { connectionId?: string; templateId?: number; templateName?: string; runbookId?: string }): Promise<LaunchForm> {
    return this.forms.launchForm(input);
  }

  launch(input: LaunchInput): Promise<LaunchResult> {
    return this.launches.launch(input);
  }

  relaunch(input: {
    connectionId: string;
    jobId: number;
    hosts?: 'all' | 'failed' | undefined;
    incident?: IncidentRef | undefined;
    confirmTarget?: string | undefined;
  }): Promise<LaunchResult> {
    return this.launches.relaunch(input);
  }

  cancel(connectionId: string, jobId: number): Promise<CancelResult> {
    return this.launches.cancel(connectionId, jobId);
  }

  listJobs(opts: { connectionId?: string; limit?: number; activeOnly?: boolean }): Promise<{
    jobs: JobSummary[];
    problems: ConnectionProblem[];
    fetchedAt: string;
  }> {
    return this.jobs.listJobs(opts);
  }

  getJob(connectionId: string, jobId: number): Promise<JobDetail> {
    return this.jobs.getJob(connectionId, jobId);
  }

  stdoutDownload(connectionId: string, jobId: number, ansi: boolean): Promise<{ filename: string; text: string; lines: number }> {
    return this.jobs.stdoutDownload(connectionId, jobId, ansi);
  }

  finishedLog(connectionId: string, jobId: number, ansi: boolean): Promise<{ job: JobDetail; text: string; lines: number } | null> {
    return this.jobs.finishedLog(connectionId, jobId, ansi);
  }

  follow(connectionId: string, jobId: number, fromCounter: number, emit: (item: JobStreamItem) => void): () => void {
    return this.followers.follow(connectionId, jobId, fromCounter, emit);
  }

  watchStatus(connectionId: string | undefined, emit: (job: JobSummary) => void): () => void {
    return this.jobs.watchStatus(connectionId, emit);
  }

  async dispose(): Promise<void> {
    await this.outcomes.dispose();
    this.followers.dispose();
    this.pool.closeSockets();
  }
}
