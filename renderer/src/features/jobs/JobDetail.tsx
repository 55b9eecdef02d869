import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { HostStat, JobDetail as JobDetailData } from '@shared/jobs/model';
import { isActiveStatus, isTerminalStatus, productionTarget } from '@shared/jobs/jobs';
import { toContractError } from '../../app/api/client';
import { useAction, useCall, useClient } from '../../app/api/hooks';
import { OfflineNote, refetchWhileOffline } from '../../app/components/OfflineNote';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { StatusBadge } from '../../app/components/StatusBadge';
import { SkeletonRows } from '../../app/components/Skeleton';
import { formatTimestamp } from '../../app/format/time';
import { useNow } from '../../app/state/clock';
import { hrefOf, navigate } from '../../app/state/route';
import { useLaunchStore } from './launch-store';
import { ExternalLink } from '../../app/components/ExternalLink';
import { elapsedText, jobKey, statusTone } from './job-format';
import { LogViewer } from './log/LogViewer';
import { useJobStream } from './log/use-job-stream';
import { ContextPanel } from '../context';

function HostStats(props: { stats: HostStat[] | null; job: JobDetailData | null; noLog: boolean }): ReactNode {
  const { stats } = props;
  if (!stats && props.noLog) {
    // They come with the log, which is not in the offline copy: nothing is on its way until AWX answers.
    return (
      <p className="host-stats muted small" data-testid="job-host-stats" data-state="not-in-copy">
        Per-host results come with the log.
      </p>
    );
  }
  if (!stats) {
    return (
      <p className="host-stats muted small" data-testid="job-host-stats" data-state="pending">
        Per-host results appear with the play recap.
      </p>
    );
  }
  return (
    <ul className="host-stats" aria-label="Results per host" data-testid="job-host-stats" data-state="done">
      {stats.map((s) => {
        const failed = s.failures > 0 || s.dark > 0;
        return (
          <li
            key={s.host}
            className={`host-chip ${failed ? 'tone-error' : s.changed > 0 ? 'tone-warn' : 'tone-ok'}`}
            data-testid="job-host"
            data-host={s.host}
            data-failed={failed}
          >
            <strong>{s.host}</strong> ok {s.ok} · changed {s.changed} · failed {s.failures} · unreachable {s.dark}
            {s.skipped ? ` · skipped ${s.skipped}` : ''}
            {s.rescued ? ` · rescued ${s.rescued}` : ''}
          </li>
        );
      })}
    </ul>
  );
}

