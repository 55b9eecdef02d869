// The rule that ends a finished job's log: never while a sweep after "every event is saved" still brings events,
// then complete or naming exactly what is absent; without that word from AWX, only after the cap and a sweep
// that brought nothing (sooner for error and canceled jobs, which may never say it).
import { describe, expect, it } from 'vitest';
import { decideEnd } from '../../../electron/core/features/jobs/end-decision';
import type { Range } from '../../../electron/core/features/jobs/event-log';

const timing = { finishCapMs: 300_000, finishCapShortMs: 30_000 };
const none = (): Range[] => [];
const holes = (): Range[] => [
  [3, 4],
  [9, 9],
];

describe('decideEnd', () => {
  it('sweeps again while a sweep after event_processing_finished still brings events, even with holes', () => {
    expect(decideEnd({ status: 'successful', processed: true, brought: 12, sinceFinalMs: 0, missing: holes }, timing)).toEqual({
      kind: 'sweep-again',
    });
  });

  it('ends complete, or names exactly the absent counters, once a sweep after it brings nothing', () => {
    expect(decideEnd({ status: 'successful', processed: true, brought: 0, sinceFinalMs: 0, missing: none }, timing)).toEqual({
      kind: 'complete',
      message: '',
    });
    expect(decideEnd({ status: 'failed', processed: true, brought: 0, sinceFinalMs: 0, missing: holes }, timing)).toEqual({
      kind: 'incomplete',
      missing: holes(),
      why: 'AWX finished processing events but never saved',
    });
  });

  it('without event_processing_finished: waits until the cap, and past it while sweeps still bring events', () => {
    const f = { status: 'successful', processed: false, missing: holes };
    expect(decideEnd({ ...f, brought: 0, sinceFinalMs: 299_999 }, timing)).toEqual({ kind: 'wait' });
    expect(decideEnd({ ...f, brought: 1, sinceFinalMs: 400_000 }, timing)).toEqual({ kind: 'wait' });
    expect(decideEnd({ ...f, brought: 0, sinceFinalMs: 300_000 }, timing)).toEqual({
      kind: 'incomplete',
      missing: holes(),
      why: 'AWX had not finished processing events after 300 s and never saved',
    });
    expect(decideEnd({ ...f, missing: none, brought: 0, sinceFinalMs: 300_000 }, timing)).toEqual({
      kind: 'complete',
      message: 'AWX had not reported event processing finished after 300 s; every counter it announced is here.',
    });
  });

  it('error and canceled jobs use the short cap', () => {
    for (const status of ['error', 'canceled']) {
      expect(decideEnd({ status, processed: false, brought: 0, sinceFinalMs: 29_999, missing: none }, timing).kind).toBe('wait');
      expect(decideEnd({ status, processed: false, brought: 0, sinceFinalMs: 30_000, missing: none }, timing)).toEqual({
        kind: 'complete',
        message: 'AWX had not reported event processing finished after 30 s; every counter it announced is here.',
      });
    }
  });
});
