// Streams (job events, live refresh) are sent in batches every few tens of milliseconds rather than one message
// per line: a 200,000-line job would otherwise mean 200,000 IPC messages and as many React renders.

export interface BatchingSink<T> {
  push(item: T): void;
  flush(): void;
  close(): void;
}

export function createBatchingSink<T>(send: (batch: T[]) => void, opts: { intervalMs?: number; maxBatch?: number } = {}): BatchingSink<T> {
  const intervalMs = opts.intervalMs ?? 30;
  const maxBatch = opts.maxBatch ?? 5000;
  let pending: T[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const flush = (): void => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    send(batch);
  };

  return {
    push(item) {
      if (closed) return;
      pending.push(item);
      if (pending.length >= maxBatch) flush();
      else if (!timer) timer = setTimeout(flush, intervalMs);
    },
    flush,
    close() {
      flush();
      closed = true;
    },
  };
}
