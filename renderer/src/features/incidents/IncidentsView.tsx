import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { QueueSnapshot, QueueUpdate } from '@shared/incidents/model';
import { applyQueueUpdate } from '@shared/incidents/queue';
import { EncodedQuery } from '@shared/incidents/encoded-query';
import { useConnections, useSettings } from '../../app/api/app-queries';
import { inEnvironment } from '../../app/api/environment';
import { callKey, useAction, useCall, useLiveCall } from '../../app/api/hooks';
import { DataAge } from '../../app/components/DataAge';
import { EmptyState } from '../../app/components/EmptyState';
import { SirenIcon, WarnIcon } from '../../app/components/icons';
import { NeedsConnection } from '../../app/components/NeedsConnection';
import { QueryState } from '../../app/components/QueryState';
import { SkeletonRows } from '../../app/components/Skeleton';
import { isTypingTarget } from '../../app/shell/keyboard';
import { useNow } from '../../app/state/clock';
import { navigate } from '../../app/state/route';
import type { ViewProps } from '../../app/views';
import { IncidentDetailPane } from './IncidentDetail';
import { WORK_NOTE_INPUT_ID } from './IncidentActions';
import { QueueList } from './QueueList';
import { QueueFilters, PriorityCounts } from './QueueFilters';
import { filterRows, sortRows } from './queue-model';
import type { SortKey } from './queue-model';
import { alertGroupsBySysId, queueItems } from './queue-groups';
import { MakeParentPanel } from './MakeParentPanel';
import { useQueuePrefs, useQueueSession } from './queue-store';
import './incidents.css';
import { RefreshButton } from '../../app/components/RefreshButton';
import { formatDateTime } from '../../app/format/time';

// The incident queue (issue 4): the live queue of a ServiceNow connection, filters and saved views, and the
// detail with its actions. The list is `incidents.list` kept current by the `incidents.queue` stream.

export default function IncidentsView(props: ViewProps): ReactNode {
  const connections = useConnections();
  const environment = useSettings().data?.environment ?? null;
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <section className="view incidents-view" aria-labelledby="view-title" data-testid="incidents-view">
      <QueryState query={connections} errorTitle="Connections could not be read">
        {(list) => {
          const allSnow = list.filter((c) => c.spec.kind === 'servicenow');
          // The header's environment picks the queues: its ServiceNow connections, or all when it has none.
          const inEnv = allSnow.filter((c) => inEnvironment(c, environment));
          const snow = inEnv.length > 0 ? inEnv : allSnow;
          const current = snow.find((c) => c.spec.id === chosen) ?? snow[0];
          if (!current) {
            return (
              <>
                <h1 id="view-title" className="view-title">
                  Incidents
                </h1>
                <NeedsConnection kind="servicenow" reads="The incident queue reads a ServiceNow instance" />
              </>
            );
          }
          return (
            <Queue
              key={current.spec.id}
              connectionId={current.spec.id}
              connections={snow.map((c) => ({ id: c.spec.id, name: c.spec.name + (c.spec.environment ? ` (${c.spec.environment})` : '') }))}
              onConnection={setChosen}
              openId={props.route.path[0] ?? null}
            />
          );
        }}
      </QueryState>
    </section>
  );
}

interface QueueProps {
  connectionId: string;
  connections: { id: string; name: string }[];
  onConnection: (id: string) => void;
  openId: string | null;
}

