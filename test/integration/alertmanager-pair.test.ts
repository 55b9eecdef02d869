// A clustered Alertmanager pair (Debian 0.25, `--cluster.peer` on loopback) as ONE connection with two URLs:
// Prometheus sends every alert to both members, the console shows each alert once, a silence made through it is
// created once and gossiped to the other member, and either member may be killed (SIGKILL, no goodbye to the
// cluster) while alerts and silences keep working through the other.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { startAlertmanagerPair, type AlertmanagerHandle, type PostableAlert } from '../helpers/alertmanager';
import { coreCalls, type CoreCalls } from '../helpers/core-calls';
import { fakeSecrets } from '../helpers/fake-secrets';

const ALERTS: PostableAlert[] = [
  { labels: { alertname: 'HighCPU', service: 'web', instance: 'web-1', severity: 'critical' }, annotations: { summary: 'CPU above 95%' } },
  { labels: { alertname: 'HighCPU', service: 'web', instance: 'web-2', severity: 'warning' } },
  { labels: { alertname: 'Latency', service: 'api', instance: 'api-1', severity: 'warning' } },
];

interface SilenceJson {
  id: string;
  status: { state: string };
  comment: string;
}

let a: AlertmanagerHandle;
let b: AlertmanagerHandle;
let core: Core;
let calls: CoreCalls;
let dir: string;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const inHours = (h: number): string => new Date(Date.now() + h * 3_600_000).toISOString();

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function alertsShown(): Promise<string[]> {
  const g = await calls.ok('alerts.groups', { connectionId: 'am' });
  return g.groups.flatMap((x) => x.alerts.map((al) => `${al.labels['alertname']}/${al.labels['instance']}`)).sort();
}

beforeAll(async () => {
  [a, b] = await startAlertmanagerPair();
  // Both members see each other before the test starts.
  await waitFor('the cluster to form', async () => {
    const st = await a.get<{ cluster: { status: string; peers: unknown[] } }>('/api/v2/status');
    return st.cluster.status === 'ready' && st.cluster.peers.length === 2 ? true : undefined;
  });
  // As Prometheus does with `alertmanagers: [a, b]`: every alert to every member.
  await Promise.all([a.postAlerts(ALERTS), b.postAlerts(ALERTS)]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-am-pair-'));
  const file = path.join(dir, 'toc.yaml');
  writeFileSync(
    file,
    [
      'name: Alertmanager pair',
      'connections:',
      '  - id: am',
      '    kind: alertmanager',
      '    name: Alertmanager (pair)',
      `    url: ${a.url}`,
      `    peerUrls: [${b.url}]`,
      '    auth: {type: none}',
      '    timeoutMs: 5000',
      '',
    ].join('\n'),
  );
  core = await createCore({
    version: '0.0.0-test',
    transport: 'direct',
    workspaceFile: file,
    dataDir: path.join(dir, 'data'),
    secrets: fakeSecrets(),
    validateOutput: true,
  });
  expect(core.services.workspaceProblems()).toEqual([]);
  calls = coreCalls(core);
}, 60_000);

afterAll(async () => {
  await core?.dispose();
  await Promise.all([a?.stop(), b?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('an Alertmanager pair as one connection', () => {
  it('refuses peerUrls on any other kind of connection', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'name: x\nconnections:\n  - {id: p, kind: prometheus, name: P, url: "http://127.0.0.1:1", peerUrls: ["http://127.0.0.1:2"], auth: {type: none}}\n',
    );
    const c = await createCore({
      version: '0.0.0-test',
      transport: 'direct',
      workspaceFile: bad,
      dataDir: path.join(dir, 'data-bad'),
      secrets: fakeSecrets(),
    });
    try {
      expect(
        c.services
          .workspaceProblems()
          .map((p) => p.message)
          .join('\n'),
      ).toContain('peerUrls applies to alertmanager connections only');
    } finally {
      await c.dispose();
    }
  });

  it('shows each alert once although both members hold it', async () => {
    expect(await alertsShown()).toEqual(['HighCPU/web-1', 'HighCPU/web-2', 'Latency/api-1']);
    expect((await a.get<unknown[]>('/api/v2/alerts')).length).toBe(3);
    expect((await b.get<unknown[]>('/api/v2/alerts')).length).toBe(3);
  });

  it('creates a silence once; the cluster gossips it to the other member under the same id', async () => {
    const created = await calls.ok('alerts.createSilence', {
      connectionId: 'am',
      matchers: [{ name: 'instance', value: 'web-2', isRegex: false, isEqual: true }],
      endsAt: inHours(1),
      createdBy: 'alice',
      comment: 'pair test: web-2 maintenance',
    });
    const id = created.silence.id;
    const onA = await waitFor('the silence on a', async () => (await a.get<SilenceJson[]>('/api/v2/silences')).find((s) => s.id === id));
    const onB = await waitFor('the silence on b', async () => (await b.get<SilenceJson[]>('/api/v2/silences')).find((s) => s.id === id));
    expect(onA.comment).toBe('pair test: web-2 maintenance');
    expect(onB.comment).toBe('pair test: web-2 maintenance');
    // Exactly one silence in the whole cluster, listed once by the console.
    expect((await a.get<SilenceJson[]>('/api/v2/silences')).filter((s) => s.comment.startsWith('pair test'))).toHaveLength(1);
    expect((await b.get<SilenceJson[]>('/api/v2/silences')).filter((s) => s.comment.startsWith('pair test'))).toHaveLength(1);
    const list = await calls.ok('alerts.silences', { connectionId: 'am' });
    expect(list.active.filter((s) => s.id === id)).toHaveLength(1);
  });

  it('keeps working through the other member when one is killed: alerts, silences, a new silence, expiring one', async () => {
    const before = await calls.ok('alerts.silences', { connectionId: 'am' });
    const existing = before.active.find((s) => s.comment === 'pair test: web-2 maintenance');
    expect(existing).toBeDefined();
    // Kill the member requests go to first; no graceful leave.
    process.kill(a.pid, 'SIGKILL');
    await waitFor('a to die', async () => {
      try {
        await fetch(`${a.url}/-/ready`, { signal: AbortSignal.timeout(500) });
        return undefined;
      } catch {
        return true;
      }
    });
    expect(await alertsShown()).toEqual(['HighCPU/web-1', 'HighCPU/web-2', 'Latency/api-1']);
    const after = await calls.ok('alerts.silences', { connectionId: 'am' });
    expect(after.active.map((s) => s.id)).toContain(existing?.id);

    const created = await calls.ok('alerts.createSilence', {
      connectionId: 'am',
      matchers: [{ name: 'instance', value: 'api-1', isRegex: false, isEqual: true }],
      endsAt: inHours(1),
      createdBy: 'bob',
      comment: 'pair test: made while a is down',
    });
    const onB = await b.get<SilenceJson[]>('/api/v2/silences');
    expect(onB.filter((s) => s.comment === 'pair test: made while a is down').map((s) => s.id)).toEqual([created.silence.id]);

    const expired = await calls.ok('alerts.expireSilence', { connectionId: 'am', id: created.silence.id });
    expect(expired.wasAlreadyExpired).toBe(false);
    const state = (await b.get<SilenceJson[]>('/api/v2/silences')).find((s) => s.id === created.silence.id)?.status.state;
    expect(state).toBe('expired');
  }, 60_000);

  it('says which members failed when neither answers', async () => {
    await b.stop();
    const e = await calls.err('alerts.groups', { connectionId: 'am' });
    expect(e.message).toContain('no member of the cluster answered');
    expect(e.message).toContain(a.url);
    expect(e.message).toContain(b.url);
  }, 30_000);
});
