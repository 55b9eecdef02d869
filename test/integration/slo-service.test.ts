// The SLO service (electron/core/slo) against a real Prometheus 2.42 holding the standard 31-day scenarios:
// the fleet, its numbers against Prometheus's own arithmetic, detail charts, the range cache, import, problems,
// and what happens when the connection goes down (last good data kept, marked stale, health recorded).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignedRange, buildNaiveQueries, evaluateNaive, readVectorResponse, type NaiveOutcome, type SloStatus } from '@shared/slo';
import type { SloFleet, SloStatusView } from '@shared/slo/contract';
import { ContractFailure } from '@shared/kernel/result';
import { createCore, type Core } from '../../electron/core/core';
import { SloService, policyFromWorkspace } from '../../electron/core/features/slo/slo-service';
import { PrometheusClient } from '../../electron/core/systems/prometheus/prometheus-client';
import { RangeCache } from '../../electron/core/systems/prometheus/range-cache';
import { remainingFromSamples, splitStepSeries, stepParts, stepSamples } from '@shared/slo';
import { instantQuery, startPrometheusWithDataset, type PrometheusHandle } from '../helpers/prometheus';
import { EXPECTED, FIXTURE_DIR, standardDataset, STANDARD_END } from '../helpers/slo-scenarios';
import { makeSloWorkspace, type SloWorkspace } from '../helpers/slo-workspace';
import { fakeSecrets } from '../helpers/fake-secrets';
import { startFixture, type Fixture } from '../helpers/http-fixture';

const AT = STANDARD_END;
let prom: PrometheusHandle;
let ws: SloWorkspace;
let core: Core;
let service: SloService;
let fleet: SloFleet;
const clock = { ms: AT * 1000 };

async function openCore(config: string, dataDir: string): Promise<Core> {
  return createCore({
    version: '0.0.0-test',
    transport: 'direct',
    workspaceFile: config,
    dataDir,
    secrets: fakeSecrets(),
    validateOutput: true,
  });
}

function serviceFor(c: Core, dataDir: string, now: () => number = () => clock.ms): SloService {
  return new SloService({
    workspace: () => c.services.workspace(),
    connections: c.services.connections,
    audit: c.services.audit,
    dataDir,
    now,
    rulesTtlMs: 0,
  });
}

async function scalar(query: string): Promise<number> {
  const r = readVectorResponse(await instantQuery(prom.url, query, AT));
  if (!r.ok) throw new Error(`${query}: ${r.error}`);
  const v = r.samples[0]?.value;
  if (v === undefined) throw new Error(`${query}: no result`);
  return v;
}

const byId = (f: SloFleet, id: string): SloStatusView => {
  const s = f.statuses.find((x) => x.id === id);
  if (!s) throw new Error(`no status ${id}`);
  return s;
};

/** The engine's fields of a view (what evaluateNaive produces too). */
function engineFields(s: SloStatusView): SloStatus {
  const { fetchedAt: _f, stale: _s, staleReason: _r, sparkline: _p, ...rest } = s;
  return rest as SloStatus;
}

beforeAll(async () => {
  prom = await startPrometheusWithDataset(standardDataset());
  ws = makeSloWorkspace({ prometheusUrl: prom.url });
  core = await openCore(ws.config, ws.dataDir);
  expect(core.services.workspaceProblems()).toEqual([]);
  service = serviceFor(core, ws.dataDir);
  fleet = await service.fleet();
});

afterAll(async () => {
  service?.dispose();
  await core?.dispose();
  await prom?.stop();
  ws?.cleanup();
});

