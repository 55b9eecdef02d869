import { useEffect, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Alert, ConsoleRunbookLink } from '@shared/alerts/model';
import type { Matcher } from '@shared/alerts/matchers';
import { matchersFromLabels, targetMatchers } from '@shared/alerts/matchers';
import { methodKey, useAction, useCall } from '../../app/api/hooks';
import { toContractError } from '../../app/api/client';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { StatusBadge } from '../../app/components/StatusBadge';
import { hrefOf } from '../../app/state/route';
import { MatcherChips } from './common';

/** The host an alert is about: its `instance` label without the port. */
export function targetOf(labels: Record<string, string>): string | null {
  const i = labels.instance;
  return i ? i.replace(/:\d+$/, '') : null;
}

/** What "this target's alerts" means for an alert: every alert of its host, else the alert itself. */
export function jobSilenceMatchers(labels: Record<string, string>): Matcher[] {
  const host = targetOf(labels);
  return host ? targetMatchers(host) : matchersFromLabels(labels, ['severity']);
}

/**
 * From an alert to the runbook that fixes it: launch the runbook's AWX job with the option "silence this
 * target's alerts while the job runs". The silence is created before the launch and expired when the job ends
 * (the jobs feature calls the alerts feature for both); the full launch form stays in Runbooks.
 */
export function RunWithSilence(props: { alert: Alert; runbook: ConsoleRunbookLink; connectionId: string }): ReactNode {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)} data-testid="alert-run-runbook">
        Run “{props.runbook.title}”…
      </button>
    );
  }
  return <RunPanel {...props} onClose={() => setOpen(false)} />;
}

function RunPanel(props: { alert: Alert; runbook: ConsoleRunbookLink; connectionId: string; onClose: () => void }): ReactNode {
  const a = props.alert;
  const [silence, setSilence] = useState(true);
  const [confirm, setConfirm] = useState('');
  const matchers = useMemo(() => jobSilenceMatchers(a.labels), [a.labels]);
  const host = targetOf(a.labels);
  const suggestion = useCall(
    'runbooks.suggest',
    { alertName: a.labels.alertname ?? '', ...(a.labels.instance ? { alertInstance: a.labels.instance } : {}) },
    { staleTime: 60_000 },
  );
  const preview = useCall('alerts.previewSilence', { connectionId: props.connectionId, matchers }, { enabled: silence, staleTime: 5_000 });
  const launch = useAction('jobs.launch', { invalidates: ['alerts.silences', 'alerts.groups', 'alerts.jobSilences', 'jobs.list'] });
  const s = suggestion.data?.suggestions.find((x) => x.runbook.id === props.runbook.id);
  // The runbook decides what the job acts on (its `limit`, filled from the alert); the host only names the target.
  const limit = s?.limit || undefined;
  const incident = a.links.incident;
  const needsConfirm = launch.error?.detail?.fields?.some((f) => f.path === 'confirmTarget') ?? false;
  const go = (): void => {
    launch.mutate({
      runbookId: props.runbook.id,
      ...(s ? { extraVars: s.extraVars } : {}),
      ...(limit ? { limit } : {}),
      ...(incident ? { incident: { connectionId: incident.connectionId, sysId: incident.sysId, number: incident.number } } : {}),
      ...(silence ? { silenceWhileRunning: { connectionId: props.connectionId, matchers } } : {}),
      ...(confirm.trim() ? { confirmTarget: confirm.trim() } : {}),
    });
  };
  const job = launch.data?.job;
  const held = useCall('alerts.jobSilences', {}, { enabled: Boolean(job) && silence, refetchInterval: 3_000 });
  const mine = job ? held.data?.find((j) => j.jobId === job.id && j.jobConnectionId === job.connectionId) : undefined;
  const queryClient = useQueryClient();
  const ended = mine !== undefined && mine.state !== 'silencing';
  useEffect(() => {
    // The job ended and its silence went: show the alert's state as it is now.
    if (ended) void queryClient.invalidateQueries({ queryKey: methodKey('alerts.groups') });
  }, [ended, queryClient]);
  return (
    <div className="am-run panel" data-testid="run-panel" role="group" aria-label={`Run ${props.runbook.title}`}>
      <p>
        Run the runbook <a href={hrefOf('runbooks', props.runbook.id)}>“{props.runbook.title}”</a>
        {limit || host ? (
          <>
            {' '}
            on <code data-testid="run-limit">{limit ?? host}</code>
          </>
        ) : null}
        {incident ? ` for ${incident.number}` : ''}.
      </p>
      {s?.missing.length ? (
        <p className="muted small">Not filled from the alert: {s.missing.join(', ')} — use the full form in Runbooks.</p>
      ) : null}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={silence}
          onChange={(e) => setSilence(e.target.checked)}
          disabled={Boolean(job)}
          data-testid="run-silence"
        />
        <span>
          Silence this target&apos;s alerts while the job runs
          <span className="hint">
            Created before the launch, expired when the job ends (successful or failed); it ends by itself after the job timeout (else 2 h)
            if the console is closed.
          </span>
        </span>
      </label>
      {silence ? (
        <div className="am-run-silence">
          <MatcherChips matchers={matchers} testId="run-silence-matchers" />
          <span className="muted small" data-testid="run-silence-preview">
            {preview.data ? `covers ${preview.data.matching.length} current alert${preview.data.matching.length === 1 ? '' : 's'}` : ''}
          </span>
        </div>
      ) : null}
      {needsConfirm ? (
        <div className="field">
          <label htmlFor="run-confirm">Production: type the target&apos;s name to confirm</label>
          <input id="run-confirm" type="text" value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="run-confirm" />
        </div>
      ) : null}
      {launch.error ? <ErrorPanel error={toContractError(launch.error)} title="The job was not launched" testId="run-error" /> : null}
      {job ? (
        <p className="flash" role="status" data-testid="run-launched">
          <StatusBadge tone="busy">launched</StatusBadge> AWX job <a href={hrefOf('jobs', job.connectionId, String(job.id))}>#{job.id}</a>
          {silence ? ' — its target’s alerts are silenced until the job ends (see Silences).' : '.'}
        </p>
      ) : null}
      {mine && mine.state !== 'silencing' ? (
        <p className="small" role="status" data-testid="run-silence-ended">
          {mine.state === 'expired'
            ? `The job ended (${mine.outcome ?? 'done'}): silence ${mine.silenceId} expired, the alerts notify again.`
            : `The silence could not be expired: ${mine.problems.join(' ')}`}
        </p>
      ) : null}
      <div className="form-actions">
        {!job ? (
          <button type="button" className="btn btn-primary" onClick={go} disabled={launch.isPending} data-testid="run-launch">
            {launch.isPending ? 'Launching…' : silence ? 'Silence and launch' : 'Launch'}
          </button>
        ) : null}
        <button type="button" className="btn" onClick={props.onClose} data-testid="run-close">
          Close
        </button>
      </div>
    </div>
  );
}
