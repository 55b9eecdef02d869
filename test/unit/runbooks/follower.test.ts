// Event ordering and gap detection: the EventLog alone, then the JobFollower against a fake AWX whose REST API
// saves events out of order and late, and whose websocket delivers a random subset in random order. Whatever
// happens, subscribers get every line once, in order, and `end` only when the log is complete.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobStreamItem } from '@shared/jobs/model';
import type { ConnectionSpec } from '@shared/connections/model';
import { AwxClient } from '../../../electron/core/systems/awx/awx-client';
import type { AwxEvent } from '../../../electron/core/systems/awx/awx-client';
import type { JobWatcher, SocketState } from '../../../electron/core/systems/awx/awx-socket';
import { EventLog } from '../../../electron/core/features/jobs/event-log';
import { JobFollower } from '../../../electron/core/features/jobs/job-follower';
import type { FollowerSocket, FollowTiming } from '../../../electron/core/features/jobs/job-follower';
import type { HttpClient, HttpRequest, HttpResponse } from '../../../electron/core/kernel/http/types';

const ev = (counter: number, lines: string[] = [`line ${counter}`]): AwxEvent => ({
  counter,
  event: 'runner_on_ok',
  stdout: lines.join('\r\n'),
  startLine: 0,
  endLine: lines.length,
  failed: false,
  changed: false,
  host: 'h',
  play: 'p',
  playId: 'pid',
  task: 't',
  taskId: 'tid',
  uuid: `u${counter}`,
  stats: null,
});

describe('EventLog', () => {
  it('keeps the contiguous prefix and reports the holes as ranges', () => {
    const log = new EventLog();
    for (const c of [3, 1, 7, 5, 8]) log.add(ev(c));
    expect(log.contiguous).toBe(1);
    expect(log.maxSeen).toBe(8);
    expect(log.missingRanges()).toEqual([
      [2, 2],
      [4, 4],
      [6, 6],
    ]);
    expect(log.add(ev(3))).toBe(false);
    log.add(ev(2));
    log.add(ev(4));
    expect(log.contiguous).toBe(5);
    expect(log.missingRanges()).toEqual([[6, 6]]);
    log.giveUp([6, 6]);
    expect(log.contiguous).toBe(8);
    expect([...log.linesInOrder()]).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 7', 'line 8']);
    expect(log.lineCount).toBe(7);
  });

  it('events without output have no lines; AWX separates lines with \\r\\n', () => {
    const log = new EventLog();
    log.add(ev(1, []));
    log.add({ ...ev(2), stdout: '\r\nPLAY [x] ***' });
    expect(log.get(1)?.lines).toEqual([]);
    expect(log.get(2)?.lines).toEqual(['', 'PLAY [x] ***']);
  });

  it('merges long holes and caps the number of ranges', () => {
    const log = new EventLog();
    log.add(ev(1));
    log.add(ev(100));
    for (let c = 10; c < 100; c += 10) log.add(ev(c));
    expect(log.missingRanges(3)).toEqual([
      [2, 9],
      [11, 19],
      [21, 29],
    ]);
  });
});

interface FakeAwx {
  http: HttpClient;
  /** Makes the next event (in save order) visible to REST; returns false when all are saved. */
  saveNext(): boolean;
  finish(status: string): void;
  processingDone(): void;
  requests: string[];
}

