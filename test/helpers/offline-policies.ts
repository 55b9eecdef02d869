import type { Registry } from '../../electron/core/kernel/dispatch/registry';
import { runbookListOffline, runbookOffline, runbooksSync } from '../../electron/core/features/runbooks/runbooks-offline';
import { jobListOffline, jobOffline, jobsSync, launchFormOffline, templatesOffline } from '../../electron/core/features/jobs/jobs-offline';
import { followToEnd, jobLogOffline } from '../../electron/core/features/jobs/job-log-offline';
import type { JobLogOfflineOptions } from '../../electron/core/features/jobs/job-log-offline';
import { sloOffline } from '../../electron/core/features/slo/slo-offline';
import {
  changesOffline,
  incidentOffline,
  incidentQueueOffline,
  incidentsSync,
} from '../../electron/core/features/incidents/incidents-offline';

/**
 * The offline policies the features declare with their handlers (runbooks-feature.ts, jobs-feature.ts,
 * slo-feature.ts, incidents-feature.ts), for tests that register bare handlers in their place. A policy whose
 * method has no handler here does nothing.
 */
export function declareFeaturePolicies(
  registry: Registry,
  opts: {
    hasSloFiles?: () => boolean;
    jobLog?: JobLogOfflineOptions;
    /** The jobs sync also keeps recent finished jobs' logs, as jobs-feature.ts wires it (followToEnd's cap). */
    syncJobLogs?: { maxBytes?: number };
  } = {},
): { evictJobLogs: ReturnType<typeof jobLogOffline>['evict'] } {
  const slo = sloOffline({ hasSloFiles: opts.hasSloFiles ?? (() => false) });
  const jobLog = jobLogOffline(opts.jobLog);
  registry
    .offline('runbooks.list', runbookListOffline)
    .offline('runbooks.get', runbookOffline)
    .offlineSync(runbooksSync)
    .offline('jobs.templates', templatesOffline)
    .offline('jobs.launchForm', launchFormOffline)
    .offline('jobs.list', jobListOffline)
    .offline('jobs.get', jobOffline)
    .offlineSource('jobs.events', jobLog.policy)
    .offlineSync(
      jobsSync(
        registry.port('runbooks.list', 'no runbooks in this test'),
        opts.syncJobLogs
          ? (connectionId, jobId) => {
              const source = registry.sourceFor('jobs.events');
              return source ? followToEnd(source, { connectionId, jobId }, opts.syncJobLogs) : Promise.resolve('unavailable');
            }
          : undefined,
      ),
    )
    .offline('slo.fleet', slo.fleet)
    .offlineSource('slo.fleet', slo.fleetTopic)
    .offline('slo.detail', slo.detail)
    .offlineSync(slo.sync)
    .offline('incidents.list', incidentQueueOffline)
    .offline('incidents.changesInFlight', changesOffline)
    .offline('incidents.get', incidentOffline)
    .offlineSync(incidentsSync);
  return { evictJobLogs: jobLog.evict };
}
