import type { Core } from '../../electron/core/core';
import type { MethodInput, MethodName, MethodOutput } from '@shared/contract';
import { ContractFailure } from '@shared/kernel/result';
import type { ContractError, Result } from '@shared/kernel/result';

/** Typed calls through a core's dispatcher, as the CLI and tests make them (direct transport). */
export interface CoreCalls {
  call<M extends MethodName>(method: M, args: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  /** The call's data, or a thrown ContractFailure. */
  ok<M extends MethodName>(method: M, args: MethodInput<M>): Promise<MethodOutput<M>>;
  /** The call's error (fails the test when the call succeeded). */
  err<M extends MethodName>(method: M, args: MethodInput<M>): Promise<ContractError>;
}

export function coreCalls(core: Core): CoreCalls {
  const ctx = { transport: 'direct' as const, signal: new AbortController().signal };
  const call = async <M extends MethodName>(method: M, args: MethodInput<M>): Promise<Result<MethodOutput<M>>> =>
    (await core.dispatcher.call(method, args, ctx)) as Result<MethodOutput<M>>;
  return {
    call,
    ok: async (method, args) => {
      const r = await call(method, args);
      if (!r.ok) throw new ContractFailure(r.error.code, r.error.message, r.error.detail);
      return r.data;
    },
    err: async (method, args) => {
      const r = await call(method, args);
      if (r.ok) throw new Error(`${method} succeeded where a failure was expected`);
      return r.error;
    },
  };
}