function fakeAwx(events: AwxEvent[], saveOrder: number[]): FakeAwx {
  const saved = new Set<number>();
  let next = 0;
  let status = 'running';
  let processed = false;
  const requests: string[] = [];
  const respond = <T>(body: unknown): HttpResponse<T> => ({ status: 200, headers: {}, body: body as T, url: '' });
  const http: HttpClient = {
    request: async <T>(req: HttpRequest): Promise<HttpResponse<T>> => {
      await new Promise((r) => setTimeout(r, 0));
      const q = req.query ?? {};
      requests.push(
        `${req.path}?${Object.entries(q)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join('&')}`,
      );
      if (/\/jobs\/1\/$/.test(req.path)) {
        return respond({
          id: 1,
          name: 'job',
          status,
          failed: status === 'failed',
          event_processing_finished: processed,
          elapsed: 1,
          launched_by: { name: 'admin' },
        });
      }
      if (/\/jobs\/1\/job_events\/$/.test(req.path)) {
        const gt = q.counter__gt !== undefined ? Number(q.counter__gt) : -Infinity;
        const gte = q.counter__gte !== undefined ? Number(q.counter__gte) : -Infinity;
        const lte = q.counter__lte !== undefined ? Number(q.counter__lte) : Infinity;
        const size = Number(q.page_size ?? 25);
        const page = Number(q.page ?? 1);
        const rows = events
          .filter((e) => saved.has(e.counter) && e.counter > gt && e.counter >= gte && e.counter <= lte)
          .sort((a, b) => a.counter - b.counter);
        const slice = rows.slice((page - 1) * size, page * size);
        const more = rows.length > page * size;
        return respond({
          count: rows.length,
          next: more
            ? `/api/v2/jobs/1/job_events/?page=${page + 1}&page_size=${size}&order_by=counter${q.counter__gt !== undefined ? `&counter__gt=${gt}` : ''}${q.counter__gte !== undefined ? `&counter__gte=${gte}` : ''}${q.counter__lte !== undefined ? `&counter__lte=${lte}` : ''}`
            : null,
          results: slice.map((e) => ({
            counter: e.counter,
            event: e.event,
            stdout: e.stdout,
            start_line: e.startLine,
            end_line: e.endLine,
            uuid: e.uuid,
            event_data: {},
          })),
        });
      }
      throw new Error(`unexpected request ${req.path}`);
    },
  };
  return {
    http,
    requests,
    saveNext: () => {
      const c = saveOrder[next++];
      if (c === undefined) return false;
      saved.add(c);
      return true;
    },
    finish: (s) => (status = s),
    processingDone: () => (processed = true),
  };
}

class FakeSocket implements FollowerSocket {
  state: SocketState = 'open';
  reason = 'live';
  watcher: JobWatcher | null = null;
  watchJob(_jobId: number, w: JobWatcher): () => void {
    this.watcher = w;
    return () => (this.watcher = null);
  }
}

const SPEC: ConnectionSpec = {
  id: 'awx',
  kind: 'awx',
  name: 'AWX',
  url: 'http://awx.invalid',
  auth: { type: 'bearer', token: { secret: { env: 'X' } } },
};
const FAST: Partial<FollowTiming> = {
  pollMs: 3,
  livePollMs: 6,
  holeDelayMs: 1,
  jobRefreshMs: 3,
  finishBackoff: { initialMs: 1, maxMs: 4 },
  finishCapMs: 5000,
  finishCapShortMs: 5000,
  chunkLines: 3,
  tickMs: 1,
};

function collect(f: JobFollower, from = 1): Promise<JobStreamItem[]> {
  return new Promise((resolve) => {
    const items: JobStreamItem[] = [];
    const stop = f.subscribe(from, (i) => {
      items.push(i);
      if (i.kind === 'end' || i.kind === 'error') {
        queueMicrotask(stop);
        resolve(items);
      }
    });
  });
}

function checkStream(items: JobStreamItem[], expected: string[]): void {
  const chunks = items.filter((i): i is Extract<JobStreamItem, { kind: 'lines' }> => i.kind === 'lines');
  expect(chunks.flatMap((c) => c.lines)).toEqual(expected);
  let last = 0;
  let offset = 0;
  for (const c of chunks) {
    if (c.counter === last) {
      expect(c.offset).toBe(offset);
    } else {
      expect(c.counter).toBeGreaterThan(last);
      expect(c.offset).toBe(0);
    }
    last = c.counter;
    offset = c.offset + c.lines.length;
    expect(c.lines.length).toBeLessThanOrEqual(3);
  }
  expect(items[items.length - 1]).toMatchObject({ kind: 'end', complete: true });
}

