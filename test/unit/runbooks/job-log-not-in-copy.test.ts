// A finished job whose log was never read while AWX answered, opened while AWX is away: the offline copy has the
// job (from the job list) but not its log. What the core streams must say so at once — the job's last known
// status, the copy's age, why AWX is not used, and that the log loads when AWX answers — never leave the viewer
// "waiting for output" that cannot come; and when AWX answers again the live log follows on the same stream.
// The real job follower runs against an AWX client that refuses, hangs, or answers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobDetail, JobStreamItem, JobSummary } from '@shared/jobs/model';
import { ContractFailure } from '@shared/kernel/result';
import { Registry } from '../../../electron/core/kernel/dispatch/registry';
import type { CallContext } from '../../../electron/core/kernel/dispatch/registry';
import { installOfflineCache } from '../../../electron/core/features/offline/offline-feature';
import type { OfflineFeature } from '../../../electron/core/features/offline/offline-feature';
import { JobFollower } from '../../../electron/core/features/jobs/job-follower';
import type { AwxClient, AwxEvent } from '../../../electron/core/systems/awx/awx-client';
import { declareFeaturePolicies } from '../../helpers/offline-policies';

type Mode = 'up' | 'refused' | 'hung';
const BUDGET = 300;
const REFUSED = 'Demo AWX: nothing is listening at 127.0.0.1:9 (connection refused).';
const ctx: CallContext = { transport: 'direct', signal: new AbortController().signal };

let dir: string;
let features: OfflineFeature[] = [];
const stops: (() => void)[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-job-log-missing-'));
});
afterEach(async () => {
  for (const s of stops.splice(0)) s();
  for (const f of features) await f.dispose();
  features = [];
  rmSync(dir, { recursive: true, force: true });
});

const row: JobSummary = {
  connectionId: 'awx',
  connectionName: 'Demo AWX',
  id: 42,
  name: 'Disk cleanup',
  status: 'failed',
  failed: true,
  launchType: 'manual',
  launchedBy: 'ada',
  templateId: 7,
  created: '2026-01-01T09:00:00Z',
  started: '2026-01-01T09:00:01Z',
  finished: '2026-01-01T09:01:00Z',
  elapsed: 59,
  limit: '',
  link: 'https://awx.example.com/#/jobs/playbook/42',
};
const detail: JobDetail = {
  ...row,
  jobExplanation: '',
  resultTraceback: '',
  eventProcessingFinished: true,
  hostStatusCounts: { failures: 1 },
  inventory: 'prod',
  extraVars: '{}',
  production: false,
};
const event = (counter: number, stdout: string): AwxEvent => ({
  counter,
  event: 'runner_on_ok',
  stdout,
  startLine: counter - 1,
  endLine: counter,
  failed: false,
  changed: false,
  host: 'web1',
  play: 'P',
  playId: 'p',
  task: 'T',
  taskId: 't',
  uuid: `u${counter}`,
  stats: null,
});

/** An AWX client as the follower uses it: refuses, hangs (until the test ends), or answers job 42. */
function fakeClient(world: { awx: Mode; jobReads: number }): AwxClient {
  const fail = async (): Promise<never> => {
    world.jobReads++;
    if (world.awx === 'refused') throw new ContractFailure('unreachable', REFUSED, { remoteMessage: 'connect ECONNREFUSED 127.0.0.1:9' });
    return new Promise<never>(() => undefined);
  };
  return {
    spec: { name: 'Demo AWX' },
    job: async (id: number) => {
      if (world.awx !== 'up') return fail();
      world.jobReads++;
      return { id, status: 'failed', created: row.created, job_template: 7 };
    },
    jobDetailOf: () => detail,
    eventPages: async function* () {
      if (world.awx !== 'up') await fail();
      yield [event(1, 'PLAY [cleanup]'), event(2, 'fatal: [web1]: FAILED!')];
    },
  } as unknown as AwxClient;
}

function setup(world: { awx: Mode; jobReads: number; list?: Mode }, dataDir = dir, maxLogBytes?: number) {
  const registry = new Registry();
  // The stream follows again soon after the follower gave up (2 s, doubling, in the console).
  // The sync keeps the logs of recent finished jobs by following them through the wrapped source (jobs-feature.ts).
  declareFeaturePolicies(registry, {
    jobLog: { retryMs: 100, retryMaxMs: 400 },
    syncJobLogs: maxLogBytes ? { maxBytes: maxLogBytes } : {},
  });
  registry
    .handle('jobs.list', async () => {
      if ((world.list ?? world.awx) !== 'up') throw new ContractFailure('unreachable', REFUSED);
      return { jobs: [row], problems: [], fetchedAt: new Date().toISOString() };
    })
    .handle('jobs.get', async () => {
      if (world.awx !== 'up') throw new ContractFailure('unreachable', REFUSED);
      return detail;
    })
    .source('jobs.events', ({ connectionId, jobId, fromCounter }, emit) => {
      // As the follower pool does: a failed follower is replaced by a new one on the next subscription.
      const f = new JobFollower(connectionId, jobId, async () => fakeClient(world), null, { pollMs: 40, retryMaxMs: 200 });
      f.start();
      const unsubscribe = f.subscribe(fromCounter ?? 1, emit);
      return () => {
        unsubscribe();
        f.stop();
      };
    });
  const feature = installOfflineCache(
    registry,
    { connections: { byKind: (k) => (k === 'awx' ? [{ id: 'awx', name: 'Demo AWX' }] : []) } },
    { dataDir, background: false, detailBudgetMs: BUDGET },
  );
  features.push(feature);
  return { registry, feature };
}

