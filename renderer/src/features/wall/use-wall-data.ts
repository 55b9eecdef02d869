import { useRef } from 'react';
import { useQueries } from '@tanstack/react-query';
import type { UseQueryResult } from '@tanstack/react-query';
import type { MethodInput, MethodName, MethodOutput } from '@shared/contract';
import type { WallPageKind } from '@shared/wall/contract';
import type { SloFleet, SloStatusView } from '@shared/slo/contract';
import type { ConnectionKind, ConnectionView } from '@shared/connections/model';
import type { ChangeRow, IncidentRow } from '@shared/incidents/model';
import type { JobSummary } from '@shared/jobs/model';
import type { ContractFailure } from '@shared/kernel/result';
import { callKey, latest, useCall, useClient, useConnectivity, useLiveCall } from '../../app/api/hooks';
import type { Freshness, WallAlert } from './wall-model';
import { alertTone, alertWhere, combine, jobsCopyAt } from './wall-model';

// Everything the wall shows, read for every configured page at once (a page off screen still decides whether
// the rotation must pin it), each with its freshness. Queries have fixed keys: weeks of refreshing replace the
// same few cache entries instead of adding new ones.

export interface Source<T> {
  data: T;
  fresh: Freshness;
  /** Connections (by name) whose last read failed, with why and when they last answered. */
  down: Down[];
}

export interface Down {
  system: string;
  reason: string;
  lastGoodAt: number | null;
}

export interface WallData {
  slos: Source<SloStatusView[]> | null;
  incidents: Source<{ connectionId: string; rows: IncidentRow[] }[]> | null;
  alerts: Source<WallAlert[]> | null;
  jobs: Source<JobSummary[]> | null;
  changes: Source<{ connectionId: string; rows: ChangeRow[] }[]> | null;
  linkDown: boolean;
}

/** Connections of a kind in the chosen environment (all when none is chosen). */
export function connectionsFor(
  list: readonly ConnectionView[],
  kind: ConnectionKind,
  env: string | null,
  ids?: readonly string[],
): ConnectionView[] {
  return list.filter(
    (c) => c.spec.kind === kind && (ids && ids.length ? ids.includes(c.spec.id) : env === null || (c.spec.environment ?? '') === env),
  );
}

const parse = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

function useCalls<M extends MethodName>(
  method: M,
  argsList: MethodInput<M>[],
  refetchInterval: number,
  enabled: boolean,
): UseQueryResult<MethodOutput<M>, ContractFailure>[] {
  const client = useClient();
  return useQueries({
    queries: argsList.map((args) => ({
      queryKey: callKey(method, args),
      queryFn: ({ signal }: { signal: AbortSignal }) => client.call(method, args, { signal }),
      refetchInterval,
      refetchIntervalInBackground: true,
      enabled,
    })),
  }) as UseQueryResult<MethodOutput<M>, ContractFailure>[];
}

const failText = (q: { error: ContractFailure | null }): string | undefined => (q.error ? q.error.message : undefined);

/**
 * When a read answers with its problems instead of failing (jobs, Prometheus alerts), its own time is "now";
 * the age on the wall must be that of the last good answer. One timestamp per source, never more.
 */
function useLastGood(): (key: string, failing: boolean, at: number | null) => number | null {
  const last = useRef(new Map<string, number>());
  return (key, failing, at) => {
    if (!failing && at !== null) {
      last.current.set(key, at);
      return at;
    }
    return failing ? (last.current.get(key) ?? null) : at;
  };
}

const withName = (name: string, message: string): string => (message.includes(name) ? message : `${name}: ${message}`);