function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One job: its header and actions, the per-host recap, and the live log. Keyed by job by the parent. */
export function JobDetail(props: { connectionId: string; jobId: number }): ReactNode {
  const { connectionId, jobId } = props;
  const client = useClient();
  const now = useNow();
  const { model, version } = useJobStream(connectionId, jobId);
  const initial = useCall('jobs.get', { connectionId, jobId }, { staleTime: 5_000, refetchInterval: refetchWhileOffline });
  const job = model.job ?? initial.data ?? null;
  // The log replayed from the offline copy says so (with its age) even after its end arrives; otherwise the
  // job read from the offline cache does, until the live stream names the job.
  const offlineMark = model.offline ?? (!model.job ? initial.data?.offline : undefined);
  const note = useLaunchStore((s) => s.notes[jobKey(connectionId, jobId)]);
  const remember = useLaunchStore((s) => s.remember);
  const [confirming, setConfirming] = useState<'relaunch' | null>(null);
  const [typed, setTyped] = useState('');
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const cancel = useAction('jobs.cancel', { invalidates: ['jobs.list'] });
  const relaunch = useAction('jobs.relaunch', {
    invalidates: ['jobs.list'],
    onSuccess: (r) => {
      remember(jobKey(r.job.connectionId, r.job.id), {
        warnings: r.warnings,
        workNote: r.workNote,
        incident: note?.incident ?? null,
        runbookTitle: note?.runbookTitle ?? null,
      });
      navigate({ view: 'jobs', path: [r.job.connectionId, String(r.job.id)] });
    },
  });
  useEffect(() => {
    setTyped('');
  }, [confirming]);

  const status = job?.status ?? 'unknown';
  const active = isActiveStatus(status);
  const production = job?.production ?? false;
  const relaunchTarget = job ? relaunchTargetOf(job) : '';

  const onDownload = (): void => {
    setDownloadError(null);
    if (model.end?.complete) {
      download(`job_${jobId}.txt`, model.text());
      return;
    }
    client
      .call('jobs.stdoutDownload', { connectionId, jobId })
      .then((r) => download(r.filename, r.text))
      .catch((e: unknown) => setDownloadError(toContractError(e).message));
  };

  const doRelaunch = (): void => {
    relaunch.mutate({
      connectionId,
      jobId,
      ...(note?.incident ? { incident: note.incident } : {}),
      ...(production ? { confirmTarget: typed } : {}),
    });
  };

  // The incident the job worked on: from its variables (incident_number), else the launch this console made.
  const incidentNumber = job?.incidentNumber ?? note?.incident?.number;
  return (
    <section className="view job-view" aria-labelledby="view-title" data-testid="job-detail" data-job={jobId} data-status={status}>
      <a className="back-link" href={hrefOf('jobs')}>
        ← All jobs
      </a>
      <div className="job-head">
        <h1 id="view-title" className="view-title">
          Job #{jobId} {job ? <span className="job-name">{job.name}</span> : null}
        </h1>
        <StatusBadge tone={statusTone(status)} testId="job-status">
          {status}
        </StatusBadge>
        {production ? (
          <span className="tag tag-prod" data-testid="job-production">
            production
          </span>
        ) : null}
        {incidentNumber ? (
          <a className="btn btn-small" href={hrefOf('incidents', incidentNumber)} data-testid="job-incident-link">
            ← {incidentNumber}
          </a>
        ) : null}
      </div>
      {offlineMark ? <OfflineNote mark={offlineMark} testId="job-offline" /> : null}
      {job ? (
        <dl className="details job-facts">
          <dt>Elapsed</dt>
          <dd data-testid="job-elapsed">{elapsedText(job, now)}</dd>
          <dt>Connection</dt>
          <dd>{job.connectionName}</dd>
          {job.operator ? (
            <>
              <dt>Operator</dt>
              <dd data-testid="job-operator">{job.operator}</dd>
            </>
          ) : null}
          {job.launchedBy ? (
            <>
              <dt>Launched by</dt>
              <dd>{job.launchedBy}</dd>
            </>
          ) : null}
          {job.started ? (
            <>
              <dt>Started</dt>
              <dd>{formatTimestamp(job.started)}</dd>
            </>
          ) : null}
          {job.finished ? (
            <>
              <dt>Finished</dt>
              <dd>{formatTimestamp(job.finished)}</dd>
            </>
          ) : null}
          {job.limit ? (
            <>
              <dt>Limit</dt>
              <dd>
                <code>{job.limit}</code>
              </dd>
            </>
          ) : null}
        </dl>
      ) : initial.isError ? (
        <ErrorPanel error={toContractError(initial.error)} title="The job could not be read" onRetry={() => void initial.refetch()} />
      ) : (
        <SkeletonRows rows={2} label="Loading the job…" />
      )}

      <div className="toolbar job-actions">
        {active ? (
          <button
            type="button"
            className="btn btn-danger"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ connectionId, jobId })}
            data-testid="job-cancel"
          >
            {cancel.isPending ? 'Cancelling…' : 'Cancel job'}
          </button>
        ) : null}
        {job && isTerminalStatus(status) ? (
          <button
            type="button"
            className="btn"
            disabled={relaunch.isPending}
            onClick={() => (production ? setConfirming(confirming ? null : 'relaunch') : doRelaunch())}
            data-testid="job-relaunch"
          >
            {relaunch.isPending ? 'Relaunching…' : 'Relaunch'}
          </button>
        ) : null}
        {job ? (
          <ExternalLink href={job.link} className="btn" testId="job-open-awx">
            Open in AWX
          </ExternalLink>
        ) : null}
      </div>
      {confirming === 'relaunch' ? (
        <div className="confirm-prod" role="group" aria-label="Confirm the production relaunch">
          <p>
            This job ran in <strong>production</strong>. Relaunching runs it again with the same answers. Type <code>{relaunchTarget}</code>{' '}
            to confirm.
          </p>
          <input
            type="text"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            aria-label="Target name"
            data-testid="relaunch-confirm-input"
          />
          <button
            type="button"
            className="btn btn-danger"
            disabled={typed.trim() !== relaunchTarget || relaunch.isPending}
            onClick={doRelaunch}
            data-testid="relaunch-confirm"
          >
            Relaunch in production
          </button>
        </div>
      ) : null}
      {cancel.data ? (
        <p className="flash" role="status" data-testid="job-cancel-result" data-outcome={cancel.data.outcome}>
          {cancel.data.message}
        </p>
      ) : null}
      {cancel.error ? (
        <ErrorPanel error={toContractError(cancel.error)} title="The job was not cancelled" testId="job-cancel-error" />
      ) : null}
      {relaunch.error ? (
        <ErrorPanel error={toContractError(relaunch.error)} title="The job was not relaunched" testId="job-relaunch-error" />
      ) : null}
      {downloadError ? <p className="field-error">{downloadError}</p> : null}
      {note?.warnings.length ? (
        <div className="stale-notice" role="status" data-testid="launch-warnings">
          <ul className="plain-list">
            {note.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {note?.workNote ? (
        <p className={note.workNote.ok ? 'flash' : 'form-invalid'} data-testid="launch-work-note" data-ok={note.workNote.ok}>
          {note.workNote.ok ? (
            note.incident ? (
              <>
                Work note added to{' '}
                <a href={hrefOf('incidents', note.incident.number)} data-testid="launch-work-note-incident">
                  {note.incident.number}
                </a>
                .
              </>
            ) : (
              'Work note added to the incident.'
            )
          ) : (
            note.workNote.message
          )}
        </p>
      ) : null}
      {job?.jobExplanation ? (
        <p className="job-explanation" data-testid="job-explanation">
          <strong>AWX:</strong> {job.jobExplanation}
        </p>
      ) : null}
      {job?.resultTraceback ? (
        <details className="job-traceback" open={status === 'error'} data-testid="job-traceback">
          <summary>Traceback</summary>
          <pre>{job.resultTraceback}</pre>
        </details>
      ) : null}
      {model.error ? (
        <ErrorPanel
          error={{
            code: 'remote_error',
            message: model.error.message,
            detail: {
              ...(model.error.remoteMessage ? { remoteMessage: model.error.remoteMessage } : {}),
              ...(model.error.status !== undefined ? { status: model.error.status } : {}),
            },
          }}
          title="The job's output cannot be followed"
          testId="job-log-error"
        />
      ) : null}
      {model.notice && !model.end && model.noLog === null ? (
        <p className={`log-notice small ${model.notice.level === 'warn' ? 'tone-warn-fg' : 'muted'}`} data-testid="job-log-notice">
          {model.notice.message}
        </p>
      ) : null}
      {model.end ? (
        <p
          className={`log-end small ${model.end.complete ? 'muted' : 'tone-warn-fg'}`}
          data-testid="job-end"
          data-complete={model.end.complete}
          data-status={model.end.status}
        >
          {model.end.message}
        </p>
      ) : null}
      <HostStats stats={model.stats} job={job} noLog={model.noLog !== null} />
      <LogViewer model={model} version={version} onDownload={onDownload} />
      <ContextPanel subject={{ kind: 'job', connectionId, jobId }} title="Related to this job" testId="job-context" hide={['jobs']} />
    </section>
  );
}

/** What a production relaunch asks to type: the job's limit, its target variable, or its name (as main checks). */
function relaunchTargetOf(job: JobDetailData): string {
  let vars: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(job.extraVars);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) vars = parsed as Record<string, unknown>;
  } catch {
    // no variables to read
  }
  return productionTarget({ limit: job.limit, vars, templateName: job.name });
}
