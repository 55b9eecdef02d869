import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Registry } from '../../../electron/core/kernel/dispatch/registry';
import type { CallContext } from '../../../electron/core/kernel/dispatch/registry';
import { installOfflineCache } from '../../../electron/core/features/offline/offline-feature';
import type { OfflineFeature } from '../../../electron/core/features/offline/offline-feature';
import { ContractFailure } from '@shared/kernel/result';
import type { SloFleet, SloStatusView } from '@shared/slo/contract';
import type { QueueSnapshot } from '@shared/incidents/model';
import type { JobSummary, LaunchForm, TemplateSummary } from '@shared/jobs/model';
import type { Runbook } from '@shared/runbooks/model';
import { declareFeaturePolicies } from '../../helpers/offline-policies';

const ctx: CallContext = { transport: 'direct', signal: new AbortController().signal };
const down = (): never => {
  throw new ContractFailure('unreachable', 'connect ECONNREFUSED 127.0.0.1:9');
};

let dir: string;
let features: OfflineFeature[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-offline-feature-'));
});
afterEach(async () => {
  for (const f of features) await f.dispose();
  features = [];
  rmSync(dir, { recursive: true, force: true });
});

const services = {
  connections: {
    byKind: (kind: string) =>
      kind === 'servicenow'
        ? [{ id: 'snow', name: 'ServiceNow' }]
        : kind === 'awx'
          ? [{ id: 'awx', name: 'AWX' }]
          : kind === 'prometheus'
            ? [{ id: 'prom', name: 'Prom' }]
            : [],
  },
  workspace: () => ({ slos: { files: [] } }),
};

interface Live {
  up: boolean;
  jobsUp: boolean;
  folderUp: boolean;
  fleetFetched: boolean;
}

const runbook = (id: string): Runbook =>
  ({
    id,
    title: `Runbook ${id}`,
    file: `/rb/${id}.md`,
    services: [],
    alerts: [],
    cis: [],
    tags: [],
    awx: { connection: null, template: 'Restart service' },
    extraVars: {},
    limit: null,
    production: false,
    problems: [],
    body: [],
    modified: '2026-01-01T00:00:00.000Z',
  }) as Runbook;
const status = (id: string, fetchedAt: string | null): SloStatusView =>
  ({ id, name: id, status: fetchedAt ? 'ok' : 'error', fetchedAt, stale: false, alerts: [] }) as unknown as SloStatusView;
const fleet = (fetched: boolean): SloFleet =>
  ({
    statuses: [status('checkout', fetched ? '2026-01-01T10:00:00.000Z' : null)],
    fetchedAt: fetched ? '2026-01-01T10:00:00.000Z' : null,
    stale: !fetched,
    refreshMs: 60_000,
    connections: [
      {
        id: 'prom',
        name: 'Prom',
        ok: fetched,
        fetchedAt: fetched ? '2026-01-01T10:00:00.000Z' : null,
        queryCount: 1,
        ...(fetched ? {} : { error: 'connect ECONNREFUSED' }),
      },
    ],
    warnings: [],
    problems: [],
  }) as unknown as SloFleet;
const template = {
  connectionId: 'awx',
  connectionName: 'AWX',
  id: 7,
  name: 'Restart service',
  canLaunch: true,
  surveyEnabled: true,
} as TemplateSummary;
const form = { template, survey: { name: 'Restart', description: '', questions: [] } } as unknown as LaunchForm;

