import type { InsightsArgs } from '@shared/insights/contract';
import type { ConnectionSpec } from '@shared/connections/model';
import type { AuditEntry } from '@shared/activity/model';
import type { Labeled } from '@shared/incidents/model';
import type { RunbookSummary } from '@shared/runbooks/model';
import { DEFAULT_CHANGE_WINDOW_HOURS, computeInsights, overlayAggregateCounts, parsePeriod } from '@shared/insights';
import type { InsightRunbook, InsightsInput, InsightsReport } from '@shared/insights';
import { ContractFailure } from '@shared/kernel/result';
import { EncodedQuery } from '@shared/incidents/encoded-query';
import type { HttpClient } from '../../kernel/http/types';
import type { IncidentService } from '../incidents/incident-service';
import { explainSnowError } from '../../systems/servicenow/errors';
import type { SloService } from '../slo/slo-service';
import { valueOf } from '../../systems/servicenow/values';
import { readAggregateCounts } from './aggregate';
import { readAwxJobs } from './awx-insights';
import { readSloMonths } from './slo-months';
import { readSnowInsights, resolveGroup, resolveService } from './snow-insights';
import type { SnowScope } from './snow-insights';

// The insights report: reads ServiceNow, AWX, Prometheus and the runbooks at the same time, then hands plain
// records to the pure computation in shared/insights. A system that is not configured or does not answer
// leaves its part empty with a warning naming it; only a bad period or an unknown group is an error.

export interface InsightsDeps {
  connections: {
    byKind(kind: ConnectionSpec['kind']): ConnectionSpec[];
    client(id: string): Promise<HttpClient>;
  };
  audit: { list(opts: { limit?: number }): Promise<AuditEntry[]> };
  incidents: Pick<IncidentService, 'context'>;
  slo: SloService | null;
  runbooks: { list(): Promise<{ runbooks: RunbookSummary[] }> };
  defaultSloConnection: () => string | undefined;
  now?: () => number;
}

export const TOP = 10;

export class InsightsService {
  constructor(private readonly deps: InsightsDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  async scopes(connectionId?: string): Promise<{ groups: Labeled[]; services: Labeled[] }> {
    const ctx = this.deps.incidents.context(connectionId);
    const [groups, services] = await Promise.all([
      ctx.groups(),
      ctx.api.listAll({
        table: 'cmdb_ci_service',
        query: EncodedQuery.empty().toString(),
        fields: ['sys_id', 'name'],
        pageSize: 1000,
        maxRows: 5000,
      }),
    ]);
    return {
      groups,
      services: services.rows
        .map((r) => ({ value: valueOf(r.sys_id), label: valueOf(r.name) || valueOf(r.sys_id) }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    };
  }

  async report(args: InsightsArgs): Promise<InsightsReport> {
    const p = parsePeriod(args.from, args.to);
    if (!p.ok) throw new ContractFailure('bad_request', p.message);
    const period = p.period;
    const windowHours = args.changeWindowHours ?? DEFAULT_CHANGE_WINDOW_HOURS;
    const sources: string[] = [];
    const warnings: string[] = [];

    const snowConfigured = this.deps.connections.byKind('servicenow').length > 0;
    const ctx = snowConfigured ? this.deps.incidents.context(args.connectionId) : null;
    if (!ctx) warnings.push('No ServiceNow connection is configured: there are no incident or change figures.');
    let group: Labeled | undefined;
    let service: Labeled | undefined;
    const explain = (e: unknown): unknown => (ctx ? explainSnowError(e, { spec: ctx.spec }) : e);
    try {
      if (ctx && args.group) group = await resolveGroup(ctx, args.group);
      if (args.service) {
        const found = ctx ? await resolveService(ctx, args.service) : null;
        service = found ?? { value: args.service, label: args.service };
        if (ctx && !found) warnings.push(`ServiceNow has no business service "${args.service}": only SLOs of that service can match.`);
      }
    } catch (e) {
      throw explain(e);
    }

    const scope: SnowScope = {
      from: period.from,
      to: period.to,
      afterMs: windowHours * 3_600_000,
      group: group?.value,
      service: service?.value,
    };
    // The table reads first: they sign in (OAuth) once; the three Aggregate API counts follow on the same client.
    const snowPart = ctx
      ? (async () => {
          const read = await readSnowInsights(ctx, scope);
          const agg = await readAggregateCounts(await this.deps.connections.client(ctx.spec.id), scope);
          return [read, agg] as const;
        })()
      : Promise.resolve(null);
    const [snow, awx, slos, runbooks] = await Promise.all([
      snowPart.catch((e: unknown) => {
        throw explain(e);
      }),
      readAwxJobs(this.deps, period.from, period.to + scope.afterMs),
      this.deps.slo
        ? readSloMonths(this.deps.slo, this.deps.defaultSloConnection(), period, this.now()).catch((e: unknown) => ({
            slos: [],
            sources: [],
            warnings: [`SLO months could not be read: ${(e as Error).message}`],
          }))
        : Promise.resolve({ slos: [], sources: [], warnings: [] }),
      this.deps.runbooks.list().catch(() => ({ runbooks: [] as RunbookSummary[] })),
    ]);

    const input: InsightsInput = {
      incidents: snow?.[0].incidents ?? [],
      changes: snow?.[0].changes ?? [],
      jobs: awx.jobs,
      runbooks: runbooks.runbooks.map((r): InsightRunbook => ({
        id: r.id,
        title: r.title,
        template: r.awx?.template ?? null,
        connection: r.awx?.connection ?? null,
        manualMinutes: r.manualMinutes ?? null,
      })),
      slos: slos.slos,
    };
    let report = computeInsights(input, {
      from: period.from,
      to: period.to,
      group: group?.value,
      service: service?.value,
      changeWindowHours: windowHours,
      top: Number.MAX_SAFE_INTEGER,
      generatedAt: this.now(),
      ...(ctx ? { snowConnectionId: ctx.spec.id } : {}),
    });
    if (snow) {
      sources.push(...snow[0].sources);
      warnings.push(...snow[0].warnings);
      const agg = snow[1];
      if (agg.ok) {
        report = overlayAggregateCounts(report, agg.counts, TOP);
        sources.push('counts: ServiceNow Aggregate API (/api/now/stats/incident)');
      } else {
        sources.push(`counts: from the Table API records (the Aggregate API answered ${agg.reason})`);
      }
    }
    sources.push(...awx.sources, ...slos.sources);
    warnings.push(...awx.warnings, ...slos.warnings);
    return {
      ...report,
      topAlerts: report.topAlerts.slice(0, TOP),
      topCis: report.topCis.slice(0, TOP),
      filter: { group: group?.label ?? null, service: service?.label ?? null },
      sources,
      warnings: [...warnings, ...report.warnings],
    };
  }
}