function Queue(p: QueueProps): ReactNode {
  const queryClient = useQueryClient();
  const applyMarks = useQueueSession((s) => s.applyDelta);
  const args = useMemo(() => ({ connectionId: p.connectionId }), [p.connectionId]);
  const apply = useCallback(
    (prev: QueueSnapshot | undefined, batch: QueueUpdate[]): QueueSnapshot | undefined => {
      let cur = prev;
      for (const u of batch) {
        const r = applyQueueUpdate(cur, u);
        if (!r.ok) {
          // Updates were lost (or came before any snapshot): read the queue again.
          if (r.reason !== 'other-connection') void queryClient.invalidateQueries({ queryKey: callKey('incidents.list', args) });
          return cur === prev ? undefined : cur;
        }
        const applied = r.snapshot !== cur;
        if (applied && u.kind === 'delta' && cur !== undefined && u.added.length + u.changed.length + u.removed.length > 0)
          applyMarks(u.added, u.changed, u.removed);
        cur = r.snapshot;
      }
      return cur;
    },
    [queryClient, args, applyMarks],
  );
  const queue = useLiveCall(
    'incidents.list',
    args,
    { topic: 'incidents.queue', topicArgs: args, apply },
    { staleTime: Infinity, refetchOnWindowFocus: false },
  );
  const sync = useAction('incidents.sync', { onSuccess: (snap) => queryClient.setQueryData(callKey('incidents.list', args), snap) });
  return (
    <>
      <div className="incidents-head">
        <h1 id="view-title" className="view-title">
          Incidents
        </h1>
        {p.connections.length > 1 ? (
          <select
            aria-label="ServiceNow connection"
            value={p.connectionId}
            onChange={(e) => p.onConnection(e.target.value)}
            data-testid="incidents-connection"
          >
            {p.connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        ) : null}
        {queue.data ? (
          <DataAge
            at={queue.data.syncedAt ? Date.parse(queue.data.syncedAt) : null}
            refreshMs={queue.data.refreshMs}
            testId="incidents-age"
            prefix="synced"
          />
        ) : null}
        <RefreshButton busy={sync.isPending} onRefresh={() => sync.mutate(args)} testId="incidents-refresh" />
      </div>
      <QueryState
        query={queue}
        skeleton={<SkeletonRows rows={10} label="Reading the incident queue from ServiceNow…" />}
        errorTitle="The incident queue could not be read"
      >
        {(snap) => <QueueBody snap={snap} openId={p.openId} connectionId={p.connectionId} />}
      </QueryState>
    </>
  );
}

const SYS_ID = /^[0-9a-f]{32}$/;
const NUMBER = /^[A-Z]{2,10}\d{4,12}$/;

/** The sys_id to open for a route segment that is a sys_id or an incident number. */
function useOpenSysId(pathId: string | null, snap: QueueSnapshot, connectionId: string): { sysId: string | null; missing: string | null } {
  const isNumber = pathId !== null && NUMBER.test(pathId);
  const inQueue = isNumber ? snap.rows.find((r) => r.number === pathId) : undefined;
  const lookup = useCall(
    'incidents.query',
    { connectionId, query: isNumber && pathId ? EncodedQuery.where('number', '=', pathId).toString() : '', limit: 1 },
    { enabled: isNumber && !inQueue, staleTime: 60_000 },
  );
  if (pathId === null) return { sysId: null, missing: null };
  if (SYS_ID.test(pathId)) return { sysId: pathId, missing: null };
  if (!isNumber) return { sysId: null, missing: `"${pathId.slice(0, 40)}" is not an incident number or sys_id.` };
  if (inQueue) return { sysId: inQueue.sys_id, missing: null };
  const found = lookup.data?.rows[0];
  if (found) return { sysId: found.sys_id, missing: null };
  if (lookup.isError) return { sysId: null, missing: `${pathId} could not be looked up: ${lookup.error.message}` };
  return { sysId: null, missing: lookup.data ? `${pathId} was not found on ${snap.connectionName}.` : null };
}

function QueueBody(props: { snap: QueueSnapshot; openId: string | null; connectionId: string }): ReactNode {
  const { snap } = props;
  const now = useNow();
  const filter = useQueuePrefs((s) => s.filter);
  const sort = useQueuePrefs((s) => s.sort);
  const setSort = useQueuePrefs((s) => s.setSort);
  const marks = useQueueSession((s) => s.marks);
  const seen = useQueueSession((s) => s.seen);
  const [cursor, setCursor] = useState<string | null>(props.openId);
  const [assignRequest, setAssignRequest] = useState(0);

  // The SLA filter's clock moves by the minute, so the list is not re-filtered on every tick.
  const minute = Math.floor(now / 60_000) * 60_000;
  const viewer = useMemo(
    () => ({ meSysId: snap.me?.sys_id ?? null, groupIds: new Set(snap.myGroups.map((g) => g.value)), now: minute }),
    [snap.me, snap.myGroups, minute],
  );
  const rows = useMemo(() => sortRows(filterRows(snap.rows, filter, viewer), sort), [snap.rows, filter, viewer, sort]);
  // An incident opened from a link (sys_id or number, e.g. toc://incidents/INC0012345) may be outside the
  // filter or the queue: it still opens.
  const resolved = useOpenSysId(props.openId, snap, props.connectionId);
  const openId = resolved.sysId;
  const openRow = openId ? snap.rows.find((r) => r.sys_id === openId) : undefined;
  // Incidents carrying the same alert fold into one group (over the whole open queue, not only the filter).
  const groups = useMemo(() => alertGroupsBySysId(snap.rows), [snap.rows]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [makeParent, setMakeParent] = useState<{ key: string; proposed: string | null } | null>(null);
  const items = useMemo(() => queueItems(rows, groups, expanded, openId ?? cursor), [rows, groups, expanded, openId, cursor]);
  // The keys move over what is on screen: folded members are skipped.
  const navRows = useMemo(() => items.flatMap((it) => (it.kind === 'row' ? [it.row] : [])), [items]);
  const toggleGroup = useCallback((key: string, open?: boolean): void => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (open ?? !next.has(key)) next.add(key);
      else next.delete(key);
      return next;
    });
  }, []);
  const parentGroup = makeParent ? [...groups.values()].find((g) => g.key === makeParent.key) : undefined;

  const open = useCallback(
    (sysId: string | null): void => {
      if (sysId) {
        setCursor(sysId);
        seen(sysId);
      }
      navigate({ view: 'incidents', path: sysId ? [sysId] : [] });
    },
    [seen],
  );
  const onSort = (key: SortKey): void => setSort({ key, desc: sort.key === key ? !sort.desc : false });

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      const i = cursor ? navRows.findIndex((r) => r.sys_id === cursor) : -1;
      const move = (d: number): void => {
        const next = navRows[Math.min(navRows.length - 1, Math.max(0, i < 0 ? 0 : i + d))];
        if (next) setCursor(next.sys_id);
      };
      const here = cursor ? items.find((it) => it.kind === 'row' && it.row.sys_id === cursor) : undefined;
      const group = here?.kind === 'row' ? here.group : undefined;
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          e.preventDefault();
          move(1);
          break;
        case 'k':
        case 'ArrowUp':
          e.preventDefault();
          move(-1);
          break;
        case 'Enter':
          if (cursor) {
            e.preventDefault();
            open(cursor);
          }
          break;
        case 'Escape':
          if (openId) open(null);
          break;
        case 'ArrowRight':
          if (group && here?.kind === 'row' && here.lead) {
            e.preventDefault();
            toggleGroup(group.key, true);
          }
          break;
        case 'ArrowLeft':
          if (group) {
            e.preventDefault();
            toggleGroup(group.key, false);
            const lead = items.find((it) => it.kind === 'row' && it.lead && it.group?.key === group.key);
            if (lead?.kind === 'row') setCursor(lead.row.sys_id);
          }
          break;
        case 'p':
          if (group && cursor) {
            e.preventDefault();
            setMakeParent({ key: group.key, proposed: cursor });
          }
          break;
        case 'a':
          if (openId) {
            e.preventDefault();
            setAssignRequest((n) => n + 1);
          }
          break;
        case 'n':
          if (openId) {
            e.preventDefault();
            document.getElementById(WORK_NOTE_INPUT_ID)?.focus();
          }
          break;
        default:
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [cursor, navRows, items, open, openId, toggleGroup]);

  const selected = openId ?? cursor;
  return (
    <div className={`incidents-body${openId ? ' with-detail' : ''}`}>
      <div className="incidents-main">
        {resolved.missing ? (
          <div className="stale-notice" role="status" data-testid="incidents-open-missing">
            <WarnIcon className="icon" />
            <span>{resolved.missing}</span>
          </div>
        ) : null}
        {snap.error ? (
          <div className="stale-notice" role="status" data-testid="incidents-sync-error" data-code={snap.error.code}>
            <WarnIcon className="icon" />
            <span>
              Showing the queue as of {snap.syncedAt ? formatDateTime(snap.syncedAt) : 'never'} — the last refresh failed:{' '}
              {snap.error.message}
              {snap.error.detail?.remoteMessage && !snap.error.message.includes(snap.error.detail.remoteMessage)
                ? ` “${snap.error.detail.remoteMessage}”`
                : ''}
            </span>
          </div>
        ) : null}
        <PriorityCounts counts={snap.counts} />
        <QueueFilters rows={snap.rows} shown={rows.length} canMine={snap.me !== null} canGroups={snap.myGroups.length > 0} />
        {snap.rows.length === 0 ? (
          <EmptyState icon={SirenIcon} title="No open incidents" testId="incidents-empty">
            <p>
              The queue ({snap.query}) is empty on {snap.connectionName}.
            </p>
          </EmptyState>
        ) : rows.length === 0 ? (
          <EmptyState title="No incident matches these filters" testId="incidents-filtered-empty" />
        ) : (
          <>
            {parentGroup ? (
              <MakeParentPanel
                key={parentGroup.key}
                connectionId={props.connectionId}
                group={parentGroup}
                proposed={makeParent?.proposed ?? null}
                onClose={() => setMakeParent(null)}
              />
            ) : null}
            <QueueList
              rows={rows}
              items={items}
              selectedId={selected}
              marks={marks}
              sort={sort}
              now={now}
              onSort={onSort}
              onSelect={open}
              onToggleGroup={toggleGroup}
              onMakeParent={(key) => setMakeParent({ key, proposed: cursor && groups.get(cursor)?.key === key ? cursor : null })}
            />
          </>
        )}
      </div>
      {openId ? (
        <IncidentDetailPane
          key={openId}
          connectionId={props.connectionId}
          sysId={openId}
          queueRow={openRow}
          me={snap.me}
          now={now}
          assignRequest={assignRequest}
          onClose={() => open(null)}
        />
      ) : null}
    </div>
  );
}
