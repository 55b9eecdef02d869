import type { MethodArgs, MethodName, MethodOutput, TopicName, TopicPayload } from '@shared/contract';
import type { z } from 'zod';
import type { Topics } from '@shared/contract';

export interface CallContext {
  transport: 'ipc' | 'ws' | 'direct';
  /** Aborted when the caller cancels or goes away (window closed, socket dropped). */
  signal: AbortSignal;
}

export type Handler<M extends MethodName> = (args: MethodArgs<M>, ctx: CallContext) => Promise<MethodOutput<M>> | MethodOutput<M>;

/** Starts a subscription; emits payloads until the returned stop function is called. */
export type Source<T extends TopicName> = (args: z.output<Topics[T]['args']>, emit: (payload: TopicPayload<T>) => void) => () => void;

type HandlerMap = { [M in MethodName]?: Handler<M> };
type SourceMap = { [T in TopicName]?: Source<T> };

/** Where feature modules register what they implement of the contract. */
export class Registry {
  private readonly handlers: HandlerMap = {};
  private readonly sources: SourceMap = {};

  handle<M extends MethodName>(method: M, fn: Handler<M>): this {
    if (this.handlers[method]) throw new Error(`handler for ${method} registered twice`);
    (this.handlers as Record<string, unknown>)[method] = fn;
    return this;
  }

  source<T extends TopicName>(topic: T, fn: Source<T>): this {
    if (this.sources[topic]) throw new Error(`source for ${topic} registered twice`);
    (this.sources as Record<string, unknown>)[topic] = fn;
    return this;
  }

  /**
   * Wraps a registered handler (the offline cache answers from its copy when the live read fails). Does nothing
   * when the method has no handler, so a feature that is absent stays absent.
   */
  decorate<M extends MethodName>(method: M, wrap: (inner: Handler<M>) => Handler<M>): this {
    const inner = this.handlers[method] as Handler<M> | undefined;
    if (inner) (this.handlers as Record<string, unknown>)[method] = wrap(inner);
    return this;
  }

  decorateSource<T extends TopicName>(topic: T, wrap: (inner: Source<T>) => Source<T>): this {
    const inner = this.sources[topic] as Source<T> | undefined;
    if (inner) (this.sources as Record<string, unknown>)[topic] = wrap(inner);
    return this;
  }

  handlerFor<M extends MethodName>(method: M): Handler<M> | undefined {
    return this.handlers[method] as Handler<M> | undefined;
  }

  sourceFor<T extends TopicName>(topic: T): Source<T> | undefined {
    return this.sources[topic] as Source<T> | undefined;
  }
}
