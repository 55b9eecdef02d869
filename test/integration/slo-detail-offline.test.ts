// An SLO's detail with its Prometheus away, through the core as `toc serve` wires it (offline copies answer):
// refused, the copy comes at once and says the connection was refused — neither after a fleet refresh's
// retries nor as "did not answer within 2.5 s"; hung, the copy comes after the 2.5 s budget and says so.
// Prometheus here is a loopback fixture answering the HTTP API with empty results: what is measured is how the
// console waits, not Prometheus's arithmetic (slo-service.test.ts checks that against a real one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { createCore, type Core } from '../../electron/core/core';
import { json, startFixture, type Fixture } from '../helpers/http-fixture';
import { multiSourceWorkspace, ratioSloYaml, type MultiWorkspace } from '../helpers/multi-source';
import { fakeSecrets } from '../helpers/fake-secrets';
import { coreCalls, type CoreCalls } from '../helpers/core-calls';

let prom: Fixture;
let ws: MultiWorkspace;
let port: number;
const cores: Core[] = [];

async function open(): Promise<CoreCalls> {
  const core = await createCore({
    version: '0.0.0-test',
    transport: 'ws',
    workspaceFile: ws.config,
    dataDir: ws.dataDir,
    secrets: fakeSecrets(),
    validateOutput: true,
    env: { ...process.env, TOC_OFFLINE_SYNC: 'off' },
  });
  cores.push(core);
  return coreCalls(core);
}

/** Something that accepts connections on Prometheus's port and never answers. */
async function hangOn(p: number): Promise<() => Promise<void>> {
  const held: net.Socket[] = [];
  const server = net.createServer((s) => held.push(s));
  await new Promise<void>((r) => server.listen(p, '127.0.0.1', r));
  return async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
}

const timed = async <T>(p: Promise<T>): Promise<{ value: T; ms: number }> => {
  const t0 = Date.now();
  const value = await p;
  return { value, ms: Date.now() - t0 };
};

let id = '';
beforeAll(async () => {
  prom = await startFixture();
  port = prom.port;
  const empty = { status: 'success', data: { resultType: 'vector', result: [] } };
  prom.route('/api/v1/query', (_q, res) => json(res, 200, empty));
  prom.route('/api/v1/query_range', (_q, res) => json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [] } }));
  prom.route('/api/v1/rules', (_q, res) => json(res, 200, { status: 'success', data: { groups: [] } }));
  prom.route('/api/v1/alerts', (_q, res) => json(res, 200, { status: 'success', data: { alerts: [] } }));
  ws = multiSourceWorkspace({
    connections: [{ id: 'prom', name: 'Prometheus EU', url: prom.url }],
    defaultConnection: 'prom',
    files: { 'checkout.yaml': ratioSloYaml({ name: 'checkout', service: 'checkout' }) },
  });
  // A console that read the fleet and the SLO's detail while Prometheus answered: both are in the copy.
  const first = await open();
  const fleet = await first.ok('slo.fleet', {});
  id = fleet.statuses[0]?.id ?? '';
  expect(id).not.toBe('');
  const live = await first.ok('slo.detail', { id, widthPx: 600 });
  expect(live.offline).toBeUndefined();
  await cores[0]?.dispose();
  await prom.close();
});
afterAll(async () => {
  for (const c of cores.slice(1)) await c.dispose();
  ws.cleanup();
});

describe('SLO detail with Prometheus away', () => {
  it('refused: from the copy at once, saying the connection was refused, without waiting for a fleet refresh', async () => {
    // A console started while Prometheus refuses: no fleet yet, so the detail starts the refresh itself.
    const calls = await open();
    const { value, ms } = await timed(calls.ok('slo.detail', { id, widthPx: 600 }));
    expect(value.offline?.reason).toMatch(/Prometheus EU: nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)/);
    expect(value.offline?.reason).not.toMatch(/did not answer/);
    expect(value.status.id).toBe(id);
    // Before: the refresh's refused reads were retried first, and the 2.5 s budget ran out (2.4–2.9 s).
    expect(ms).toBeLessThan(1_000);

    // Opened again (the fleet now knows Prometheus is down): still at once, still refused.
    const again = await timed(calls.ok('slo.detail', { id, widthPx: 600 }));
    expect(again.value.offline?.reason).toMatch(/connection refused/);
    expect(again.ms).toBeLessThan(1_000);
  });

  it('hung: from the copy after the 2.5 s budget, saying it did not answer', async () => {
    const release = await hangOn(port);
    try {
      const calls = await open();
      const { value, ms } = await timed(calls.ok('slo.detail', { id, widthPx: 600 }));
      expect(value.offline?.reason).toMatch(/did not answer within 2\.5 s/);
      expect(ms).toBeGreaterThanOrEqual(2_400);
      expect(ms).toBeLessThan(6_000);
    } finally {
      await release();
    }
  });
});