describe('SLO fleet through the service', () => {
  it('shows every OpenSLO, Sloth and Pyrra SLO in its expected state', () => {
    expect(fleet.problems).toEqual([]);
    expect(fleet.statuses.map((s) => s.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [id, exp] of Object.entries(EXPECTED)) {
      const s = byId(fleet, id);
      expect(s.status, `${id}: ${s.error ?? ''}`).toBe(exp.status);
      expect(s.policy, id).toBe(exp.policy);
      expect(s.stale).toBe(false);
      expect(s.fetchedAt).toBe(new Date(AT * 1000).toISOString());
    }
    expect(fleet.evaluatedAt).toBe(AT);
    expect(fleet.connections).toEqual([expect.objectContaining({ id: 'prom-main', ok: true })]);
  });

  it('refreshes the whole fleet, sparklines included, in at most 10 PromQL queries', () => {
    // 7 burn windows + the compliance window (instant) + 1 batched range query for all sparklines.
    expect(fleet.queryCount).toBe(9);
    expect(fleet.stale).toBe(false);
  });

  it('gives the same statuses as the engine fed by one query per SLO, window and part', async () => {
    const defs = (await service.definitions()).slos;
    const naive: NaiveOutcome[] = [];
    const queries = buildNaiveQueries(defs, { at: AT });
    for (let i = 0; i < queries.length; i += 6) {
      const batch = queries.slice(i, i + 6);
      naive.push(...(await Promise.all(batch.map(async (q) => ({ query: q, body: await instantQuery(prom.url, q.query, AT) })))));
    }
    const expected = evaluateNaive(defs, AT, naive, { policy: policyFromWorkspace(core.services.workspace()) });
    // The service also names the connection that answered, the default one included.
    expect(fleet.statuses.map(engineFields)).toEqual(expected.map((s) => ({ ...s, connectionId: s.connectionId ?? 'prom-main' })));
  });

  it("matches Prometheus's own arithmetic for budget, burn rate and SLI", async () => {
    const checkout = byId(fleet, 'checkout');
    const budget = await scalar(
      '1 - (sum(increase(http_requests_total{service="checkout",code=~"5.."}[30d])) / sum(increase(http_requests_total{service="checkout"}[30d]))) / (1 - 0.999)',
    );
    expect(checkout.errorBudgetRemaining).toBeCloseTo(budget, 9);
    const payments = byId(fleet, 'payments');
    const burn1h = await scalar(
      '(sum(increase(http_requests_total{service="payments",code=~"5.."}[1h])) / sum(increase(http_requests_total{service="payments"}[1h]))) / (1 - 0.999)',
    );
    expect(payments.burnRates['1h']).toBeCloseTo(burn1h, 9);
    expect(payments.alerts.map((a) => [a.severity, a.long, a.short, a.factor])).toContainEqual(['page', '1h', '5m', 14.4]);
    const latency = byId(fleet, 'api-latency');
    const sli = await scalar(
      'sum(increase(http_request_duration_seconds_bucket{service="api",le="0.3"}[4w])) / sum(increase(http_request_duration_seconds_count{service="api"}[4w]))',
    );
    expect(latency.sli).toBeCloseTo(sli, 9);
    const allowed = await scalar('(1 - 0.999) * sum(increase(http_requests_total{service="checkout"}[30d]))');
    expect(checkout.errorsAllowed).toBeCloseTo(allowed, 6);
  });

  it('re-reads the long windows (compliance, 1d, 3d) every few minutes in the loop, and every time when forced', async () => {
    const c = { ms: AT * 1000 - 600_000 };
    const svc = new SloService({
      workspace: () => core.services.workspace(),
      connections: core.services.connections,
      dataDir: ws.dataDir,
      now: () => c.ms,
      periodTtlMs: 300_000,
    });
    try {
      const first = await svc.fleet();
      expect(first.queryCount).toBe(9);
      c.ms += 60_000;
      const loop = await svc.refresh();
      // 5m to 6h and the sparklines' tail: the compliance window and the 1d and 3d burn windows are reused.
      expect(loop.queryCount).toBe(6);
      expect(loop.connections[0]?.periodReadAt).toBe(first.fetchedAt);
      const budget = (f: SloFleet): (number | null)[] => f.statuses.map((s) => s.errorBudgetRemaining);
      expect(budget(loop)).toEqual(budget(first));
      for (const w of ['1d', '3d'] as const)
        expect(loop.statuses.map((s) => s.burnRates[w])).toEqual(first.statuses.map((s) => s.burnRates[w]));
      expect(loop.statuses.map((s) => s.burnRates['5m'])).not.toEqual(first.statuses.map((s) => s.burnRates['5m']));
      c.ms += 300_000;
      expect((await svc.refresh()).queryCount).toBe(9);
      c.ms += 60_000;
      expect((await svc.fleet({ refresh: true })).queryCount).toBe(9);
    } finally {
      svc.dispose();
    }
  });

  it('keeps no traffic (null burn) apart from a missing metric (no-data), and reports no-data as its own tier', () => {
    expect(byId(fleet, 'reports').burnRates['1h']).toBeNull();
    expect(byId(fleet, 'reports').status).toBe('ok');
    expect(byId(fleet, 'ghost')).toMatchObject({ status: 'no-data', policy: 'no-data', errorBudgetRemaining: null, sli: null });
  });

  it('draws each sparkline as budget left over the window, ending on the number the tile shows', () => {
    for (const s of fleet.statuses.filter((x) => x.source === 'openslo' && x.status === 'ok')) {
      expect(s.sparkline.length, s.id).toBeGreaterThan(5);
      expect(s.sparkline.length, s.id).toBeLessThanOrEqual(60 + 3);
      const last = [...s.sparkline].reverse().find((p) => p.v !== null);
      expect(last?.v, s.id).toBeCloseTo(s.errorBudgetRemaining ?? Number.NaN, 9);
    }
    expect(byId(fleet, 'ghost').sparkline.every((p) => p.v === null)).toBe(true);
  });

  it('pins a broken expression on its SLO through the grouped queries, and keeps the others exact', async () => {
    const w = makeSloWorkspace({ prometheusUrl: prom.url, files: ['checkout.yaml', 'payments.yaml', 'broken.yaml'] });
    const c = await openCore(w.config, w.dataDir);
    try {
      const f = await serviceFor(c, w.dataDir).fleet();
      const broken = f.statuses.find((s) => s.key === 'broken');
      expect(broken?.status).toBe('error');
      expect(broken?.error).toMatch(/bad_data/);
      for (const id of ['checkout', 'checkout#1', 'checkout-monthly', 'payments']) {
        expect(engineFields(byId(f, id))).toEqual(engineFields(byId(fleet, id)));
      }
    } finally {
      await c.dispose();
      w.cleanup();
    }
  });

  it('uses the workspace policy tiers', async () => {
    const strict = makeSloWorkspace({
      prometheusUrl: prom.url,
      files: ['checkout.yaml'],
      policy: { caution: 0.95, restricted: 0.7, emergency: 0.65 },
    });
    const c = await openCore(strict.config, strict.dataDir);
    try {
      const f = await serviceFor(c, strict.dataDir).fleet();
      // checkout has 60 % left: above 0.5 (caution by default) but below 0.65 here.
      expect(byId(f, 'checkout').policy).toBe('emergency');
      expect(byId(f, 'checkout#1').policy).toBe('normal');
    } finally {
      await c.dispose();
      strict.cleanup();
    }
  });
});

describe('SLO detail charts', () => {
  it('charts budget burn-down, SLI, rates and the burn-rate table within the pixel width', async () => {
    const width = 320;
    const d = await service.detail('payments', width, undefined);
    const s = byId(fleet, 'payments');
    for (const series of [d.budget.actual, d.sli, d.requests ?? [], d.errors ?? []]) {
      expect(series.length).toBeGreaterThan(50);
      expect(series.length).toBeLessThanOrEqual(width);
    }
    const lastBudget = [...d.budget.actual].reverse().find((p) => p.v !== null);
    expect(lastBudget?.v).toBeCloseTo(s.errorBudgetRemaining ?? Number.NaN, 9);
    expect(d.budget.actual[0]?.v).toBeGreaterThan(0.95);
    expect(d.budget.ideal).toEqual([
      { t: (AT - 30 * 86_400) * 1000, v: 1 },
      { t: AT * 1000, v: 0 },
    ]);
    // 2 requests a second; 3 % of them failing during the last 90 minutes.
    const rates = (d.requests ?? []).map((p) => p.v).filter((v): v is number => v !== null);
    expect(rates.slice(5, -5).every((v) => Math.abs(v - 2) < 0.01)).toBe(true);
    const lastErrors = [...(d.errors ?? [])].reverse().find((p) => p.v !== null);
    expect(lastErrors?.v).toBeGreaterThan(0.03);
    const page = d.burnTable.find((r) => r.long === '1h');
    expect(page).toMatchObject({ severity: 'page', short: '5m', factor: 14.4, firing: true, budgetShare: 0.02 });
    expect(d.burnTable.find((r) => r.long === '3d')?.firing).toBe(false);
    expect(d.burnTable).toHaveLength(4);
    expect(d.queryCount).toBe(3);
    expect(d.range.end).toBeGreaterThanOrEqual(AT * 1000);
    expect(d.alertTimeline).toEqual([]);
  });

  it('adds up per-step increases to the same budget as increase() over the whole window', async () => {
    const defs = (await service.definitions()).slos;
    const def = defs.find((x) => x.key === 'search');
    if (!def) throw new Error('search missing');
    const client = new PrometheusClient({
      connectionId: 'prom-main',
      name: 'prom',
      http: () => core.services.connections.client('prom-main'),
    });
    const range = alignedRange(AT - 30 * 86_400, AT, 700, 300);
    const values = new Map<string, Map<number, number>>();
    for (const p of stepParts(def, range.step)) {
      const r = await client.range(p.expr, range.start, range.end, range.step);
      values.set(p.part, splitStepSeries(r, { key: def.key, parts: [p.part] }).get(def.key)?.[p.part] ?? new Map());
    }
    const samples = stepSamples(Object.fromEntries(values), range.start, range.end, range.step);
    const fromSteps = remainingFromSamples(samples, AT - 30 * 86_400, 0.999);
    expect(Math.abs((fromSteps ?? 0) - (byId(fleet, 'search').errorBudgetRemaining ?? 1))).toBeLessThan(0.01);
  });

  it('answers a repeated detail by refetching only unsettled points, and a later one by fetching only the new tail', async () => {
    const base = AT * 1000;
    const local = serviceFor(core, ws.dataDir, () => clock.ms);
    // A day earlier: at this width the step is 2 h, so the window moves by twelve steps.
    clock.ms = base - 86_400_000;
    try {
      const first = await local.detail('checkout', 400, undefined);
      expect(first.rangeFetch).toBe('full');
      // Same instant: only the newest point, still within the settle margin of "now", is asked again.
      const again = await local.detail('checkout', 400, undefined);
      expect(again.rangeFetch).toBe('tail');
      expect(again.budget).toEqual(first.budget);
      clock.ms = base;
      const later = await local.detail('checkout', 400, undefined);
      expect(later.rangeFetch).toBe('tail');
      expect(later.range.end - first.range.end).toBe(86_400_000);
      const cold = await serviceFor(core, ws.dataDir, () => clock.ms).detail('checkout', 400, undefined);
      expect(cold.rangeFetch).toBe('full');
      expect(later.sli).toEqual(cold.sli);
      expect(later.requests).toEqual(cold.requests);
      expect(later.budget).toEqual(cold.budget);
    } finally {
      clock.ms = base;
      local.dispose();
    }
  });

  it('refuses an unknown SLO with not_found', async () => {
    await expect(service.detail('nope', 300)).rejects.toMatchObject({ code: 'not_found' });
  });

  it("narrows the charts to a range (picker, zoom) at a finer step; the budget stays the whole window's", async () => {
    const whole = await service.detail('payments', 320, undefined);
    const from = (AT - 3 * 3600) * 1000;
    const to = (AT - 3600) * 1000;
    const d = await service.detail('payments', 320, undefined, { from, to });
    expect(d.range.start).toBeLessThanOrEqual(from);
    expect(d.range.start).toBeGreaterThan(from - d.range.stepSeconds * 1000);
    expect(d.range.end).toBeGreaterThanOrEqual(to);
    expect(d.range.end).toBeLessThan(to + d.range.stepSeconds * 1000 + 1);
    expect(d.range.stepSeconds).toBeLessThan(whole.range.stepSeconds);
    // Two hours at the finest chart step the core uses (MIN_CHART_STEP): every step a point.
    expect(d.sli.length).toBeGreaterThanOrEqual(Math.floor((to - from) / 1000 / d.range.stepSeconds));
    expect(d.sli.every((p) => p.t >= d.range.start && p.t <= d.range.end)).toBe(true);
    // 3 % of requests failing during the last 90 minutes: the zoomed errors show it start inside the range.
    const errs = (d.errors ?? []).filter((p) => p.v !== null);
    expect(errs[0]?.v ?? 1).toBeLessThan(0.01);
    expect(errs.at(-1)?.v ?? 0).toBeGreaterThan(0.03);
    // The burn-down is cumulative: computed over the whole window, ending on the same budget left.
    const last = (pts: { v: number | null }[]): number | null => [...pts].reverse().find((p) => p.v !== null)?.v ?? null;
    expect(last(d.budget.actual)).toBeCloseTo(last(whole.budget.actual) ?? Number.NaN, 9);
    // Out of the window or too narrow: clamped, or a clear refusal.
    const wide = await service.detail('payments', 320, undefined, { from: 0, to: (AT + 86_400) * 1000 });
    expect(wide.range.start).toBe(whole.range.start);
    await expect(service.detail('payments', 320, undefined, { from, to: from + 60_000 })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/at least 10 minutes/) as string,
    });
  });
});

