import type { AuditEntry } from '@shared/activity/model';
import type { ConnectionSpec } from '@shared/connections/model';
import type { InsightJob } from '@shared/insights';
import { parse as parseYaml } from 'yaml';
import { AwxClient } from '../../systems/awx/awx-client';
import { isRecord, num, str } from '../../systems/awx/awx-values';
import type { HttpClient } from '../../kernel/http/types';

// AWX jobs created in the period, on every AWX connection, and which of them were remediation: the incident
// number in their extra vars (`incident_number`, or `snow_incident` as older runbooks name it), or a launch the
// console's own audit log recorded ("AWX job #N launched (… for INC…)"). AWX orders jobs by id when asked;
// `created__gte`/`created__lt` are plain Django lookups (research awx.md §3).

/** Extra-vars keys that carry the incident a job was launched for. */
export const INCIDENT_VAR_KEYS = ['incident_number', 'snow_incident'] as const;
const INCIDENT_RE = /^[A-Z]{2,6}\d{4,}$/;

export interface AwxJobsRead {
  jobs: InsightJob[];
  sources: string[];
  warnings: string[];
}

export interface AwxDeps {
  connections: { byKind(kind: ConnectionSpec['kind']): ConnectionSpec[]; client(id: string): Promise<HttpClient> };
  audit: { list(opts: { limit?: number }): Promise<AuditEntry[]> };
}

/** The incident an AWX job's extra_vars (a JSON or YAML string on jobs, an object elsewhere) name, if any. */
export function incidentOfExtraVars(raw: unknown): string | null {
  let vars: unknown = raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '' || raw.trim() === '---') return null;
    try {
      vars = JSON.parse(raw);
    } catch {
      try {
        vars = parseYaml(raw);
      } catch {
        return null;
      }
    }
  }
  if (!isRecord(vars)) return null;
  for (const key of INCIDENT_VAR_KEYS) {
    const v = vars[key];
    if (typeof v === 'string' && INCIDENT_RE.test(v.trim())) return v.trim();
  }
  return null;
}

/** Console launches from the audit log: "<connection>#<job id>" → the incident it was for ("" when none). */
export function consoleLaunches(entries: readonly AuditEntry[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries) {
    if ((e.action !== 'jobs.launch' && e.action !== 'jobs.relaunch') || e.outcome !== 'ok' || !e.connectionId) continue;
    const id = /^job (\d+)$/.exec(e.remoteRef ?? '')?.[1];
    if (!id) continue;
    const incident = /\bfor ([A-Z]{2,6}\d{4,})\b/.exec(e.message ?? '')?.[1] ?? '';
    out.set(`${e.connectionId}#${id}`, incident);
  }
  return out;
}

const ms = (v: unknown): number | null => {
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isNaN(t) ? null : t;
};

export async function readAwxJobs(deps: AwxDeps, from: number, to: number, maxJobs = 200_000): Promise<AwxJobsRead> {
  const sources: string[] = [];
  const warnings: string[] = [];
  const jobs: InsightJob[] = [];
  const specs = deps.connections.byKind('awx');
  if (specs.length === 0) return { jobs, sources: ['AWX: no connection configured'], warnings };
  let launches = new Map<string, string>();
  try {
    launches = consoleLaunches(await deps.audit.list({ limit: 100_000 }));
  } catch (e) {
    warnings.push(
      `The audit log could not be read, so console launches without an incident number are not counted (${(e as Error).message}).`,
    );
  }
  for (const spec of specs) {
    try {
      const client = new AwxClient(spec, await deps.connections.client(spec.id));
      const rows = await client.listAll(
        client.path('jobs'),
        { created__gte: new Date(from).toISOString(), created__lt: new Date(to).toISOString(), order_by: 'id' },
        maxJobs,
      );
      if (rows.length >= maxJobs) warnings.push(`${spec.name}: only the first ${maxJobs} jobs of the period were read.`);
      for (const r of rows) {
        const id = num(r.id, -1);
        const created = ms(r.created);
        if (id < 0 || created === null) continue;
        const key = `${spec.id}#${id}`;
        const launched = launches.get(key);
        jobs.push({
          connectionId: spec.id,
          id,
          name: str(r.name),
          status: str(r.status),
          created,
          finished: ms(r.finished),
          incidentNumber: incidentOfExtraVars(r.extra_vars) ?? (launched ? launched : null),
          fromConsole: launched !== undefined,
        });
      }
      sources.push(`AWX ${spec.name}: ${rows.length} jobs created in the period`);
    } catch (e) {
      warnings.push(`AWX ${spec.name} could not be read, its jobs are missing from the automation figures: ${(e as Error).message}`);
    }
  }
  return { jobs, sources, warnings };
}
