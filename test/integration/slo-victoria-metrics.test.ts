// The SLO engine against a real VictoriaMetrics 1.79 (Debian's single node) holding the standard 31-day
// scenarios, with vmalert evaluating the Sloth/Pyrra fixture rules (replayed over the last hour, then served
// through VictoriaMetrics' -vmalert.proxyURL). Every number the console shows must be VictoriaMetrics' own
// answer to the same query. In front of the same server: a Mimir-like query front (path prefix, tenant header)
// and a Thanos-like one that answers with warnings (a partial response), which must mark the numbers degraded.

import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SloFleet, SloStatusView } from '@shared/slo/contract';
import { buildNaiveQueries, evaluateNaive, readVectorResponse, type NaiveOutcome, type SloStatus } from '@shared/slo';
import { createCore, type Core } from '../../electron/core/core';
import { SloService, policyFromWorkspace } from '../../electron/core/features/slo/slo-service';
import { fakeSecrets } from '../helpers/fake-secrets';
import { instantQuery } from '../helpers/prometheus';
import { multiSourceWorkspace, ratioSloYaml, trafficDataset, type MultiWorkspace } from '../helpers/multi-source';
import { EXPECTED, RULE_FILES, ruleFixture, standardDataset, STANDARD_END } from '../helpers/slo-scenarios';
import { makeSloWorkspace, type SloWorkspace } from '../helpers/slo-workspace';
import { startVictoriaMetrics, type VictoriaHandle } from '../helpers/victoria-metrics';

const AT = STANDARD_END;
/** Recent traffic for the live vmalert alert: a service failing 30 % of its requests for the last 20 minutes. */
const LIVE_END = Math.floor(Date.now() / 60_000) * 60 - 60;
const liveRule = `groups:
  - name: live-burn
    interval: 5s
    rules:
      - alert: LiveBurn
        expr: sum(rate(live_requests_total{code="500"}[5m])) / sum(rate(live_requests_total[5m])) > 0.1
        labels: {slo: live, severity: critical}
        annotations: {summary: live burns its budget, runbook_url: "https://runbooks.example.com/live"}
`;
const liveSlo = ratioSloYaml({ name: 'live', service: 'live', metric: 'live_requests_total', window: '1d' });

let vm: VictoriaHandle;
let ws: SloWorkspace;
let core: Core;
const services: SloService[] = [];
const workspaces: MultiWorkspace[] = [];
const cores: Core[] = [];
const fronts: http.Server[] = [];

function serviceOn(c: Core, dataDir: string, now: () => number = () => AT * 1000): SloService {
  const s = new SloService({
    workspace: () => c.services.workspace(),
    connections: c.services.connections,
    dataDir,
    now,
    rulesTtlMs: 0,
  });
  services.push(s);
  return s;
}

async function coreFor(config: string, dataDir: string): Promise<Core> {
  const c = await createCore({
    version: '0.0.0-test',
    transport: 'direct',
    workspaceFile: config,
    dataDir,
    secrets: fakeSecrets(),
    validateOutput: true,
  });
  cores.push(c);
  expect(c.services.workspaceProblems()).toEqual([]);
  return c;
}

/** The engine's fields of a view. */
function engineFields(s: SloStatusView): SloStatus {
  const { fetchedAt: _f, stale: _s, staleReason: _r, sparkline: _p, ...rest } = s;
  return rest as SloStatus;
}

/** Numbers equal up to float summation order (the console sums per-group rows, the server sums series). */
function expectSameNumbers(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(actual, where).toBeCloseTo(expected, Math.max(0, 9 - Math.ceil(Math.log10(Math.abs(expected) + 1))));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(actual !== null && typeof actual === 'object', where).toBe(true);
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    expect(Object.keys(a).sort(), where).toEqual(Object.keys(e).sort());
    for (const k of Object.keys(e)) expectSameNumbers(a[k], e[k], `${where}.${k}`);
    return;
  }
  expect(actual, where).toEqual(expected);
}

async function vmValue(query: string, at = AT, url = vm.url): Promise<number | null> {
  const r = readVectorResponse(await instantQuery(url, query, at));
  if (!r.ok) throw new Error(`${query}: ${r.error}`);
  return r.samples[0]?.value ?? null;
}

