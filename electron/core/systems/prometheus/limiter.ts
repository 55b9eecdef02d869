import { ContractFailure } from '@shared/kernel/result';

// A per-connection concurrency limit. Prometheus's own --query.max-concurrency (20) is shared with rule
// evaluation, and a wall of charts must not starve the alerts; so each connection gets a few slots and the rest
// wait in order. A waiter whose signal aborts (the user navigated away) leaves the queue without ever running.

export interface LimiterStats {
  active: number;
  queued: number;
  /** Highest number of requests that ran at the same time since the limiter was made. */
  maxActive: number;
  started: number;
}

export class Limiter {
  private active = 0;
  private maxActive = 0;
  private started = 0;
  private readonly queue: { run: () => void; signal?: AbortSignal; onAbort?: () => void }[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error('limit must be at least 1');
  }

  stats(): LimiterStats {
    return { active: this.active, queued: this.queue.length, maxActive: this.maxActive, started: this.started };
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.active < this.limit) {
      this.take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: { run: () => void; signal?: AbortSignal; onAbort?: () => void } = {
        run: () => {
          if (waiter.onAbort) signal?.removeEventListener('abort', waiter.onAbort);
          this.take();
          resolve();
        },
      };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(cancelled());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
    });
  }

  private take(): void {
    this.active++;
    this.started++;
    if (this.active > this.maxActive) this.maxActive = this.active;
  }

  private release(): void {
    this.active--;
    const next = this.queue.shift();
    next?.run();
  }
}

function cancelled(): ContractFailure {
  return new ContractFailure('cancelled', 'The request was cancelled.');
}
