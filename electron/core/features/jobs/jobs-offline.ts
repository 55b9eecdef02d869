import type { MethodOutput } from '@shared/contract';
import type { ConnectionProblem, JobDetail, JobSummary, LaunchForm, TemplateSummary } from '@shared/jobs/model';
import type { OfflineMark } from '@shared/offline/contract';
import type { ContractError } from '@shared/kernel/result';
import type { CallPolicy, OfflineStore, SyncStep } from '../../kernel/dispatch/offline-policy';
import { syncedText } from '../../kernel/dispatch/offline-policy';
import { isTerminalStatus } from '@shared/jobs/jobs';
import { jobLogKey } from './job-log-key';
import type { SyncedLog } from './job-log-key';
import type { Port } from '../../kernel/dispatch/registry';

// AWX offline: templates per connection, launch forms with their surveys (readable, never launchable from the
// copy), the job list per connection and each job's last known state. Launch, cancel and relaunch are actions
// and have no policy: they are never answered from a copy.

const launchKey = (a: {
  connectionId?: string | undefined;
  templateId?: number | undefined;
  templateName?: string | undefined;
  runbookId?: string | undefined;
}): string => `req:${a.connectionId ?? ''}|${a.templateId ?? ''}|${(a.templateName ?? '').toLowerCase()}|${a.runbookId ?? ''}`;
const templateKey = (connectionId: string, templateId: number): string => `tpl:${connectionId}#${templateId}`;
const nameKey = (name: string): string => `name:${name.toLowerCase()}`;
const jobKey = (connectionId: string, jobId: number): string => `${connectionId}#${jobId}`;
const awxIds = (store: OfflineStore, requested?: string): string[] => (requested ? [requested] : store.connections('awx').map((c) => c.id));

const mark = (syncedAt: string, error: ContractError, missing?: string): OfflineMark => ({
  syncedAt,
  reason: error.message,
  ...(missing ? { missing } : {}),
});

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

/** Templates per connection: a connection that fails shows its copy's templates, launching off. */
export const templatesOffline: CallPolicy<'jobs.templates'> = {
  kind: 'wrap',
  wrap: (inner, store) => async (args, ctx) => {
    const out = await inner(args, ctx);
    if (args.search) return out;
    const failed = new Map(out.problems.map((p) => [p.connectionId, p]));
    for (const id of awxIds(store, args.connectionId)) {
      if (failed.has(id)) continue;
      store.put(
        'templates',
        id,
        out.templates.filter((t) => t.connectionId === id),
      );
      store.clearServed('jobs.templates', id);
    }
    if (failed.size === 0) return out;
    const templates: TemplateSummary[] = [...out.templates];
    const problems: ConnectionProblem[] = [];
    for (const p of out.problems) {
      const hit = store.canServe({ code: p.code as ContractError['code'], message: p.message })
        ? await store.get<TemplateSummary[]>('templates', p.connectionId)
        : null;
      if (!hit) {
        problems.push(p);
        continue;
      }
      store.noteServed('jobs.templates', p.connectionId, hit.syncedAt, { code: 'unreachable', message: p.message });
      templates.push(...hit.data.map((t) => ({ ...t, canLaunch: false })));
      problems.push({
        ...p,
        message: `${p.message} — showing its templates as ${syncedText(hit.syncedAt, Date.now())}; launching needs ${p.connectionName}.`,
      });
    }
    return { templates, problems };
  },
};

/** A launch form, found again by the request, by template id or by name (a runbook names its template). */
export const launchFormOffline: CallPolicy<'jobs.launchForm'> = {
  kind: 'copy',
  key: (a) => launchKey(a),
  save: (out, a, store) => {
    if (out.offline) return;
    store.put('launchForm', launchKey(a), out);
    store.put('launchForm', templateKey(out.template.connectionId, out.template.id), out);
    store.put('launchForm', nameKey(out.template.name), out);
  },
  restore: async (a, error, store) => {
    const keys = [launchKey(a)];
    if (a.connectionId && a.templateId !== undefined) keys.push(templateKey(a.connectionId, a.templateId));
    if (a.templateName) keys.push(nameKey(a.templateName));
    if (a.runbookId) {
      const rb = await store.get<MethodOutput<'runbooks.get'>>('runbook', a.runbookId);
      if (rb?.data.awx) keys.push(nameKey(rb.data.awx.template));
    }
    for (const key of keys) {
      const hit = await store.get<LaunchForm>('launchForm', key);
      if (!hit) continue;
      // The form is readable; launching needs AWX, so the copy says it cannot be launched from here.
      const out: LaunchForm = {
        ...hit.data,
        template: { ...hit.data.template, canLaunch: false },
        offline: { syncedAt: hit.syncedAt, reason: error.message },
      };
      return { out, syncedAt: hit.syncedAt, key: launchKey(a) };
    }
    return null;
  },
};

