import type { Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';
import { InsightsService } from './insights-service';
import type { IncidentService } from '../incidents/incident-service';
import type { SloService } from '../slo/slo-service';
import type { RunbookStore } from '../runbooks/runbook-store';

/** Insights: the monthly TOC numbers joined from ServiceNow, AWX, Prometheus and the runbooks. Reads only. */
export function registerInsightsFeature(
  registry: Registry,
  s: CoreServices,
  ports: { incidents: IncidentService; slo: SloService | null; runbooks: RunbookStore },
): InsightsService {
  const svc = new InsightsService({
    connections: s.connections,
    audit: s.audit,
    incidents: ports.incidents,
    slo: ports.slo,
    runbooks: ports.runbooks,
    defaultSloConnection: () => s.workspace().slos.connection,
  });
  registry.handle('insights.report', (args) => svc.report(args)).handle('insights.scopes', ({ connectionId }) => svc.scopes(connectionId));
  return svc;
}
