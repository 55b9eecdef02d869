// The follower against an in-memory AWX that behaves as AWX does (test/helpers/awx-model.ts), over random
// arrival orders, save delays, counters never saved, websocket rates and websocket drops. Whatever happens, the
// finished log equals AWX's `stdout?format=txt` byte for byte, and the end names exactly the counters AWX never
// saved (none: complete). Plus the regimes one at a time, and the job's identity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobStreamItem } from '@shared/jobs/model';
import type { ConnectionSpec } from '@shared/connections/model';
import { logText } from '@shared/jobs/jobs';
import { AwxClient } from '../../../electron/core/systems/awx/awx-client';
import { JobFollower } from '../../../electron/core/features/jobs/job-follower';
import type { FollowTiming } from '../../../electron/core/features/jobs/job-follower';
import { awxModel } from '../../helpers/awx-model';
import type { AwxModel, ModelEvent, ModelPlan } from '../../helpers/awx-model';

const SPEC: ConnectionSpec = {
  id: 'awx',
  kind: 'awx',
  name: 'AWX',
  url: 'http://awx.invalid',
  auth: { type: 'bearer', token: { secret: { env: 'X' } } },
};

const FAST: Partial<FollowTiming> = {
  pollMs: 4,
  livePollMs: 8,
  holeDelayMs: 1,
  jobRefreshMs: 4,
  finishBackoff: { initialMs: 1, maxMs: 4 },
  finishCapMs: 400,
  finishCapShortMs: 400,
  chunkLines: 5,
  tickMs: 1,
};

interface Outcome {
  items: JobStreamItem[];
  text: string;
  end: Extract<JobStreamItem, { kind: 'end' }> | null;
  error: Extract<JobStreamItem, { kind: 'error' }> | null;
}

function follow(model: AwxModel, timing: Partial<FollowTiming> = FAST): Promise<Outcome> {
  const follower = new JobFollower('awx', 1, async () => new AwxClient(SPEC, model.http), model.socket, timing);
  follower.start();
  return new Promise((resolve, reject) => {
    const items: JobStreamItem[] = [];
    const timer = setTimeout(() => reject(new Error(`no end; last items ${JSON.stringify(items.slice(-3))}`)), 20_000);
    const stop = follower.subscribe(1, (item) => {
      items.push(item);
      if (item.kind !== 'end' && !(item.kind === 'error' && item.fatal)) return;
      clearTimeout(timer);
      queueMicrotask(() => {
        stop();
        follower.stop();
        model.stop();
      });
      resolve({
        items,
        text: logText(items.flatMap((i) => (i.kind === 'lines' ? i.lines : []))),
        end: item.kind === 'end' ? item : null,
        error: item.kind === 'error' ? item : null,
      });
    });
  });
}

function expectFaithful(o: Outcome, model: AwxModel): void {
  for (const i of o.items) expect(JobStreamItem.safeParse(i).success).toBe(true);
  expect(o.error).toBeNull();
  expect(o.text).toBe(model.txt());
  const absent = model.absent();
  expect(o.end?.complete).toBe(absent.length === 0);
  expect(o.end?.missing ?? []).toEqual(absent);
  // Each gap is marked once, where it is: between the lines of the counters around it.
  const marks = o.items.flatMap((i) => (i.kind === 'gap' ? [{ from: i.from, to: i.to }] : []));
  expect(marks).toEqual(absent);
  let last = 0;
  for (const i of o.items) {
    if (i.kind === 'lines') {
      expect(i.counter).toBeGreaterThanOrEqual(last);
      last = i.counter;
    } else if (i.kind === 'gap') {
      expect(i.from).toBeGreaterThan(last);
      last = i.to;
    }
  }
}

const line = fc.string({ minLength: 0, maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, ' '));

