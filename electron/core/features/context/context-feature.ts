import type { Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';
import { ServiceContextService } from './service-context';
import type { ContextPorts } from './service-context';
import type { SloService } from '../slo/slo-service';
import type { IncidentService } from '../incidents/incident-service';
import type { AlertsService } from '../alerts/alerts-service';
import type { AwxService } from '../jobs/awx-service';
import type { RunbookStore } from '../runbooks/runbook-store';

/** The features the service context reads, handed over by the core as typed ports. */
export interface ContextFeatures {
  slo: SloService;
  incidents: IncidentService;
  alerts: AlertsService;
  awx: AwxService;
  runbooks: RunbookStore;
}

/** `context.of`: what is related to an SLO, alert, incident, job or service. */
export function registerContextFeature(registry: Registry, s: CoreServices, f: ContextFeatures): ServiceContextService {
  const byKind = (k: 'prometheus' | 'servicenow' | 'alertmanager' | 'awx') => s.connections.byKind(k);
  const ports: ContextPorts = {
    slos: {
      fleet: () => f.slo.fleet(),
      alerts: () => f.slo.alerts(),
      indicator: (id) => f.slo.indicatorOf(id),
    },
    alertmanager: {
      groups: () => Promise.all(byKind('alertmanager').map((c) => f.alerts.groups({ connectionId: c.id }))),
    },
    incidents: {
      connections: () => byKind('servicenow').map((c) => ({ id: c.id, url: c.url })),
      queue: async (id) => (await f.incidents.list(id)).rows,
      get: async (id, sysId) => {
        const connectionId = f.incidents.connectionId(id);
        return { ...(await f.incidents.get(connectionId, sysId)), connectionId };
      },
      changes: async (id) => (await f.incidents.changesInFlight(id)).changes,
    },
    runbooks: { suggest: (input) => f.runbooks.suggest(input, null) },
    jobs: {
      recent: async () => {
        if (!byKind('awx').length) return { jobs: [], problems: [] };
        const r = await f.awx.listJobs({ limit: 50 });
        return { jobs: r.jobs, problems: r.problems.map((x) => x.message) };
      },
      get: (connectionId, jobId) => f.awx.getJob(connectionId, jobId),
    },
    grafanaUrl: () => s.workspace().grafanaUrl,
    prometheusUrl: (id) => {
      const proms = byKind('prometheus');
      const spec = proms.find((c) => c.id === id) ?? proms.find((c) => c.id === s.workspace().slos.connection) ?? proms[0];
      return spec?.url;
    },
  };
  const svc = new ServiceContextService(ports);
  registry.handle('context.of', ({ subject }) => svc.of(subject));
  return svc;
}
