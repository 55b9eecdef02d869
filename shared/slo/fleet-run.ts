// Running a fleet plan against one server: bounded concurrency, and bisection of a batch the server refuses so
// one broken SLO expression is pinned on its SLO instead of blanking the fleet.

import { bisectFleetQuery, type FleetPlan, type FleetQuery } from './fleet-plan';
import type { QueryOutcome } from './fleet-results';
import { readVectorResponse } from './prom-values';

/** Executes one instant query (POST form: query, time) and resolves to the decoded JSON body. */
export type InstantQueryExecutor = (query: string, at: number) => Promise<unknown>;

/**
 * Runs a plan's queries with bounded concurrency. A batch that the server rejects because of its expression
 * (bad_data, execution) is bisected until the offending SLO is alone, so one broken SLO cannot blank the fleet.
 * Transport failures (thrown) and timeouts are not bisected: they are not about any one SLO.
 */
export async function runFleetQueries(
  plan: FleetPlan,
  exec: InstantQueryExecutor,
  opts: { concurrency?: number } = {},
): Promise<QueryOutcome[]> {
  const outcomes: QueryOutcome[] = [];
  const queue: FleetQuery[] = [...plan.queries];
  const worker = async (): Promise<void> => {
    for (let q = queue.shift(); q !== undefined; q = queue.shift()) {
      let body: unknown;
      try {
        body = await exec(q.query, plan.at);
      } catch (e) {
        outcomes.push({ query: q, error: e instanceof Error ? e.message : String(e) });
        continue;
      }
      const read = readVectorResponse(body);
      const halves = !read.ok && (read.errorType === 'bad_data' || read.errorType === 'execution') ? bisectFleetQuery(plan, q) : [];
      if (halves.length > 0) queue.push(...halves);
      else outcomes.push({ query: q, body });
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 4, plan.queries.length));
  // Workers share the queue; bisected halves join it while others still run.
  let active: Promise<void>[] = Array.from({ length: n }, () => worker());
  while (active.length > 0) {
    await Promise.all(active);
    active = queue.length > 0 ? Array.from({ length: Math.min(n, queue.length) }, () => worker()) : [];
  }
  return outcomes;
}
