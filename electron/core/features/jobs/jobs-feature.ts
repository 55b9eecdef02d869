import type { IncidentRef } from '@shared/jobs/model';
import type { CallContext, Port, Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';
import type { RunbookStore } from '../runbooks/runbook-store';
import { AwxService } from './awx-service';
import type { AwxServiceOptions, IncidentPort } from './awx-service';
import { jobListOffline, jobOffline, jobsSync, launchFormOffline, templatesOffline } from './jobs-offline';
import { followToEnd, jobLogOffline } from './job-log-offline';

export interface JobsPorts {
  /** The runbooks feature's store: a launch from a runbook reads its template and variables there. */
  runbooks: RunbookStore;
  /** The incident feature's work-note action, so a note from a launch is validated and audited like one typed in its view. */
  addWorkNote: Port<'incidents.addWorkNote'>;
  /** The runbook list, for the offline sync: the launch form of every runbook that names a template is kept. */
  listRunbooks?: Port<'runbooks.list'>;
}

/**
 * AWX jobs: templates and launch forms, launch/cancel/relaunch, the job list, and job logs streamed complete.
 */
export function registerJobsFeature(
  registry: Registry,
  s: CoreServices,
  ports: JobsPorts,
  opts: AwxServiceOptions = {},
): { service: AwxService; dispose: () => Promise<void> } {
  const internal: CallContext = { transport: 'direct', signal: new AbortController().signal };
  const incidents: IncidentPort = {
    addWorkNote: async (ref: IncidentRef, text: string) => {
      const r = await ports.addWorkNote(
        { ...(ref.connectionId ? { connectionId: ref.connectionId } : {}), sysId: ref.sysId, text },
        internal,
      );
      return { auditId: r.auditId, remoteRef: r.remoteRef, message: r.message };
    },
  };
  const service = new AwxService(
    { connections: s.connections, audit: s.audit, runbooks: ports.runbooks, incidents, operator: () => s.operator().name },
    opts,
  );

  const jobLog = jobLogOffline();
  registry
    .handle('jobs.templates', ({ connectionId, search }) => service.templates(connectionId, search), { offline: templatesOffline })
    .handle('jobs.launchForm', (a) => service.launchForm(a), { offline: launchFormOffline })
    .handle('jobs.launch', (a) => service.launch(a))
    .handle('jobs.cancel', ({ connectionId, jobId }) => service.cancel(connectionId, jobId))
    .handle('jobs.relaunch', (a) => service.relaunch(a))
    .handle('jobs.list', (a) => service.listJobs(a), { offline: jobListOffline })
    .handle('jobs.get', ({ connectionId, jobId }) => service.getJob(connectionId, jobId), { offline: jobOffline })
    .handle('jobs.stdoutDownload', ({ connectionId, jobId, ansi }) => service.stdoutDownload(connectionId, jobId, ansi ?? false))
    .handle('jobs.finishedLog', ({ connectionId, jobId, ansi }) => service.finishedLog(connectionId, jobId, ansi ?? false));

  registry
    .source('jobs.events', ({ connectionId, jobId, fromCounter }, emit) => service.follow(connectionId, jobId, fromCounter ?? 1, emit), {
      offline: jobLog.policy,
    })
    .source('jobs.status', ({ connectionId }, emit) => service.watchStatus(connectionId, emit));

  // Through the registered (policy-wrapped) source, so the job log policy keeps what the sync follows.
  const followLog = (connectionId: string, jobId: number) => {
    const source = registry.sourceFor('jobs.events');
    return source ? followToEnd(source, { connectionId, jobId }) : Promise.resolve('unavailable' as const);
  };
  registry.offlineSync(jobsSync(ports.listRunbooks, followLog));

  return { service, dispose: () => service.dispose() };
}
