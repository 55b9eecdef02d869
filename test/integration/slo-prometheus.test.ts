// The SLO engine against a real Prometheus 2.42 holding 31 days of scenario history (test/helpers/slo-scenarios.ts).
// Everything is evaluated at STANDARD_END through POSTed instant queries, the way the core will call it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BURN_WINDOWS,
  buildFleetPlan,
  buildNaiveQueries,
  detectRecordedSlos,
  evaluateFleet,
  evaluateNaive,
  parseOpenSlo,
  readVectorResponse,
  runFleetQueries,
  splitFleetResults,
  type FleetPlan,
  type NaiveOutcome,
  type QueryOutcome,
  type SloDefinition,
  type SloStatus,
} from '@shared/slo';
import { getJson, instantQuery, startPrometheusWithDataset, type PrometheusHandle } from '../helpers/prometheus';
import { EXPECTED, fixtureFile, standardDataset, standardSloFiles, STANDARD_END } from '../helpers/slo-scenarios';

const AT = STANDARD_END;

let prom: (PrometheusHandle & { dataset: { buildMs: number; cached: boolean } }) | undefined;
let slos: SloDefinition[] = [];
let plan: FleetPlan;
let outcomes: QueryOutcome[] = [];
let statuses: SloStatus[] = [];
let fleetCalls = 0;

function url(): string {
  if (!prom) throw new Error('prometheus not started');
  return prom.url;
}

async function runNaive(defs: SloDefinition[]): Promise<NaiveOutcome[]> {
  const queries = buildNaiveQueries(defs, { at: AT });
  const out: NaiveOutcome[] = [];
  // A few at a time: the server shares 2 cores with the test runner.
  for (let i = 0; i < queries.length; i += 6) {
    const batch = queries.slice(i, i + 6);
    out.push(...(await Promise.all(batch.map(async (q) => ({ query: q, body: await instantQuery(url(), q.query, AT) })))));
  }
  return out;
}

beforeAll(async () => {
  const t0 = Date.now();
  prom = await startPrometheusWithDataset(standardDataset());
  console.info(
    `prometheus ready in ${Date.now() - t0} ms (dataset ${prom.dataset.cached ? 'from cache' : `built in ${prom.dataset.buildMs} ms`})`,
  );
  const parsed = parseOpenSlo(standardSloFiles());
  expect(parsed.problems).toEqual([]);
  const detected = detectRecordedSlos(await getJson(url(), '/api/v1/rules'));
  expect(detected.problems).toEqual([]);
  slos = [...parsed.slos, ...detected.slos];
  plan = buildFleetPlan(slos, { at: AT });
  outcomes = await runFleetQueries(plan, (q, at) => {
    fleetCalls++;
    return instantQuery(url(), q, at);
  });
  statuses = evaluateFleet(plan, outcomes);
});

afterAll(async () => {
  await prom?.stop();
});

const byId = (id: string): SloStatus => {
  const s = statuses.find((x) => x.id === id);
  if (!s) throw new Error(`no status ${id}`);
  return s;
};

