import type { Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../kernel/services';
import { IncidentActions } from './incident-actions';
import { IncidentService } from './incident-service';
import type { IncidentServiceOptions } from './incident-service';
import { IncidentFromAlert } from './incident-from-alert';
import { IncidentParenting } from './incident-parent';
import { changesOffline, incidentOffline, incidentQueueOffline, incidentsSync } from './incidents-offline';
import { searchWorkNotes } from './note-search';
import { noteSearchOffline } from './note-search-offline';

/**
 * The incident queue from ServiceNow (issue 4): the synced queue and its stream, detail, choices, actions,
 * changes in flight. The background sync runs only while someone subscribes to `incidents.queue` or
 * `incidents.alerts`; a plain `incidents.list` (the CLI) syncs once and starts no timer.
 */
export function registerIncidentsFeature(registry: Registry, s: CoreServices, opts: IncidentServiceOptions = {}): IncidentService {
  const svc = new IncidentService({ connections: s.connections, audit: s.audit, operator: () => s.operator().name }, opts);
  const actions = new IncidentActions(svc);
  const fromAlert = new IncidentFromAlert(svc, () => s.workspace().incidents);
  const parenting = new IncidentParenting(svc, actions);
  registry
    .handle('incidents.list', ({ connectionId }) => svc.list(connectionId), { offline: incidentQueueOffline })
    .handle('incidents.sync', ({ connectionId }) => svc.refresh(connectionId))
    .handle('incidents.query', ({ connectionId, query, limit }) => svc.query(connectionId, query, limit))
    .handle('incidents.get', ({ connectionId, sysId }) => svc.get(connectionId, sysId), { offline: incidentOffline })
    .handle(
      'incidents.searchNotes',
      ({ connectionId, query, limit }, ctx) => searchWorkNotes(svc.context(connectionId), query, limit, ctx.signal),
      { offline: noteSearchOffline },
    )
    .handle('incidents.choices', ({ connectionId }) => svc.choices(connectionId))
    .handle('incidents.groups', ({ connectionId }) => svc.groups(connectionId))
    .handle('incidents.assignToMe', (a) => actions.assignToMe(a))
    .handle('incidents.setAssignmentGroup', (a) => actions.setAssignmentGroup(a))
    .handle('incidents.addWorkNote', (a) => actions.addWorkNote(a))
    .handle('incidents.hold', (a) => actions.hold(a))
    .handle('incidents.resolve', (a) => actions.resolve(a))
    .handle('incidents.openFromAlert', (a) => fromAlert.open(a))
    .handle('incidents.setParent', (a) => actions.setParent(a))
    .handle('incidents.makeParent', (a) => parenting.makeParent(a))
    .handle('incidents.changesInFlight', ({ connectionId }) => svc.changesInFlight(connectionId), { offline: changesOffline })
    .offlineSync(incidentsSync);
  registry
    .source('incidents.queue', ({ connectionId }, emit) => svc.subscribeQueue(connectionId, emit))
    .source('incidents.alerts', (_a, emit) => svc.subscribeAlerts(emit));
  return svc;
}
