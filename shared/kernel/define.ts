import type { z } from 'zod';

// Building blocks of the contract. A method is a request/response call; `action: true` marks calls that change
// something (local or remote): they are refused in wall mode and written to the audit log by their handlers.
// A topic is a subscription: the renderer subscribes with arguments and receives batches of payloads.

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  action: boolean;
}

export interface TopicDef<A extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> {
  args: A;
  payload: P;
}

export const method = <I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  opts: { action?: boolean } = {},
): MethodDef<I, O> => ({ input, output, action: opts.action ?? false });

export const topic = <A extends z.ZodType, P extends z.ZodType>(args: A, payload: P): TopicDef<A, P> => ({ args, payload });