/** A job's plan: events, when each is produced and saved (or never), the socket's rate and its drops. */
const planArb: fc.Arbitrary<ModelPlan> = fc
  .record({
    lines: fc.array(fc.array(line, { maxLength: 3 }), { minLength: 2, maxLength: 70 }),
    gaps: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 70, maxLength: 70 }),
    delays: fc.array(fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 1, arbitrary: fc.constant(null) }), {
      minLength: 70,
      maxLength: 70,
    }),
    rate: fc.constantFrom(null, 0, 1, 5, 30),
    drops: fc.array(fc.tuple(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 1, max: 60 })), { maxLength: 3 }),
    status: fc.constantFrom('successful' as const, 'failed' as const),
  })
  .map(({ lines, gaps, delays, rate, drops, status }) => {
    let at = 0;
    const events: ModelEvent[] = lines.map((l, i) => {
      at += gaps[i] ?? 0;
      const last = i === lines.length - 1;
      return {
        counter: i + 1,
        event: i === 0 ? 'playbook_on_start' : last ? 'playbook_on_stats' : 'runner_on_ok',
        lines: i === 0 ? [] : l,
        at,
        // The stats event is always saved: without it nothing tells a poller how far the job went.
        saveDelay: last ? (delays[i] ?? 0) : (delays[i] ?? null),
      };
    });
    return { events, endAt: at + 1, status, rate, drops: drops.map(([a, d]) => [a, a + d] as [number, number]) };
  });

