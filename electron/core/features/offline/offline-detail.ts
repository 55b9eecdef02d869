import type { MethodArgs, MethodName, MethodOutput } from '@shared/contract';
import type { OfflineKind, OfflineMark } from '@shared/offline/contract';
import type { SloDetail, SloFleet, SloStatusView } from '@shared/slo/contract';
import type { JobDetail, JobSummary } from '@shared/jobs/model';
import type { IncidentDetail, IncidentRow, QueueSnapshot } from '@shared/incidents/model';
import type { ContractError } from '@shared/kernel/result';
import { toContractError } from '../../kernel/dispatch/errors';
import type { CallContext, Handler, Registry } from '../../kernel/dispatch/registry';
import type { OfflineCache } from './offline-cache';

// One record's detail — an incident with its journal, an SLO's summary and charts, a job's last known state —
// read live, or from the offline copy when its system does not answer. A refused connection fails fast; a hung
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

export interface DetailDeps {
  cache: OfflineCache;
  /** Whether a failed read may be answered from the copy at all (the CLI never does). */
  canServe: (error: ContractError) => boolean;
  /** Connection names, for "ServiceNow (prod) did not answer within 2.5 s". */
  connectionName: (kind: 'servicenow' | 'awx' | 'prometheus', id: string | undefined) => string;
  /** The SLO fleet copy, for the summary of an SLO whose charts were never read. */
  fleetCopy: () => Promise<{ data: SloFleet; syncedAt: string } | null>;
  noteServed: (method: string, key: string, syncedAt: string, error: ContractError) => void;
  clearServed: (method: string, key: string) => void;
  /** Stores a live answer (throttled unless a sync is running). */
  put: (kind: OfflineKind, key: string, data: unknown, syncedAt?: string) => void;
  budgetMs?: number;
  now?: () => number;
}

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
  const pending = live().then(
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
  const first = await Promise.race([pending, overBudget]);
  clearTimeout(timer);
  const fromCopy = async (error: ContractError): Promise<{ out: T; copy: { syncedAt: string; error: ContractError } } | null> => {
    if (!opts.canServe(error) || NEVER_FROM_COPY.has(error.code)) return null;
    const hit = await restore(error).catch(() => null);
    return hit ? { out: hit.out, copy: { syncedAt: hit.syncedAt, error } } : null;
  };
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

const mark = (syncedAt: string, error: ContractError, missing?: string): OfflineMark => ({
  syncedAt,
  reason: error.message,
  ...(missing ? { missing } : {}),
});

const EMPTY = { value: '', label: '' };

/** An incident's detail from its queue row, when only the list was ever read: the journal is what it lacks. */
export function detailFromRow(row: IncidentRow, link: string): IncidentDetail {
  return {
    ...row,
    description: '',
    caller_id: EMPTY,
    opened_by: EMPTY,
    impact: EMPTY,
    urgency: EMPTY,
    category: EMPTY,
    subcategory: EMPTY,
    contact_type: EMPTY,
    business_service: EMPTY,
    close_code: EMPTY,
    close_notes: '',
    resolved_at: '',
    resolved_by: EMPTY,
    sys_created_on: row.opened_at,
    sys_updated_by: '',
    made_sla: true,
    reassignment_count: 0,
    reopen_count: 0,
    journal: [],
    journalError: null,
    link,
    alert: row.u_alert_name || row.u_alert_instance ? { name: row.u_alert_name, instance: row.u_alert_instance } : null,
  };
}

/** A job's detail from the job list's row: status, times and template, without the recap or variables. */
export function jobFromSummary(job: JobSummary): JobDetail {
  return {
    ...job,
    jobExplanation: '',
    resultTraceback: '',
    eventProcessingFinished: true,
    hostStatusCounts: null,
    inventory: null,
    extraVars: '{}',
    production: false,
  };
}

/** An SLO's detail from its fleet status: the summary and burn rates, no chart points. */
export function sloDetailFromStatus(status: SloStatusView, widthPx: number, syncedAt: string): SloDetail {
  const end = Date.parse(status.fetchedAt ?? syncedAt);
  return {
    status,
    range: { start: end - status.windowSeconds * 1000, end, stepSeconds: 0 },
    windowEnd: end,
    budget: { actual: [], ideal: [] },
    sli: [],
    requests: null,
    errors: null,
    burnTable: [],
    alertTimeline: [],
    widthPx,
    queryCount: 0,
    rangeFetch: 'cached',
    fetchedAt: status.fetchedAt ?? syncedAt,
    notes: [],
  };
}

const incidentKey = (connectionId: string, sysId: string): string => `${connectionId}\n${sysId}`;
const jobKey = (connectionId: string, jobId: number): string => `${connectionId}#${jobId}`;

export function installOfflineDetail(registry: Registry, d: DetailDeps, firstSnow: () => string | undefined): void {
  const budgetMs = d.budgetMs ?? DETAIL_BUDGET_MS;
  const seconds = `${(budgetMs / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s`;

  function detail<M extends MethodName>(
    method: M,
    spec: {
      system: (a: MethodArgs<M>) => string;
      key: (a: MethodArgs<M>) => string;
      save: (out: MethodOutput<M>, a: MethodArgs<M>) => void;
      restore: (a: MethodArgs<M>, error: ContractError) => Promise<Copy<MethodOutput<M>>>;
    },
  ): void {
    registry.decorate(method, (inner: Handler<M>) => async (args: MethodArgs<M>, ctx: CallContext): Promise<MethodOutput<M>> => {
      const key = spec.key(args);
      const r = await liveOrCopy(
        () => Promise.resolve(inner(args, ctx)),
        (error) => spec.restore(args, error),
        {
          budgetMs,
          canServe: d.canServe,
          overBudget: () => ({ code: 'timeout', message: `${spec.system(args)} did not answer within ${seconds}.` }),
          onLive: (out) => {
            spec.save(out, args);
            d.clearServed(method, key);
          },
        },
      );
      if (r.copy) d.noteServed(method, key, r.copy.syncedAt, r.copy.error);
      return r.out;
    });
  }

  // --- incidents: the detail with its journal; else the queue row, saying the journal is not in the copy -------
  detail('incidents.get', {
    system: (a) => d.connectionName('servicenow', a.connectionId ?? firstSnow()),
    key: (a) => incidentKey(a.connectionId ?? firstSnow() ?? '', a.sysId),
    save: (out, a) => {
      if (!out.offline) d.put('incident', incidentKey(a.connectionId ?? firstSnow() ?? '', a.sysId), out);
    },
    restore: async (a, error) => {
      const conn = a.connectionId ?? firstSnow() ?? '';
      const hit = await d.cache.get<IncidentDetail>('incident', incidentKey(conn, a.sysId));
      const queue = await d.cache.get<QueueSnapshot>('incidents', conn);
      const row = queue?.data.rows.find((r) => r.sys_id === a.sysId);
      // The queue may have been read after the detail: a newer row (higher sys_mod_count) says the copy is behind.
      if (hit && (!row || row.sys_mod_count <= hit.data.sys_mod_count))
        return { out: { ...hit.data, offline: mark(hit.syncedAt, error) }, syncedAt: hit.syncedAt };
      if (row && queue) {
        const missing = hit
          ? `The description and work notes are from update ${hit.data.sys_mod_count}; the queue saw update ${row.sys_mod_count}.`
          : 'The description and work notes were never read while ServiceNow answered.';
        const base = hit ? { ...hit.data, ...row } : detailFromRow(row, '');
        return { out: { ...base, offline: mark(queue.syncedAt, error, missing) }, syncedAt: queue.syncedAt };
      }
      return hit ? { out: { ...hit.data, offline: mark(hit.syncedAt, error) }, syncedAt: hit.syncedAt } : null;
    },
  });

  // --- SLO detail: the charts last read; else the fleet copy's summary -------------------------------------
  detail('slo.detail', {
    system: () => 'Prometheus',
    key: (a) => a.id,
    save: (out, a) => {
      // The whole window only: a zoomed view is not what the detail opens on.
      if (!out.offline && !out.status.stale && a.from === undefined && a.to === undefined) d.put('sloDetail', a.id, out, out.fetchedAt);
    },
    restore: async (a, error) => {
      const hit = await d.cache.get<SloDetail>('sloDetail', a.id);
      if (hit) return { out: { ...hit.data, offline: mark(hit.syncedAt, error) }, syncedAt: hit.syncedAt };
      const fleet = await d.fleetCopy();
      const status = fleet?.data.statuses.find((s) => s.id === a.id);
      if (!fleet || !status) return null;
      const out = sloDetailFromStatus(status, a.widthPx, fleet.syncedAt);
      return {
        out: {
          ...out,
          offline: mark(fleet.syncedAt, error, 'The charts were never read while Prometheus answered; the summary is from the fleet.'),
        },
        syncedAt: fleet.syncedAt,
      };
    },
  });

  // --- jobs: the last detail read; else the job list's row (its last known status, never "unknown") ----------
  detail('jobs.get', {
    system: (a) => d.connectionName('awx', a.connectionId),
    key: (a) => jobKey(a.connectionId, a.jobId),
    save: (out, a) => {
      if (!out.offline) d.put('job', jobKey(a.connectionId, a.jobId), out);
    },
    restore: async (a, error) => {
      const hit = await d.cache.get<JobDetail>('job', jobKey(a.connectionId, a.jobId));
      const list = await d.cache.get<{ jobs: JobSummary[]; fetchedAt: string }>('jobs', a.connectionId);
      const row = list?.data.jobs.find((j) => j.id === a.jobId);
      // Whichever was read last holds the last known status.
      if (hit && (!row || !list || hit.syncedAt >= list.syncedAt))
        return { out: { ...hit.data, offline: mark(hit.syncedAt, error) }, syncedAt: hit.syncedAt };
      if (row && list) {
        const base = hit ? { ...hit.data, ...row } : jobFromSummary(row);
        const missing = hit
          ? undefined
          : 'The host recap and variables were never read while AWX answered; the status is from the job list.';
        return { out: { ...base, offline: mark(list.syncedAt, error, missing) }, syncedAt: list.syncedAt };
      }
      return null;
    },
  });
}
