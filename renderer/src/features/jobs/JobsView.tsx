import type { ReactNode } from 'react';
import type { JobSummary } from '@shared/jobs/model';
import type { MethodOutput } from '@shared/contract';
import { isActiveStatus } from '@shared/jobs/jobs';
import { useLiveCall } from '../../app/api/hooks';
import { QueryState } from '../../app/components/QueryState';
import { EmptyState } from '../../app/components/EmptyState';
import { StatusBadge } from '../../app/components/StatusBadge';
import { DataAge } from '../../app/components/DataAge';
import { SkeletonRows } from '../../app/components/Skeleton';
import { PlayListIcon, PlugIcon } from '../../app/components/icons';
import { useConnections } from '../../app/api/app-queries';
import { formatTimestamp } from '../../app/format/time';
import { useNow } from '../../app/state/clock';
import { hrefOf } from '../../app/state/route';
import type { ViewProps } from '../../app/views';
import { elapsedText, statusTone } from './job-format';
import { JobDetail } from './JobDetail';
import './jobs.css';

const REFRESH_MS = 15_000;

type JobList = MethodOutput<'jobs.list'>;

/** Folds status changes into the cached list: changed rows replaced, new jobs on top. */
export function mergeJobs(prev: JobList | undefined, batch: JobSummary[]): JobList | undefined {
  if (!prev) return undefined;
  const byKey = new Map(prev.jobs.map((j) => [`${j.connectionId}:${j.id}`, j]));
  const added: JobSummary[] = [];
  for (const j of batch) {
    const k = `${j.connectionId}:${j.id}`;
    if (byKey.has(k)) byKey.set(k, j);
    else added.push(j);
  }
  const jobs = [...added.reverse(), ...prev.jobs.map((j) => byKey.get(`${j.connectionId}:${j.id}`) ?? j)];
  return { ...prev, jobs, fetchedAt: new Date().toISOString() };
}

function JobTable(props: { jobs: JobSummary[] }): ReactNode {
  const now = useNow();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="jobs-table">
        <caption className="visually-hidden">AWX jobs, running first, then newest</caption>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Job</th>
            <th scope="col">Template</th>
            <th scope="col">Connection</th>
            <th scope="col">Launched by</th>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {props.jobs.map((j) => (
            <tr
              key={`${j.connectionId}:${j.id}`}
              data-testid="jobs-row"
              data-connection={j.connectionId}
              data-job={j.id}
              data-status={j.status}
            >
              <td>
                <StatusBadge tone={statusTone(j.status)}>{j.status}</StatusBadge>
              </td>
              <td>
                <a href={hrefOf('jobs', j.connectionId, String(j.id))} data-testid="jobs-row-link">
                  #{j.id}
                </a>
              </td>
              <td>{j.name}</td>
              <td>{j.connectionName}</td>
              <td>{j.launchedBy ?? <span className="muted">—</span>}</td>
              <td className="nowrap">{j.started ? formatTimestamp(j.started) : <span className="muted">—</span>}</td>
              <td className="nowrap" data-testid="jobs-row-duration">
                {elapsedText(j, now)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NoAwx(): ReactNode {
  return (
    <EmptyState icon={PlugIcon} title="No AWX connection yet" testId="state-needs-connection">
      <p>
        Jobs run on AWX (or Automation Controller) — add a connection in{' '}
        <a href={hrefOf('settings', 'connections', 'new', 'awx')} data-testid="add-connection-link">
          Settings → Connections
        </a>
        . Runbooks stay readable without one.
      </p>
    </EmptyState>
  );
}

function JobList(): ReactNode {
  const connections = useConnections();
  const hasAwx = connections.data?.some((c) => c.spec.kind === 'awx') ?? true;
  if (!hasAwx) {
    return (
      <section className="view" aria-labelledby="view-title">
        <h1 id="view-title" className="view-title">
          Jobs
        </h1>
        <NoAwx />
      </section>
    );
  }
  return <JobListLoaded />;
}

function JobListLoaded(): ReactNode {
  const list = useLiveCall(
    'jobs.list',
    { limit: 100 },
    { topic: 'jobs.status', topicArgs: {}, apply: mergeJobs },
    { refetchInterval: REFRESH_MS },
  );
  return (
    <section className="view" aria-labelledby="view-title">
      <div className="view-head">
        <h1 id="view-title" className="view-title">
          Jobs
        </h1>
        <p className="muted">Running and recent AWX jobs on every connection. Open one for its live log.</p>
        <DataAge at={list.dataUpdatedAt || null} refreshMs={REFRESH_MS} testId="jobs-age" />
      </div>
      <QueryState
        query={list}
        refreshMs={REFRESH_MS}
        skeleton={<SkeletonRows rows={6} label="Loading jobs…" />}
        errorTitle="Jobs could not be read"
        isEmpty={(d) => d.jobs.length === 0 && d.problems.length === 0}
        empty={
          <EmptyState icon={PlayListIcon} title="No AWX jobs yet" testId="jobs-empty">
            <p>
              Launch one from a <a href={hrefOf('runbooks')}>runbook</a> or a job template.
            </p>
          </EmptyState>
        }
      >
        {(d) => (
          <>
            {d.problems.map((p) => (
              <p key={p.connectionId} className="form-invalid" role="alert" data-testid="jobs-problem">
                {p.connectionName}: {p.message}
              </p>
            ))}
            <p className="muted small" data-testid="jobs-running">
              {d.jobs.filter((j) => isActiveStatus(j.status)).length} running
            </p>
            <JobTable jobs={d.jobs} />
          </>
        )}
      </QueryState>
    </section>
  );
}

export default function JobsView(props: ViewProps): ReactNode {
  const [connectionId, id] = props.route.path;
  const jobId = Number(id);
  if (connectionId && Number.isInteger(jobId) && jobId > 0)
    return <JobDetail key={`${connectionId}:${jobId}`} connectionId={connectionId} jobId={jobId} />;
  return <JobList />;
}