/** A query front on a free loopback port that passes requests on to VictoriaMetrics after `check` allows them. */
async function front(
  check: (
    req: http.IncomingMessage,
    path: string,
  ) => { status: number; body: string } | { path: string; rewrite?: (body: string, form: URLSearchParams) => string },
): Promise<string> {
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const verdict = check(req, req.url ?? '/');
      if ('status' in verdict) {
        res.writeHead(verdict.status, { 'content-type': 'text/plain' });
        res.end(verdict.body);
        return;
      }
      void fetch(`${vm.url}${verdict.path}`, {
        method: req.method ?? 'GET',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        ...(req.method === 'POST' ? { body } : {}),
      })
        .then(async (r) => {
          const text = await r.text();
          const out = verdict.rewrite ? verdict.rewrite(text, new URLSearchParams(body)) : text;
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
          res.end(out);
        })
        .catch((e: unknown) => {
          res.writeHead(502);
          res.end(String(e));
        });
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  fronts.push(srv);
  const addr = srv.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

beforeAll(async () => {
  const rules = RULE_FILES.map((name) => ({ name, content: ruleFixture(name) }));
  vm = await startVictoriaMetrics({ rules: [...rules, { name: 'live.rules.yml', content: liveRule }] });
  const ds = standardDataset();
  await vm.importDataset({ ...ds, rules: [] });
  // The recorded series over the last hour before AT, as the Prometheus tests backfill them with promtool.
  await vm.replayRules(rules, AT - 3_600, AT);
  await vm.importDataset(
    trafficDataset(
      [{ service: 'live', metric: 'live_requests_total', errorRatio: (t) => (t > LIVE_END - 20 * 60 ? 0.3 : 0.001) }],
      LIVE_END,
      1,
      60,
    ),
  );
  ws = makeSloWorkspace({ prometheusUrl: vm.url, extra: { 'live.yaml': liveSlo } });
  core = await coreFor(ws.config, ws.dataDir);
}, 120_000);

afterAll(async () => {
  for (const s of services) s.dispose();
  for (const c of cores) await c.dispose();
  for (const f of fronts) f.close();
  await vm?.stop();
  ws?.cleanup();
  for (const w of workspaces) w.cleanup();
});

describe('SLO fleet on VictoriaMetrics', () => {
  let fleet: SloFleet;
  let service: SloService;
  beforeAll(async () => {
    service = serviceOn(core, ws.dataDir);
    fleet = await service.fleet({ refresh: true });
  });

  it('finds the OpenSLO files and the Sloth/Pyrra SLOs vmalert records, in at most 10 queries', () => {
    expect(fleet.problems).toEqual([]);
    expect(fleet.warnings).toEqual([]);
    const ids = fleet.statuses.map((s) => s.id);
    for (const id of Object.keys(EXPECTED)) expect(ids, id).toContain(id);
    expect(fleet.connections).toEqual([expect.objectContaining({ id: 'prom-main', ok: true })]);
    expect(fleet.queryCount).toBeLessThanOrEqual(10);
  });

  it('shows for every SLO exactly what VictoriaMetrics answers to the same queries, one per SLO, window and part', async () => {
    const defs = (await service.definitions()).slos;
    const naive: NaiveOutcome[] = [];
    const queries = buildNaiveQueries(defs, { at: AT });
    for (let i = 0; i < queries.length; i += 8) {
      const batch = queries.slice(i, i + 8);
      naive.push(...(await Promise.all(batch.map(async (q) => ({ query: q, body: await instantQuery(vm.url, q.query, AT) })))));
    }
    const expected = evaluateNaive(defs, AT, naive, { policy: policyFromWorkspace(core.services.workspace()) });
    expect(fleet.statuses.map((s) => s.id)).toEqual(expected.map((s) => s.id));
    for (const [i, s] of fleet.statuses.entries())
      expectSameNumbers(engineFields(s), { ...expected[i], connectionId: expected[i]?.connectionId ?? 'prom-main' }, s.id);
    // Not vacuous: most SLOs have numbers.
    expect(fleet.statuses.filter((s) => s.errorBudgetRemaining !== null).length).toBeGreaterThanOrEqual(12);
  });

  it("counts what VictoriaMetrics' increase() counts: exact sample deltas, the first sample of a new series included", async () => {
    // login's counters start 8 days before AT at 2 requests per second, one sample every 5 minutes. Its 7-day
    // SLO window holds 7 x 288 deltas of 600 (VictoriaMetrics also uses the sample just before the window).
    const login = fleet.statuses.find((s) => s.id === 'login');
    expect(login?.window).toBe('7d');
    expect(login?.events.total).toBeCloseTo(1_209_600, 3);
    // Over 30 days the series starts inside the window: VictoriaMetrics counts its first sample too (8 x 288 + 1
    // samples of 600).
    expect(await vmValue('sum(increase(http_requests_total{service="login"}[30d]))')).toBeCloseTo(1_383_000, 3);
    // nightly stops reporting 40 minutes before AT (a scrape gap): VictoriaMetrics counts the 4 deltas of 300 it
    // has in the last hour; Prometheus 2.42 extrapolates them over the window and answers 1,350.
    expect(await vmValue('sum(increase(http_requests_total{service="nightly"}[1h]))')).toBeCloseTo(1_200, 6);
    // checkout: steady for 31 days, so the 30-day window holds exactly 30 x 86,400 x 2 requests.
    expect(fleet.statuses.find((s) => s.id === 'checkout')?.events.total).toBeCloseTo(5_184_000, 3);
  });

  it('reads the firing alerts vmalert holds through the same URL, tied to their SLO, and ALERTS for the timeline', async () => {
    const live = serviceOn(core, ws.dataDir, () => Date.now());
    const liveFleet = await live.fleet({ refresh: true });
    const liveStatus = liveFleet.statuses.find((s) => s.id === 'live');
    expect(liveStatus?.status).toBe('ok');
    expect(liveStatus?.burnRates['5m']).toBeGreaterThan(100);
    const deadline = Date.now() + 30_000;
    let alerts = await live.alerts();
    while (Date.now() < deadline && !alerts.alerts.some((a) => a.alertname === 'LiveBurn' && a.state === 'firing')) {
      await new Promise((r) => setTimeout(r, 500));
      alerts = await live.alerts();
    }
    expect(alerts.errors).toEqual([]);
    const burn = alerts.alerts.find((a) => a.alertname === 'LiveBurn');
    expect(burn).toMatchObject({ state: 'firing', sloId: 'live', severity: 'critical', runbookUrl: 'https://runbooks.example.com/live' });
    // vmalert writes ALERTS back to VictoriaMetrics (remote write, flushed every few seconds).
    let series: number | null = null;
    while (Date.now() < deadline + 15_000 && series === null) {
      series = await vmValue('count(ALERTS{alertname="LiveBurn",alertstate="firing",slo="live"})', Math.floor(Date.now() / 1000));
      if (series === null) await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(series).toBe(1);
  }, 70_000);
});

describe('query fronts: path prefix, tenant header, partial responses', () => {
  it('reads through a Mimir-like front under /prometheus that needs X-Scope-OrgID, and says so when it is missing', async () => {
    const seen: string[] = [];
    const url = await front((req, p) => {
      seen.push(p);
      if (!p.startsWith('/prometheus/')) return { status: 404, body: '404 page not found' };
      if (req.headers['x-scope-orgid'] !== 'team-shop') return { status: 401, body: 'no org id' };
      return { path: p.slice('/prometheus'.length) };
    });
    const files = {
      'checkout.yaml': ratioSloYaml({ name: 'checkout', service: 'checkout' }),
      'search.yaml': ratioSloYaml({ name: 'search', service: 'search', ref: 'no-tenant' }),
    };
    const w = multiSourceWorkspace({
      connections: [
        { id: 'mimir', name: 'Mimir (shop)', url: `${url}/prometheus`, headers: { 'X-Scope-OrgID': 'team-shop' } },
        { id: 'no-tenant', name: 'Mimir without tenant', url: `${url}/prometheus/` },
      ],
      defaultConnection: 'mimir',
      files,
    });
    workspaces.push(w);
    const c = await coreFor(w.config, w.dataDir);
    const f = await serviceOn(c, w.dataDir).fleet({ refresh: true });
    const checkout = f.statuses.find((s) => s.id === 'checkout');
    expect(checkout).toMatchObject({ status: 'ok', connectionId: 'mimir', stale: false });
    expect(checkout?.errorBudgetRemaining).toBeCloseTo(
      1 -
        ((await vmValue(
          'sum(increase(http_requests_total{service="checkout",code=~"5.."}[30d])) / sum(increase(http_requests_total{service="checkout"}[30d]))',
        )) ?? NaN) /
          0.001,
      9,
    );
    expect(seen.every((p) => p.startsWith('/prometheus/api/v1/'))).toBe(true);
    const search = f.statuses.find((s) => s.id === 'search');
    expect(search?.status).toBe('error');
    expect(search?.error).toContain('no org id');
    expect(f.connections.find((x) => x.id === 'no-tenant')?.ok).toBe(false);
  }, 30_000);

  it('marks numbers degraded when a Thanos-like front answers with warnings, and shows them', async () => {
    const warning = 'No StoreAPIs matched for this query; partial response: store eu-2 is down';
    const url = await front((_req, p) => ({
      path: p,
      // Warnings on the 1-hour window's answers only (Thanos adds them to whatever answer a store missed).
      rewrite: (text, form) => {
        if (!/\[1h\]/.test(form.get('query') ?? '')) return text;
        const body = JSON.parse(text) as Record<string, unknown>;
        return JSON.stringify({ ...body, warnings: [warning] });
      },
    }));
    const w = multiSourceWorkspace({
      connections: [
        { id: 'thanos', name: 'Thanos Query', url },
        { id: 'vm', name: 'VictoriaMetrics', url: vm.url },
      ],
      defaultConnection: 'vm',
      files: {
        'checkout.yaml': ratioSloYaml({ name: 'checkout', service: 'checkout', ref: 'thanos' }),
        'search.yaml': ratioSloYaml({ name: 'search', service: 'search' }),
      },
    });
    workspaces.push(w);
    const c = await coreFor(w.config, w.dataDir);
    const f = await serviceOn(c, w.dataDir).fleet({ refresh: true });
    const checkout = f.statuses.find((s) => s.id === 'checkout');
    const search = f.statuses.find((s) => s.id === 'search');
    expect(checkout?.degraded).toEqual([`1h: ${warning}`]);
    expect(checkout?.status).toBe('ok');
    expect(checkout?.burnRates['1h']).not.toBeNull();
    expect(search?.degraded).toBeUndefined();
    expect(f.connections.find((x) => x.id === 'thanos')).toMatchObject({ ok: true, degraded: true });
    expect(f.connections.find((x) => x.id === 'vm')?.degraded).toBeUndefined();
  }, 30_000);
});
