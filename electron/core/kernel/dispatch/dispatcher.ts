import { isMethodName, isTopicName, methods, topics } from '@shared/contract';
import type { MethodName, TopicName } from '@shared/contract';
import { ContractFailure, fail, ok } from '@shared/kernel/result';
import type { ContractError, Result } from '@shared/kernel/result';
import type { z } from 'zod';
import type { CallContext, Registry } from './registry';
import { toContractError } from './errors';

export interface DispatcherOptions {
  registry: Registry;
  /** Wall mode: the contract itself refuses every action, whatever the UI shows. */
  isReadOnly: () => boolean;
  /** Check results against the contract too (tests and development): a handler that leaks a field fails. */
  validateOutput?: boolean;
  /**
   * Scrubs secret values from error text before it crosses to the renderer: a remote system may echo the
   * credentials it was sent (a proxy quoting the Authorization header in its error page, say).
   */
  redact?: (text: string) => string;
}

export interface Subscription {
  stop(): void;
}

/** The single entry point of every transport: validates, refuses, calls, and turns failures into values. */
export class Dispatcher {
  constructor(private readonly opts: DispatcherOptions) {}

  async call(method: string, rawArgs: unknown, ctx: CallContext): Promise<Result<unknown>> {
    if (!isMethodName(method)) return fail('unknown_method', `There is no call named "${String(method).slice(0, 100)}".`);
    const def = methods[method];
    if (def.action && this.opts.isReadOnly()) {
      return fail('read_only', `The console is in wall mode (read-only): "${method}" is refused.`);
    }
    const parsed = def.input.safeParse(rawArgs ?? {});
    if (!parsed.success) return fail('bad_request', `Invalid arguments for ${method}.`, { fields: issuesOf(parsed.error) });
    const handler = this.opts.registry.handlerFor(method);
    if (!handler) return fail('not_configured', `"${method}" is not available in this console.`);
    try {
      const data: unknown = await (handler as (a: unknown, c: CallContext) => unknown)(parsed.data, ctx);
      if (this.opts.validateOutput) {
        const out = def.output.safeParse(data);
        if (!out.success) {
          return fail('internal', `The console produced an invalid answer for ${method}.`, { fields: issuesOf(out.error) });
        }
      }
      return ok(data);
    } catch (e) {
      return { ok: false, error: this.scrub(toContractError(e)) };
    }
  }

  private scrub(error: ContractError): ContractError {
    const r = this.opts.redact;
    if (!r) return error;
    const d = error.detail;
    return {
      ...error,
      message: r(error.message),
      ...(d
        ? {
            detail: {
              ...d,
              ...(d.remoteMessage !== undefined ? { remoteMessage: r(d.remoteMessage) } : {}),
              ...(d.fields ? { fields: d.fields.map((f) => ({ path: f.path, message: r(f.message) })) } : {}),
            },
          }
        : {}),
    };
  }

  /** Starts a subscription; the sink receives each payload (transports batch them). */
  subscribe(topic: string, rawArgs: unknown, sink: (payload: unknown) => void): Result<Subscription> {
    if (!isTopicName(topic)) return fail('unknown_method', `There is no subscription named "${String(topic).slice(0, 100)}".`);
    const def = topics[topic as TopicName];
    const parsed = def.args.safeParse(rawArgs ?? {});
    if (!parsed.success) return fail('bad_request', `Invalid arguments for ${topic}.`, { fields: issuesOf(parsed.error) });
    const source = this.opts.registry.sourceFor(topic as TopicName);
    if (!source) return fail('not_configured', `"${topic}" is not available in this console.`);
    try {
      const stop = (source as (a: unknown, emit: (p: unknown) => void) => () => void)(parsed.data, sink);
      let stopped = false;
      return ok({
        stop: () => {
          if (stopped) return;
          stopped = true;
          stop();
        },
      });
    } catch (e) {
      return { ok: false, error: toContractError(e) };
    }
  }

  isAction(method: MethodName): boolean {
    return methods[method].action;
  }
}

export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.data;
  throw new ContractFailure(r.error.code, r.error.message, r.error.detail);
}

export type { ContractError };
