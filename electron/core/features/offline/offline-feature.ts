import path from 'node:path';
import type { MethodArgs, MethodName, MethodOutput } from '@shared/contract';
import type { OfflineKind, OfflineServed, OfflineStatus, OfflineSyncReport } from '@shared/offline/contract';
import type { SloFleet, SloStatusView } from '@shared/slo/contract';
import type { ConnectionProblem, JobSummary, LaunchForm, TemplateSummary } from '@shared/jobs/model';
import type { ChangeRow, IncidentRow, QueueSnapshot } from '@shared/incidents/model';
import type { RunbookSummary } from '@shared/runbooks/model';
import type { ContractError } from '@shared/kernel/result';
import type { CallContext, Handler, Registry } from '../../kernel/dispatch/registry';
import { toContractError } from '../../kernel/dispatch/errors';
import type { ConnectionKind } from '@shared/connections/model';
import { OfflineCache } from './offline-cache';
import { installJobLogCache } from './job-log-cache';
import { installOfflineDetail } from './offline-detail';

// Hooks the offline cache into the features' own reads, from outside: each read that succeeds leaves its answer
// in the cache (`cache.put(kind, key, data)`), and a read that fails because its system cannot be reached is
// answered from the cache instead, marked as such (stale, with when it was synced and why the live read
// failed). A background sync reads everything worth having offline every few minutes. Actions are never cached
// and never answered from the cache.
// Over 400 lines because each cached read's save/restore pair lives beside the others it must agree with
// (keys, "served" notes, the sync that reads them); one record's detail lives in offline-detail.ts.

export interface OfflineFeatureOptions {
  dataDir: string;
  redact?: (text: string) => string;
  /** Run the background sync (desktop and `toc serve`); the one-shot CLI does not. */
  background: boolean;
  /**
   * Answer failed reads from the copy (default true). The command line keeps its copies but never answers from
   * them: a deploy gate or a script must see that the system is down, not yesterday's numbers.
   */
  serveCopies?: boolean;
  /** First background sync after this delay, then every `intervalMs`. Defaults 20 s and 10 min. */
  firstSyncMs?: number;
  intervalMs?: number;
  minWriteIntervalMs?: number;
  /** The bound on the whole copy on disk (default 256 MiB). */
  maxTotalBytes?: number;
  /** How long a detail read with a copy waits for its system (default DETAIL_BUDGET_MS). */
  detailBudgetMs?: number;
  log?: (line: string) => void;
}

/** Incident details the background sync keeps per ServiceNow connection: the most urgent, then the newest. */
export const SYNC_INCIDENT_DETAILS = 50;

export interface OfflineFeature {
  cache: OfflineCache;
  sync(): Promise<OfflineSyncReport>;
  status(): Promise<OfflineStatus>;
  dispose(): Promise<void>;
}

/** Errors that say the question was wrong, not that the system was away: those are never answered from cache. */
const NOT_OFFLINE = new Set<string>(['bad_request', 'not_configured', 'read_only', 'cancelled', 'unknown_method', 'config', 'validation']);
const MAX_SERVED = 40;

export function canServeFromCache(error: ContractError): boolean {
  return !NOT_OFFLINE.has(error.code);
}

/** "synced 3 h ago (2026-05-01 10:00 UTC)" for messages. */
export function syncedText(syncedAt: string, now: number): string {
  const ms = now - Date.parse(syncedAt);
  const m = Math.max(0, Math.round(ms / 60_000));
  const age =
    m < 1
      ? 'less than a minute ago'
      : m < 90
        ? `${m} min ago`
        : m < 48 * 60
          ? `${Math.round(m / 60)} h ago`
          : `${Math.round(m / 1440)} d ago`;
  return `synced ${age} (${syncedAt.slice(0, 16).replace('T', ' ')} UTC)`;
}

