import type { ConnectionHealth, ConnectionSpec, ProbeResult } from '@shared/connections/model';

// Each connection's health as the status bar shows it (its last answer, and when it last answered well), and
// the background checks that keep it current even when no view is polling a system.

/** Connections probed at once by the health checks: each is a different system, so this is not a burst. */
const HEALTH_CONCURRENCY = 4;

export class HealthBoard {
  private readonly health = new Map<string, ConnectionHealth>();
  private readonly listeners = new Set<(h: ConnectionHealth[]) => void>();
  /** The checks' interval, shown with each entry so the status bar can say when the next one is due. */
  refreshMs: number | undefined;

  /** One entry per connection, `unknown` for one never probed. */
  list(specs: readonly ConnectionSpec[]): ConnectionHealth[] {
    return specs.map((spec) => this.health.get(spec.id) ?? { id: spec.id, kind: spec.kind, name: spec.name, state: 'unknown' as const });
  }

  /** Records a probe's answer and tells every listener the whole list (`list` gives it as the service sees it). */
  record(spec: ConnectionSpec, ok: boolean, message: string | undefined, list: () => ConnectionHealth[]): void {
    const now = new Date().toISOString();
    const prev = this.health.get(spec.id);
    const next: ConnectionHealth = {
      id: spec.id,
      kind: spec.kind,
      name: spec.name,
      state: ok ? 'ok' : 'error',
      checkedAt: now,
      ...(this.refreshMs ? { refreshMs: this.refreshMs } : {}),
      ...(ok ? { lastOkAt: now } : prev?.lastOkAt ? { lastOkAt: prev.lastOkAt } : {}),
      // Quoted remote words may hold an echoed secret: the dispatcher's edge pass scrubs them on the way out.
      ...(message ? { message } : {}),
    };
    this.health.set(spec.id, next);
    const all = list();
    for (const l of this.listeners) l(all);
  }

  forget(id: string): void {
    this.health.delete(id);
  }

  on(cb: (h: ConnectionHealth[]) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
}

/**
 * Probes every connection now and then every intervalMs, so the status bar's ages mean something even when
 * no view is polling a system. A probe is given at most half the interval (at least 1 s), and the
 * connections of a round are probed a few at a time: a system that accepts and never answers shows as
 * unhealthy within two intervals, however long its request timeout and however many others hang too.
 */
export function runHealthChecks(
  specs: () => ConnectionSpec[],
  probe: (spec: ConnectionSpec, timeoutMs: number) => Promise<ProbeResult>,
  intervalMs: number,
): () => void {
  const probeMs = Math.max(1000, Math.floor(intervalMs / 2));
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const round = async (): Promise<void> => {
    const queue = specs();
    const worker = async (): Promise<void> => {
      for (let spec = queue.shift(); spec && !stopped; spec = queue.shift()) {
        await probe(spec, Math.min(spec.timeoutMs ?? 15_000, probeMs)).catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: HEALTH_CONCURRENCY }, worker));
    if (!stopped) timer = setTimeout(() => void round(), intervalMs);
  };
  timer = setTimeout(() => void round(), 0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
