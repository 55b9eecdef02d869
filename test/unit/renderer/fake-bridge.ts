import { isMethodName, isTopicName, methods, topics } from '@shared/contract';
import type { MethodArgs, MethodName, MethodOutput, TopicName, TopicPayload } from '@shared/contract';
import { ContractFailure } from '@shared/kernel/result';
import type { ContractError, Result } from '@shared/kernel/result';
import type { RendererBridge } from '../../../renderer/src/app/api/types';
import { DEFAULT_UI_SETTINGS } from '@shared/settings/model';

// A TocBridge for renderer tests that holds to the contract: arguments are checked with the method's input
// schema (as main's dispatcher does) and every answer and event with its output/payload schema, so a test
// cannot feed the UI something main would never send.

export type Handler<M extends MethodName> = (args: MethodArgs<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
export type Handlers = { [M in MethodName]?: Handler<M> };

interface Sub {
  topic: string;
  onBatch: (batch: unknown[]) => void;
  onError: ((e: ContractError) => void) | undefined;
}

export interface FakeBridge extends RendererBridge {
  calls: { method: string; args: unknown }[];
  callsOf(method: MethodName): unknown[];
  handle<M extends MethodName>(method: M, handler: Handler<M>): void;
  emit<T extends TopicName>(topic: T, payload: TopicPayload<T>): void;
  subscriberCount(topic: TopicName): number;
}

export function createFakeBridge(initial: Handlers = {}): FakeBridge {
  const handlers: Handlers = { ...baseHandlers(), ...initial };
  const subs = new Set<Sub>();
  const calls: { method: string; args: unknown }[] = [];
  return {
    transport: 'direct',
    calls,
    callsOf: (m) => calls.filter((c) => c.method === m).map((c) => c.args),
    handle(method, handler) {
      (handlers as Record<string, unknown>)[method] = handler;
    },
    async invoke(method: string, args?: unknown): Promise<Result<unknown>> {
      calls.push({ method, args });
      if (!isMethodName(method)) return { ok: false, error: { code: 'unknown_method', message: `no ${method}` } };
      const parsed = methods[method].input.safeParse(args ?? {});
      if (!parsed.success) return { ok: false, error: { code: 'bad_request', message: `Invalid arguments for ${method}.` } };
      const h = handlers[method] as ((a: unknown) => unknown) | undefined;
      if (!h) return { ok: false, error: { code: 'not_configured', message: `"${method}" is not available in this console.` } };
      try {
        const out = await h(parsed.data);
        return { ok: true, data: methods[method].output.parse(out) };
      } catch (e) {
        if (e instanceof ContractFailure) return { ok: false, error: e.toJSON() };
        throw e;
      }
    },
    subscribe(topic, _args, onBatch, onError) {
      const sub: Sub = { topic, onBatch, onError };
      if (!isTopicName(topic)) {
        queueMicrotask(() => onError?.({ code: 'unknown_method', message: `no ${topic}` }));
        return () => undefined;
      }
      subs.add(sub);
      return () => subs.delete(sub);
    },
    emit(topic, payload) {
      const checked = topics[topic].payload.parse(payload);
      for (const s of [...subs]) if (s.topic === topic) s.onBatch([checked]);
    },
    subscriberCount: (topic) => [...subs].filter((s) => s.topic === topic).length,
  };
}

export function baseHandlers(): Handlers {
  return {
    'app.info': () => ({
      name: 'TOC Console',
      version: '0.1.0-test',
      transport: 'direct',
      wall: false,
      workspace: { path: '/ws/toc.yaml', name: 'Test workspace', demo: false, notices: [] },
      operator: { name: 'j.doe', source: 'os' },
    }),
    'app.workspaceProblems': () => [],
    'connections.list': () => [],
    'connections.health': () => [],
    'connections.secretStatus': () => ({ backend: 'keychain', state: 'ok', checkedAt: new Date().toISOString() }),
    'settings.get': () => DEFAULT_UI_SETTINGS,
    'settings.update': (patch) => ({
      ...DEFAULT_UI_SETTINGS,
      ...(patch.theme ? { theme: patch.theme } : {}),
      notifications: { ...DEFAULT_UI_SETTINGS.notifications, ...patch.notifications },
    }),
    'activity.list': () => [],
  };
}
