import type { TocBridge } from '@shared/kernel/bridge';
import { fail } from '@shared/kernel/result';
import type { Dispatcher } from './dispatcher';
import { createBatchingSink } from './batching';

/** The contract without a wire, for the CLI and tests: same validation, same refusals, same envelopes. */
export function createDirectBridge(dispatcher: Dispatcher, opts: { batchIntervalMs?: number } = {}): TocBridge {
  return {
    transport: 'direct',
    invoke: (method, args) => dispatcher.call(method, args, { transport: 'direct', signal: new AbortController().signal }),
    subscribe(topic, args, onBatch, onError) {
      const sink = createBatchingSink<unknown>(onBatch, { intervalMs: opts.batchIntervalMs ?? 10 });
      const sub = dispatcher.subscribe(topic, args, (p) => sink.push(p));
      if (!sub.ok) {
        const error = sub.error;
        queueMicrotask(() => onError?.(error));
        return () => undefined;
      }
      return () => {
        sub.data.stop();
        sink.close();
      };
    },
  };
}

export { fail };