/** Marks SLO statuses from the cache: stale, with why and since when; the tile greys them and says so. */
export function staleFleetFrom(cached: SloFleet, live: SloFleet | null, syncedAt: string, reason: string, now: number): SloFleet {
  const why = `offline copy ${syncedText(syncedAt, now)} — ${reason}`;
  const mark = (s: SloStatusView): SloStatusView => ({ ...s, stale: true, staleReason: why });
  if (!live) return { ...cached, stale: true, statuses: cached.statuses.map(mark) };
  const old = new Map(cached.statuses.map((s) => [s.id, s]));
  // Statuses this process never read (fetchedAt null) come from the copy; everything read live stays live.
  const statuses = live.statuses.map((s) => {
    const c = s.fetchedAt === null ? old.get(s.id) : undefined;
    return c ? mark(c) : s;
  });
  return {
    ...live,
    statuses,
    fetchedAt: live.fetchedAt ?? cached.fetchedAt,
    stale: true,
    connections: live.connections.map((c) =>
      c.fetchedAt === null ? { ...c, fetchedAt: cached.connections.find((x) => x.id === c.id)?.fetchedAt ?? null } : c,
    ),
  };
}

/** Runbook search over the cached list when the folders cannot be read: every word in title, tags or file. */
export function filterRunbooks(list: readonly RunbookSummary[], query: string): RunbookSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return list.filter((r) => {
    const hay = [r.title, r.id, ...r.tags, ...r.services, ...r.alerts, ...r.cis, r.awx?.template ?? ''].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

const launchKey = (a: {
  connectionId?: string | undefined;
  templateId?: number | undefined;
  templateName?: string | undefined;
  runbookId?: string | undefined;
}): string => `req:${a.connectionId ?? ''}|${a.templateId ?? ''}|${(a.templateName ?? '').toLowerCase()}|${a.runbookId ?? ''}`;
const templateKey = (connectionId: string, templateId: number): string => `tpl:${connectionId}#${templateId}`;
const nameKey = (name: string): string => `name:${name.toLowerCase()}`;

/** What the feature needs of the core: which connections exist and whether the workspace names SLO files. */
export interface OfflineServices {
  connections: { byKind(kind: ConnectionKind): { id: string; name: string }[] };
  workspace(): { slos: { files: string[] } };
}

export function installOfflineCache(registry: Registry, s: OfflineServices, opts: OfflineFeatureOptions): OfflineFeature {
  const log = opts.log ?? (() => undefined);
  const cache = new OfflineCache({
    dir: path.join(opts.dataDir, 'offline-cache'),
    ...(opts.redact ? { redact: opts.redact } : {}),
    ...(opts.minWriteIntervalMs !== undefined ? { minWriteIntervalMs: opts.minWriteIntervalMs } : {}),
    ...(opts.maxTotalBytes !== undefined ? { maxTotalBytes: opts.maxTotalBytes } : {}),
    log,
  });
  const served: OfflineServed[] = [];
  let forcing = 0;
  let lastSync: OfflineSyncReport | null = null;
  let running: Promise<OfflineSyncReport> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  const put = (kind: OfflineKind, key: string, data: unknown, syncedAt?: string): void => {
    void cache.put(kind, key, data, { throttle: forcing === 0, ...(syncedAt ? { syncedAt } : {}) });
  };
  const noteServed = (method: string, key: string, syncedAt: string, error: ContractError): void => {
    const i = served.findIndex((x) => x.method === method && x.key === key);
    if (i >= 0) served.splice(i, 1);
    served.unshift({ method, key, syncedAt, reason: error.message, at: new Date().toISOString() });
    served.length = Math.min(served.length, MAX_SERVED);
  };
  const clearServed = (method: string, key: string): void => {
    const i = served.findIndex((x) => x.method === method && x.key === key);
    if (i >= 0) served.splice(i, 1);
  };
  const awxIds = (requested?: string): string[] => (requested ? [requested] : s.connections.byKind('awx').map((c) => c.id));
  const firstSnow = (): string | undefined => s.connections.byKind('servicenow')[0]?.id;
  const serveCopies = opts.serveCopies ?? true;
  const canServe = (error: ContractError): boolean => serveCopies && canServeFromCache(error);
  // Finished job logs (their own entry kind and bound: job-log-cache.ts).
  installJobLogCache(registry, cache, { serveCopies, canServe: (code) => !NOT_OFFLINE.has(code) });

  /** The decorator every cached read shares: live first, the copy when the live read throws for want of a system. */
  function cached<M extends MethodName>(
    method: M,
    spec: {
      key: (a: MethodArgs<M>) => string | null;
      save: (out: MethodOutput<M>, a: MethodArgs<M>) => void;
      restore: (a: MethodArgs<M>, error: ContractError) => Promise<{ out: MethodOutput<M>; syncedAt: string; key: string } | null>;
    },
  ): void {
    registry.decorate(method, (inner: Handler<M>) => async (args: MethodArgs<M>, ctx: CallContext): Promise<MethodOutput<M>> => {
      try {
        const out = await inner(args, ctx);
        spec.save(out, args);
        const key = spec.key(args);
        if (key !== null) clearServed(method, key);
        return out;
      } catch (e) {
        const error = toContractError(e);
        if (!canServe(error)) throw e;
        const hit = await spec.restore(args, error).catch(() => null);
        if (!hit) throw e;
        noteServed(method, hit.key, hit.syncedAt, error);
        return hit.out;
      }
    });
  }

  // --- runbooks: local files, but folders may live on a share that goes with the network ------------------
  cached('runbooks.list', {
    key: (a) => a.query ?? '',
    save: (out, a) => {
      if (a.query) return;
      const unreadable = out.runbooks.length === 0 && out.problems.some((p) => out.folders.includes(p.file));
      if (!unreadable) put('runbooks', '', out);
    },
    restore: async (a) => {
      const hit = await cache.get<MethodOutput<'runbooks.list'>>('runbooks', '');
      if (!hit) return null;
      const runbooks = a.query ? filterRunbooks(hit.data.runbooks, a.query) : hit.data.runbooks;
      return { out: { ...hit.data, runbooks }, syncedAt: hit.syncedAt, key: a.query ?? '' };
    },
  });
  // A folder that cannot be read makes `runbooks.list` answer with no runbooks and a problem rather than
  // throw: answer with the copy then too, and say so in the problems.
  registry.decorate('runbooks.list', (inner) => async (args, ctx) => {
    const out = await inner(args, ctx);
    const unreadable = out.runbooks.length === 0 && out.problems.some((p) => out.folders.includes(p.file));
    if (!unreadable || !serveCopies) return out;
    const hit = await cache.get<MethodOutput<'runbooks.list'>>('runbooks', '');
    if (!hit) return out;
    const error: ContractError = { code: 'unreachable', message: out.problems.map((p) => p.message).join(' ') };
    noteServed('runbooks.list', args.query ?? '', hit.syncedAt, error);
    const note = {
      file: 'offline cache',
      message: `The runbook folders cannot be read; these are the runbooks ${syncedText(hit.syncedAt, Date.now())}.`,
    };
    return {
      ...hit.data,
      runbooks: args.query ? filterRunbooks(hit.data.runbooks, args.query) : hit.data.runbooks,
      problems: [...out.problems, note],
    };
  });
  cached('runbooks.get', {
    key: (a) => a.id,
    save: (out) => put('runbook', out.id, out),
    restore: async (a) => {
      const hit = await cache.get<MethodOutput<'runbooks.get'>>('runbook', a.id);
      return hit ? { out: hit.data, syncedAt: hit.syncedAt, key: a.id } : null;
    },
  });

  // --- AWX: templates (per connection), launch forms with their surveys, jobs -----------------------------
  registry.decorate('jobs.templates', (inner) => async (args, ctx) => {
    const out = await inner(args, ctx);
    if (args.search) return out;
    const failed = new Map(out.problems.map((p) => [p.connectionId, p]));
    for (const id of awxIds(args.connectionId)) {
      if (failed.has(id)) continue;
      put(
        'templates',
        id,
        out.templates.filter((t) => t.connectionId === id),
      );
      clearServed('jobs.templates', id);
    }
    if (failed.size === 0) return out;
    const templates: TemplateSummary[] = [...out.templates];
    const problems: ConnectionProblem[] = [];
    for (const p of out.problems) {
      const hit = canServe({ code: p.code as ContractError['code'], message: p.message })
        ? await cache.get<TemplateSummary[]>('templates', p.connectionId)
        : null;
      if (!hit) {
        problems.push(p);
        continue;
      }
      noteServed('jobs.templates', p.connectionId, hit.syncedAt, { code: 'unreachable', message: p.message });
      templates.push(...hit.data.map((t) => ({ ...t, canLaunch: false })));
      problems.push({
        ...p,
        message: `${p.message} — showing its templates as ${syncedText(hit.syncedAt, Date.now())}; launching needs ${p.connectionName}.`,
      });
    }
    return { templates, problems };
  });
  cached('jobs.launchForm', {
    key: (a) => launchKey(a),
    save: (out, a) => {
      if (out.offline) return;
      put('launchForm', launchKey(a), out);
      put('launchForm', templateKey(out.template.connectionId, out.template.id), out);
      put('launchForm', nameKey(out.template.name), out);
    },
    restore: async (a, error) => {
      const keys = [launchKey(a)];
      if (a.connectionId && a.templateId !== undefined) keys.push(templateKey(a.connectionId, a.templateId));
      if (a.templateName) keys.push(nameKey(a.templateName));
      if (a.runbookId) {
        const rb = await cache.get<MethodOutput<'runbooks.get'>>('runbook', a.runbookId);
        if (rb?.data.awx) keys.push(nameKey(rb.data.awx.template));
      }
      for (const key of keys) {
        const hit = await cache.get<LaunchForm>('launchForm', key);
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
  });
  registry.decorate('jobs.list', (inner) => async (args, ctx) => {
    const out = await inner(args, ctx);
    if (args.activeOnly) return out;
    const failed = new Map(out.problems.map((p) => [p.connectionId, p]));
    for (const id of awxIds(args.connectionId)) {
      if (failed.has(id)) continue;
      put('jobs', id, { jobs: out.jobs.filter((j) => j.connectionId === id), fetchedAt: out.fetchedAt });
      clearServed('jobs.list', id);
    }
    if (failed.size === 0) return out;
    const jobs: JobSummary[] = [...out.jobs];
    const problems: ConnectionProblem[] = [];
    let fetchedAt = out.fetchedAt;
    for (const p of out.problems) {
      const hit = canServe({ code: p.code as ContractError['code'], message: p.message })
        ? await cache.get<{ jobs: JobSummary[]; fetchedAt: string }>('jobs', p.connectionId)
        : null;
      if (!hit) {
        problems.push(p);
        continue;
      }
      noteServed('jobs.list', p.connectionId, hit.syncedAt, { code: 'unreachable', message: p.message });
      jobs.push(...hit.data.jobs);
      // The answer is as old as the oldest copy in it.
      if (hit.syncedAt < fetchedAt) fetchedAt = hit.syncedAt;
      problems.push({ ...p, message: `${p.message} — showing its jobs as ${syncedText(hit.syncedAt, Date.now())}.` });
    }
    return { ...out, jobs, problems, fetchedAt };
  });

  // --- SLO fleet: the call and the live topic ---------------------------------------------------------------
  let fleetCopy: { data: SloFleet; syncedAt: string } | null = null;
  const fleetLoaded = cache.get<SloFleet>('sloFleet', '').then(
    (hit) => {
      fleetCopy ??= hit;
    },
    () => undefined,
  );
  const saveFleet = (f: SloFleet): void => {
    const allLive = f.fetchedAt !== null && f.connections.every((c) => c.ok) && f.statuses.every((x) => !x.stale);
    if (!allLive || f.statuses.length === 0) return;
    fleetCopy = { data: f, syncedAt: f.fetchedAt ?? new Date().toISOString() };
    put('sloFleet', '', f, fleetCopy.syncedAt);
    clearServed('slo.fleet', '');
  };
  /** The live fleet, with what this process never read filled in from the copy. */
  const withCopy = (f: SloFleet): SloFleet => {
    const missing = f.connections.length > 0 && f.statuses.some((x) => x.fetchedAt === null && x.status !== 'ok');
    if (!missing || !fleetCopy || !serveCopies) return f;
    const reason = f.connections.find((c) => !c.ok)?.error ?? 'Prometheus could not be reached';
    noteServed('slo.fleet', '', fleetCopy.syncedAt, { code: 'unreachable', message: reason });
    return staleFleetFrom(fleetCopy.data, f, fleetCopy.syncedAt, reason, Date.now());
  };
  registry.decorate('slo.fleet', (inner) => async (args, ctx) => {
    await fleetLoaded;
    try {
      const f = await inner(args, ctx);
      saveFleet(f);
      return withCopy(f);
    } catch (e) {
      const error = toContractError(e);
      if (!canServe(error) || !fleetCopy) throw e;
      noteServed('slo.fleet', '', fleetCopy.syncedAt, error);
      return staleFleetFrom(fleetCopy.data, null, fleetCopy.syncedAt, error.message, Date.now());
    }
  });
  registry.decorateSource(
    'slo.fleet',
    (inner) => (args, emit) =>
      inner(args, (f) => {
        saveFleet(f);
        emit(withCopy(f));
      }),
  );

  // --- one record's detail (incident, SLO, job): live within a short budget, else the copy -----------------
  installOfflineDetail(
    registry,
    {
      cache,
      canServe,
      connectionName: (kind, id) => {
        const c = s.connections.byKind(kind).find((x) => x.id === id);
        const label = kind === 'servicenow' ? 'ServiceNow' : kind === 'awx' ? 'AWX' : 'Prometheus';
        return c && c.name !== label ? `${label} (${c.name})` : label;
      },
      fleetCopy: async () => {
        await fleetLoaded;
        return fleetCopy;
      },
      noteServed,
      clearServed,
      put,
      ...(opts.detailBudgetMs !== undefined ? { budgetMs: opts.detailBudgetMs } : {}),
    },
    firstSnow,
  );

  // --- ServiceNow: incident queue and changes in flight, per connection -------------------------------------
  cached('incidents.list', {
    key: (a) => a.connectionId ?? firstSnow() ?? '',
    save: (out) => {
      if (out.error === null && out.syncedAt !== null) put('incidents', out.connectionId, out, out.syncedAt);
    },
    restore: async (a, error) => {
      const key = a.connectionId ?? firstSnow();
      if (!key) return null;
      const hit = await cache.get<QueueSnapshot>('incidents', key);
      if (!hit) return null;
      const out: QueueSnapshot = {
        ...hit.data,
        // A number no live delta follows: the first live answer replaces this copy with a snapshot.
        seq: -1,
        stale: true,
        nextAttemptAt: null,
        attemptedAt: new Date().toISOString(),
        error: { code: error.code, message: `${error.message} — showing the offline copy ${syncedText(hit.syncedAt, Date.now())}` },
      };
      return { out, syncedAt: hit.syncedAt, key };
    },
  });
  cached('incidents.changesInFlight', {
    key: (a) => a.connectionId ?? firstSnow() ?? '',
    save: (out) => put('changes', out.connectionId, out, out.fetchedAt),
    restore: async (a) => {
      const key = a.connectionId ?? firstSnow();
      if (!key) return null;
      const hit = await cache.get<{ connectionId: string; fetchedAt: string; changes: ChangeRow[] }>('changes', key);
      return hit ? { out: hit.data, syncedAt: hit.syncedAt, key } : null;
    },
  });

  // --- the sync: everything worth having offline, read through the same (decorated) handlers ----------------
  const internal = (ms: number): CallContext => ({ transport: 'direct', signal: AbortSignal.timeout(ms) });
  async function step<M extends MethodName>(
    errors: string[],
    label: string,
    method: M,
    args: MethodArgs<M>,
  ): Promise<MethodOutput<M> | null> {
    const h = registry.handlerFor(method);
    if (!h) return null;
    try {
      return await h(args, internal(120_000));
    } catch (e) {
      errors.push(`${label}: ${toContractError(e).message}`);
      return null;
    }
  }

  /** The journal of the incidents most likely to be opened offline, read again only when they changed. */
  async function syncIncidentDetails(errors: string[], c: { id: string; name: string }, rows: readonly IncidentRow[]): Promise<void> {
    const wanted = [...rows]
      .sort((a, b) => a.priority.value.localeCompare(b.priority.value) || b.sys_updated_on.localeCompare(a.sys_updated_on))
      .slice(0, SYNC_INCIDENT_DETAILS);
    for (const row of wanted) {
      const have = await cache.get<{ sys_mod_count: number }>('incident', `${c.id}\n${row.sys_id}`);
      if (have && have.data.sys_mod_count >= row.sys_mod_count) continue;
      const before = errors.length;
      const label = `Incident ${row.number} on ${c.name}`;
      const d = await step(errors, label, 'incidents.get', { connectionId: c.id, sysId: row.sys_id });
      if (d?.offline) errors.push(`${label}: ${d.offline.reason}`);
      // One system that stopped answering is one problem, not fifty.
      if (errors.length > before) break;
    }
  }

  async function runSync(): Promise<OfflineSyncReport> {
    const startedAt = new Date().toISOString();
    const errors: string[] = [];
    const writesBefore = new Map((await cache.entries()).map((e) => [`${e.kind}\n${e.key}`, e.syncedAt]));
    forcing++;
    try {
      const list = await step(errors, 'Runbooks', 'runbooks.list', {});
      if (list) {
        for (const r of list.runbooks) await step(errors, `Runbook ${r.title}`, 'runbooks.get', { id: r.id });
        // Only after every runbook was read again: a half-read folder never removes anything.
        const live = new Set(list.runbooks.map((r) => r.id));
        if (!errors.some((e) => e.startsWith('Runbook')) && !served.some((x) => x.method === 'runbooks.list'))
          await cache.prune('runbook', (k) => live.has(k));
      }
      if (s.connections.byKind('awx').length > 0) {
        const t = await step(errors, 'Job templates', 'jobs.templates', {});
        for (const p of t?.problems ?? []) errors.push(`Job templates on ${p.connectionName}: ${p.message}`);
        for (const tpl of t?.templates.filter((x) => x.canLaunch || x.surveyEnabled) ?? []) {
          if (served.some((x) => x.method === 'jobs.templates' && x.key === tpl.connectionId)) continue;
          await step(errors, `Launch form of ${tpl.name}`, 'jobs.launchForm', { connectionId: tpl.connectionId, templateId: tpl.id });
        }
        for (const r of list?.runbooks.filter((x) => x.awx) ?? [])
          await step(errors, `Launch form of runbook ${r.title}`, 'jobs.launchForm', { runbookId: r.id });
        const jobs = await step(errors, 'Jobs', 'jobs.list', { limit: 100 });
        for (const p of jobs?.problems ?? []) errors.push(`Jobs on ${p.connectionName}: ${p.message}`);
      }
      if (s.connections.byKind('prometheus').length > 0 || s.workspace().slos.files.length > 0) {
        const f = await step(errors, 'SLO fleet', 'slo.fleet', {});
        for (const c of f?.connections.filter((x) => !x.ok) ?? []) errors.push(`SLO fleet on ${c.name}: ${c.error ?? 'not reachable'}`);
      }
      for (const c of s.connections.byKind('servicenow')) {
        const q = await step(errors, `Incidents on ${c.name}`, 'incidents.list', { connectionId: c.id });
        if (q?.error) errors.push(`Incidents on ${c.name}: ${q.error.message}`);
        else if (q) await syncIncidentDetails(errors, c, q.rows);
        await step(errors, `Changes on ${c.name}`, 'incidents.changesInFlight', { connectionId: c.id });
      }
      await cache.flush();
    } finally {
      forcing--;
    }
    const after = await cache.entries();
    const saved = after.filter((e) => writesBefore.get(`${e.kind}\n${e.key}`) !== e.syncedAt).length;
    lastSync = { startedAt, finishedAt: new Date().toISOString(), saved, errors };
    if (errors.length) log(`offline cache: sync finished with ${errors.length} problem(s): ${errors.slice(0, 3).join('; ')}`);
    return lastSync;
  }

  const sync = (): Promise<OfflineSyncReport> => {
    running ??= runSync().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = (ms: number): void => {
    if (disposed || !opts.background) return;
    timer = setTimeout(() => {
      timer = null;
      void sync()
        .catch((e: unknown) => log(`offline cache: sync failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => schedule(opts.intervalMs ?? 600_000));
    }, ms);
    timer.unref?.();
  };
  schedule(opts.firstSyncMs ?? 20_000);

  const status = async (): Promise<OfflineStatus> => ({
    entries: await cache.entries(),
    served: [...served],
    lastSync,
    syncing: running !== null,
  });

  registry.handle('offline.status', () => status()).handle('offline.sync', () => sync());

  return {
    cache,
    sync,
    status,
    dispose: async () => {
      disposed = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      await cache.dispose();
    },
  };
}