describe('range cache against Prometheus', () => {
  const query = 'sum(increase(http_requests_total{service="payments",code=~"5.."}[1h]))';

  it('fetches the tail only, and the merged series equals a fresh full query', async () => {
    const http = await core.services.connections.client('prom-main');
    const cache = new RangeCache();
    const client = new PrometheusClient({ connectionId: 'prom-main', name: 'prom', http: async () => http, cache });
    const r1 = alignedRange(AT - 30 * 86_400 - 7_200, AT - 7_200, 600, 300);
    const r2 = alignedRange(AT - 30 * 86_400, AT, 600, 300);
    const a = await client.rangeCached(query, r1);
    expect(a.fetch).toBe('full');
    const queriesBefore = client.stats().queries;
    const b = await client.rangeCached(query, r2);
    expect(b.fetch).toBe('tail');
    expect(b.fetched).toEqual({ start: r1.end + r2.step, end: r2.end });
    expect(client.stats().queries - queriesBefore).toBe(1);
    const fresh = await client.range(query, r2.start, r2.end, r2.step);
    expect(b.series).toEqual(fresh);
    // Long settled (the data ended days ago): asking again costs no request at all.
    const c = await client.rangeCached(query, r2);
    expect(c.fetch).toBe('cached');
    expect(c.series).toEqual(fresh);
    expect(cache.stats()).toMatchObject({ full: 1, tail: 1, cached: 1 });
  });

  it('refetches points that were not settled when they were first read', async () => {
    const http = await core.services.connections.client('prom-main');
    // "Now" is one minute after the data ends: the last five minutes are not final yet.
    const cache = new RangeCache({ now: () => (AT + 60) * 1000, settleSeconds: 300 });
    const client = new PrometheusClient({ connectionId: 'prom-main', name: 'prom', http: async () => http, cache });
    const r = alignedRange(AT - 86_400, AT, 300, 300);
    await client.rangeCached(query, r);
    const again = await client.rangeCached(query, r);
    expect(again.fetch).toBe('tail');
    expect(again.fetched?.start).toBeGreaterThan(AT - 600);
    expect(again.fetched?.end).toBe(r.end);
  });
});