/** Subscribes to job 42's stream; `items` fills as the core sends. */
function follow(registry: Registry): { items: JobStreamItem[]; t0: number } {
  const source = registry.sourceFor('jobs.events');
  if (!source) throw new Error('no jobs.events source');
  const out = { items: [] as JobStreamItem[], t0: Date.now() };
  stops.push(source({ connectionId: 'awx', jobId: 42 }, (i) => out.items.push(i as JobStreamItem)));
  return out;
}

/** The offline copy after an offline sync while AWX answered: the job list, no log. */
async function syncedWithoutLog(): Promise<string> {
  const world = { awx: 'up' as Mode, jobReads: 0 };
  const { registry, feature } = setup(world);
  const handler = registry.handlerFor('jobs.list');
  await handler?.({ limit: 100 }, ctx);
  await feature.cache.flush();
  expect((await feature.cache.entries()).map((e) => e.kind)).toEqual(['jobs']);
  return dir;
}

const notInCopy = (items: JobStreamItem[]) =>
  items.find((i): i is Extract<JobStreamItem, { kind: 'notice' }> => i.kind === 'notice' && i.noLog === true);

describe('a finished job whose log is not in the offline copy', () => {
  for (const mode of ['refused', 'hung'] as const) {
    it(`AWX ${mode}: says at once that the log is not in the copy, with the last known status and the copy's age`, async () => {
      await syncedWithoutLog();
      const world = { awx: mode as Mode, jobReads: 0 };
      const { registry } = setup(world);
      const s = follow(registry);
      await expect.poll(() => notInCopy(s.items), { timeout: 3_000, interval: 20 }).toBeTruthy();
      // Within the offline budget (and a margin for a loaded machine), not after the follower's retries or an HTTP timeout.
      expect(Date.now() - s.t0).toBeLessThan(BUDGET + 1_500);
      const note = notInCopy(s.items);
      expect(note?.level).toBe('warn');
      expect(note?.message).toBe(
        'The log of job #42 is not in the offline copy: it was never read while AWX answered. It will load here when AWX answers again.',
      );
      expect(note?.offline?.reason).toBe(mode === 'refused' ? REFUSED : 'Demo AWX did not answer within 0.3 s.');
      expect(Date.now() - Date.parse(note?.offline?.syncedAt ?? '')).toBeLessThan(60_000);
      // The last known status, from the copy (never "unknown"), before the note.
      const job = s.items.find((i) => i.kind === 'job');
      expect(job?.kind === 'job' && job.job.status).toBe('failed');
      expect(s.items.indexOf(job as JobStreamItem)).toBeLessThan(s.items.indexOf(note as JobStreamItem));
      // Nothing says the stream failed for good, and nothing pretends output is coming.
      await new Promise((r) => setTimeout(r, 800));
      expect(s.items.filter((i) => i.kind === 'error' || i.kind === 'lines' || i.kind === 'end')).toEqual([]);
    });
  }

  it('switches to the live log on the same stream when AWX answers again', async () => {
    await syncedWithoutLog();
    const world = { awx: 'refused' as Mode, jobReads: 0 };
    const { registry } = setup(world);
    const s = follow(registry);
    await expect.poll(() => notInCopy(s.items), { timeout: 3_000, interval: 20 }).toBeTruthy();
    // The follower gives up on a job it never read after three failed rounds; the stream keeps trying.
    await expect.poll(() => world.jobReads, { timeout: 5_000, interval: 20 }).toBeGreaterThan(4);
    world.awx = 'up';
    await expect.poll(() => s.items.find((i) => i.kind === 'end'), { timeout: 5_000, interval: 20 }).toBeTruthy();
    const after = s.items.slice(s.items.indexOf(notInCopy(s.items) as JobStreamItem) + 1);
    const lines = after.flatMap((i) => (i.kind === 'lines' ? i.lines : []));
    expect(lines).toEqual(['PLAY [cleanup]', 'fatal: [web1]: FAILED!']);
    expect(after.find((i) => i.kind === 'end')).toMatchObject({ status: 'failed', complete: true });
    expect(after.filter((i) => i.kind === 'error')).toEqual([]);
  }, 15_000);

  it('a log read to its end while AWX answered is replayed within the budget when AWX hangs (not after its timeouts)', async () => {
    const world = { awx: 'up' as Mode, jobReads: 0 };
    const up = setup(world);
    const live = follow(up.registry);
    await expect.poll(() => live.items.find((i) => i.kind === 'end'), { timeout: 5_000, interval: 20 }).toBeTruthy();
    await expect.poll(async () => (await up.feature.cache.entries()).map((e) => e.kind), { timeout: 3_000 }).toContain('jobLog');
    const hung = setup({ awx: 'hung', jobReads: 0 });
    const s = follow(hung.registry);
    await expect.poll(() => s.items.find((i) => i.kind === 'end'), { timeout: 3_000, interval: 20 }).toMatchObject({ status: 'failed' });
    expect(Date.now() - s.t0).toBeLessThan(BUDGET + 1_500);
    const note = s.items.find((i) => i.kind === 'notice' && i.offline);
    expect(note?.kind === 'notice' && note.message).toMatch(
      /^Offline copy of this log, saved .* UTC: AWX cannot be reached \(Demo AWX did not answer within 0\.3 s\.\)\.$/,
    );
    expect(s.items.flatMap((i) => (i.kind === 'lines' ? i.lines : []))).toEqual(['PLAY [cleanup]', 'fatal: [web1]: FAILED!']);
    expect(notInCopy(s.items)).toBeUndefined();
  }, 10_000);

  it('a job the copy does not know: AWX’s error goes through as before (no invented status)', async () => {
    const world = { awx: 'refused' as Mode, jobReads: 0 };
    const { registry } = setup(world);
    const s = follow(registry);
    await expect
      .poll(() => s.items.find((i) => i.kind === 'error'), { timeout: 8_000, interval: 20 })
      .toMatchObject({
        fatal: true,
        error: { code: 'unreachable', message: REFUSED },
      });
    expect(notInCopy(s.items)).toBeUndefined();
    expect(s.items.filter((i) => i.kind === 'job')).toEqual([]);
  }, 10_000);
});

