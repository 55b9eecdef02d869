// A detail read whose system refuses the connection answers from the offline copy at once, saying it was
// refused (not that it "did not answer within 2.5 s"); a system that hangs still gets the 2.5 s budget and is
// said to have hung. Against the ServiceNow and AWX simulators through the core as `toc serve` wires it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { startServiceNowSim } from '../sim/servicenow';
import type { SnowSim } from '../sim/servicenow';
import { snowHarness } from '../helpers/incidents';
import type { SnowHarness } from '../helpers/incidents';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import { addHistoricJob, startAwxSim, TEMPLATE_IDS } from '../sim/awx';
import { fakeSecrets } from '../helpers/fake-secrets';
import { coreCalls } from '../helpers/core-calls';

let sim: SnowSim;
let h: SnowHarness;
beforeAll(async () => {
  sim = await startServiceNowSim({ incidents: 20, seed: 7 });
  h = await snowHarness(sim, { transport: 'ws' });
});
afterAll(async () => {
  await h.close();
  await sim.stop().catch(() => undefined);
});

describe('incident detail with ServiceNow away', () => {
  it('answers from the copy at once when ServiceNow refuses, and says it refused', async () => {
    const [a] = sim
      .table('incident')
      .all()
      .filter((i) => i.active === 'true');
    if (!a?.sys_id) throw new Error('no open incident');
    const live = await h.ok('incidents.get', { sysId: a.sys_id });
    expect(live.offline).toBeUndefined();
    await sim.stop();
    // As when a proxy starts refusing: the console's idle keep-alive sockets are gone before the next click (read
    // at once, the first request would meet a socket cut mid-request, which is retried, not a refusal).
    await new Promise((r) => setTimeout(r, 200));

    const t0 = Date.now();
    const r = await h.ok('incidents.get', { sysId: a.sys_id });
    const ms = Date.now() - t0;
    expect(r.number).toBe(a.number);
    expect(r.offline?.reason).toMatch(/connection refused/);
    expect(r.offline?.reason).not.toMatch(/did not answer within/);
    // Before, the HTTP client's two retries (about 0.9 s of back-off) came first: 1.2–1.4 s in all.
    expect(ms).toBeLessThan(700);
  });

  it('still waits out the budget for a ServiceNow that hangs, and says it did not answer', async () => {
    // A listener that accepts and never answers, on the port the simulator left.
    const port = Number(new URL(sim.url).port);
    const held: net.Socket[] = [];
    const hang = net.createServer((s) => held.push(s));
    await new Promise<void>((r) => hang.listen(port, '127.0.0.1', r));
    try {
      const [a] = sim
        .table('incident')
        .all()
        .filter((i) => i.active === 'true');
      if (!a?.sys_id) throw new Error('no open incident');
      const t0 = Date.now();
      const r = await h.ok('incidents.get', { sysId: a.sys_id });
      const ms = Date.now() - t0;
      expect(r.offline?.reason).toMatch(/did not answer within 2\.5 s/);
      expect(ms).toBeGreaterThanOrEqual(2_400);
      expect(ms).toBeLessThan(6_000);
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((r) => hang.close(() => r()));
    }
  });
});

describe('job detail with AWX away', () => {
  it('answers from the copy at once when AWX refuses, and says it refused', async () => {
    const awx = await startAwxSim({ seed: 3 });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-offline-refused-'));
    const file = path.join(dir, 'toc.yaml');
    writeFileSync(
      file,
      [
        'name: Offline job detail',
        'connections:',
        '  - id: awx',
        '    kind: awx',
        '    name: AWX sim',
        `    url: ${awx.url}`,
        `    apiBasePath: ${awx.apiBase}`,
        '    auth: {type: bearer, token: {secret: {keychain: "awx:token"}}}',
        '',
      ].join('\n'),
    );
    const core = await createCore({
      version: '0.0.0-test',
      transport: 'ws',
      workspaceFile: file,
      dataDir: path.join(dir, 'data'),
      secrets: fakeSecrets({ 'awx:token': awx.token }),
      validateOutput: true,
      env: { ...process.env, TOC_OFFLINE_SYNC: 'off' },
    });
    try {
      const templateId = Object.values(TEMPLATE_IDS)[0] as number;
      const job = addHistoricJob(awx.state, { templateId, created: Date.now() - 3_600_000, elapsedSeconds: 42, status: 'failed' });
      const calls = coreCalls(core);
      const live = await calls.ok('jobs.get', { connectionId: 'awx', jobId: job.id });
      expect(live.status).toBe('failed');
      await awx.stop();
      await new Promise((r) => setTimeout(r, 200));

      const t0 = Date.now();
      const r = await calls.ok('jobs.get', { connectionId: 'awx', jobId: job.id });
      const ms = Date.now() - t0;
      expect(r.status).toBe('failed');
      expect(r.offline?.reason).toMatch(/connection refused/);
      expect(r.offline?.reason).not.toMatch(/did not answer within/);
      // Before: 0.8-1.2 s, the HTTP client's retries of the refused read first.
      expect(ms).toBeLessThan(700);
    } finally {
      await core.dispose();
      await awx.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