describe('SLO fleet against real Prometheus', () => {
  it('finds the OpenSLO fleet plus the Sloth and Pyrra SLOs from /api/v1/rules', () => {
    expect(statuses.map((s) => s.id).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('refreshes the whole fleet with at most 10 queries', () => {
    expect(fleetCalls).toBe(plan.queries.length);
    expect(fleetCalls).toBeLessThanOrEqual(10);
    expect(outcomes.every((o) => 'body' in o && readVectorResponse(o.body).ok)).toBe(true);
  });

  it("matches Prometheus's own answers to every per-SLO expression", async () => {
    const naive = await runNaive(slos);
    expect(naive.length).toBeGreaterThan(10 * fleetCalls);
    // The raw numbers, part by part...
    const split = splitFleetResults(plan, outcomes);
    for (const o of naive) {
      const read = readVectorResponse('body' in o ? o.body : null);
      if (!read.ok) throw new Error(`${o.query.id}: ${read.error}`);
      const fleetValue = split.get(o.query.sloKey)?.windows[o.query.window]?.[o.query.part];
      const own = read.samples[0]?.value;
      if (own === undefined) expect(fleetValue, o.query.id).toBeUndefined();
      else if (Number.isNaN(own)) expect(fleetValue, o.query.id).toBeNaN();
      else expect(fleetValue, o.query.id).toBe(own);
    }
    // ...and the statuses built from them.
    expect(evaluateNaive(slos, AT, naive)).toEqual(statuses);
  });

  it.each(Object.entries(EXPECTED))('%s lands in its expected state', (id, exp) => {
    const s = byId(id);
    expect(s.status, s.error ?? s.warnings.join('; ')).toBe(exp.status);
    expect(s.policy).toBe(exp.policy);
    expect([...new Set(s.alerts.map((a) => a.severity))].sort()).toEqual([...exp.alerts].sort());
    for (const w of BURN_WINDOWS) {
      const expectNull = exp.nullBurn?.includes(w) ?? false;
      if (expectNull) expect(s.burnRates[w], w).toBeNull();
      else expect(s.burnRates[w], w).not.toBeNull();
      if (exp.steadyBurn !== undefined && s.burnRates[w] !== null) {
        expect(Math.abs((s.burnRates[w] ?? 0) / exp.steadyBurn - 1), w).toBeLessThan(0.02);
      }
    }
    if (exp.remaining !== undefined) expect(Math.abs((s.errorBudgetRemaining ?? Number.NaN) - exp.remaining)).toBeLessThan(0.01);
    else expect(s.errorBudgetRemaining).toBeNull();
  });

  it('pages on the fast burn (14.4x over 1h and 5m) and only tickets the slow burn', () => {
    const fast = byId('payments');
    expect(fast.alerts.find((a) => a.long === '1h')).toMatchObject({ severity: 'page', short: '5m', factor: 14.4 });
    expect(fast.burnRates['1h']).toBeCloseTo(30, 6);
    expect(fast.timeToExhaustion.state).toBe('burning');
    const slow = byId('search');
    expect(slow.alerts.map((a) => `${a.severity} ${a.long}/${a.short} ${a.factor}`)).toEqual(['ticket 1d/2h 3', 'ticket 3d/6h 1']);
  });

  it('scales alert factors for a 7-day window', () => {
    const login = byId('login');
    expect(login.windowSeconds).toBe(7 * 86_400);
    expect(login.alerts).toHaveLength(1);
    expect(login.alerts[0]?.factor).toBeCloseTo(0.7 / 3, 9);
  });

  it('keeps no traffic (null burn) apart from a missing metric (no-data)', () => {
    const idle = byId('reports');
    expect(idle.burnRates['1h']).toBeNull();
    expect(idle.burnRates['6h']).toBeCloseTo(0.1, 6);
    expect(idle.status).toBe('ok');
    const gap = byId('nightly');
    expect(gap.burnRates['5m']).toBeNull();
    const ghost = byId('ghost');
    expect(ghost).toMatchObject({ status: 'no-data', policy: 'no-data', sli: null, errorsRemaining: null, budgetMinutesLeft: null });
    expect(ghost.warnings).toContain('period: no data');
  });

  it('absorbs counter resets through increase()', async () => {
    const resets = readVectorResponse(await instantQuery(url(), 'sum(resets(http_requests_total{service="auth"}[1h]))', AT));
    expect(resets.ok && resets.samples[0]?.value).toBeGreaterThanOrEqual(2);
    const auth = byId('auth');
    for (const w of BURN_WINDOWS) expect(Math.abs((auth.burnRates[w] ?? 0) - 0.4), w).toBeLessThan(0.004);
    expect(auth.events.total).toBeGreaterThan(0.99 * 2 * 30 * 86_400);
  });

  it('reads a histogram latency SLI as bucket/count', () => {
    const s = byId('api-latency');
    expect(s.sli).toBeCloseTo(0.996, 6);
    expect(s.window).toBe('4w');
  });

  it('reads a calendar month as "since the 1st" against the full month', () => {
    const s = byId('checkout-monthly');
    expect(s.windowSeconds).toBe(30 * 86_400);
    expect(s.elapsedSeconds).toBe(14.5 * 86_400);
    expect(s.events.total).toBeCloseTo(2 * 14.5 * 86_400, -2);
  });

  it('reads Sloth and Pyrra recorded series that agree with the raw twin', () => {
    const raw = byId('catalog');
    for (const id of ['sloth/catalog-requests-availability', 'pyrra/catalog-pyrra']) {
      const rec = byId(id);
      for (const w of ['5m', '30m', '1h', '2h'] as const) expect(rec.burnRates[w], `${id} ${w}`).toBeCloseTo(raw.burnRates[w] ?? 0, 6);
      // Longer windows: the rules were evaluated up to a minute before the end, so allow a little drift.
      for (const w of ['6h', '1d'] as const) expect(Math.abs((rec.burnRates[w] ?? 0) / (raw.burnRates[w] ?? 1) - 1)).toBeLessThan(0.03);
    }
    expect(byId('sloth/catalog-requests-availability').errorsAllowed).toBeNull();
    expect(byId('pyrra/catalog-pyrra').errorsAllowed).toBeGreaterThan(0);
  });

  it('pins a broken expression on its SLO by bisecting, and keeps the rest of the fleet', async () => {
    const withBroken = [...slos, ...parseOpenSlo(fixtureFile('broken.yaml')).slos];
    const p = buildFleetPlan(withBroken, { at: AT });
    let calls = 0;
    const res = evaluateFleet(
      p,
      await runFleetQueries(p, (q, at) => {
        calls++;
        return instantQuery(url(), q, at);
      }),
    );
    const broken = res.find((s) => s.key === 'broken');
    expect(broken?.status).toBe('error');
    expect(broken?.error).toMatch(/bad_data/);
    expect(res.filter((s) => s.key !== 'broken')).toEqual(statuses);
    expect(calls).toBeLessThan(8 * 10);
  });

  it('answers a very long batched query sent as a POST form body', async () => {
    const base = slos.find((s) => s.key === 'payments');
    if (!base) throw new Error('payments missing');
    const many = Array.from({ length: 400 }, (_, i) => ({ ...base, key: `payments-copy-${i}`, name: `payments-copy-${i}` }));
    const p = buildFleetPlan(many, { at: AT, burnWindows: ['5m'], maxQueryLength: 10_000_000 });
    const q5m = p.queries[0];
    expect(q5m?.query.length).toBeGreaterThan(100_000);
    const res = evaluateFleet(
      { ...p, queries: p.queries },
      await runFleetQueries({ ...p, queries: q5m ? [q5m] : [] }, (q, at) => instantQuery(url(), q, at)),
    );
    expect(new Set(res.map((s) => s.burnRates['5m']))).toEqual(new Set([byId('payments').burnRates['5m']]));
  });
});
