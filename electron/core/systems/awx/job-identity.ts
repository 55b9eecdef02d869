import { ACTIVE_JOB_STATUSES, TERMINAL_JOB_STATUSES } from '@shared/jobs/model';
import { int, str } from './awx-values';
import type { Json } from './awx-values';

// Is this answer the AWX job we asked for? A gateway or proxy in front of AWX can answer 200 with its own JSON
// (`{"status":"UP"}`), and an AWX that was rebuilt can reuse a job id for a new job. Either way, following it
// would print someone else's output under this job's number, so the follower checks every job answer.

const KNOWN_STATUSES: readonly string[] = [...ACTIVE_JOB_STATUSES, ...TERMINAL_JOB_STATUSES];

/** What stays the same for the life of one job. */
export interface JobIdentity {
  created: string;
  template: number | null;
}

export type IdentityCheck = { ok: true; identity: JobIdentity } | { ok: false; message: string; quoted: string };

export function jobIdentity(raw: Json, jobId: number, systemName: string): IdentityCheck {
  const id = int(raw.id);
  const status = typeof raw.status === 'string' ? raw.status : null;
  if (id === jobId && status !== null && KNOWN_STATUSES.includes(status)) {
    return { ok: true, identity: { created: str(raw.created), template: int(raw.job_template) ?? int(raw.unified_job_template) } };
  }
  const quoted = quote(raw);
  const why =
    id !== jobId
      ? id === null
        ? 'it has no job id'
        : `it is job ${id}`
      : status === null
        ? 'it has no status'
        : `"${status}" is not an AWX job status`;
  return { ok: false, message: `${systemName} answered for job ${jobId} with ${quoted}, which is not that AWX job (${why}).`, quoted };
}

export function sameJob(a: JobIdentity, b: JobIdentity): boolean {
  return a.created === b.created && a.template === b.template;
}

function quote(raw: Json): string {
  const text = JSON.stringify(raw);
  return text.length <= 160 ? text : `${text.slice(0, 157)}…`;
}