describe('the follower against an AWX that behaves as AWX does', () => {
  it('over random save orders, delays, lost counters, socket rates and drops: the log is AWX’s txt, gaps named exactly', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const model = awxModel(plan);
        expectFaithful(await follow(model), model);
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('thousands of events saved out of order by four workers, polling only: read in bulk from the contiguous counter', async () => {
    // 3,000 events over ~300 ms, each saved 0–100 ms late by one of four workers flushing in turn.
    const events: ModelEvent[] = Array.from({ length: 3000 }, (_e, i) => ({
      counter: i + 1,
      event: i === 2999 ? 'playbook_on_stats' : 'runner_on_ok',
      lines: [`line ${i + 1}`],
      at: Math.floor(i / 10),
      saveDelay: ((i * 7919) % 4) * 25 + 5,
    }));
    const model = awxModel({ events, endAt: 301, status: 'successful', rate: null, drops: [] });
    const o = await follow(model);
    expectFaithful(o, model);
    const eventReads = model.requests.filter((r) => r.includes('/job_events/'));
    expect(eventReads.every((r) => r.includes('page_size=200') && r.includes('order_by=counter'))).toBe(true);
    // Every sweep starts at the contiguous counter; none asks for a single hole.
    expect(eventReads.some((r) => r.includes('counter__gte') || r.includes('counter__lte'))).toBe(false);
  });

  it('a throttled socket (30/s) shows lines early, yet the log is whole', async () => {
    const events: ModelEvent[] = Array.from({ length: 1500 }, (_e, i) => ({
      counter: i + 1,
      event: i === 1499 ? 'playbook_on_stats' : i % 50 === 1 ? 'playbook_on_task_start' : 'runner_on_ok',
      lines: i % 3 === 0 ? [] : [`l${i + 1}a`, `l${i + 1}b`],
      at: Math.floor(i / 5),
      saveDelay: (i % 4) * 20,
    }));
    const model = awxModel({ events, endAt: 301, status: 'successful', rate: 30, drops: [[100, 180]] });
    expectFaithful(await follow(model), model);
  });

  it('never names a counter missing while a sweep still brings events: late saves after the final status', async () => {
    // Counters 5–40 are saved long after the final status: the end waits for them instead of naming them.
    const events: ModelEvent[] = Array.from({ length: 60 }, (_e, i) => ({
      counter: i + 1,
      event: i === 59 ? 'playbook_on_stats' : 'runner_on_ok',
      lines: [`line ${i + 1}`],
      at: i,
      saveDelay: i >= 4 && i < 40 ? 150 : 0,
    }));
    const model = awxModel({ events, endAt: 61, status: 'successful', rate: null, drops: [] });
    const o = await follow(model);
    expectFaithful(o, model);
    expect(o.end).toMatchObject({ complete: true, lastCounter: 60 });
  });

  it('names the counters AWX never saved, marks each gap where it is and how many lines it held', async () => {
    const events: ModelEvent[] = Array.from({ length: 12 }, (_e, i) => ({
      counter: i + 1,
      event: i === 11 ? 'playbook_on_stats' : 'runner_on_ok',
      lines: [`line ${i + 1}`, `more ${i + 1}`],
      at: i,
      saveDelay: [3, 4, 8].includes(i + 1) ? null : 0,
    }));
    const model = awxModel({ events, endAt: 13, status: 'successful', rate: null, drops: [] });
    const o = await follow(model);
    expectFaithful(o, model);
    expect(o.end).toMatchObject({
      complete: false,
      missing: [
        { from: 3, to: 4 },
        { from: 8, to: 8 },
      ],
    });
    expect(o.end?.message).toMatch(/AWX finished processing events but never saved events 3–4, 8; the log misses their lines\./);
    expect(o.items.filter((i) => i.kind === 'gap')).toEqual([
      { kind: 'gap', from: 3, to: 4, lines: 4 },
      { kind: 'gap', from: 8, to: 8, lines: 2 },
    ]);
    const order = o.items.flatMap((i) => (i.kind === 'lines' ? i.lines : i.kind === 'gap' ? [`<gap ${i.from}>`] : []));
    expect(order.slice(2, 6)).toEqual(['line 2', 'more 2', '<gap 3>', 'line 5']);
  });
});

describe('a counter that stays missing while the job runs', () => {
  const plan = (): ModelPlan => ({
    events: Array.from({ length: 1000 }, (_e, i) => ({
      counter: i + 1,
      event: i === 999 ? 'playbook_on_stats' : 'runner_on_ok',
      lines: [`line ${i + 1}`],
      at: i,
      saveDelay: i === 1 ? null : 0,
    })),
    endAt: 1001,
    status: 'successful',
    rate: null,
    drops: [],
  });

  it('slows the sweeps that would re-read everything after it, and still names it exactly at the end', async () => {
    const model = awxModel(plan());
    const o = await follow(model, { ...FAST, stuckAfterMs: 20 });
    expectFaithful(o, model);
    expect(o.end?.missing).toEqual([{ from: 2, to: 2 }]);
    // A sweep's first page has no page= (the rest follow `next`). Polling every 4 ms for the ~1 s the job runs
    // would start ~250 sweeps; once the hole is 20 ms old the wait grows with its age (a quarter of it).
    const sweeps = model.requests.filter((r) => r.includes('/job_events/') && r.includes('counter__gt=1') && !r.includes('page='));
    expect(sweeps.length).toBeLessThan(25);
  });
});

describe('the job is the one asked for', () => {
  const plan = (): ModelPlan => ({
    events: Array.from({ length: 40 }, (_e, i) => ({
      counter: i + 1,
      event: i === 39 ? 'playbook_on_stats' : 'runner_on_ok',
      lines: [`line ${i + 1}`],
      at: i * 3,
      saveDelay: 0,
    })),
    endAt: 121,
    status: 'successful',
    rate: null,
    drops: [],
  });

  it('a gateway’s {"status":"UP"} is not a job: the follow stops at once and quotes it', async () => {
    const model = awxModel(plan());
    model.override = () => ({ status: 'UP' });
    const o = await follow(model);
    expect(o.end).toBeNull();
    expect(o.error).toMatchObject({ fatal: true, error: { code: 'bad_response' } });
    expect(o.error?.error.message).toBe('AWX answered for job 1 with {"status":"UP"}, which is not that AWX job (it has no job id).');
    expect(o.items.some((i) => i.kind === 'job')).toBe(false);
    expect(model.requests.filter((r) => r.startsWith('/api/v2/jobs/1/?'))).toHaveLength(1);
  });

  it('another job id or an unknown status is refused too', async () => {
    for (const [override, why] of [
      [(j: Record<string, unknown>) => ({ ...j, id: 2 }), 'it is job 2'],
      [(j: Record<string, unknown>) => ({ ...j, status: 'UP' }), '"UP" is not an AWX job status'],
    ] as const) {
      const model = awxModel(plan());
      model.override = override;
      const o = await follow(model);
      expect(o.error?.error.message).toContain(why);
    }
  });

  it('a job that becomes another job under the same id (AWX rebuilt) stops the follow', async () => {
    const model = awxModel(plan());
    const o = follow(model, { ...FAST, pollMs: 10, jobRefreshMs: 10 });
    await new Promise((r) => setTimeout(r, 40));
    model.override = (j) => ({ ...j, created: '2024-07-01T10:00:00.000000Z', job_template: 9 });
    const out = await o;
    expect(out.end).toBeNull();
    expect(out.error).toMatchObject({ fatal: true, error: { code: 'conflict' } });
    expect(out.error?.error.message).toMatch(/^AWX job 1 is now a different job \(created 2024-07-01T10:00:00.000000Z from template 9;/);
  });
});
