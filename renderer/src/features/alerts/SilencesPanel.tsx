import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { JobSilenceStatus, Silence } from '@shared/alerts/model';
import { methodKey, useAction, useCall } from '../../app/api/hooks';
import { toContractError } from '../../app/api/client';
import { DataAge } from '../../app/components/DataAge';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { QueryState } from '../../app/components/QueryState';
import { StatusBadge } from '../../app/components/StatusBadge';
import { formatTimestamp } from '../../app/format/time';
import { useNow } from '../../app/state/clock';
import { hrefOf } from '../../app/state/route';
import { MatcherChips } from './common';
import { useAlertsUi } from './alerts-store';
import { formatRelative } from './silence-draft';

const EXTEND_BY = [
  { id: '1h', label: '+1 hour', ms: 3_600_000 },
  { id: '2h', label: '+2 hours', ms: 2 * 3_600_000 },
  { id: '4h', label: '+4 hours', ms: 4 * 3_600_000 },
  { id: '1d', label: '+1 day', ms: 24 * 3_600_000 },
] as const;

const EXPIRED_SHOWN = 25;

/** Silences: active, pending and expired, with extend and expire; and the ones the console holds for running jobs. */
export function SilencesPanel(props: { connectionId: string; refreshMs: number }): ReactNode {
  const query = useCall('alerts.silences', { connectionId: props.connectionId }, { refetchInterval: props.refreshMs });
  const flash = useAlertsUi((s) => s.flash);
  const [allExpired, setAllExpired] = useState(false);
  return (
    <div className="alerts-silences" data-testid="silences">
      {flash ? (
        <p className="flash" role="status" data-testid="alerts-flash">
          {flash}
        </p>
      ) : null}
      <div className="toolbar">
        <a className="btn btn-primary" href={hrefOf('alerts', 'silences', 'new')} data-testid="silence-new">
          New silence…
        </a>
        <DataAge at={query.dataUpdatedAt || null} refreshMs={props.refreshMs} testId="silences-age" />
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void query.refetch()}
          disabled={query.isFetching}
          data-testid="silences-refresh"
        >
          {query.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <JobSilences connectionId={props.connectionId} />
      <QueryState query={query} refreshMs={props.refreshMs} errorTitle="Silences could not be read">
        {(data) => (
          <>
            <SilenceSection title="Active" state="active" list={data.active} connectionId={props.connectionId} />
            <SilenceSection title="Pending" state="pending" list={data.pending} connectionId={props.connectionId} />
            <SilenceSection
              title="Expired"
              state="expired"
              list={allExpired ? data.expired : data.expired.slice(0, EXPIRED_SHOWN)}
              connectionId={props.connectionId}
              more={
                !allExpired && data.expired.length > EXPIRED_SHOWN ? (
                  <button type="button" className="btn btn-link" onClick={() => setAllExpired(true)} data-testid="silences-expired-all">
                    Show all {data.expired.length} expired silences
                  </button>
                ) : null
              }
            />
          </>
        )}
      </QueryState>
    </div>
  );
}

function SilenceSection(props: {
  title: string;
  state: Silence['state'];
  list: Silence[];
  connectionId: string;
  more?: ReactNode;
}): ReactNode {
  return (
    <section className="am-silence-section" data-testid={`silences-${props.state}`} aria-label={`${props.title} silences`}>
      <h2 className="am-section-title">
        {props.title} <span className="muted">({props.list.length})</span>
      </h2>
      {props.list.length === 0 ? (
        <p className="muted small">No {props.title.toLowerCase()} silences.</p>
      ) : (
        <ul className="am-silences">
          {props.list.map((s) => (
            <SilenceRow key={s.id} silence={s} connectionId={props.connectionId} />
          ))}
        </ul>
      )}
      {props.more}
    </section>
  );
}