describe('the offline sync keeps the logs of recent finished jobs', () => {
  it('a job only the sync saw: offline its log comes from the copy at once, with its age; a second sync reads nothing again', async () => {
    const world = { awx: 'up' as Mode, jobReads: 0 };
    const up = setup(world);
    const report = await up.feature.sync();
    expect(report.errors).toEqual([]);
    await expect.poll(async () => (await up.feature.cache.entries()).map((e) => e.key), { timeout: 3_000 }).toContain('awx:42');
    const reads = world.jobReads;
    await up.feature.sync();
    expect(world.jobReads).toBe(reads);
    const down = setup({ awx: 'refused', jobReads: 0 });
    const s = follow(down.registry);
    await expect.poll(() => s.items.find((i) => i.kind === 'end'), { timeout: 3_000, interval: 20 }).toMatchObject({ status: 'failed' });
    expect(s.items.flatMap((i) => (i.kind === 'lines' ? i.lines : []))).toEqual(['PLAY [cleanup]', 'fatal: [web1]: FAILED!']);
    expect(s.items.find((i) => i.kind === 'notice' && i.offline)).toMatchObject({
      message: expect.stringMatching(/^Offline copy of this log, saved /),
    });
    expect(notInCopy(s.items)).toBeUndefined();
  });

  it('is bounded: a log over the per-log cap is not kept and not read again on the next sync; AWX away stops the step', async () => {
    const world = { awx: 'up' as Mode, jobReads: 0 };
    const up = setup(world, dir, 50);
    await up.feature.sync();
    expect((await up.feature.cache.entries()).map((e) => e.kind).sort()).toEqual(['jobs']);
    const reads = world.jobReads;
    await up.feature.sync();
    expect(world.jobReads).toBe(reads);
    // AWX answers the list, then hangs while the logs are read: the step gives up on the first (the offline
    // budget), says so, and the sync ends; nothing is kept.
    const other = mkdtempSync(path.join(os.tmpdir(), 'toc-job-log-sync-'));
    try {
      const w2 = { awx: 'hung' as Mode, jobReads: 0, list: 'up' as Mode };
      const hung = setup(w2, other);
      const t0 = Date.now();
      const report = await hung.feature.sync();
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(report.errors.some((e) => /^Log of job #42 on Demo AWX: AWX did not give it/.test(e))).toBe(true);
      expect((await hung.feature.cache.entries()).map((e) => e.kind)).not.toContain('jobLog');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 10_000);
});
