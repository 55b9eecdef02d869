import type { MethodArgs, MethodName, MethodOutput, TopicName, TopicPayload, Topics } from '@shared/contract';
import type { z } from 'zod';

// What a handler and a source are, apart from the registry that holds them (offline policies wrap them too).

export interface CallContext {
  transport: 'ipc' | 'ws' | 'direct';
  /** Aborted when the caller cancels or goes away (window closed, socket dropped). */
  signal: AbortSignal;
}

export type Handler<M extends MethodName> = (args: MethodArgs<M>, ctx: CallContext) => Promise<MethodOutput<M>> | MethodOutput<M>;

/** One contract method as another feature needs it: typed by the contract, resolved at call time. */
export type Port<M extends MethodName> = (args: MethodArgs<M>, ctx: CallContext) => Promise<MethodOutput<M>>;

/** Starts a subscription; emits payloads until the returned stop function is called. */
export type Source<T extends TopicName> = (args: z.output<Topics[T]['args']>, emit: (payload: TopicPayload<T>) => void) => () => void;