function setup(live: Live): { registry: Registry; feature: OfflineFeature } {
  const registry = new Registry();
  registry
    .handle('runbooks.list', () =>
      live.folderUp
        ? { runbooks: [runbook('restart-service'), runbook('disk-cleanup')], problems: [], folders: ['/rb'] }
        : { runbooks: [], problems: [{ file: '/rb', message: 'The runbook folder cannot be read (ENOENT).' }], folders: ['/rb'] },
    )
    .handle('runbooks.get', ({ id }) => (live.folderUp ? runbook(id) : down()))
    .handle('jobs.templates', () =>
      live.up
        ? { templates: [template], problems: [] }
        : {
            templates: [],
            problems: [{ connectionId: 'awx', connectionName: 'AWX', code: 'unreachable', message: 'connect ECONNREFUSED' }],
          },
    )
    .handle('jobs.launchForm', () => (live.up ? form : down()))
    .handle('jobs.list', () =>
      live.jobsUp
        ? {
            jobs: [{ connectionId: 'awx', id: 1, status: 'successful' } as JobSummary],
            problems: [],
            fetchedAt: '2026-01-01T10:00:00.000Z',
          }
        : {
            jobs: [],
            problems: [{ connectionId: 'awx', connectionName: 'AWX', code: 'unreachable', message: 'connect ECONNREFUSED' }],
            fetchedAt: new Date().toISOString(),
          },
    )
    .handle('slo.fleet', () => fleet(live.fleetFetched))
    .source('slo.fleet', (_a, emit) => {
      emit(fleet(live.fleetFetched));
      return () => undefined;
    })
    .handle('incidents.list', ({ connectionId }) => {
      if (!live.up) down();
      if (connectionId === 'bad') throw new ContractFailure('bad_request', 'no such connection');
      return {
        connectionId: 'snow',
        connectionName: 'ServiceNow',
        syncedAt: '2026-01-01T10:00:00.000Z',
        error: null,
        stale: false,
        seq: 3,
        rows: [{ number: 'INC0010001' }],
      } as unknown as QueueSnapshot;
    })
    .handle('incidents.changesInFlight', () =>
      live.up ? { connectionId: 'snow', fetchedAt: '2026-01-01T10:00:00.000Z', changes: [] } : down(),
    );
  declareFeaturePolicies(registry);
  const feature = installOfflineCache(registry, services, { dataDir: dir, background: false, minWriteIntervalMs: 0 });
  features.push(feature);
  return { registry, feature };
}

function call<M extends Parameters<Registry['handlerFor']>[0]>(
  registry: Registry,
  method: M,
  args: Parameters<NonNullable<ReturnType<Registry['handlerFor']>>>[0],
): Promise<unknown> {
  const h = registry.handlerFor(method) as ((a: unknown, c: CallContext) => unknown) | undefined;
  if (!h) throw new Error(`no handler ${method}`);
  return Promise.resolve(h(args, ctx));
}

