// AWX decides per event, as the run produces it, whether the websocket gets it (MAX_WEBSOCKET_EVENT_RATE):
// once streaming has begun, events without output are never sent, and other events are dropped while
// more than `maxRate` were sent in the last second. Play/task starts and the stats event always go out.
import type { DraftEvent } from './event-records';

const ALWAYS_SENT = new Set(['playbook_on_play_start', 'playbook_on_task_start', 'playbook_on_stats']);

export class WebsocketThrottle {
  private readonly window: number[] = [];
  private streaming = false;

  constructor(private readonly maxRate: number) {}

  /** True when the websocket should not carry this event (only honoured in lossy mode). */
  skip(draft: DraftEvent, now: number): boolean {
    if (ALWAYS_SENT.has(draft.event)) return false;
    if (this.streaming && draft.startLine === draft.endLine) return true;
    this.streaming = true;
    if (this.maxRate <= 0) return false;
    while (this.window.length > 0 && now - (this.window[0] ?? now) > 1000) this.window.shift();
    if (this.window.length >= this.maxRate) return true;
    this.window.push(now);
    return false;
  }
}
