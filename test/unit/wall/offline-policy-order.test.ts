import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Registry } from '../../../electron/core/kernel/dispatch/registry';
import type { CallContext } from '../../../electron/core/kernel/dispatch/registry';
import type { CoreServices } from '../../../electron/core/kernel/services';
import { installOfflineCache } from '../../../electron/core/features/offline/offline-feature';
import type { OfflineFeature } from '../../../electron/core/features/offline/offline-feature';
import { registerRunbooksFeature } from '../../../electron/core/features/runbooks/runbooks-feature';
import { incidentQueueOffline } from '../../../electron/core/features/incidents/incidents-offline';
import type { QueueSnapshot } from '@shared/incidents/model';
import { ContractFailure } from '@shared/kernel/result';

// The offline copy runs the policies the features declare with their reads, whether the offline feature is
// installed before the features, after them, or between a handler and its policy: the answers are the same.

const ctx: CallContext = { transport: 'direct', signal: new AbortController().signal };
let dir: string;
let features: OfflineFeature[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-offline-order-'));
});
afterEach(async () => {
  for (const f of features) await f.dispose();
  features = [];
  rmSync(dir, { recursive: true, force: true });
});

const ORDERS = ['offline first', 'offline last', 'policy declared after the offline feature'] as const;
type Order = (typeof ORDERS)[number];

interface World {
  snowUp: boolean;
  folder: string;
}

const snapshot = (): QueueSnapshot =>
  ({
    connectionId: 'snow',
    connectionName: 'ServiceNow',
    syncedAt: '2026-01-01T10:00:00.000Z',
    error: null,
    stale: false,
    seq: 3,
    rows: [],
  }) as unknown as QueueSnapshot;

/** The runbooks feature as core.ts registers it, and the incident queue with its feature's policy, in `order`. */
function build(order: Order, w: World, dataDir: string): { registry: Registry; feature: OfflineFeature } {
  const registry = new Registry();
  const services = {
    workspace: () => ({ runbookFolders: [w.folder] }),
    connections: { byKind: (kind: string) => (kind === 'servicenow' ? [{ id: 'snow', name: 'ServiceNow' }] : []) },
  };
  const install = (): OfflineFeature => {
    const f = installOfflineCache(registry, services, { dataDir, background: false, minWriteIntervalMs: 0 });
    features.push(f);
    return f;
  };
  const queue = (): QueueSnapshot => {
    if (!w.snowUp) throw new ContractFailure('unreachable', 'connect ECONNREFUSED 127.0.0.1:9');
    return snapshot();
  };
  let feature: OfflineFeature | undefined;
  if (order === 'offline first') feature = install();
  registerRunbooksFeature(registry, services as unknown as CoreServices, { getIncident: registry.port('incidents.get', 'none') });
  if (order === 'policy declared after the offline feature') {
    registry.handle('incidents.list', queue);
    feature = install();
    registry.offline('incidents.list', incidentQueueOffline);
  } else registry.handle('incidents.list', queue, { offline: incidentQueueOffline });
  feature ??= install();
  return { registry, feature };
}

async function call(registry: Registry, method: 'runbooks.list' | 'incidents.list'): Promise<unknown> {
  const h = registry.handlerFor(method) as ((a: object, c: CallContext) => unknown) | undefined;
  if (!h) throw new Error(`no handler ${method}`);
  return await h({}, ctx);
}

describe('offline policies apply whatever the order of registration', () => {
  it('reads registered before or after the offline feature keep and serve their copies alike', async () => {
    const seen: Record<string, unknown> = {};
    for (const order of ORDERS) {
      const w: World = { snowUp: true, folder: path.join(dir, order.replace(/\W+/g, '-'), 'runbooks') };
      mkdirSync(w.folder, { recursive: true });
      writeFileSync(path.join(w.folder, 'restart.md'), '---\ntitle: Restart the service\n---\n\n# Restart\n');
      const { registry, feature } = build(order, w, path.join(path.dirname(w.folder), 'data'));

      // The background sync runs the steps the features declared (the runbooks feature's here).
      const report = await feature.sync();
      expect(report.errors, order).toEqual([]);
      expect((await feature.cache.entries()).map((e) => e.kind).sort(), order).toEqual(['runbook', 'runbooks']);
      await call(registry, 'incidents.list');
      await feature.cache.flush();

      w.snowUp = false;
      rmSync(w.folder, { recursive: true, force: true });
      const q = (await call(registry, 'incidents.list')) as QueueSnapshot;
      // A port resolved at call time (what core.ts hands to other features) gets the copy too.
      const viaPort = (await registry.port('incidents.list', 'none')({}, ctx)) as QueueSnapshot;
      const list = (await call(registry, 'runbooks.list')) as { runbooks: { title: string }[]; problems: { message: string }[] };
      expect(q.stale, order).toBe(true);
      expect(q.error?.message, order).toMatch(/^connect ECONNREFUSED 127\.0\.0\.1:9 — showing the offline copy synced/);
      expect(viaPort.stale, order).toBe(true);
      expect(
        list.runbooks.map((r) => r.title),
        order,
      ).toEqual(['Restart the service']);
      expect(list.problems.at(-1)?.message, order).toMatch(/cannot be read; these are the runbooks synced/);
      const served = (await feature.status()).served.map((s) => `${s.method} ${s.key}`).sort();
      expect(served, order).toEqual(['incidents.list snow', 'runbooks.list ']);
      // Everything but the folder's own path (one per order) is the same.
      seen[order] = { queue: { ...q, attemptedAt: '', error: null }, runbooks: list.runbooks.map((r) => ({ ...r, file: '' })), served };
    }
    expect(seen['offline last']).toEqual(seen['offline first']);
    expect(seen['policy declared after the offline feature']).toEqual(seen['offline first']);
  });

  it('a policy declared twice, or a second offline feature, is refused rather than wrapping twice', () => {
    const registry = new Registry();
    registry.offline('incidents.list', incidentQueueOffline);
    expect(() => registry.offline('incidents.list', incidentQueueOffline)).toThrow(/declared twice/);
    features.push(installOfflineCache(registry, { connections: { byKind: () => [] } }, { dataDir: dir, background: false }));
    expect(() => installOfflineCache(registry, { connections: { byKind: () => [] } }, { dataDir: dir, background: false })).toThrow(
      /already installed/,
    );
  });
});
