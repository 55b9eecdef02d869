import type { IncidentContext } from '@shared/runbooks/model';
import type { IncidentRef } from '@shared/jobs/model';
import { ContractFailure } from '@shared/kernel/result';
import type { CallContext, Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../core';
import { AwxService } from '../jobs/awx-service';
import type { AwxServiceOptions, IncidentPort } from '../jobs/awx-service';
import { RunbookStore } from '../runbooks/runbook-store';

/**
 * Runbooks and AWX jobs (issue 5): the workspace's runbooks, templates and launch forms, launch/cancel/relaunch,
 * the job list, and job logs streamed complete. Work notes on incidents go through the incident feature's own
 * handlers (so they are validated and audited the same way as a note typed in its view).
 */
export function registerRunbooksFeature(
  registry: Registry,
  s: CoreServices,
  opts: AwxServiceOptions = {},
): { service: AwxService; runbooks: RunbookStore; dispose: () => Promise<void> } {
  const runbooks = new RunbookStore(() => s.workspace().runbookFolders);
  const internal: CallContext = { transport: 'direct', signal: new AbortController().signal };
  const incidents: IncidentPort = {
    addWorkNote: async (ref: IncidentRef, text: string) => {
      const handler = registry.handlerFor('incidents.addWorkNote');
      if (!handler)
        throw new ContractFailure('not_configured', 'Work notes need the incidents feature, which is not available in this console.');
      const r = await handler({ ...(ref.connectionId ? { connectionId: ref.connectionId } : {}), sysId: ref.sysId, text }, internal);
      return { auditId: r.auditId, remoteRef: r.remoteRef, message: r.message };
    },
  };
  const service = new AwxService({ connections: s.connections, audit: s.audit, runbooks, incidents }, opts);

  const incidentContext = async (connectionId: string | undefined, sysId: string): Promise<IncidentContext> => {
    const handler = registry.handlerFor('incidents.get');
    if (!handler)
      throw new ContractFailure('not_configured', 'Reading incidents needs the incidents feature, which is not available in this console.');
    const d = await handler({ ...(connectionId ? { connectionId } : {}), sysId }, internal);
    const snow = connectionId ?? s.connections.byKind('servicenow')[0]?.id ?? '';
    const instance = d.alert?.instance ?? d.u_alert_instance;
    return {
      connectionId: snow,
      sysId: d.sys_id,
      number: d.number,
      short_description: d.short_description,
      alert_name: d.alert?.name ?? d.u_alert_name,
      alert_instance: instance,
      alert_host: instance.replace(/:\d+$/, ''),
      cmdb_ci: d.cmdb_ci.label || d.cmdb_ci.value,
      business_service: d.business_service.label,
      priority: d.priority.label || d.priority.value,
      assignment_group: d.assignment_group.label,
      link: d.link,
    };
  };

  registry
    .handle('runbooks.list', ({ query }) => runbooks.list(query))
    .handle('runbooks.get', ({ id }) => runbooks.get(id))
    .handle('runbooks.suggest', async (a) => {
      const incident = a.sysId ? await incidentContext(a.connectionId, a.sysId) : null;
      const input = {
        ...((a.alertName ?? incident?.alert_name) ? { alertName: a.alertName ?? incident?.alert_name } : {}),
        ...((a.alertInstance ?? incident?.alert_instance) ? { alertInstance: a.alertInstance ?? incident?.alert_instance } : {}),
        ...((a.ci ?? incident?.cmdb_ci) ? { ci: a.ci ?? incident?.cmdb_ci } : {}),
        ...((a.service ?? incident?.business_service) ? { service: a.service ?? incident?.business_service } : {}),
      };
      return { incident, suggestions: await runbooks.suggest(input, incident) };
    })
    .handle('awx.templates', ({ connectionId, search }) => service.templates(connectionId, search))
    .handle('awx.launchForm', (a) => service.launchForm(a))
    .handle('jobs.launch', (a) => service.launch(a))
    .handle('jobs.cancel', ({ connectionId, jobId }) => service.cancel(connectionId, jobId))
    .handle('jobs.relaunch', (a) => service.relaunch(a))
    .handle('jobs.list', (a) => service.listJobs(a))
    .handle('jobs.get', ({ connectionId, jobId }) => service.getJob(connectionId, jobId))
    .handle('jobs.stdoutDownload', ({ connectionId, jobId, ansi }) => service.stdoutDownload(connectionId, jobId, ansi ?? false));

  registry
    .source('jobs.events', ({ connectionId, jobId, fromCounter }, emit) => service.follow(connectionId, jobId, fromCounter ?? 1, emit))
    .source('jobs.status', ({ connectionId }, emit) => service.watchStatus(connectionId, emit));

  return { service, runbooks, dispose: () => service.dispose() };
}