describe('offline cache hooked into the features', () => {
  it('answers the incident queue from the copy when ServiceNow is down, marked stale with why and since when', async () => {
    const live: Live = { up: true, jobsUp: true, folderUp: true, fleetFetched: true };
    const { registry, feature } = setup(live);
    await call(registry, 'incidents.list', {});
    await feature.cache.flush();
    live.up = false;
    const snap = (await call(registry, 'incidents.list', {})) as QueueSnapshot;
    expect(snap).toMatchObject({
      connectionId: 'snow',
      stale: true,
      seq: -1,
      syncedAt: '2026-01-01T10:00:00.000Z',
      rows: [{ number: 'INC0010001' }],
    });
    expect(snap.error?.message).toMatch(/ECONNREFUSED.*offline copy synced/);
    expect((await feature.status()).served).toEqual([
      expect.objectContaining({ method: 'incidents.list', key: 'snow', syncedAt: '2026-01-01T10:00:00.000Z' }),
    ]);
    live.up = true;
    await call(registry, 'incidents.list', {});
    expect((await feature.status()).served).toEqual([]);
  });

  it('the command line keeps copies but never answers from them (a deploy gate must see the outage)', async () => {
    const live: Live = { up: true, jobsUp: true, folderUp: true, fleetFetched: true };
    const registry = setup(live).registry;
    await call(registry, 'slo.fleet', {});
    await call(registry, 'incidents.list', {});
    for (const f of features) await f.cache.flush();
    const cli = new Registry();
    cli.handle('slo.fleet', () => fleet(false)).handle('incidents.list', () => down());
    declareFeaturePolicies(cli);
    features.push(installOfflineCache(cli, services, { dataDir: dir, background: false, serveCopies: false }));
    const f = (await call(cli, 'slo.fleet', {})) as SloFleet;
    expect(f.statuses[0]).toMatchObject({ status: 'error', fetchedAt: null });
    await expect(call(cli, 'incidents.list', {})).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('never answers a wrong question from the copy', async () => {
    const { registry, feature } = setup({ up: true, jobsUp: true, folderUp: true, fleetFetched: true });
    await call(registry, 'incidents.list', {});
    await feature.cache.flush();
    await expect(call(registry, 'incidents.list', { connectionId: 'bad' })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('a console started with no network shows the last SLO fleet, every status stale with its reason', async () => {
    const first = setup({ up: true, jobsUp: true, folderUp: true, fleetFetched: true });
    await call(first.registry, 'slo.fleet', {});
    await first.feature.cache.flush();
    // A new process on the same data folder, Prometheus unreachable from the start.
    const second = setup({ up: false, jobsUp: false, folderUp: true, fleetFetched: false });
    const f = (await call(second.registry, 'slo.fleet', {})) as SloFleet;
    expect(f.stale).toBe(true);
    expect(f.fetchedAt).toBe('2026-01-01T10:00:00.000Z');
    expect(f.statuses[0]).toMatchObject({ id: 'checkout', status: 'ok', stale: true, fetchedAt: '2026-01-01T10:00:00.000Z' });
    expect(f.statuses[0]?.staleReason).toMatch(/offline copy synced .* ECONNREFUSED/);
    // The live topic is patched the same way.
    const batches: SloFleet[] = [];
    const stop = second.registry.sourceFor('slo.fleet')?.({}, (p) => batches.push(p));
    stop?.();
    expect(batches.map((b) => [b.stale, b.statuses[0]?.stale, b.statuses[0]?.status])).toEqual([[true, true, 'ok']]);
  });

  it('shows launch forms offline with launching off and the reason, found by template or by runbook', async () => {
    const live: Live = { up: true, jobsUp: true, folderUp: true, fleetFetched: true };
    const { registry, feature } = setup(live);
    await call(registry, 'runbooks.get', { id: 'restart-service' });
    await call(registry, 'jobs.templates', {});
    await call(registry, 'jobs.launchForm', { connectionId: 'awx', templateId: 7 });
    await feature.cache.flush();
    live.up = false;
    const byRunbook = (await call(registry, 'jobs.launchForm', {
      runbookId: 'restart-service',
      templateName: 'Restart service',
    })) as LaunchForm;
    expect(byRunbook.template.canLaunch).toBe(false);
    expect(byRunbook.offline).toEqual({ syncedAt: expect.any(String) as string, reason: 'connect ECONNREFUSED 127.0.0.1:9' });
    expect(byRunbook.survey?.name).toBe('Restart');
    const templates = (await call(registry, 'jobs.templates', {})) as { templates: TemplateSummary[]; problems: { message: string }[] };
    expect(templates.templates.map((t) => [t.name, t.canLaunch])).toEqual([['Restart service', false]]);
    expect(templates.problems[0]?.message).toMatch(/showing its templates as synced/);
    await expect(call(registry, 'jobs.launchForm', { connectionId: 'awx', templateId: 99 })).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('answers the runbook list from the copy when the folders cannot be read, and says so', async () => {
    const live: Live = { up: true, jobsUp: true, folderUp: true, fleetFetched: true };
    const { registry, feature } = setup(live);
    await call(registry, 'runbooks.list', {});
    await feature.cache.flush();
    live.folderUp = false;
    const list = (await call(registry, 'runbooks.list', { query: 'disk' })) as {
      runbooks: { id: string }[];
      problems: { message: string }[];
    };
    expect(list.runbooks.map((r) => r.id)).toEqual(['disk-cleanup']);
    expect(list.problems.map((p) => p.message).join(' ')).toMatch(/cannot be read; these are the runbooks synced/);
  });

  it('a sync that fails halfway keeps every entry it could not refresh, and prunes nothing', async () => {
    const live: Live = { up: true, jobsUp: true, folderUp: true, fleetFetched: true };
    const { feature } = setup(live);
    const first = await feature.sync();
    expect(first.errors).toEqual([]);
    const before = await feature.cache.entries();
    expect(before.map((e) => e.kind).sort()).toEqual(
      expect.arrayContaining(['changes', 'incidents', 'jobs', 'launchForm', 'runbook', 'runbooks', 'sloFleet', 'templates']),
    );
    live.up = false;
    live.jobsUp = false;
    live.folderUp = false;
    const second = await feature.sync();
    expect(second.errors.length).toBeGreaterThan(0);
    const after = await feature.cache.entries();
    expect(after.map((e) => `${e.kind}:${e.key}`).sort()).toEqual(before.map((e) => `${e.kind}:${e.key}`).sort());
    const jobs = await feature.cache.get<{ jobs: JobSummary[] }>('jobs', 'awx');
    expect(jobs?.data.jobs).toHaveLength(1);
  });
});