function SilenceRow(props: { silence: Silence; connectionId: string }): ReactNode {
  const s = props.silence;
  const now = useNow();
  const setFlash = useAlertsUi((x) => x.setFlash);
  const [by, setBy] = useState<(typeof EXTEND_BY)[number]['id']>('2h');
  const [confirming, setConfirming] = useState(false);
  const invalidates = ['alerts.silences', 'alerts.groups'] as const;
  const extend = useAction('alerts.extendSilence', {
    invalidates,
    onSuccess: (r) =>
      setFlash(
        `Silence ${r.silence.id} now ends ${formatTimestamp(r.silence.endsAt)}${r.replacedId ? ` (Alertmanager replaced ${r.replacedId})` : ''}.`,
      ),
  });
  const expire = useAction('alerts.expireSilence', {
    invalidates,
    onSuccess: (r) => {
      setConfirming(false);
      setFlash(r.wasAlreadyExpired ? `Silence ${r.id} had already expired.` : `Silence ${r.id} expired: its alerts notify again.`);
    },
  });
  const live = s.state !== 'expired';
  const doExtend = (): void => {
    const step = EXTEND_BY.find((x) => x.id === by)?.ms ?? 0;
    const base = Math.max(Date.parse(s.endsAt) || now, now);
    extend.mutate({ connectionId: props.connectionId, id: s.id, endsAt: new Date(base + step).toISOString() });
  };
  return (
    <li className={`am-silence am-silence-${s.state}`} data-testid="silence-row" data-silence-id={s.id} data-state={s.state}>
      <div className="am-silence-head">
        <MatcherChips matchers={s.matchers} testId="silence-matchers" />
        {s.job ? (
          <StatusBadge tone={live ? 'busy' : 'unknown'} testId="silence-job" title="The console expires this silence when the job ends">
            job {s.job.jobId !== undefined ? `#${s.job.jobId}` : ''} {s.job.label}
          </StatusBadge>
        ) : null}
      </div>
      <p className="am-silence-comment" data-testid="silence-comment">
        {s.comment || <span className="muted">(no comment)</span>}
      </p>
      <p className="muted small">
        by <span data-testid="silence-creator">{s.createdBy}</span> ·{' '}
        {s.state === 'pending' ? <span title={formatTimestamp(s.startsAt)}>starts {formatRelative(s.startsAt, now)} · </span> : null}
        <span title={formatTimestamp(s.endsAt)} data-testid="silence-ends">
          {s.state === 'expired'
            ? `ended ${formatRelative(s.endsAt, now)}`
            : `ends ${formatRelative(s.endsAt, now)} (${formatTimestamp(s.endsAt)})`}
        </span>
        {s.state === 'active' ? (
          <span data-testid="silence-count">
            {' '}
            · silences {s.silencedAlerts} alert{s.silencedAlerts === 1 ? '' : 's'}
          </span>
        ) : null}
        <span className="am-id"> · {s.id}</span>
      </p>
      <div className="am-silence-actions">
        {live ? (
          <>
            <label>
              <span className="visually-hidden">Extend by</span>
              <select value={by} onChange={(e) => setBy(e.target.value as typeof by)} data-testid="silence-extend-by">
                {EXTEND_BY.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.label}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="btn btn-small" onClick={doExtend} disabled={extend.isPending} data-testid="silence-extend">
              {extend.isPending ? 'Extending…' : 'Extend'}
            </button>
            {confirming ? (
              <span className="confirm" role="group" aria-label="Confirm expiry">
                Expire now? Its alerts notify again.
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  onClick={() => expire.mutate({ connectionId: props.connectionId, id: s.id })}
                  disabled={expire.isPending}
                  data-testid="silence-expire-confirm"
                >
                  {expire.isPending ? 'Expiring…' : 'Expire'}
                </button>
                <button type="button" className="btn btn-small" onClick={() => setConfirming(false)} data-testid="silence-expire-cancel">
                  Keep
                </button>
              </span>
            ) : (
              <button type="button" className="btn btn-small" onClick={() => setConfirming(true)} data-testid="silence-expire">
                Expire…
              </button>
            )}
          </>
        ) : null}
        <a className="btn btn-small" href={hrefOf('alerts', 'silences', 'new', 'silence', s.id)} data-testid="silence-recreate">
          {live ? 'Copy…' : 'Recreate…'}
        </a>
      </div>
      {extend.error ? (
        <ErrorPanel error={toContractError(extend.error)} title="Alertmanager did not extend the silence" testId="silence-action-error" />
      ) : null}
      {expire.error ? (
        <ErrorPanel error={toContractError(expire.error)} title="Alertmanager did not expire the silence" testId="silence-action-error" />
      ) : null}
    </li>
  );
}

/** Silences the console holds for running jobs, until each job ends. */
function JobSilences(props: { connectionId: string }): ReactNode {
  const query = useCall('alerts.jobSilences', {}, { refetchInterval: 5_000 });
  const list = (query.data ?? []).filter((j) => j.connectionId === props.connectionId);
  // A job ended and its silence went: the silence list and the alerts' states change with it, now.
  const queryClient = useQueryClient();
  const signature = list.map((j) => `${j.ticket}:${j.state}`).join(',');
  const seen = useRef(signature);
  useEffect(() => {
    if (seen.current === signature) return;
    seen.current = signature;
    void queryClient.invalidateQueries({ queryKey: methodKey('alerts.silences') });
    void queryClient.invalidateQueries({ queryKey: methodKey('alerts.groups') });
  }, [signature, queryClient]);
  if (list.length === 0) return null;
  return (
    <section className="am-silence-section" data-testid="job-silences" aria-label="Silences held for jobs">
      <h2 className="am-section-title">Held for jobs</h2>
      <ul className="am-silences">
        {list.map((j) => (
          <JobSilenceRow key={j.ticket} j={j} />
        ))}
      </ul>
    </section>
  );
}

function JobSilenceRow(props: { j: JobSilenceStatus }): ReactNode {
  const j = props.j;
  const now = useNow();
  const tone = j.state === 'silencing' ? 'busy' : j.state === 'expired' ? 'ok' : 'error';
  const words =
    j.state === 'silencing'
      ? 'silencing while the job runs'
      : j.state === 'expired'
        ? `expired: job ${j.outcome ?? 'ended'}`
        : 'could not be expired';
  return (
    <li className="am-silence" data-testid="job-silence-row" data-silence-id={j.silenceId} data-state={j.state} data-job-id={j.jobId ?? ''}>
      <div className="am-silence-head">
        <MatcherChips matchers={j.matchers} />
        <StatusBadge tone={tone} testId="job-silence-state">
          {words}
        </StatusBadge>
      </div>
      <p className="muted small">
        {j.label}
        {j.jobId !== undefined ? (
          <>
            {' '}
            · <a href={j.jobConnectionId ? hrefOf('jobs', j.jobConnectionId, String(j.jobId)) : hrefOf('jobs')}>job #{j.jobId}</a>
          </>
        ) : null}
        {j.incident ? (
          <>
            {' '}
            · notes on <a href={hrefOf('incidents', j.incident.sysId)}>{j.incident.number || 'the incident'}</a>
          </>
        ) : null}{' '}
        ·{' '}
        {j.state === 'silencing'
          ? `safety net ends it ${formatRelative(j.safetyNetEndsAt, now)}`
          : j.endedAt
            ? `ended ${formatRelative(j.endedAt, now)}`
            : ''}
      </p>
      {j.problems.length ? (
        <ul className="field-problems" data-testid="job-silence-problems">
          {j.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
