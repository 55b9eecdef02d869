// One SLO fleet over two real Prometheus servers: each SLO file names its source (or takes slos.connection),
// both are asked at once, each status says which connection answered and when, and one server that hangs
// (SIGSTOP: it accepts connections and never answers) or is gone never blanks the other's SLOs.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SloFleet, SloStatusView } from '@shared/slo/contract';
import { readVectorResponse } from '@shared/slo';
import { createCore, type Core } from '../../electron/core/core';
import { SloService } from '../../electron/core/features/slo/slo-service';
import { instantQuery, startPrometheusWithDataset, type PrometheusHandle } from '../helpers/prometheus';
import { multiSourceWorkspace, ratioSloYaml, trafficDataset, type MultiWorkspace } from '../helpers/multi-source';
import { fakeSecrets } from '../helpers/fake-secrets';
import { STANDARD_END } from '../helpers/slo-scenarios';

const END = STANDARD_END;
const DEADLINE_MS = 1_500;
let promA: PrometheusHandle;
let promB: PrometheusHandle;
let ws: MultiWorkspace;
let core: Core;
const clock = { ms: END * 1000 };
const services: SloService[] = [];

function newService(answerDeadlineMs = DEADLINE_MS): SloService {
  const s = new SloService({
    workspace: () => core.services.workspace(),
    connections: core.services.connections,
    dataDir: ws.dataDir,
    now: () => clock.ms,
    rulesTtlMs: 0,
    answerDeadlineMs,
  });
  services.push(s);
  return s;
}

const one = (f: SloFleet, id: string): SloStatusView => {
  const s = f.statuses.find((x) => x.id === id);
  if (!s) throw new Error(`no status ${id} in ${f.statuses.map((x) => x.id).join(', ')}`);
  return s;
};

async function ratioOn(url: string, service: string, window: string): Promise<number | null> {
  const q = `sum(increase(http_requests_total{service="${service}",code=~"5.."}[${window}])) / sum(increase(http_requests_total{service="${service}"}[${window}]))`;
  const r = readVectorResponse(await instantQuery(url, q, END));
  if (!r.ok) throw new Error(r.error);
  return r.samples[0]?.value ?? null;
}

/**
 * The fleet once every connection has answered. On a loaded machine the first refresh can pass the short
 * deadline these tests use; the late answers are then published and the next refresh has them.
 */
async function settled(s: SloService): Promise<SloFleet> {
  const end = Date.now() + 90_000;
  for (;;) {
    const f = await s.fleet({ refresh: true });
    if (f.connections.every((c) => c.ok && !c.pending) || Date.now() > end) return f;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits until a published fleet satisfies `pred`. */
async function published(seen: SloFleet[], pred: (f: SloFleet) => boolean, ms = 30_000): Promise<SloFleet | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const hit = seen.find(pred);
    if (hit || Date.now() > end) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  [promA, promB] = await Promise.all([
    startPrometheusWithDataset(
      trafficDataset(
        [
          { service: 'checkout', errorRatio: 0.0004 },
          { service: 'search', errorRatio: 0.0005 },
        ],
        END,
      ),
    ),
    startPrometheusWithDataset(trafficDataset([{ service: 'payments', errorRatio: 0.002 }], END)),
  ]);
  ws = multiSourceWorkspace({
    connections: [
      { id: 'prom-eu', name: 'Prometheus EU', url: promA.url },
      { id: 'prom-us', name: 'Prometheus US', url: promB.url, timeoutMs: 20_000 },
    ],
    defaultConnection: 'prom-eu',
    files: {
      'checkout.yaml': ratioSloYaml({ name: 'checkout', service: 'checkout' }),
      'search.yaml': ratioSloYaml({ name: 'search', service: 'search', ref: 'prom-eu' }),
      'payments.yaml': ratioSloYaml({ name: 'payments', service: 'payments', ref: 'prom-us' }),
    },
  });
  core = await createCore({
    version: '0.0.0-test',
    transport: 'direct',
    workspaceFile: ws.config,
    dataDir: ws.dataDir,
    secrets: fakeSecrets(),
    validateOutput: true,
  });
  expect(core.services.workspaceProblems()).toEqual([]);
}, 240_000);

