import { ContractFailure, isContractError } from '@shared/kernel/result';
import type { ContractError } from '@shared/kernel/result';

/** Any thrown value, as a contract error. Unknown errors keep their message but never their stack. */
export function toContractError(e: unknown): ContractError {
  if (e instanceof ContractFailure) return e.toJSON();
  if (isContractError(e)) return e;
  if (e instanceof Error && e.name === 'AbortError') return { code: 'cancelled', message: 'The request was cancelled.' };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: message || 'Unexpected error in the console.' };
}