/** The job list per connection; the answer is as old as the oldest copy in it. */
export const jobListOffline: CallPolicy<'jobs.list'> = {
  kind: 'wrap',
  wrap: (inner, store) => async (args, ctx) => {
    const out = await inner(args, ctx);
    if (args.activeOnly) return out;
    const failed = new Map(out.problems.map((p) => [p.connectionId, p]));
    for (const id of awxIds(store, args.connectionId)) {
      if (failed.has(id)) continue;
      store.put('jobs', id, { jobs: out.jobs.filter((j) => j.connectionId === id), fetchedAt: out.fetchedAt });
      store.clearServed('jobs.list', id);
    }
    if (failed.size === 0) return out;
    const jobs: JobSummary[] = [...out.jobs];
    const problems: ConnectionProblem[] = [];
    let fetchedAt = out.fetchedAt;
    for (const p of out.problems) {
      const hit = store.canServe({ code: p.code as ContractError['code'], message: p.message })
        ? await store.get<{ jobs: JobSummary[]; fetchedAt: string }>('jobs', p.connectionId)
        : null;
      if (!hit) {
        problems.push(p);
        continue;
      }
      store.noteServed('jobs.list', p.connectionId, hit.syncedAt, { code: 'unreachable', message: p.message });
      jobs.push(...hit.data.jobs);
      if (hit.syncedAt < fetchedAt) fetchedAt = hit.syncedAt;
      problems.push({ ...p, message: `${p.message} — showing its jobs as ${syncedText(hit.syncedAt, Date.now())}.` });
    }
    return { ...out, jobs, problems, fetchedAt };
  },
};

/** One job's last known state in the copy: the last detail read; else the job list's row (never "unknown"). */
export async function restoreJob(
  a: { connectionId: string; jobId: number },
  error: ContractError,
  store: OfflineStore,
): Promise<{ out: JobDetail; syncedAt: string } | null> {
  const hit = await store.get<JobDetail>('job', jobKey(a.connectionId, a.jobId));
  const list = await store.get<{ jobs: JobSummary[]; fetchedAt: string }>('jobs', a.connectionId);
  const row = list?.data.jobs.find((j) => j.id === a.jobId);
  // Whichever was read last holds the last known status.
  if (hit && (!row || !list || hit.syncedAt >= list.syncedAt))
    return { out: { ...hit.data, offline: mark(hit.syncedAt, error) }, syncedAt: hit.syncedAt };
  if (row && list) {
    const base = hit ? { ...hit.data, ...row } : jobFromSummary(row);
    const missing = hit ? undefined : 'The host recap and variables were never read while AWX answered; the status is from the job list.';
    return { out: { ...base, offline: mark(list.syncedAt, error, missing) }, syncedAt: list.syncedAt };
  }
  return null;
}

/** One job: its last known state from the copy (restoreJob). */
export const jobOffline: CallPolicy<'jobs.get'> = {
  kind: 'detail',
  system: (a, store) => store.connectionName('awx', a.connectionId),
  key: (a) => jobKey(a.connectionId, a.jobId),
  save: (out, a, store) => {
    if (!out.offline) store.put('job', jobKey(a.connectionId, a.jobId), out);
  },
  restore: (a, error, store) => restoreJob(a, error, store),
};

/** Finished jobs whose logs the sync keeps: the most recent ones (each log within the per-log cap). */
export const SYNC_JOB_LOGS = 20;

/** Follows one finished job's log to its end so the job log policy keeps it (job-log-offline.ts followToEnd). */
export type FollowLog = (connectionId: string, jobId: number) => Promise<SyncedLog>;

/**
 * Templates and their launch forms (those that can be launched or ask a survey), the launch form of every runbook
 * that names a template, the recent jobs, and (given `followLog`) the logs of the SYNC_JOB_LOGS most recent
 * finished jobs not yet in the copy. Skipped when no AWX connection is configured.
 */
export function jobsSync(listRunbooks: Port<'runbooks.list'> | undefined, followLog?: FollowLog): SyncStep {
  // Logs over the per-log cap are never kept: not read again on every sync.
  const tooBig = new Set<string>();
  return {
    name: 'jobs',
    order: 20,
    run: async ({ read, errors, store, ctx }) => {
      if (store.connections('awx').length === 0) return;
      const t = await read('jobs.templates', {}, 'Job templates');
      for (const p of t?.problems ?? []) errors.push(`Job templates on ${p.connectionName}: ${p.message}`);
      for (const tpl of t?.templates.filter((x) => x.canLaunch || x.surveyEnabled) ?? []) {
        if (store.wasServed('jobs.templates', tpl.connectionId)) continue;
        await read('jobs.launchForm', { connectionId: tpl.connectionId, templateId: tpl.id }, `Launch form of ${tpl.name}`);
      }
      // The runbooks step before this one reported a list it could not read; here it only names the forms to read.
      const runbooks = listRunbooks ? await listRunbooks({}, ctx).catch(() => null) : null;
      for (const r of runbooks?.runbooks.filter((x) => x.awx) ?? [])
        await read('jobs.launchForm', { runbookId: r.id }, `Launch form of runbook ${r.title}`);
      const jobs = await read('jobs.list', { limit: 100 }, 'Jobs');
      for (const p of jobs?.problems ?? []) errors.push(`Jobs on ${p.connectionName}: ${p.message}`);
      if (!followLog || !jobs) return;
      const away = new Set(jobs.problems.map((p) => p.connectionId));
      const kept = new Set((await store.entries()).filter((e) => e.kind === 'jobLog').map((e) => e.key));
      const recent = jobs.jobs
        .filter((j) => isTerminalStatus(j.status) && !away.has(j.connectionId))
        .sort((a, b) => (b.finished ?? '').localeCompare(a.finished ?? '') || b.id - a.id)
        .slice(0, SYNC_JOB_LOGS);
      for (const j of recent) {
        const key = jobLogKey(j.connectionId, j.id);
        if (kept.has(key) || tooBig.has(key)) continue;
        const how = await followLog(j.connectionId, j.id);
        if (how === 'too-big') tooBig.add(key);
        if (how === 'unavailable') {
          // AWX stopped answering: the next sync tries again.
          errors.push(`Log of job #${j.id} on ${j.connectionName}: AWX did not give it; the next sync tries again.`);
          break;
        }
      }
    },
  };
}
