import type { MethodInput, MethodName, MethodOutput, TopicArgs, TopicName, TopicPayload } from '@shared/contract';
import { ContractFailure, isContractError } from '@shared/kernel/result';
import type { ContractError, ErrorCode } from '@shared/kernel/result';
import type { InvokeOptions, RendererBridge } from './types';

export { ContractFailure };

/** The contract with its types: what feature code calls instead of the raw bridge. */
export interface TocClient {
  readonly transport: RendererBridge['transport'];
  /** Resolves with the method's output or throws a `ContractFailure` carrying the system's own words. */
  call<M extends MethodName>(method: M, args: MethodInput<M>, opts?: InvokeOptions): Promise<MethodOutput<M>>;
  subscribe<T extends TopicName>(
    topic: T,
    args: TopicArgs<T>,
    onBatch: (batch: TopicPayload<T>[]) => void,
    onError?: (error: ContractError) => void,
  ): () => void;
}

export function createClient(bridge: RendererBridge): TocClient {
  return {
    transport: bridge.transport,
    async call<M extends MethodName>(method: M, args: MethodInput<M>, opts?: InvokeOptions): Promise<MethodOutput<M>> {
      let result;
      try {
        result = await bridge.invoke(method, args, opts);
      } catch (e) {
        // The transport itself broke (IPC channel gone): still an error the UI can show, not a crash.
        throw new ContractFailure('internal', `The call "${method}" could not be delivered: ${e instanceof Error ? e.message : String(e)}`);
      }
      // Main validated the output against the contract before sending it; the renderer trusts that rather than
      // shipping every zod schema in the initial bundle.
      if (result.ok) return result.data as MethodOutput<M>;
      throw new ContractFailure(result.error.code, result.error.message, result.error.detail);
    },
    subscribe(topic, args, onBatch, onError) {
      return bridge.subscribe(topic, args, (batch) => onBatch(batch as TopicPayload<typeof topic>[]), onError);
    },
  };
}

/** Any thrown value as a ContractError, for display. */
export function toContractError(e: unknown): ContractError {
  if (e instanceof ContractFailure) return e.toJSON();
  if (isContractError(e)) return e;
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

const TRANSIENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['offline', 'timeout', 'unreachable', 'dns', 'rate_limited', 'remote_error']);

/** Whether a read that failed this way may work if simply asked again. Actions never retry on their own. */
export function isRetryable(e: unknown): boolean {
  const err = toContractError(e);
  if (err.detail?.retryable !== undefined) return err.detail.retryable;
  return TRANSIENT.has(err.code);
}
