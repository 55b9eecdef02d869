import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bisectFleetQuery,
  buildFleetPlan,
  buildNaiveQueries,
  evaluateFleet,
  evaluateNaive,
  parseOpenSlo,
  runFleetQueries,
  sloPartExpressions,
  type FleetPlan,
  type NaiveOutcome,
  type Part,
  type QueryOutcome,
  type QueryWindow,
  type SloDefinition,
} from '@shared/slo';
import { fixtureFile, standardSloFiles, STANDARD_END } from '../../helpers/slo-scenarios';

const AT = STANDARD_END;
const fleet = (): SloDefinition[] => parseOpenSlo(standardSloFiles()).slos;

/** Answers a fleet query the way Prometheus would, from a table of values by SLO, window and part. */
type Table = Map<string, string | undefined>;
const cell = (key: string, window: QueryWindow, part: Part): string => `${key}|${window}|${part}`;

function fakeVector(samples: { metric: Record<string, string>; value: string }[]): unknown {
  return { status: 'success', data: { resultType: 'vector', result: samples.map((s) => ({ metric: s.metric, value: [AT, s.value] })) } };
}

function answerFleet(plan: FleetPlan, table: Table): QueryOutcome[] {
  const bySlo = new Map(plan.slos.map((s) => [s.key, s]));
  return plan.queries.map((q) => {
    const samples: { metric: Record<string, string>; value: string }[] = [];
    for (const key of q.sloKeys) {
      const slo = bySlo.get(key);
      if (!slo) continue;
      for (const p of sloPartExpressions(slo, q.window, plan.at)) {
        const v = table.get(cell(key, q.window, p.part));
        if (v !== undefined) samples.push({ metric: { __slo__: key, __part__: p.part }, value: v });
      }
    }
    return { query: q, body: fakeVector(samples) };
  });
}

function answerNaive(slos: SloDefinition[], table: Table): NaiveOutcome[] {
  return buildNaiveQueries(slos, { at: AT }).map((q) => {
    const v = table.get(cell(q.sloKey, q.window, q.part));
    return { query: q, body: fakeVector(v === undefined ? [] : [{ metric: {}, value: v }]) };
  });
}

function steadyTable(slos: SloDefinition[], total: number, bad: number): Table {
  const t: Table = new Map();
  const plan = buildFleetPlan(slos, { at: AT });
  for (const q of plan.queries) {
    for (const s of slos) {
      for (const p of sloPartExpressions(s, q.window, AT)) {
        const v = p.part === 'total' ? total : p.part === 'bad' ? bad : p.part === 'good' ? total - bad : bad / total;
        t.set(cell(s.key, q.window, p.part), String(v));
      }
    }
  }
  return t;
}