describe('JobFollower', () => {
  it('whatever order REST saves events in and whatever the socket drops, subscribers get every line once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            fc.string({ minLength: 0, maxLength: 6 }).map((s) => s.replace(/\r|\n/g, ' ')),
            { minLength: 0, maxLength: 5 },
          ),
          { minLength: 1, maxLength: 25 },
        ),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        fc.boolean(),
        async (eventLines, rand, withSocket) => {
          const events = eventLines.map((lines, i) => ev(i + 1, lines));
          let k = 0;
          const r = (): number => rand.next().value ?? 0.5;
          const order = events.map((e) => e.counter).sort(() => r() - 0.5);
          const awx = fakeAwx(events, order);
          const socket = withSocket ? new FakeSocket() : null;
          const follower = new JobFollower('awx', 1, async () => new AwxClient(SPEC, awx.http), socket, FAST);
          follower.start();
          const done = collect(follower);
          // Save events one by one; the socket sends some of them, in its own order.
          const held: AwxEvent[] = [];
          while (awx.saveNext()) {
            const c = order[k++] ?? 0;
            const e = events[c - 1];
            if (socket && e && r() < 0.6) held.push(e);
            if (socket && held.length && r() < 0.5) {
              const out = held.splice(Math.floor(r() * held.length), 1)[0];
              if (out)
                socket.watcher?.onEvent({
                  counter: out.counter,
                  event: out.event,
                  stdout: out.stdout,
                  start_line: 0,
                  end_line: 0,
                  uuid: out.uuid,
                  job: 1,
                });
            }
            await new Promise((res) => setTimeout(res, r() < 0.3 ? 2 : 0));
          }
          awx.finish('successful');
          socket?.watcher?.onStatus({ jobId: 1, status: 'successful', finished: null });
          await new Promise((res) => setTimeout(res, 5));
          awx.processingDone();
          const items = await done;
          follower.stop();
          checkStream(
            items,
            events.flatMap((e) => (e.stdout === '' ? [] : e.stdout.split('\r\n'))),
          );
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);

  it('keeps going after the final status until AWX has processed every event', async () => {
    const events = [1, 2, 3, 4].map((c) => ev(c));
    const awx = fakeAwx(events, [1, 2, 4, 3]);
    awx.saveNext();
    awx.saveNext();
    awx.saveNext();
    awx.finish('failed');
    const follower = new JobFollower('awx', 1, async () => new AwxClient(SPEC, awx.http), null, FAST);
    follower.start();
    const done = collect(follower);
    await new Promise((r) => setTimeout(r, 40));
    // Final status, counter 3 missing, processing not finished: no end yet, and only 1–2 delivered.
    expect(follower.isDone).toBe(false);
    awx.saveNext();
    awx.processingDone();
    const items = await done;
    follower.stop();
    checkStream(items, ['line 1', 'line 2', 'line 3', 'line 4']);
    expect(items[items.length - 1]).toMatchObject({ kind: 'end', status: 'failed', lastCounter: 4, lineCount: 4 });
    // The hole was asked for by range.
    expect(awx.requests.some((q) => q.includes('counter__gte=3') && q.includes('counter__lte=3'))).toBe(true);
  });

  it('a subscriber from counter N gets the rest; a late subscriber of a finished job gets it all at once', async () => {
    const events = [1, 2, 3, 4, 5].map((c) => ev(c, [`a${c}`, `b${c}`]));
    const awx = fakeAwx(events, [1, 2, 3, 4, 5]);
    while (awx.saveNext());
    awx.finish('successful');
    awx.processingDone();
    const follower = new JobFollower('awx', 1, async () => new AwxClient(SPEC, awx.http), null, FAST);
    follower.start();
    const all = await collect(follower);
    checkStream(
      all,
      events.flatMap((e) => e.stdout.split('\r\n')),
    );
    const rest = await collect(follower, 4);
    expect(rest.flatMap((i) => (i.kind === 'lines' ? i.lines : []))).toEqual(['a4', 'b4', 'a5', 'b5']);
    follower.stop();
  });

  it('gives up on counters AWX never saves, and says so', async () => {
    const events = [1, 2, 3].map((c) => ev(c));
    const awx = fakeAwx(events, [1, 3]);
    awx.saveNext();
    awx.saveNext();
    awx.finish('successful');
    awx.processingDone();
    const follower = new JobFollower('awx', 1, async () => new AwxClient(SPEC, awx.http), null, FAST);
    follower.start();
    const items = await collect(follower);
    follower.stop();
    const end = items[items.length - 1];
    expect(end).toMatchObject({ kind: 'end', complete: false, lastCounter: 3 });
    expect(end?.kind === 'end' && end.message).toMatch(/never returned events 2/);
    expect(items.flatMap((i) => (i.kind === 'lines' ? i.lines : []))).toEqual(['line 1', 'line 3']);
  });

  it('a job that does not exist is a fatal error, not an endless wait', async () => {
    const http: HttpClient = {
      request: async () => {
        const { ContractFailure } = await import('@shared/kernel/result');
        throw new ContractFailure('not_found', 'AWX answered 404', { status: 404, remoteMessage: 'Not found.' });
      },
    };
    const follower = new JobFollower('awx', 1, async () => new AwxClient(SPEC, http), null, FAST);
    follower.start();
    const items = await collect(follower);
    expect(items.filter((i) => i.kind !== 'notice')).toEqual([
      { kind: 'error', fatal: true, error: expect.objectContaining({ code: 'not_found', status: 404, remoteMessage: 'Not found.' }) },
    ]);
    expect(follower.failed).toBe(true);
  });
});