describe('definitions, problems and import', () => {
  it('reports a broken file with file, line and field, and still loads the others', async () => {
    const bad = [
      'apiVersion: openslo/v1',
      'kind: SLO',
      'metadata:',
      '  name: Bad_Name',
      'spec:',
      '  service: shop',
      '  timeWindow: [{duration: 30d, isRolling: true}]',
      '  budgetingMethod: Occurrences',
      '  objectives: [{target: 0.99}]',
      '',
    ].join('\n');
    const w = makeSloWorkspace({
      prometheusUrl: prom.url,
      files: ['checkout.yaml', 'payments.yaml'],
      extra: { 'bad.yaml': bad, 'garbage.yaml': 'kind: [unclosed\n' },
    });
    const c = await openCore(w.config, w.dataDir);
    try {
      const svc = serviceFor(c, w.dataDir);
      const problems = await svc.problems();
      const badName = problems.find((p) => p.file === path.join('slos', 'bad.yaml'));
      expect(badName).toMatchObject({ line: 4, field: 'metadata.name' });
      expect(problems.some((p) => p.file === path.join('slos', 'garbage.yaml') && p.line >= 1)).toBe(true);
      const f = await svc.fleet();
      expect(f.statuses.map((s) => s.id).sort()).toEqual([
        'checkout',
        'checkout#1',
        'checkout-monthly',
        'payments',
        'pyrra/catalog-pyrra',
        'sloth/catalog-requests-availability',
      ]);
      expect(f.problems.length).toBe(problems.length);
    } finally {
      await c.dispose();
      w.cleanup();
    }
  });

  it('imports a valid file into the data folder and refuses invalid ones with their problems', async () => {
    const w = makeSloWorkspace({ prometheusUrl: prom.url, files: ['checkout.yaml'] });
    const c = await openCore(w.config, w.dataDir);
    try {
      const svc = serviceFor(c, w.dataDir);
      const text = readFileSync(path.join(FIXTURE_DIR, 'search.yaml'), 'utf8');
      const res = await svc.importFile('Search SLO.yaml', text);
      expect(res).toEqual({ file: path.join(w.dataDir, 'slos', 'Search-SLO.yaml'), slos: ['search'], replaced: false });
      expect(readFileSync(res.file, 'utf8')).toBe(text);
      expect((await svc.fleet({ refresh: true })).statuses.map((s) => s.id)).toContain('search');
      expect((await svc.importFile('Search SLO.yaml', text)).replaced).toBe(true);

      const dup = readFileSync(path.join(FIXTURE_DIR, 'checkout.yaml'), 'utf8');
      const refused = await svc.importFile('other.yaml', dup).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ContractFailure);
      expect((refused as ContractFailure).code).toBe('validation');
      expect((refused as ContractFailure).detail?.fields?.map((f) => f.message)).toContainEqual(
        expect.stringMatching(/duplicate SLO name/),
      );

      const broken = await svc
        .importFile('x.yaml', 'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec: {}\n')
        .catch((e: unknown) => e);
      expect((broken as ContractFailure).code).toBe('validation');
      expect((broken as ContractFailure).detail?.fields?.some((f) => /^x\.yaml:\d+ spec/.test(f.path))).toBe(true);
      const audit = await c.services.audit.list({ limit: 10 });
      expect(audit.map((a) => `${a.action} ${a.outcome}`)).toEqual(expect.arrayContaining(['slo.import ok', 'slo.import error']));
    } finally {
      await c.dispose();
      w.cleanup();
    }
  });

  it('answers every SLO call through the contract with output that passes its schema', async () => {
    const ctx = { transport: 'direct' as const, signal: new AbortController().signal };
    // The core's own service runs on the wall clock: the history ended days ago, so the windows are empty.
    const f = await core.dispatcher.call('slo.fleet', {}, ctx);
    expect(f).toMatchObject({ ok: true });
    const d = await core.dispatcher.call('slo.detail', { id: 'checkout', widthPx: 300 }, ctx);
    expect(d).toMatchObject({ ok: true, data: { status: { id: 'checkout' } } });
    expect(await core.dispatcher.call('slo.problems', {}, ctx)).toEqual({ ok: true, data: [] });
    expect(await core.dispatcher.call('slo.detail', { id: 'checkout', widthPx: 5 }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });

  it('imports through the contract as an action (refused on a wall)', async () => {
    const r = await core.dispatcher.call(
      'slo.import',
      { filename: 'a.yaml', yaml: 'x: 1' },
      { transport: 'direct', signal: new AbortController().signal },
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'validation' } });
    core.setWall(true);
    try {
      const w = await core.dispatcher.call(
        'slo.import',
        { filename: 'a.yaml', yaml: 'x: 1' },
        { transport: 'direct', signal: new AbortController().signal },
      );
      expect(w).toMatchObject({ ok: false, error: { code: 'read_only' } });
    } finally {
      core.setWall(false);
    }
  });
});

