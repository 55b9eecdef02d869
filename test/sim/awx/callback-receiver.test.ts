// The simulated callback receiver: events become visible in batches, after a delay, and — with several
// workers — out of counter order, like AWX's; with one worker they keep their order.
import { afterEach, describe, expect, it } from 'vitest';
import { CallbackReceiver } from './callback-receiver';
import { sleep } from './clock';
import { EventNumberer, type DraftEvent } from './event-records';
import { newJob } from './jobs';
import { seedTemplates } from './seed';
import { DEFAULT_LIMITS, SimState, defaultUsers } from './state';
import type { SimEvent, SimJob } from './types';

let receiver: CallbackReceiver | null = null;

afterEach(() => receiver?.stop());

function setup(workers: number): { job: SimJob; drafts: DraftEvent[]; saved: SimEvent[]; eof: number[]; rx: CallbackReceiver } {
  const state = new SimState('/api/v2/', defaultUsers('pw'), 42, DEFAULT_LIMITS);
  const template = seedTemplates(1)[0];
  if (!template) throw new Error('no template');
  const job = newJob(
    state.allocateJobId(),
    template,
    {
      inventory: 1,
      limit: '',
      scmBranch: '',
      jobTags: '',
      skipTags: '',
      jobType: 'run',
      verbosity: 0,
      diffMode: false,
      forks: 0,
      timeout: 0,
      extraVars: {},
      surveyPasswords: [],
    },
    'manual',
    1,
    null,
  );
  const numberer = new EventNumberer(job.id, new Map([['localhost', 1]]));
  const drafts = Array.from({ length: 40 }, (_, i) =>
    numberer.next({
      event: 'runner_item_on_ok',
      uuid: `uuid-${i}`,
      parent_uuid: '',
      event_data: { host: 'localhost' },
      stdout: `item ${i}\n`,
    }),
  );
  const saved: SimEvent[] = [];
  const eof: number[] = [];
  const rx = new CallbackReceiver(
    state,
    { saved: (_job, event) => saved.push(event), endOfStream: (_job, n) => eof.push(n) },
    { workers, flushMs: 60, rng: state.rng },
  );
  receiver = rx;
  return { job, drafts, saved, eof, rx };
}

describe('callback receiver', () => {
  it('saves nothing at once, then everything, out of counter order across workers', async () => {
    const { job, drafts, saved, eof, rx } = setup(4);
    for (const draft of drafts) rx.enqueue(job, draft, false);
    rx.endOfStream(job, drafts.length);
    expect(saved).toHaveLength(0);
    expect(rx.hasPending(job)).toBe(true);
    for (let i = 0; i < 100 && (saved.length < drafts.length || eof.length === 0); i++) await sleep(20);
    expect(saved.map((e) => e.counter).sort((a, b) => a - b)).toEqual(drafts.map((d) => d.counter));
    expect(saved.map((e) => e.counter)).not.toEqual(drafts.map((d) => d.counter));
    // Ids are handed out in save order, like database primary keys.
    expect(saved.map((e) => e.id)).toEqual(saved.map((_, i) => i + 1));
    expect(job.events).toHaveLength(drafts.length);
    expect(eof).toEqual([40]);
    expect(rx.hasPending(job)).toBe(false);
  });

  it('keeps counter order with a single worker', async () => {
    const { job, drafts, saved, rx } = setup(1);
    for (const draft of drafts) rx.enqueue(job, draft, false);
    for (let i = 0; i < 100 && saved.length < drafts.length; i++) await sleep(20);
    expect(saved.map((e) => e.counter)).toEqual(drafts.map((d) => d.counter));
  });
});