describe('fleet plan', () => {
  it('costs one query per window, not per SLO', () => {
    const slos = fleet();
    const plan = buildFleetPlan(slos, { at: AT });
    expect(plan.queries.map((q) => q.id)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', 'period']);
    const many = Array.from({ length: 200 }, (_, i) => ({ ...slos[0]!, key: `slo-${i}`, name: `slo-${i}` }));
    expect(buildFleetPlan(many, { at: AT }).queries).toHaveLength(8);
    expect(buildNaiveQueries(many, { at: AT })).toHaveLength(200 * 8 * 2);
  });

  it('wraps counter selectors in sum(increase(Q[W])) and tags each part', () => {
    const plan = buildFleetPlan(fleet(), { at: AT });
    const q1h = plan.queries.find((q) => q.window === '1h')?.query ?? '';
    expect(q1h).toContain(
      'label_replace(label_replace(sum(increase(http_requests_total{service="payments",code=~"5.."}[1h])), "__slo__", "payments", "", ""), "__part__", "bad", "", "")',
    );
    expect(q1h.split('\nor ').length).toBe(fleet().length * 2);
    const period = plan.queries.find((q) => q.window === 'period')?.query ?? '';
    expect(period).toContain('http_requests_total{service="login"}[1w]');
    expect(period).toContain('http_request_duration_seconds_bucket{service="api",le="0.3"}[4w]');
    // Calendar month at 15 Nov 12:00: 14.5 days since the 1st.
    expect(period).toContain('http_requests_total{service="checkout"}[348h]');
  });

  it('averages non-counter queries with a subquery and fills {{.window}} templates', () => {
    const broken = parseOpenSlo(fixtureFile('broken.yaml')).slos[0]!;
    expect(sloPartExpressions(broken, '1d', AT)[1]?.expr).toBe(
      '(sum(avg_over_time((rate(http_requests_total{service="checkout"}))[1d:5m])) * 86400)',
    );
    const templ: SloDefinition = {
      ...broken,
      indicator: { kind: 'ratio', counter: false, bad: 'x{e="1"}[{{.window}}]', total: 'x[{{ .window }}]' },
    };
    expect(sloPartExpressions(templ, '30m', AT).map((p) => p.expr)).toEqual(['sum(x{e="1"}[30m])', 'sum(x[30m])']);
  });

  it('splits long windows into several queries under maxQueryLength', () => {
    const base = fleet()[0]!;
    const slos = Array.from({ length: 50 }, (_, i) => ({ ...base, key: `s${i}`, name: `s${i}` }));
    const plan = buildFleetPlan(slos, { at: AT, maxQueryLength: 5_000 });
    expect(plan.queries.length).toBeGreaterThan(8);
    for (const q of plan.queries) expect(q.query.length).toBeLessThanOrEqual(5_000);
    const covered = plan.queries.filter((q) => q.window === '5m').flatMap((q) => q.sloKeys);
    expect(covered).toEqual(slos.map((s) => s.key));
  });

  it('bisects a batch in halves', () => {
    const plan = buildFleetPlan(fleet(), { at: AT });
    const q = plan.queries[0]!;
    const [a, b] = bisectFleetQuery(plan, q);
    expect([...(a?.sloKeys ?? []), ...(b?.sloKeys ?? [])]).toEqual(q.sloKeys);
    expect(bisectFleetQuery(plan, { ...q, sloKeys: [q.sloKeys[0]!] })).toEqual([]);
  });
});

describe('fleet evaluation', () => {
  it('splits results per SLO and computes status, budget, burn, alerts and policy', () => {
    const slos = fleet().filter((s) => s.key === 'payments');
    const plan = buildFleetPlan(slos, { at: AT });
    const table = steadyTable(slos, 100_000, 50);
    table.set(cell('payments', '5m', 'bad'), '3000');
    table.set(cell('payments', '1h', 'bad'), '2000');
    const [st] = evaluateFleet(plan, answerFleet(plan, table));
    expect(st).toMatchObject({
      id: 'payments',
      name: 'payments',
      service: 'payments',
      target: 0.999,
      window: '30d',
      status: 'ok',
      policy: 'caution',
      events: { total: 100_000, bad: 50 },
    });
    expect(st?.sli).toBeCloseTo(0.9995, 12);
    expect(st?.errorBudgetRemaining).toBeCloseTo(0.5, 9);
    expect(st?.errorsAllowed).toBeCloseTo(100, 9);
    expect(st?.errorsRemaining).toBeCloseTo(50, 9);
    expect(st?.budgetMinutesLeft).toBeCloseTo(21.6, 9);
    expect(st?.burnRates['5m']).toBeCloseTo(30, 9);
    expect(st?.burnRates['1d']).toBeCloseTo(0.5, 9);
    expect(st?.alerts.map((a) => [a.severity, a.long, a.short, a.factor])).toEqual([['page', '1h', '5m', 14.4]]);
    expect(st?.timeToExhaustion.state).toBe('burning');
    expect(st?.timeToExhaustion.seconds).toBeCloseTo((0.5 * 30 * 86_400) / 20, 6);
  });

  it('emits one status per objective', () => {
    const slos = fleet().filter((s) => s.key === 'checkout');
    const plan = buildFleetPlan(slos, { at: AT });
    const out = evaluateFleet(plan, answerFleet(plan, steadyTable(slos, 1000, 0.4)));
    expect(out.map((s) => [s.id, s.objective, s.target, s.policy])).toEqual([
      ['checkout', 'internal', 0.999, 'caution'],
      ['checkout#1', 'SLA', 0.99, 'normal'],
    ]);
  });

  it('keeps no traffic (null), missing metrics (no-data) and failed queries (error) apart', () => {
    const slos = fleet().filter((s) => ['reports', 'ghost', 'search'].includes(s.key));
    const plan = buildFleetPlan(slos, { at: AT });
    const table = steadyTable(slos, 1000, 1);
    for (const w of ['5m', '30m'] as const) {
      table.set(cell('reports', w, 'total'), '0');
      table.set(cell('reports', w, 'bad'), '0');
    }
    for (const k of [...table.keys()]) if (k.startsWith('ghost|')) table.delete(k);
    const outcomes = answerFleet(plan, table).map((o) => (o.query.window === '6h' ? { query: o.query, error: 'timeout' } : o));
    const by = Object.fromEntries(evaluateFleet(plan, outcomes).map((s) => [s.key, s]));
    expect(by['reports']?.burnRates['5m']).toBeNull();
    expect(by['reports']?.burnRates['1h']).toBeCloseTo(0.1, 9);
    expect(by['reports']?.status).toBe('error');
    expect(by['reports']?.error).toBe('6h: timeout');
    expect(by['ghost']?.sli).toBeNull();
    expect(by['ghost']?.policy).toBe('no-data');
    expect(by['ghost']?.errorBudgetRemaining).toBeNull();
    expect(by['ghost']?.burnRates['1h']).toBeNull();
  });

  it('turns an API error envelope into an error status for every SLO in that batch', () => {
    const slos = fleet();
    const plan = buildFleetPlan(slos, { at: AT });
    const outcomes = answerFleet(plan, steadyTable(slos, 1000, 0)).map((o) =>
      o.query.window === 'period' ? { query: o.query, body: { status: 'error', errorType: 'timeout', error: 'query timed out' } } : o,
    );
    const out = evaluateFleet(plan, outcomes);
    expect(out.every((s) => s.status === 'error' && s.error === 'period: timeout: query timed out')).toBe(true);
  });

  it('flags a part that came back as several series, and a window with no outcome', () => {
    const slos = fleet().filter((s) => s.key === 'search');
    const plan = buildFleetPlan(slos, { at: AT });
    const outcomes = answerFleet(plan, steadyTable(slos, 1000, 1)).filter((o) => o.query.window !== '3d');
    const dup = outcomes.find((o) => o.query.window === '1h')!;
    outcomes[outcomes.indexOf(dup)] = {
      query: dup.query,
      body: fakeVector([
        { metric: { __slo__: 'search', __part__: 'total' }, value: '1' },
        { metric: { __slo__: 'search', __part__: 'total' }, value: '2' },
      ]),
    };
    const [st] = evaluateFleet(plan, outcomes);
    expect(st?.status).toBe('error');
    expect(st?.error).toContain('1h: the total expression returned more than one series');
    expect(st?.error).toContain('3d: no result');
  });

  it('property: batched and per-SLO evaluation agree for any answers', () => {
    const slos = fleet();
    const plan = buildFleetPlan(slos, { at: AT });
    const keys: string[] = [];
    for (const q of plan.queries)
      for (const s of slos) for (const p of sloPartExpressions(s, q.window, AT)) keys.push(cell(s.key, q.window, p.part));
    const value = fc.oneof(
      fc.constant<string | undefined>(undefined),
      fc.constantFrom('0', 'NaN', '+Inf'),
      fc.double({ min: 0, max: 1e7, noNaN: true }).map(String),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: keys.length, maxLength: keys.length }), (vals) => {
        const table: Table = new Map(keys.map((k, i) => [k, vals[i]]));
        expect(evaluateFleet(plan, answerFleet(plan, table))).toEqual(evaluateNaive(slos, AT, answerNaive(slos, table)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('runFleetQueries', () => {
  it('isolates a broken SLO by bisecting bad_data batches', async () => {
    const slos = [...fleet(), ...parseOpenSlo(fixtureFile('broken.yaml')).slos];
    const plan = buildFleetPlan(slos, { at: AT });
    const table = steadyTable(slos, 1000, 1);
    const calls: string[] = [];
    const exec = async (query: string): Promise<unknown> => {
      calls.push(query);
      if (query.includes('rate(http_requests_total{service="checkout"})')) {
        return { status: 'error', errorType: 'bad_data', error: 'expected type range vector in call to function "rate"' };
      }
      const samples = [...query.matchAll(/"__slo__", "([^"]+)", "", ""\), "__part__", "([a-z]+)"/g)].flatMap((m) => {
        const v = table.get(cell(m[1]!, windowOf(query), m[2] as Part));
        return v === undefined ? [] : [{ metric: { __slo__: m[1]!, __part__: m[2]! }, value: v }];
      });
      return fakeVector(samples);
    };
    const windowOf = (query: string): QueryWindow => plan.queries.find((q) => q.query === query)?.window ?? findWindow(query);
    const findWindow = (query: string): QueryWindow => {
      for (const q of plan.queries) if (q.query.includes(query.slice(0, 200))) return q.window;
      return 'period';
    };
    const outcomes = await runFleetQueries(plan, exec, { concurrency: 3 });
    const out = evaluateFleet(plan, outcomes);
    expect(out.filter((s) => s.status === 'error').map((s) => s.key)).toEqual(['broken']);
    expect(out.find((s) => s.key === 'broken')?.error).toMatch(/bad_data: expected type range vector/);
    // 8 batches + log2(12) levels of halves per window, far below one query per SLO and window.
    expect(calls.length).toBeLessThan(8 + 8 * 2 * 4 + 1);
  });

  it('does not bisect transport failures', async () => {
    const plan = buildFleetPlan(fleet(), { at: AT });
    let n = 0;
    const outcomes = await runFleetQueries(plan, () => {
      n++;
      return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9'));
    });
    expect(n).toBe(8);
    expect(evaluateFleet(plan, outcomes).every((s) => s.status === 'error' && /ECONNREFUSED/.test(s.error ?? ''))).toBe(true);
  });
});