describe('when Prometheus goes away', () => {
  let proxy: Fixture;
  let mode: 'pass' | 'html' = 'pass';

  beforeAll(async () => {
    proxy = await startFixture();
    for (const p of ['/api/v1/query', '/api/v1/query_range', '/api/v1/rules']) {
      proxy.route(p, (req, res, body) => {
        if (mode === 'html') {
          res.writeHead(502, { 'Content-Type': 'text/html' });
          res.end(
            '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
          );
          return;
        }
        const search = new URL(req.url ?? '/', 'http://x').search;
        void fetch(`${prom.url}${p}${search}`, {
          method: req.method ?? 'GET',
          ...(req.method === 'POST' ? { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
        })
          .then(async (r) => {
            res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/json' });
            res.end(await r.text());
          })
          .catch(() => {
            res.writeHead(500);
            res.end();
          });
      });
    }
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it("keeps the last good numbers, marks them stale with the proxy's words, and records the connection's health", async () => {
    const w = makeSloWorkspace({ prometheusUrl: proxy.url, files: ['checkout.yaml', 'payments.yaml'] });
    const c = await openCore(w.config, w.dataDir);
    try {
      const svc = serviceFor(c, w.dataDir);
      mode = 'pass';
      const good = await svc.fleet();
      expect(good.statuses.every((s) => s.status === 'ok' && !s.stale)).toBe(true);
      mode = 'html';
      const bad = await svc.fleet({ refresh: true });
      expect(bad.stale).toBe(true);
      expect(bad.connections[0]).toMatchObject({ ok: false, fetchedAt: good.fetchedAt });
      expect(bad.connections[0]?.error).toMatch(/502.*Bad Gateway/);
      for (const s of bad.statuses.filter((x) => x.source === 'openslo')) {
        const before = byId(good, s.id);
        expect(s).toMatchObject({ stale: true, errorBudgetRemaining: before.errorBudgetRemaining, fetchedAt: before.fetchedAt });
        expect(s.staleReason).toMatch(/502 \(bad gateway\): 502 Bad Gateway/);
      }
      expect(c.services.connections.healthList().find((h) => h.id === 'prom-main')).toMatchObject({ state: 'error' });
      // A console that never saw good numbers shows the error itself, not a healthy-looking blank.
      const fresh = await serviceFor(c, w.dataDir).fleet();
      expect(fresh.statuses.every((s) => s.status === 'error' && s.policy === 'no-data' && /Bad Gateway/.test(s.error ?? ''))).toBe(true);
      mode = 'pass';
      const back = await svc.fleet({ refresh: true });
      expect(back.stale).toBe(false);
      expect(c.services.connections.healthList().find((h) => h.id === 'prom-main')).toMatchObject({ state: 'ok' });
    } finally {
      mode = 'pass';
      await c.dispose();
      w.cleanup();
    }
  });

  it('cannot reach a closed port: every SLO is an error with the reason, and the connection is down', async () => {
    const closed = await startFixture();
    const url = closed.url;
    await closed.close();
    const w = makeSloWorkspace({ prometheusUrl: url, files: ['checkout.yaml'] });
    const c = await openCore(w.config, w.dataDir);
    try {
      const f = await serviceFor(c, w.dataDir).fleet();
      expect(f.connections[0]).toMatchObject({ id: 'prom-main', ok: false });
      expect(f.statuses.every((s) => s.status === 'error' && s.errorBudgetRemaining === null)).toBe(true);
      expect(f.warnings.some((x) => x.kind === 'connection')).toBe(true);
    } finally {
      await c.dispose();
      w.cleanup();
    }
  });
});
