import type { ContractError } from '@shared/kernel/result';
import { currentWatcher, watchRefusals } from '../../kernel/http/refusal-watch';

// A fleet refresh reads every Prometheus at once and is shared by whoever asks while it runs, so the refusals
// its reads meet belong to a connection, not to the call that happened to start it. Each connection's reads run
// under their own watch; an SLO detail waiting on the refresh joins the watch of its own connection and hears of
// that connection's first refusal (now, if it came already) — never of another Prometheus's.

type Watcher = (error: ContractError) => void;

export class ConnectionRefusals {
  private readonly seen = new Map<string, ContractError>();
  private readonly waiting = new Map<string, Set<Watcher>>();
  /** Calls that wait on whichever connection refuses first (they could not tell which is theirs). */
  private anyWaiting = new Set<Watcher>();

  /** Runs one connection's reads; their first refusal goes to the calls waiting on that connection. */
  run<T>(connectionId: string, fn: () => Promise<T>): Promise<T> {
    return watchRefusals((error) => {
      this.seen.set(connectionId, error);
      const ws = this.waiting.get(connectionId);
      this.waiting.delete(connectionId);
      for (const w of ws ?? []) w(error);
      const any = this.anyWaiting;
      this.anyWaiting = new Set();
      for (const w of any) w(error);
    }, fn);
  }

  /** Runs `fn` where refusals reach nobody unless a connection's `run` passes them on. */
  shielded<T>(fn: () => Promise<T>): Promise<T> {
    return watchRefusals(() => undefined, fn);
  }

  /** The current call, if it watches, hears of this connection's refusal: one seen since `reset`, or the next. */
  join(connectionId: string): void {
    const w = currentWatcher();
    if (!w) return;
    const seen = this.seen.get(connectionId);
    if (seen) return w(seen);
    const ws = this.waiting.get(connectionId) ?? new Set<Watcher>();
    ws.add(w);
    this.waiting.set(connectionId, ws);
  }

  /**
   * As `join`, for any connection: for a console that has not read its SLOs yet, so cannot tell which
   * Prometheus an SLO is on (with one Prometheus, the usual case, that is the same; with several, a detail may
   * show its copy because another refused, and the live read still landing replaces it).
   */
  joinAny(): void {
    const w = currentWatcher();
    if (!w) return;
    const seen = this.seen.values().next();
    if (!seen.done) return w(seen.value);
    this.anyWaiting.add(w);
  }

  /** A new refresh: refusals of the last one are news no longer, and nobody waits on it any more. */
  reset(): void {
    this.seen.clear();
    this.waiting.clear();
    this.anyWaiting.clear();
  }
}
