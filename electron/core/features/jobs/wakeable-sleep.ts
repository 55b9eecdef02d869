// The follower's pause between rounds: a timer that something else (a socket event, a status change, stop)
// can end early, but never push later than it was due.

export class WakeableSleep {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private until = 0;
  private resolve: (() => void) | null = null;

  /** Resolves after `ms`, or sooner when woken. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.until = Date.now() + ms;
      this.timer = setTimeout(() => this.wake(0), ms);
    });
  }

  /** Ends the current sleep within `ms` (never later than it was due). */
  wake(ms: number): void {
    const resolve = this.resolve;
    if (!resolve) return;
    if (ms > 0 && Date.now() + ms >= this.until) return;
    if (this.timer) clearTimeout(this.timer);
    if (ms > 0) {
      this.until = Date.now() + ms;
      this.timer = setTimeout(() => this.wake(0), ms);
      return;
    }
    this.timer = null;
    this.resolve = null;
    resolve();
  }
}
