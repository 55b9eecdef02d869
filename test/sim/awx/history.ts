// Finished jobs from before the simulator started: the history an insights report or a job list reads.
// They never ran ansible (no events, no stdout beyond what AWX keeps for a job without events); everything
// else — ids from the same sequence, template, status, times, extra_vars — is what AWX would list.
import { newJob } from './jobs';
import type { SimState } from './state';
import type { JobStatus, SimJob } from './types';

export interface HistoricJob {
  templateId: number;
  /** Epoch ms. */
  created: number;
  /** Seconds it ran. */
  elapsedSeconds: number;
  status: Extract<JobStatus, 'successful' | 'failed' | 'error' | 'canceled'>;
  extraVars?: Record<string, unknown>;
  limit?: string;
  launchType?: SimJob['launchType'];
}

export function addHistoricJob(state: SimState, h: HistoricJob): SimJob {
  const template = state.template(h.templateId);
  if (!template) throw new Error(`awx-sim: no job template ${h.templateId}`);
  const job = newJob(
    state.allocateJobId(),
    template,
    {
      inventory: template.inventory,
      limit: h.limit ?? '',
      scmBranch: '',
      jobTags: '',
      skipTags: '',
      jobType: 'run',
      verbosity: 0,
      diffMode: false,
      forks: 0,
      timeout: 0,
      extraVars: h.extraVars ?? {},
      surveyPasswords: [],
    },
    h.launchType ?? 'manual',
    state.users[0]?.id ?? 1,
    null,
  );
  const started = h.created + 2_000;
  Object.assign(job, {
    status: h.status,
    created: h.created,
    modified: started + h.elapsedSeconds * 1000,
    started,
    finished: started + h.elapsedSeconds * 1000,
    canceledOn: h.status === 'canceled' ? started + h.elapsedSeconds * 1000 : null,
    emittedEvents: 0,
    eventStreamDone: true,
    hostSummaries: [],
  });
  state.jobs.set(job.id, job);
  return job;
}
