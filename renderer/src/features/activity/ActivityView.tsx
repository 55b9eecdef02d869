import { useState } from 'react';
import type { ReactNode } from 'react';
import type { AuditEntry } from '@shared/activity/model';
import { toContractError } from '../../app/api/client';
import { useClient, useLiveCall } from '../../app/api/hooks';
import type { ContractError } from '@shared/kernel/result';
import { QueryState } from '../../app/components/QueryState';
import { EmptyState } from '../../app/components/EmptyState';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { SkeletonRows } from '../../app/components/Skeleton';
import { StatusBadge } from '../../app/components/StatusBadge';
import { ActivityIcon } from '../../app/components/icons';
import { formatTimestamp } from '../../app/format/time';
import { mergeAudit, prependAppended } from './audit-merge';
import { auditLinks } from './audit-links';

const PAGE = 200;

function AuditRow(props: { entry: AuditEntry }): ReactNode {
  const e = props.entry;
  const links = auditLinks(e);
  return (
    <tr data-testid="activity-row" data-id={e.id} data-outcome={e.outcome}>
      <td className="nowrap">
        <time dateTime={e.at}>{formatTimestamp(e.at)}</time>
      </td>
      <td>{e.who}</td>
      <td>
        <code>{e.action}</code>
      </td>
      <td>
        {links.target ? (
          <a href={links.target} data-testid="activity-target-link">
            {e.target}
          </a>
        ) : (
          e.target
        )}
      </td>
      <td>{e.connectionId ?? <span className="muted">—</span>}</td>
      <td>
        <StatusBadge tone={e.outcome === 'ok' ? 'ok' : 'error'}>{e.outcome === 'ok' ? 'ok' : 'failed'}</StatusBadge>
        {e.message ? <div className="muted small cell-message">{e.message}</div> : null}
      </td>
      <td>
        {e.remoteRef ? (
          links.remote ? (
            <a href={links.remote} data-testid="activity-remote-link">
              <code>{e.remoteRef}</code>
            </a>
          ) : (
            <code>{e.remoteRef}</code>
          )
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}

function AuditTable(props: { entries: AuditEntry[] }): ReactNode {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="activity-table">
        <caption className="visually-hidden">Audit log, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Connection</th>
            <th scope="col">Outcome</th>
            <th scope="col">Remote ref</th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((e) => (
            <AuditRow key={e.id} entry={e} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface OlderPages {
  entries: AuditEntry[];
  done: boolean;
  loading: boolean;
  error: ContractError | null;
}

/** The local audit log: every action anyone took from this console, live as entries are appended. */
export default function ActivityView(): ReactNode {
  const client = useClient();
  const first = useLiveCall('activity.list', { limit: PAGE }, { topic: 'activity.appended', topicArgs: {}, apply: prependAppended });
  const [older, setOlder] = useState<OlderPages>({ entries: [], done: false, loading: false, error: null });

  const loadOlder = async (oldest: AuditEntry): Promise<void> => {
    setOlder((o) => ({ ...o, loading: true, error: null }));
    try {
      const page = await client.call('activity.list', { limit: PAGE, before: oldest.at });
      setOlder((o) => ({ entries: mergeAudit(o.entries, page), done: page.length < PAGE, loading: false, error: null }));
    } catch (e) {
      setOlder((o) => ({ ...o, loading: false, error: toContractError(e) }));
    }
  };

  return (
    <section className="view" aria-labelledby="view-title">
      <div className="view-head">
        <h1 id="view-title" className="view-title">
          Activity
        </h1>
        <p className="muted">
          Every change made from this console — launches, work notes, connections, secrets — with who, what and how it ended.
        </p>
      </div>
      <QueryState
        query={first}
        skeleton={<SkeletonRows rows={8} label="Loading the audit log…" />}
        errorTitle="The audit log could not be read"
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState icon={ActivityIcon} title="Nothing has been done from this console yet">
            <p>Saving a connection, launching a runbook or posting a work note adds a line here.</p>
          </EmptyState>
        }
      >
        {(list) => {
          const entries = mergeAudit(list, older.entries);
          const oldest = entries[entries.length - 1];
          const more = !older.done && list.length >= PAGE;
          return (
            <>
              <AuditTable entries={entries} />
              {older.error ? (
                <ErrorPanel
                  title="Older entries could not be read"
                  error={older.error}
                  onRetry={oldest ? () => void loadOlder(oldest) : undefined}
                />
              ) : null}
              {more && oldest ? (
                <button
                  type="button"
                  className="btn"
                  disabled={older.loading}
                  onClick={() => void loadOlder(oldest)}
                  data-testid="activity-load-older"
                >
                  {older.loading ? 'Loading…' : 'Load older entries'}
                </button>
              ) : null}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
