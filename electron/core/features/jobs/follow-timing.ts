// How often and how much a job follower reads and delivers: the defaults are AWX's own rhythm (a callback
// worker flushes about once a second; the websocket sends at most 30 events/s) and a frame's worth of lines.

export interface FollowTiming {
  /** REST poll while the websocket is not live. */
  pollMs: number;
  /** REST poll for the tail while the websocket is live (it skips events by design). */
  livePollMs: number;
  /** Wait before asking REST for a hole the socket revealed (REST may not have saved it yet). */
  holeDelayMs: number;
  /** Job detail refresh while the job runs and no socket tells us its status. */
  jobRefreshMs: number;
  /** After the final status: job detail polled from initialMs doubling to maxMs until events are processed. */
  finishBackoff: { initialMs: number; maxMs: number };
  /** Give up waiting for event_processing_finished after this long (successful/failed jobs). */
  finishCapMs: number;
  /** The same for error/canceled jobs, which may never report it. */
  finishCapShortMs: number;
  /** Lines per chunk and per delivery tick: bounds each batch so no frame has to swallow 200,000 lines. */
  chunkLines: number;
  tickMs: number;
  /** Longest wait between attempts while AWX does not answer. */
  retryMaxMs: number;
  /** A hole older than this in a running job slows the sweeps down (see stuckMs). */
  stuckAfterMs: number;
}

export const DEFAULT_TIMING: FollowTiming = {
  pollMs: 1000,
  livePollMs: 3000,
  holeDelayMs: 300,
  jobRefreshMs: 2000,
  finishBackoff: { initialMs: 250, maxMs: 4000 },
  finishCapMs: 5 * 60_000,
  finishCapShortMs: 30_000,
  chunkLines: 4000,
  tickMs: 25,
  retryMaxMs: 30_000,
  stuckAfterMs: 15_000,
};
