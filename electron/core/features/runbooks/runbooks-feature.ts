import type { IncidentContext } from '@shared/runbooks/model';
import type { CallContext, Port, Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';
import { RunbookStore } from './runbook-store';
import { runbookListOffline, runbookOffline, runbooksSync } from './runbooks-offline';

export interface RunbooksPorts {
  /** The incident feature's detail read: runbooks are suggested from an incident's alert, CI and service. */
  getIncident: Port<'incidents.get'>;
}

/** The workspace's runbooks: list, read, and suggestions for an incident or an alert. */
export function registerRunbooksFeature(registry: Registry, s: CoreServices, ports: RunbooksPorts): { store: RunbookStore } {
  const runbooks = new RunbookStore(() => s.workspace().runbookFolders);
  const internal: CallContext = { transport: 'direct', signal: new AbortController().signal };

  const incidentContext = async (connectionId: string | undefined, sysId: string): Promise<IncidentContext> => {
    const d = await ports.getIncident({ ...(connectionId ? { connectionId } : {}), sysId }, internal);
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
    .handle('runbooks.list', ({ query }) => runbooks.list(query), { offline: runbookListOffline })
    .handle('runbooks.get', ({ id }) => runbooks.get(id), { offline: runbookOffline })
    .handle('runbooks.suggest', async (a) => {
      const incident = a.sysId ? await incidentContext(a.connectionId, a.sysId) : null;
      const input = {
        ...((a.alertName ?? incident?.alert_name) ? { alertName: a.alertName ?? incident?.alert_name } : {}),
        ...((a.alertInstance ?? incident?.alert_instance) ? { alertInstance: a.alertInstance ?? incident?.alert_instance } : {}),
        ...((a.ci ?? incident?.cmdb_ci) ? { ci: a.ci ?? incident?.cmdb_ci } : {}),
        ...((a.service ?? incident?.business_service) ? { service: a.service ?? incident?.business_service } : {}),
      };
      return { incident, suggestions: await runbooks.suggest(input, incident) };
    });

  registry.offlineSync(runbooksSync);

  return { store: runbooks };
}
