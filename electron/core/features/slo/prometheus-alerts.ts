import type { SloAlerts, SloStatusView } from '@shared/slo/contract';
import type { Workspace } from '../../kernel/workspace/load-workspace';
import type { SloDefinitions } from './slo-definitions';
import { alertView } from './alert-timeline';
import { errorText } from './error-text';

// The alerts pending and firing on every SLO connection, firing first, each tied to the SLO it is about.

export interface AlertsDeps {
  workspace: () => Workspace;
  definitions: SloDefinitions;
  /** The fleet's current statuses (to tie an alert to its SLO). */
  statuses: () => SloStatusView[];
  now: () => number;
}

export async function readPrometheusAlerts(deps: AlertsDeps, signal?: AbortSignal): Promise<SloAlerts> {
  const ws = deps.workspace();
  const scope = new Set<string>();
  if (ws.slos.connection !== undefined) scope.add(ws.slos.connection);
  for (const s of deps.definitions.current?.slos ?? (await deps.definitions.read(signal)).slos)
    if (s.connectionId !== undefined) scope.add(s.connectionId);
  const statuses = deps.statuses();
  const out: SloAlerts = { alerts: [], fetchedAt: new Date(deps.now()).toISOString(), errors: [] };
  await Promise.all(
    [...scope].map(async (id) => {
      try {
        const client = deps.definitions.clientFor(id);
        for (const a of await client.alerts(signal)) out.alerts.push(alertView(a, id, statuses));
      } catch (e) {
        out.errors.push({ connectionId: id, message: errorText(e) });
      }
    }),
  );
  const rank = (s: string): number => (s === 'firing' ? 0 : 1);
  out.alerts.sort((a, b) => rank(a.state) - rank(b.state) || (a.activeAt ?? '').localeCompare(b.activeAt ?? ''));
  return out;
}
