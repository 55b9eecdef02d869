import type { JobSummary } from '@shared/jobs/model';
import { formatElapsed, isActiveStatus } from '@shared/jobs/jobs';
import type { Tone } from '../../app/components/StatusBadge';

export function statusTone(status: string): Tone {
  if (status === 'successful') return 'ok';
  if (status === 'failed' || status === 'error') return 'error';
  if (status === 'canceled') return 'warn';
  if (isActiveStatus(status)) return 'busy';
  return 'unknown';
}

/** Seconds the job has run: AWX's figure once finished, counted from `started` while it runs. */
export function elapsedSeconds(job: Pick<JobSummary, 'status' | 'started' | 'elapsed'>, now: number): number {
  if (job.status === 'running' && job.started) {
    const t = Date.parse(job.started);
    if (!Number.isNaN(t)) return Math.max(job.elapsed, (now - t) / 1000);
  }
  return job.elapsed;
}

export function elapsedText(job: Pick<JobSummary, 'status' | 'started' | 'elapsed'>, now: number): string {
  if (!job.started && isActiveStatus(job.status)) return 'not started';
  return formatElapsed(elapsedSeconds(job, now));
}

export const jobKey = (connectionId: string, id: number): string => `${connectionId}:${id}`;