afterAll(async () => {
  for (const s of services) s.dispose();
  await core?.dispose();
  await Promise.all([promA?.stop(), promB?.stop()]);
  ws?.cleanup();
});

describe('one fleet over two Prometheus servers', () => {
  let service: SloService;
  let fleet: SloFleet;

  beforeAll(async () => {
    service = newService();
    fleet = await settled(service);
  }, 120_000);

  it('sends each SLO to the connection its file names (or the default) and says which one answered', async () => {
    expect(fleet.problems).toEqual([]);
    expect(fleet.statuses.map((s) => [s.id, s.connectionId, s.status])).toEqual([
      ['checkout', 'prom-eu', 'ok'],
      ['payments', 'prom-us', 'ok'],
      ['search', 'prom-eu', 'ok'],
    ]);
    for (const s of fleet.statuses) {
      expect(s.stale).toBe(false);
      expect(s.fetchedAt).toBe(new Date(END * 1000).toISOString());
    }
    // Each server's own arithmetic for its own services; and the other server has none of them.
    expect(one(fleet, 'checkout').sli).toBeCloseTo(1 - ((await ratioOn(promA.url, 'checkout', '30d')) ?? NaN), 12);
    expect(one(fleet, 'search').sli).toBeCloseTo(1 - ((await ratioOn(promA.url, 'search', '30d')) ?? NaN), 12);
    expect(one(fleet, 'payments').sli).toBeCloseTo(1 - ((await ratioOn(promB.url, 'payments', '30d')) ?? NaN), 12);
    expect(one(fleet, 'payments').burnRates['1h']).toBeCloseTo(((await ratioOn(promB.url, 'payments', '1h')) ?? NaN) / 0.001, 9);
    expect(await ratioOn(promA.url, 'payments', '30d')).toBeNull();
    expect(await ratioOn(promB.url, 'checkout', '30d')).toBeNull();
  });

  it('plans the queries per connection: at most 10 each, both connections named with their age', () => {
    expect(fleet.connections.map((c) => [c.id, c.name, c.ok, c.pending ?? false])).toEqual([
      ['prom-eu', 'Prometheus EU', true, false],
      ['prom-us', 'Prometheus US', true, false],
    ]);
    for (const c of fleet.connections) {
      expect(c.queryCount).toBeGreaterThan(0);
      expect(c.queryCount).toBeLessThanOrEqual(10);
      expect(c.fetchedAt).toBe(new Date(END * 1000).toISOString());
    }
    expect(fleet.queryCount).toBe(fleet.connections.reduce((a, c) => a + c.queryCount, 0));
  });

  it('publishes the answering server at the deadline while the other hangs, and the late answer when it comes', async () => {
    const usBefore = one(fleet, 'payments');
    clock.ms = (END + 60) * 1000;
    process.kill(promB.pid, 'SIGSTOP');
    const seen: SloFleet[] = [];
    const unsubscribe = service.subscribe((f) => seen.push(f));
    try {
      const t0 = Date.now();
      const during = await service.fleet({ refresh: true });
      const took = Date.now() - t0;
      // Published at the deadline (once for the rule discovery, once for the queries), not after the hung
      // server's 20 s timeout.
      expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(took).toBeLessThan(15_000);
      const us = one(during, 'payments');
      expect(us.stale).toBe(true);
      expect(us.staleReason).toMatch(/^Prometheus US has not answered yet \(asked \d+ s ago\)$/);
      // The last good numbers, still shown, with their own (older) age.
      expect(us.errorBudgetRemaining).toBe(usBefore.errorBudgetRemaining);
      expect(us.fetchedAt).toBe(usBefore.fetchedAt);
      expect(during.connections.find((c) => c.id === 'prom-us')).toMatchObject({ ok: false, pending: true });
      expect(during.warnings.map((w) => w.message)).toContainEqual(expect.stringContaining('Prometheus US has not answered yet'));
      // The other server's new numbers are published while this one still hangs (at once, or as soon as
      // they arrive on a loaded machine).
      const euFresh = await published([during, ...seen], (f) => {
        const eu = f.statuses.find((x) => x.id === 'checkout');
        const p = f.statuses.find((x) => x.id === 'payments');
        return f.evaluatedAt === END + 60 && eu?.stale === false && p?.stale === true;
      });
      expect(euFresh, 'prom-eu published fresh while prom-us hangs').toBeDefined();
      expect(one(euFresh!, 'checkout').fetchedAt).toBe(new Date((END + 60) * 1000).toISOString());
      expect(euFresh!.connections.find((c) => c.id === 'prom-eu')).toMatchObject({ ok: true });

      // A second refresh while the server still hangs does not queue a second batch on it.
      const sentBefore = service.pool.get('prom-us').stats().requests;
      const t1 = Date.now();
      const again = await service.fleet({ refresh: true });
      // Neither the rule discovery nor the queries still waiting on it are waited for twice.
      expect(Date.now() - t1).toBeLessThan(15_000);
      expect(one(again, 'payments').stale).toBe(true);
      expect(service.pool.get('prom-us').stats().requests).toBe(sentBefore);

      process.kill(promB.pid, 'SIGCONT');
      const deadline = Date.now() + 15_000;
      let late: SloFleet | undefined;
      while (Date.now() < deadline && !late) {
        late = seen.find((f) => f.evaluatedAt === END + 60 && f.connections.every((c) => c.ok) && !one(f, 'payments').stale);
        if (!late) await new Promise((r) => setTimeout(r, 100));
      }
      expect(late, 'the late answer was published to subscribers').toBeDefined();
      expect(one(late!, 'payments').fetchedAt).toBe(new Date((END + 60) * 1000).toISOString());
      expect(one(late!, 'payments').status).toBe('ok');
      expect(one(late!, 'checkout').stale).toBe(false);
    } finally {
      unsubscribe();
      try {
        process.kill(promB.pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
  }, 90_000);
});

describe('a server that is gone', () => {
  it('keeps the other connection fresh; SLOs that never had numbers say which connection failed', async () => {
    // A service that has never read prom-us: no last numbers to fall back on.
    // Refused connections are retried (about a second): a deadline long enough for the refusal to arrive.
    const fresh = newService(60_000);
    const saved = newService(60_000);
    await settled(saved);
    await promB.stop();
    clock.ms = (END + 120) * 1000;

    const f = await fresh.fleet({ refresh: true });
    expect(one(f, 'checkout')).toMatchObject({ status: 'ok', stale: false, connectionId: 'prom-eu' });
    expect(one(f, 'search')).toMatchObject({ status: 'ok', stale: false });
    const p = one(f, 'payments');
    expect(p.status).toBe('error');
    expect(p.connectionId).toBe('prom-us');
    expect(p.errorBudgetRemaining).toBeNull();
    expect(p.error).toMatch(/refused|ECONNREFUSED|could not|failed/i);
    expect(f.connections.find((c) => c.id === 'prom-us')).toMatchObject({ ok: false });
    // The system is named once, in its own words ("Prometheus US: nothing is listening at … (connection refused)").
    expect(f.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^Prometheus US: .*(refused|could not be reached)/));
    expect(f.stale).toBe(true);

    const g = await saved.fleet({ refresh: true });
    expect(one(g, 'checkout').stale).toBe(false);
    const kept = one(g, 'payments');
    expect(kept.stale).toBe(true);
    expect(kept.status).toBe('ok');
    expect(kept.errorBudgetRemaining).not.toBeNull();
    expect(kept.staleReason).toMatch(/refused|ECONNREFUSED|could not|failed/i);
  }, 150_000);
});
