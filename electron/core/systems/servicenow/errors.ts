import { ContractFailure } from '@shared/kernel/result';
import type { ConnectionSpec } from '@shared/connections/model';

// ServiceNow failures in words an engineer acts on, always still quoting the instance (research §1.4, §2.6,
// §11): 403s differ only in error.detail (data policy, business rule, ACL), 404 on a known record means
// "deleted or not visible to you", and a plain 401 on Basic may mean the instance refuses Basic for APIs.

export interface ExplainContext {
  spec: Pick<ConnectionSpec, 'id' | 'name' | 'auth'>;
  /** The record the call was about, e.g. "INC0010001". */
  record?: string;
}

const DATA_POLICY = /Data Policy Exception:\s*(?:The following fields are mandatory:\s*)?([\s\S]*)$/i;
const BUSINESS_RULE = /aborted by Business Rule '([^'^]+)/i;

/** Failures already put in these words, so a second pass (an outer catch) leaves them alone. */
const explained = new WeakSet<ContractFailure>();

export function explainSnowError(e: unknown, ctx: ExplainContext): unknown {
  if (!(e instanceof ContractFailure) || explained.has(e)) return e;
  const out = explain(e, ctx);
  explained.add(out);
  return out;
}

function explain(e: ContractFailure, ctx: ExplainContext): ContractFailure {
  const remote = e.detail?.remoteMessage ?? '';
  const detail = { ...(e.detail ?? {}), connectionId: ctx.spec.id };
  const say = (message: string, extra: Partial<typeof detail> = {}): ContractFailure =>
    new ContractFailure(e.code, message, { ...detail, ...extra });
  switch (e.code) {
    case 'unauthorized':
      if (ctx.spec.auth.type === 'basic' && !/oauth/i.test(e.message)) {
        return say(
          `${e.message} Check the user name and password; some instances also refuse Basic auth for API calls — an OAuth connection works there.`,
        );
      }
      return say(e.message);
    case 'forbidden': {
      if (/unscoped api/i.test(remote)) return say(`${e.message} The OAuth application needs the "useraccount" scope.`);
      const policy = DATA_POLICY.exec(remote);
      if (policy) {
        const fields = (policy[1] ?? '')
          .split(',')
          .map((f) => f.trim())
          .filter((f) => f !== '')
          .map((f) => ({ path: f, message: 'mandatory (data policy)' }));
        return say(`ServiceNow refused the change${ctx.record ? ` to ${ctx.record}` : ''}: ${remote}`, fields.length ? { fields } : {});
      }
      const rule = BUSINESS_RULE.exec(remote);
      if (rule)
        return say(`ServiceNow's business rule "${rule[1] ?? ''}" aborted the change${ctx.record ? ` to ${ctx.record}` : ''}: ${remote}`);
      return say(e.message);
    }
    case 'not_found':
      if (ctx.record) return say(`${ctx.record} was deleted or is not visible to this connection's user. ${e.message}`);
      return say(e.message);
    default:
      return e.detail?.connectionId ? e : say(e.message);
  }
}

/** The same failure with more words (a hint); it stays explained. */
export function withMoreWords(f: ContractFailure, words: string): ContractFailure {
  const out = new ContractFailure(f.code, `${f.message} ${words}`, f.detail);
  explained.add(out);
  return out;
}

/** The ContractFailure to throw (unknown errors become `internal` with their message). */
export function asFailure(e: unknown, ctx: ExplainContext): ContractFailure {
  const x = explainSnowError(e, ctx);
  if (x instanceof ContractFailure) return x;
  return new ContractFailure('internal', x instanceof Error ? x.message : String(x), { connectionId: ctx.spec.id });
}
