import type { ContractError } from '@shared/kernel/result';
import { toContractError } from '../../kernel/dispatch/errors';
import { watchRefusals } from '../../kernel/http/refusal-watch';

// How a `detail` policy runs (features/<cap>/*-offline.ts declare them: an incident with its journal, an SLO's
// summary and charts, a job's last known state): read live, or from the offline copy when its system does not
// answer. A refused connection is known in milliseconds: the first refused read hands over to the copy at once
// (the HTTP client's retries, meant for a system being restarted, go on behind it and refresh the copy if one
// succeeds; with no copy the read waits for them as before). A hung
// one would hold the screen on a skeleton for the HTTP client's whole timeout and its retries (10–25 s), so a
// detail read that has a copy waits at most DETAIL_BUDGET_MS for the live answer and then answers with the
// copy, marked with its age and why. The live read carries on and refreshes the copy when it lands; the
// renderer reads again while it shows a copy, so a slow-but-working system replaces it within seconds.

/**
 * 2.5 s: a healthy ServiceNow, AWX or Prometheus answers one record or one SLO's range queries well under a
 * second, and under load (OAuth refresh, a cold TLS handshake, a busy node) within about two. Past 2.5 s the
 * system is much more likely hung than slow, and the person at the console is better served by the copy and
 * its age now than by the live answer in ten seconds or never.
 */
export const DETAIL_BUDGET_MS = 2_500;

/** A record gone (404) or no longer readable by this user (403) is not shown from an old copy. */
const NEVER_FROM_COPY = new Set<string>(['not_found', 'forbidden']);

type Copy<T> = { out: T; syncedAt: string } | null;

/**
 * Live within the budget; else the copy. `restore(error)` builds the copy's answer with its offline mark; it
 * is asked only when the live read failed for want of a system, or ran over the budget.
 */
export async function liveOrCopy<T>(
  live: () => Promise<T>,
  restore: (error: ContractError) => Promise<Copy<T>>,
  opts: { budgetMs: number; canServe: (e: ContractError) => boolean; overBudget: () => ContractError; onLive: (out: T) => void },
): Promise<{ out: T; copy: { syncedAt: string; error: ContractError } | null }> {
  let refused: ((e: ContractError) => void) | undefined;
  const firstRefusal = new Promise<{ refused: ContractError }>((r) => {
    refused = (e) => r({ refused: e });
  });
  const pending = watchRefusals((e) => refused?.(e), live).then(
    (out) => {
      opts.onLive(out);
      return { ok: true as const, out };
    },
    (e: unknown) => ({ ok: false as const, e }),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overBudget = new Promise<'budget'>((r) => {
    timer = setTimeout(() => r('budget'), opts.budgetMs);
  });
  const fromCopy = async (error: ContractError): Promise<{ out: T; copy: { syncedAt: string; error: ContractError } } | null> => {
    if (!opts.canServe(error) || NEVER_FROM_COPY.has(error.code)) return null;
    const hit = await restore(error).catch(() => null);
    return hit ? { out: hit.out, copy: { syncedAt: hit.syncedAt, error } } : null;
  };
  let first = await Promise.race([pending, overBudget, firstRefusal]);
  if (typeof first === 'object' && 'refused' in first) {
    // Refused: the copy now, with the system's own words; without one, wait for the retries (within the budget).
    const served = await fromCopy(first.refused);
    if (served) {
      clearTimeout(timer);
      return served;
    }
    first = await Promise.race([pending, overBudget]);
  }
  clearTimeout(timer);
  if (first === 'budget') {
    const served = await fromCopy(opts.overBudget());
    if (served) return served;
  }
  const settled = first === 'budget' ? await pending : first;
  if (settled.ok) return { out: settled.out, copy: null };
  const served = await fromCopy(toContractError(settled.e));
  if (served) return served;
  throw settled.e;
}
