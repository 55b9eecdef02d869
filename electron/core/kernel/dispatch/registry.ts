import type { MethodName, TopicName } from '@shared/contract';
import { ContractFailure } from '@shared/kernel/result';
import type { CallPolicy, PolicyRunner, SourcePolicy, SyncStep } from './offline-policy';

export type { CallContext, Handler, Port, Source } from './handler-types';
import type { Handler, Port, Source } from './handler-types';

type HandlerMap = { [M in MethodName]?: Handler<M> };
type SourceMap = { [T in TopicName]?: Source<T> };

/** Where feature modules register what they implement of the contract, with each read's offline policy. */
export class Registry {
  private readonly handlers: HandlerMap = {};
  private readonly sources: SourceMap = {};
  private readonly callPolicies = new Map<MethodName, CallPolicy<MethodName>>();
  private readonly sourcePolicies = new Map<TopicName, SourcePolicy<TopicName>>();
  private readonly syncSteps: SyncStep[] = [];
  // Handlers and sources as called: wrapped by the runner when one is installed and the method has a policy.
  // Rebuilt whenever a handler, a policy or the runner arrives, so the order of those calls does not matter.
  private readonly effectiveHandlers = new Map<MethodName, Handler<MethodName>>();
  private readonly effectiveSources = new Map<TopicName, Source<TopicName>>();
  private runner: PolicyRunner | null = null;

  handle<M extends MethodName>(method: M, fn: Handler<M>, opts: { offline?: CallPolicy<M> } = {}): this {
    if (this.handlers[method]) throw new Error(`handler for ${method} registered twice`);
    (this.handlers as Record<string, unknown>)[method] = fn;
    if (opts.offline) return this.offline(method, opts.offline);
    this.compose(method);
    return this;
  }

  source<T extends TopicName>(topic: T, fn: Source<T>, opts: { offline?: SourcePolicy<T> } = {}): this {
    if (this.sources[topic]) throw new Error(`source for ${topic} registered twice`);
    (this.sources as Record<string, unknown>)[topic] = fn;
    if (opts.offline) return this.offlineSource(topic, opts.offline);
    this.composeSource(topic);
    return this;
  }

  /** Declares how a read behaves offline (its handler may be registered before or after). */
  offline<M extends MethodName>(method: M, policy: CallPolicy<M>): this {
    if (this.callPolicies.has(method)) throw new Error(`offline policy for ${method} declared twice`);
    this.callPolicies.set(method, policy as unknown as CallPolicy<MethodName>);
    this.compose(method);
    return this;
  }

  offlineSource<T extends TopicName>(topic: T, policy: SourcePolicy<T>): this {
    if (this.sourcePolicies.has(topic)) throw new Error(`offline policy for ${topic} declared twice`);
    this.sourcePolicies.set(topic, policy as unknown as SourcePolicy<TopicName>);
    this.composeSource(topic);
    return this;
  }

  /** A part of the offline feature's background sync (run in `order` with every other feature's). */
  offlineSync(step: SyncStep): this {
    if (this.syncSteps.some((x) => x.name === step.name)) throw new Error(`offline sync step ${step.name} declared twice`);
    this.syncSteps.push(step);
    return this;
  }

  offlineSyncSteps(): readonly SyncStep[] {
    return [...this.syncSteps].sort((a, b) => a.order - b.order);
  }

  /** Installs the offline feature's policy runner: every declared policy applies from now on, whenever declared. */
  useOffline(runner: PolicyRunner): this {
    if (this.runner) throw new Error('an offline policy runner is already installed');
    this.runner = runner;
    for (const m of this.callPolicies.keys()) this.compose(m);
    for (const t of this.sourcePolicies.keys()) this.composeSource(t);
    return this;
  }

  private compose(method: MethodName): void {
    const inner = this.handlers[method] as Handler<MethodName> | undefined;
    if (!inner) return;
    const policy = this.callPolicies.get(method);
    this.effectiveHandlers.set(method, this.runner && policy ? this.runner.wrapCall(method, policy, inner) : inner);
  }

  private composeSource(topic: TopicName): void {
    const inner = this.sources[topic] as Source<TopicName> | undefined;
    if (!inner) return;
    const policy = this.sourcePolicies.get(topic);
    this.effectiveSources.set(topic, this.runner && policy ? this.runner.wrapSource(topic, policy, inner) : inner);
  }

  /**
   * A typed port onto one method as registered (its offline policy included, so a port also gets the offline
   * copy), looked up when called: the composition root (core.ts) hands these to the features that need another
   * feature's answer, so no feature names another's methods and the wiring is all in one file.
   */
  port<M extends MethodName>(method: M, unavailable: string): Port<M> {
    return async (args, ctx) => {
      const h = this.handlerFor(method);
      if (!h) throw new ContractFailure('not_configured', unavailable);
      return h(args, ctx);
    };
  }

  handlerFor<M extends MethodName>(method: M): Handler<M> | undefined {
    return this.effectiveHandlers.get(method) as Handler<M> | undefined;
  }

  sourceFor<T extends TopicName>(topic: T): Source<T> | undefined {
    return this.effectiveSources.get(topic) as unknown as Source<T> | undefined;
  }
}
