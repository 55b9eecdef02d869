// A finished job's log in the offline cache: stored when a follow from the first counter ends, replayed (after a
// notice that it is a copy) when AWX cannot be reached, never when the question was wrong; a log over the per-log
// cap is not kept, and the job logs together stay under their total by evicting the least recently used.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobStreamItem } from '@shared/jobs/model';
import { Registry } from '../../../electron/core/kernel/dispatch/registry';
import { installOfflineCache } from '../../../electron/core/features/offline/offline-feature';
import type { OfflineFeature } from '../../../electron/core/features/offline/offline-feature';
import { jobLogOffline } from '../../../electron/core/features/jobs/job-log-offline';

let dir: string;
let features: OfflineFeature[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-job-log-cache-'));
});
afterEach(async () => {
  for (const f of features) await f.dispose();
  features = [];
  rmSync(dir, { recursive: true, force: true });
});

const lines = (counter: number, text: string[]): JobStreamItem => ({
  kind: 'lines',
  counter,
  event: 'runner_on_ok',
  offset: 0,
  total: text.length,
  line: 0,
  lines: text,
  failed: false,
  changed: false,
  host: 'web1',
  play: 'P',
  playId: 'p',
  task: 'T',
  taskId: 't',
});
const end: JobStreamItem = {
  kind: 'end',
  status: 'successful',
  complete: true,
  lastCounter: 3,
  lineCount: 3,
  message: 'complete',
  missing: [],
};
const unreachable: JobStreamItem = {
  kind: 'error',
  fatal: true,
  error: { code: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:9' },
};

/** A jobs.events source that plays a script per job id; `online` false makes every follow fail as unreachable. */
function setup(opts: { maxLogBytes?: number; maxTotalBytes?: number; serveCopies?: boolean } = {}) {
  const registry = new Registry();
  const state = { online: true, scripts: new Map<number, JobStreamItem[]>() };
  let t = 1000;
  const { policy } = jobLogOffline({
    now: () => (t += 1000),
    ...(opts.maxLogBytes !== undefined ? { maxLogBytes: opts.maxLogBytes } : {}),
    ...(opts.maxTotalBytes !== undefined ? { maxTotalBytes: opts.maxTotalBytes } : {}),
  });
  const source = (args: { jobId: number }, emit: (item: JobStreamItem) => void): (() => void) => {
    const script = state.online ? (state.scripts.get(args.jobId) ?? []) : [unreachable];
    let stopped = false;
    queueMicrotask(() => {
      for (const item of script) if (!stopped) emit(item);
    });
    return () => (stopped = true);
  };
  registry.source('jobs.events', source, { offline: policy });
  const feature = installOfflineCache(
    registry,
    { connections: { byKind: () => [] } },
    { dataDir: dir, background: false, serveCopies: opts.serveCopies ?? true },
  );
  features.push(feature);
  const cache = feature.cache;
  const follow = (jobId: number, fromCounter?: number): Promise<JobStreamItem[]> =>
    new Promise((resolve) => {
      const items: JobStreamItem[] = [];
      const source = registry.sourceFor('jobs.events');
      if (!source) throw new Error('no source');
      const stop = source({ connectionId: 'awx', jobId, ...(fromCounter ? { fromCounter } : {}) }, (item) => {
        items.push(item as JobStreamItem);
        const i = item as JobStreamItem;
        if (i.kind === 'end' || (i.kind === 'error' && i.fatal)) {
          stop();
          // Let the store finish before the caller looks at the cache.
          setTimeout(() => void cache.flush().then(() => resolve(items)), 20);
        }
      });
    });
  return { registry, state, cache, follow };
}

describe('finished job logs offline', () => {
  it('keeps a finished log and replays it with no network, from any counter', async () => {
    const s = setup();
    const log: JobStreamItem[] = [lines(1, ['PLAY [all]']), lines(2, ['ok: [web1]']), { kind: 'gap', from: 3, to: 3, lines: 1 }, end];
    s.state.scripts.set(7, [{ kind: 'notice', level: 'info', message: 'Live' }, ...log]);
    expect(await s.follow(7)).toHaveLength(5);
    s.state.online = false;
    const offline = await s.follow(7);
    expect(offline[0]).toMatchObject({ kind: 'notice', level: 'warn' });
    expect(offline[0]?.kind === 'notice' && offline[0].message).toMatch(
      /^Offline copy of this log, saved \d{4}-\d\d-\d\d \d\d:\d\d UTC: AWX cannot be reached \(connect ECONNREFUSED 127\.0\.0\.1:9\)\.$/,
    );
    // The viewer shows the copy's age from the mark (the message alone would vanish when the end arrives).
    const mark = offline[0]?.kind === 'notice' ? offline[0].offline : undefined;
    expect(mark?.reason).toBe('AWX cannot be reached (connect ECONNREFUSED 127.0.0.1:9)');
    expect(Date.now() - Date.parse(mark?.syncedAt ?? '')).toBeLessThan(60_000);
    expect(offline.slice(1)).toEqual(log);
    const rest = await s.follow(7, 2);
    expect(rest.slice(1)).toEqual([lines(2, ['ok: [web1]']), { kind: 'gap', from: 3, to: 3, lines: 1 }, end]);
  });

  it('without a copy, or when copies are not served (the CLI), the error goes through', async () => {
    const s = setup();
    s.state.online = false;
    expect(await s.follow(8)).toEqual([unreachable]);
    const cli = setup({ serveCopies: false });
    cli.state.scripts.set(7, [lines(1, ['a']), end]);
    await cli.follow(7);
    expect((await cli.cache.entries()).map((e) => e.kind)).toEqual(['jobLog']);
    cli.state.online = false;
    expect(await cli.follow(7)).toEqual([unreachable]);
  });

  it('keeps nothing of a follow that did not end, or did not start at the first counter', async () => {
    const s = setup();
    s.state.scripts.set(7, [lines(1, ['a']), lines(2, ['b']), end]);
    await s.follow(7, 2);
    s.state.scripts.set(9, [lines(1, ['a']), { kind: 'error', fatal: true, error: { code: 'not_found', message: 'HTTP 404' } }]);
    await s.follow(9);
    expect(await s.cache.entries()).toEqual([]);
  });

  it('is bounded: a log over the per-log cap is not kept; the oldest used logs go when the total is over', async () => {
    const big = Array.from({ length: 200 }, (_l, i) => `line ${i} ${'x'.repeat(40)}`);
    const s = setup({ maxLogBytes: 4000, maxTotalBytes: 2500 });
    s.state.scripts.set(1, [lines(1, big), end]);
    await s.follow(1);
    expect(await s.cache.entries()).toEqual([]);
    for (const id of [2, 3, 4]) s.state.scripts.set(id, [lines(1, [`job ${id} `.repeat(120)]), end]);
    await s.follow(2);
    await s.follow(3);
    // Job 2 is read again (replayed offline), so job 3 is now the least recently used.
    s.state.online = false;
    await s.follow(2);
    s.state.online = true;
    await s.follow(4);
    // The eviction runs after the store, in the background: wait for it rather than for a fixed time.
    await expect.poll(async () => (await s.cache.entries()).map((e) => e.key).sort(), { timeout: 5_000 }).toEqual(['awx:2', 'awx:4']);
    const total = (await s.cache.entries()).reduce((n, e) => n + e.bytes, 0);
    expect(total).toBeLessThanOrEqual(2500);
  });
});
