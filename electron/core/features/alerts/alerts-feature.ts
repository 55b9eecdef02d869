import os from 'node:os';
import type { MatcherInput } from '@shared/alerts/model';
import type { IncidentRef, RunbookRef } from '@shared/alerts/links';
import { incidentForAlert } from '@shared/alerts/links';
import { recordLink } from '@shared/incidents/queue';
import type { CallContext, Registry } from '../../kernel/dispatch/registry';
import type { CoreServices } from '../../core';
import { AlertsService } from './alerts-service';
import { JobSilences } from './job-silence';

export interface AlertsFeatureOptions {
  onDispose: (fn: () => void | Promise<void>) => void;
  refreshMs?: number;
  /** How long alert groups wait for incident links before answering without them. */
  linkBudgetMs?: number;
}

export interface AlertsFeature {
  service: AlertsService;
  /** For the jobs feature: the job-scoped silence hooks (begin before launch, end when the job ends). */
  jobSilences: JobSilences;
}

/**
 * Alertmanager (issue 7): groups, silences, preview, the silence actions and job-scoped silences. Runbook and
 * incident links come through the runbook and incident features' own contract handlers, looked up at call time,
 * so this feature works (without those links) when they are absent.
 */
export function registerAlertsFeature(registry: Registry, s: CoreServices, opts: AlertsFeatureOptions): AlertsFeature {
  const budget = opts.linkBudgetMs ?? 5_000;
  const ctx = (ms: number): CallContext => ({ transport: 'direct', signal: AbortSignal.timeout(ms) });

  const runbooks = async (): Promise<RunbookRef[]> => {
    const list = registry.handlerFor('runbooks.list');
    if (!list) return [];
    const r = await list({}, ctx(budget));
    return r.runbooks.map((b) => ({ id: b.id, title: b.title, alerts: b.alerts }));
  };

  const incidents = async (): Promise<{ incidents: IncidentRef[]; problems: string[] }> => {
    const list = registry.handlerFor('incidents.list');
    if (!list) return { incidents: [], problems: [] };
    const problems: string[] = [];
    const out: IncidentRef[] = [];
    await Promise.all(
      s.connections.byKind('servicenow').map(async (spec) => {
        try {
          const snap = await withBudget(
            Promise.resolve(list({ connectionId: spec.id }, ctx(60_000))),
            budget,
            `${spec.name} did not answer within ${budget / 1000} s`,
          );
          for (const row of snap.rows) out.push({ ...row, connectionId: spec.id, link: recordLink(spec.url, 'incident', row.sys_id) });
        } catch (e) {
          problems.push(`Incidents from ${spec.name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    return { incidents: out, problems };
  };

  // The service labels job silences in its list; the job-silence manager needs the service: tie the knot late.
  const late: { jobSilences?: JobSilences } = {};
  const service = new AlertsService({
    connections: s.connections,
    audit: s.audit,
    workspace: () => s.workspace(),
    links: { runbooks, incidents },
    who: osUser(),
    ...(opts.refreshMs !== undefined ? { refreshMs: opts.refreshMs } : {}),
    jobOf: (id) => late.jobSilences?.jobOf(id),
  });

  const findIncident = async (
    connectionId: string,
    matchers: MatcherInput[],
  ): Promise<{ connectionId: string; sysId: string; number: string } | undefined> => {
    const [preview, known] = await Promise.all([service.preview({ connectionId, matchers }), incidents()]);
    for (const a of preview.matching) {
      const hit = incidentForAlert(a.labels, known.incidents);
      if (hit) return { connectionId: hit.connectionId, sysId: hit.sysId, number: hit.number };
    }
    return undefined;
  };

  const js = new JobSilences({
    alerts: service,
    findIncident,
    workNote: async (incident, text) => {
      const add = registry.handlerFor('incidents.addWorkNote');
      if (!add) throw new Error('the incident feature is not available');
      await add({ ...(incident.connectionId ? { connectionId: incident.connectionId } : {}), sysId: incident.sysId, text }, ctx(60_000));
    },
  });
  late.jobSilences = js;
  opts.onDispose(() => js.settle());

  registry
    .handle('alerts.context', () => service.context())
    .handle('alerts.groups', (a, c) => service.groups(a, c.signal))
    .handle('alerts.silences', ({ connectionId }, c) => service.silences(connectionId, c.signal))
    .handle('alerts.previewSilence', (a, c) => service.preview(a, c.signal))
    .handle('alerts.createSilence', (a) => service.create(a))
    .handle('alerts.extendSilence', (a) => service.extend(a))
    .handle('alerts.expireSilence', (a) => service.expire(a))
    .handle('alerts.jobSilences', () => js.list());
  return { service, jobSilences: js };
}

async function withBudget<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