export function useWallData(opts: {
  kinds: ReadonlySet<WallPageKind>;
  refreshMs: number;
  env: string | null;
  connections: ConnectionView[];
  connectionIds?: string[];
}): WallData {
  const { kinds, refreshMs, env, connections } = opts;
  const lastGood = useLastGood();
  const linkDown = useConnectivity().state !== 'online';
  const linkReason = 'the link to the console server is down';
  const nameOf = (id: string): string => connections.find((c) => c.spec.id === id)?.spec.name ?? id;

  // --- SLOs: the call plus the live topic (which keeps the core's refresh loop running) -------------------
  const fleetQ = useLiveCall(
    'slo.fleet',
    {},
    { topic: 'slo.fleet', topicArgs: {}, apply: latest },
    { enabled: kinds.has('slos'), refetchInterval: refreshMs, refetchIntervalInBackground: true },
  );
  let slos: WallData['slos'] = null;
  if (kinds.has('slos')) {
    const fleet: SloFleet | undefined = fleetQ.data;
    const inEnv = new Set(connectionsFor(connections, 'prometheus', env, opts.connectionIds).map((c) => c.spec.id));
    const only = fleet?.connections.length === 1 ? fleet.connections[0]?.id : undefined;
    const statuses = (fleet?.statuses ?? []).filter((s) => {
      const conn = s.connectionId ?? only;
      return env === null || conn === undefined || inEnv.has(conn);
    });
    const downConns = (fleet?.connections ?? []).filter((c) => !c.ok && (env === null || inEnv.has(c.id)));
    const failing = linkDown || fleetQ.isError || downConns.length > 0 || statuses.some((s) => s.stale);
    slos = {
      data: statuses,
      fresh: {
        at: parse(fleet?.fetchedAt),
        refreshMs: Math.max(fleet?.refreshMs ?? 60_000, refreshMs),
        failing,
        ...(failing
          ? {
              reason: linkDown
                ? linkReason
                : failText(fleetQ) ||
                  downConns.map((c) => c.error ?? `${c.name} unreachable`).join(' · ') ||
                  (statuses.find((s) => s.stale)?.staleReason ?? 'the last refresh failed'),
            }
          : {}),
      },
      down: [
        ...downConns.map((c) => ({ system: c.name, reason: c.error ?? 'not reachable', lastGoodAt: parse(c.fetchedAt) })),
        ...(fleetQ.isError && !linkDown
          ? [{ system: 'SLO fleet', reason: fleetQ.error.message, lastGoodAt: parse(fleet?.fetchedAt) }]
          : []),
      ],
    };
  }

  // --- incidents and changes: per ServiceNow connection ---------------------------------------------------
  const snow = connectionsFor(connections, 'servicenow', env, opts.connectionIds);
  const snowArgs = snow.map((c) => ({ connectionId: c.spec.id }));
  const incQs = useCalls('incidents.list', snowArgs, refreshMs, kinds.has('incidents'));
  let incidents: WallData['incidents'] = null;
  if (kinds.has('incidents')) {
    const fresh: Freshness[] = [];
    const down: Down[] = [];
    const data: { connectionId: string; rows: IncidentRow[] }[] = [];
    incQs.forEach((q, i) => {
      const id = snowArgs[i]?.connectionId ?? '';
      const snap = q.data;
      if (snap) data.push({ connectionId: id, rows: snap.rows });
      const failing = linkDown || q.isError || snap?.error != null;
      const reason = linkDown ? linkReason : (snap?.error?.message ?? failText(q));
      fresh.push({
        at: parse(snap?.syncedAt),
        refreshMs: Math.max(snap?.refreshMs ?? 30_000, refreshMs),
        failing,
        ...(reason ? { reason } : {}),
      });
      if (failing && !linkDown) down.push({ system: nameOf(id), reason: reason ?? 'not reachable', lastGoodAt: parse(snap?.syncedAt) });
    });
    incidents = { data, fresh: combine(fresh), down };
  }
  const changesMs = Math.max(refreshMs, 30_000);
  const chQs = useCalls('incidents.changesInFlight', snowArgs, changesMs, kinds.has('changes'));
  let changes: WallData['changes'] = null;
  if (kinds.has('changes')) {
    const fresh: Freshness[] = [];
    const down: Down[] = [];
    const data: { connectionId: string; rows: ChangeRow[] }[] = [];
    chQs.forEach((q, i) => {
      const id = snowArgs[i]?.connectionId ?? '';
      if (q.data) data.push({ connectionId: id, rows: q.data.changes });
      const failing = linkDown || q.isError;
      const reason = linkDown ? linkReason : failText(q);
      fresh.push({ at: parse(q.data?.fetchedAt), refreshMs: changesMs, failing, ...(reason ? { reason } : {}) });
      if (failing && !linkDown) down.push({ system: nameOf(id), reason: reason ?? 'not reachable', lastGoodAt: parse(q.data?.fetchedAt) });
    });
    changes = { data, fresh: combine(fresh), down };
  }

  // --- alerts: Alertmanager when there is one, else the alerts Prometheus holds ---------------------------
  const am = connectionsFor(connections, 'alertmanager', env, opts.connectionIds);
  const amArgs = am.map((c) => ({ connectionId: c.spec.id, suppressed: false }));
  const alertsMs = Math.max(refreshMs, 5_000);
  const amQs = useCalls('alerts.groups', amArgs, alertsMs, kinds.has('alerts') && am.length > 0);
  const promQ = useCall(
    'slo.alerts',
    {},
    { enabled: kinds.has('alerts') && am.length === 0, refetchInterval: alertsMs, refetchIntervalInBackground: true },
  );
  let alerts: WallData['alerts'] = null;
  if (kinds.has('alerts')) {
    const fresh: Freshness[] = [];
    const down: Down[] = [];
    const list: WallAlert[] = [];
    if (am.length > 0) {
      amQs.forEach((q, i) => {
        const id = amArgs[i]?.connectionId ?? '';
        for (const g of q.data?.groups ?? [])
          for (const a of g.alerts)
            if (a.state === 'active')
              list.push({
                key: `${id}:${a.fingerprint}`,
                name: a.labels.alertname ?? '(no name)',
                severity: a.labels.severity ?? '',
                where: alertWhere(a.labels),
                since: a.startsAt || null,
                tone: alertTone(a.labels.severity),
              });
        const failing = linkDown || q.isError;
        const reason = linkDown ? linkReason : failText(q);
        fresh.push({
          at: parse(q.data?.fetchedAt),
          refreshMs: Math.max(q.data?.refreshMs ?? alertsMs, alertsMs),
          failing,
          ...(reason ? { reason } : {}),
        });
        if (failing && !linkDown)
          down.push({ system: nameOf(id), reason: reason ?? 'not reachable', lastGoodAt: parse(q.data?.fetchedAt) });
      });
    } else {
      const d = promQ.data;
      const inEnv = new Set(connectionsFor(connections, 'prometheus', env, opts.connectionIds).map((c) => c.spec.id));
      for (const a of d?.alerts ?? [])
        if (a.state === 'firing' && (env === null || inEnv.has(a.connectionId)))
          list.push({
            key: `${a.connectionId}:${a.alertname}:${JSON.stringify(a.labels)}`,
            name: a.alertname,
            severity: a.severity ?? a.labels.severity ?? '',
            where: alertWhere(a.labels),
            since: a.activeAt ?? null,
            tone: alertTone(a.severity ?? a.labels.severity),
          });
      const errs = (d?.errors ?? []).filter((e) => env === null || inEnv.has(e.connectionId));
      const failing = linkDown || promQ.isError || errs.length > 0;
      const reason = linkDown ? linkReason : failText(promQ) || errs.map((e) => e.message).join(' · ') || undefined;
      const at = lastGood('alerts', failing, parse(d?.fetchedAt));
      fresh.push({ at, refreshMs: alertsMs, failing, ...(reason ? { reason } : {}) });
      for (const e of errs) down.push({ system: nameOf(e.connectionId), reason: e.message, lastGoodAt: at });
    }
    alerts = { data: list, fresh: combine(fresh), down };
  }

  // --- jobs: running and recent, across AWX connections ---------------------------------------------------
  const awx = connectionsFor(connections, 'awx', env, opts.connectionIds);
  const jobsMs = Math.max(refreshMs, 5_000);
  const jobsQ = useCall(
    'jobs.list',
    { limit: 50 },
    { enabled: kinds.has('jobs') && awx.length > 0, refetchInterval: jobsMs, refetchIntervalInBackground: true },
  );
  let jobs: WallData['jobs'] = null;
  if (kinds.has('jobs')) {
    const ids = new Set(awx.map((c) => c.spec.id));
    const d = jobsQ.data;
    const problems = (d?.problems ?? []).filter((p) => ids.has(p.connectionId));
    const failing = linkDown || jobsQ.isError || problems.length > 0;
    const reason = linkDown
      ? linkReason
      : failText(jobsQ) || problems.map((p) => withName(p.connectionName, p.message)).join(' · ') || undefined;
    // Failing AWX connections answered from the offline copy still have an age: the copy's.
    const at =
      lastGood('jobs', failing, parse(d?.fetchedAt)) ??
      (linkDown || jobsQ.isError
        ? null
        : jobsCopyAt(
            d?.jobs ?? [],
            problems.map((p) => p.connectionId),
            d?.fetchedAt,
          ));
    jobs = {
      data: (d?.jobs ?? []).filter((j) => ids.has(j.connectionId)),
      fresh:
        awx.length === 0
          ? { at: null, refreshMs: jobsMs, failing: false, reason: 'no AWX connection' }
          : { at, refreshMs: jobsMs, failing, ...(reason ? { reason } : {}) },
      down: problems.map((p) => ({ system: p.connectionName, reason: p.message, lastGoodAt: at })),
    };
  }

  return { slos, incidents, alerts, jobs, changes, linkDown };
}
