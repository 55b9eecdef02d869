import type { Range } from './event-log';
import type { FollowTiming } from './follow-timing';

// When a finished job's log is whole, and when it is not: the rule the follower applies after each sweep of a
// job in a final status. A pure function of what the sweep saw, so the rule reads in one place.
//
// - AWX says every event is saved (`event_processing_finished`, read before the sweep began): a sweep that still
//   brought events proves nothing yet, so sweep again at once; a sweep that brought none ends the log, naming
//   any counter still absent as one AWX never saved.
// - AWX never says so (error and canceled jobs may not): after a cap, and only after a sweep that brought
//   nothing, end with what is here and name what is absent.

export type EndDecision =
  | { kind: 'wait' }
  | { kind: 'sweep-again' }
  | { kind: 'complete'; message: string }
  | { kind: 'incomplete'; missing: Range[]; why: string };

export interface EndFacts {
  status: string;
  /** AWX reported event processing finished before this sweep began. */
  processed: boolean;
  /** Events this sweep brought that were not here before. */
  brought: number;
  /** Since the follower first saw the final status. */
  sinceFinalMs: number;
  /** Counters absent after the contiguous prefix, up to the highest announced (asked only when needed). */
  missing: () => Range[];
}

export function decideEnd(f: EndFacts, timing: Pick<FollowTiming, 'finishCapMs' | 'finishCapShortMs'>): EndDecision {
  if (f.processed) {
    if (f.brought > 0) return { kind: 'sweep-again' };
    const missing = f.missing();
    return missing.length === 0
      ? { kind: 'complete', message: '' }
      : { kind: 'incomplete', missing, why: 'AWX finished processing events but never saved' };
  }
  const cap = f.status === 'error' || f.status === 'canceled' ? timing.finishCapShortMs : timing.finishCapMs;
  if (f.sinceFinalMs < cap || f.brought !== 0) return { kind: 'wait' };
  const missing = f.missing();
  const s = Math.round(cap / 1000);
  return missing.length === 0
    ? { kind: 'complete', message: `AWX had not reported event processing finished after ${s} s; every counter it announced is here.` }
    : { kind: 'incomplete', missing, why: `AWX had not finished processing events after ${s} s and never saved` };
}
