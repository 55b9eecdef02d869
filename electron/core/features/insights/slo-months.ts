import { monthsOf } from '@shared/insights';
import type { Period, SloMonth } from '@shared/insights';
import { readErrorRatio } from '@shared/slo/burn-rate';
import { buildWindowQuery, sloRatioSource, splitFleetResults } from '@shared/slo';
import type { SloDefinition } from '@shared/slo/types';
import type { SloService } from '../slo/slo-service';

// Error budget consumed per SLO and calendar month (UTC), from Prometheus: for each month one batched instant
// query per Prometheus connection, evaluated at the month's end (or now) over exactly the month so far —
// the fleet engine's own expressions with the window set to the month. Budget consumed = error ratio ÷ (1 −
// target): 1 means the month's budget was used up. SLOs recorded by Sloth or Pyrra have fixed windows only.

export interface SloMonthsRead {
  slos: SloMonth[];
  sources: string[];
  warnings: string[];
}

export async function readSloMonths(
  slo: SloService,
  defaultConnection: string | undefined,
  period: Period,
  now: number,
): Promise<SloMonthsRead> {
  const warnings: string[] = [];
  const sources: string[] = [];
  const defs = await slo.definitions();
  const measurable = defs.slos.filter((d) => d.indicator.kind !== 'recorded');
  const recorded = defs.slos.length - measurable.length;
  if (recorded > 0) warnings.push(`${recorded} SLO(s) recorded by Sloth or Pyrra have fixed windows and no per-month figure here.`);
  const byConn = new Map<string, SloDefinition[]>();
  for (const d of measurable) {
    const c = d.connectionId ?? defaultConnection;
    if (!c) {
      warnings.push(`SLO ${d.name} names no Prometheus connection.`);
      continue;
    }
    byConn.set(c, [...(byConn.get(c) ?? []), d]);
  }
  const out: SloMonth[] = [];
  let queries = 0;
  for (const m of monthsOf(period)) {
    const endMs = Math.min(m.to, now);
    if (endMs <= m.from) continue;
    const at = Math.floor(endMs / 1000);
    const seconds = at - Math.floor(m.from / 1000);
    const calendarStart = Date.UTC(new Date(m.from).getUTCFullYear(), new Date(m.from).getUTCMonth(), 1);
    const calendarEnd = Date.UTC(new Date(m.from).getUTCFullYear(), new Date(m.from).getUTCMonth() + 1, 1);
    const partial = m.from !== calendarStart || endMs !== calendarEnd;
    for (const [connId, list] of byConn) {
      const monthDefs = list.map((d) => ({ ...d, window: { kind: 'rolling' as const, duration: `${seconds}s`, seconds } }));
      const q = buildWindowQuery(monthDefs, 'period', at);
      const row = (d: SloDefinition, errorRatio: number | null, error: string | null): SloMonth => {
        const target = d.objectives[0]?.target ?? 0;
        return {
          name: d.name,
          service: d.service,
          month: m.month,
          target,
          errorRatio,
          budgetConsumed: errorRatio === null || target >= 1 ? null : Math.round((errorRatio / (1 - target)) * 10_000) / 10_000,
          partial,
          error,
        };
      };
      if (!q) continue;
      let outcome: { query: typeof q; body: unknown } | { query: typeof q; error: string };
      try {
        queries++;
        outcome = { query: q, body: await slo.pool.get(connId).instantRaw(q.query, at) };
      } catch (e) {
        outcome = { query: q, error: (e as Error).message };
      }
      const split = splitFleetResults({ at, windows: ['period'], slos: monthDefs, queries: [q] }, [outcome]);
      for (const d of monthDefs) {
        const meas = split.get(d.key);
        const reading = readErrorRatio(meas?.windows.period, sloRatioSource(d, 'period'));
        const error = meas && meas.errors.length > 0 ? meas.errors.join('; ') : null;
        out.push(row(d, error ? null : reading.errorRatio, error));
      }
    }
  }
  if (measurable.length > 0)
    sources.push(`Prometheus: ${queries} instant quer${queries === 1 ? 'y' : 'ies'} for ${measurable.length} SLO(s) per month`);
  out.sort((a, b) => a.name.localeCompare(b.name) || a.month.localeCompare(b.month));
  return { slos: out, sources, warnings };
}
