import type { ReactNode } from 'react';
import type { IncidentDetail as Detail, IncidentRow, Labeled, QueueUser } from '@shared/incidents/model';
import { useCall, useClient } from '../../app/api/hooks';
import { QueryState } from '../../app/components/QueryState';
import { IncidentActions } from './IncidentActions';
import { ageMs, localTime, priorityTone, shortAge } from './queue-model';
import { WarnIcon } from '../../app/components/icons';
import { SuggestedRunbooks } from '../runbooks';
import { ContextPanel } from '../context';
import { ExternalLink } from '../../app/components/ExternalLink';
import { hrefOf } from '../../app/state/route';
import { formatTimestamp } from '../../app/format/time';
import { linkIncidentAlert } from './alert-link';
import { OfflineNote, refetchWhileOffline } from '../../app/components/OfflineNote';

// One incident: what it is, the monitoring alert behind it, SLA-relevant times, the journal newest first, and
// the actions. The queue row (kept live by the sync) tells when ServiceNow has a newer version than the one
// shown, which is said before anything is overwritten.

function Field(props: { label: string; children: ReactNode; testId?: string }): ReactNode {
  return (
    <>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </>
  );
}

const show = (v: Labeled): ReactNode => (v.label ? v.label : <span className="muted">—</span>);

function Times(props: { d: Detail; now: number }): ReactNode {
  const { d, now } = props;
  const slaLeft = d.sla_due ? -(ageMs(d.sla_due, now) ?? 0) : null;
  return (
    <dl className="detail-fields">
      <Field label="Opened">
        {localTime(d.opened_at)} <span className="muted">({shortAge(ageMs(d.opened_at, now))} ago)</span>
      </Field>
      <Field label="SLA due" testId="detail-sla">
        {d.sla_due ? (
          <>
            {localTime(d.sla_due)}{' '}
            <span className={slaLeft !== null && slaLeft < 0 ? 'tone-error-fg' : 'muted'}>
              ({slaLeft !== null && slaLeft < 0 ? `breached ${shortAge(-slaLeft)} ago` : `in ${shortAge(slaLeft)}`})
            </span>
          </>
        ) : (
          <span className="muted">—</span>
        )}
        {!d.made_sla ? <span className="tone-error-fg"> · SLA missed</span> : null}
      </Field>
      <Field label="Updated">
        {localTime(d.sys_updated_on)} <span className="muted">by {d.sys_updated_by || '—'}</span>
      </Field>
      {d.resolved_at ? <Field label="Resolved">{localTime(d.resolved_at)}</Field> : null}
    </dl>
  );
}

const ALERTS_REFRESH_MS = 30_000;

/**
 * The Prometheus alert firing behind the incident and the SLO it guards. Says quietly when Prometheus is not
 * connected or could not be asked: this is context, never a reason to hide the incident.
 */
function FiringAlert(props: { name: string; instance: string }): ReactNode {
  const alerts = useCall('slo.alerts', {}, { refetchInterval: ALERTS_REFRESH_MS, retry: false });
  const fleet = useCall('slo.fleet', {}, { staleTime: ALERTS_REFRESH_MS, retry: false });
  const note = (text: string, state: string): ReactNode => (
    <div className="muted small" data-testid="incident-alert-firing-none" data-state={state}>
      {text}
    </div>
  );
  if (alerts.isPending) return note('Looking for the firing alert in Prometheus…', 'loading');
  if (alerts.isError) {
    const missing = alerts.error.code === 'not_configured';
    return note(
      missing
        ? 'No Prometheus connection: the firing alert cannot be looked up.'
        : `Prometheus alerts could not be read: ${alerts.error.message}`,
      missing ? 'no-prometheus' : 'error',
    );
  }
  const x = alerts.data;
  const statuses = fleet.data?.statuses ?? [];
  const link = linkIncidentAlert(x.alerts, statuses, props.name, props.instance);
  if (!link) {
    if (x.errors.length > 0 && x.alerts.length === 0) {
      return note(`Prometheus alerts could not be read: ${x.errors.map((e) => `${e.connectionId}: ${e.message}`).join('; ')}`, 'error');
    }
    if (fleet.data !== undefined && fleet.data.connections.length === 0 && x.alerts.length === 0 && x.errors.length === 0) {
      return note('No Prometheus connection: the firing alert cannot be looked up.', 'no-prometheus');
    }
    return note('Not firing in Prometheus now.', 'not-firing');
  }
  const { alert, slo } = link;
  const summary = alert.annotations['summary'] ?? alert.annotations['description'] ?? alert.annotations['message'];
  return (
    <div className="detail-alert-firing" data-testid="incident-alert-firing" data-alertname={alert.alertname} data-state={alert.state}>
      <div>
        <span className="tone-error-fg">{alert.state}</span>
        {alert.activeAt ? <span className="muted"> since {formatTimestamp(alert.activeAt)}</span> : null}
        {alert.severity ? <span className="muted"> · {alert.severity}</span> : null}
        {alert.runbookUrl ? (
          <>
            {' · '}
            <ExternalLink href={alert.runbookUrl} testId="incident-alert-runbook">
              Runbook
            </ExternalLink>
          </>
        ) : null}
      </div>
      {summary ? <div className="small">{summary}</div> : null}
      {slo ? (
        <div className="small">
          SLO:{' '}
          <a href={hrefOf('slos', 'detail', slo.id)} data-testid="incident-alert-slo" data-slo-id={slo.id}>
            {slo.displayName ?? slo.name}
          </a>{' '}
          <span className="muted">({slo.service})</span>
        </div>
      ) : null}
    </div>
  );
}

export interface IncidentDetailProps {
  connectionId: string;
  sysId: string;
  /** The live queue row, when the incident is in the queue. */
  queueRow: IncidentRow | undefined;
  me: QueueUser | null;
  now: number;
  assignRequest: number;
  onClose: () => void;
}

export function IncidentDetailPane(p: IncidentDetailProps): ReactNode {
  const detail = useCall(
    'incidents.get',
    { connectionId: p.connectionId, sysId: p.sysId },
    { staleTime: 5_000, refetchInterval: refetchWhileOffline },
  );
  const client = useClient();
  return (
    <aside className="incident-detail" aria-label="Incident detail" data-testid="incident-detail">
      <QueryState query={detail} errorTitle="The incident could not be read">
        {(d) => {
          const newer = p.queueRow !== undefined && p.queueRow.sys_mod_count > d.sys_mod_count;
          return (
            <div className="detail-body" data-testid="incident-detail-loaded" data-sys-id={d.sys_id} data-mod-count={d.sys_mod_count}>
              <header className="detail-head">
                <div className="detail-title-row">
                  <h2 className="detail-number" data-testid="detail-number">
                    {d.number}
                  </h2>
                  <span className={`prio prio-${priorityTone(d.priority)}`}>{d.priority.label}</span>
                  <span className="detail-state" data-testid="detail-state">
                    {d.state.label}
                    {d.hold_reason.label ? ` · ${d.hold_reason.label}` : ''}
                  </span>
                  <span className="spacer" />
                  {d.link ? (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() =>
                        void client.call('app.openExternal', { url: d.link }).catch(() => window.open(d.link, '_blank', 'noopener'))
                      }
                      data-testid="detail-open-servicenow"
                    >
                      Open in ServiceNow
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={p.onClose}
                    aria-label="Close the detail"
                    data-testid="detail-close"
                  >
                    ✕
                  </button>
                </div>
                <p className="detail-short" data-testid="detail-short">
                  {d.short_description}
                </p>
              </header>
              {d.offline ? <OfflineNote mark={d.offline} testId="detail-offline" /> : null}
              {newer && !d.offline ? (
                <div className="stale-notice" role="status" data-testid="detail-changed">
                  <WarnIcon className="icon" />
                  <span>
                    Changed in ServiceNow since you opened it (update {p.queueRow?.sys_mod_count} vs {d.sys_mod_count} shown). Actions will
                    ask before overwriting.
                  </span>
                  <button type="button" className="btn btn-small" onClick={() => void detail.refetch()} data-testid="detail-reload">
                    Reload
                  </button>
                </div>
              ) : null}
              {d.alert ? (
                <div className="panel detail-alert" data-testid="detail-alert">
                  <strong>Opened by monitoring:</strong> alert <code>{d.alert.name || '—'}</code> on <code>{d.alert.instance || '—'}</code>
                  {d.alert.name ? <FiringAlert name={d.alert.name} instance={d.alert.instance} /> : null}
                </div>
              ) : null}
              <SuggestedRunbooks connectionId={p.connectionId} sysId={d.sys_id} />
              <ContextPanel
                subject={{ kind: 'incident', connectionId: p.connectionId, sysId: d.sys_id }}
                title="Related to this incident"
                testId="incident-context"
              />
              <dl className="detail-fields">
                <Field label="Caller">{show(d.caller_id)}</Field>
                <Field label="Configuration item" testId="detail-ci">
                  {show(d.cmdb_ci)}
                </Field>
                <Field label="Service">{show(d.business_service)}</Field>
                <Field label="Assignment group" testId="detail-group">
                  {show(d.assignment_group)}
                </Field>
                <Field label="Assigned to" testId="detail-assigned">
                  {show(d.assigned_to)}
                </Field>
                <Field label="Impact / urgency">
                  {d.impact.label || '—'} / {d.urgency.label || '—'}
                </Field>
                <Field label="Category">
                  {d.category.label || '—'}
                  {d.subcategory.label ? ` · ${d.subcategory.label}` : ''}
                </Field>
                <Field label="Channel">{show(d.contact_type)}</Field>
                {d.close_code.label ? <Field label="Resolution">{`${d.close_code.label}: ${d.close_notes}`}</Field> : null}
              </dl>
              <Times d={d} now={p.now} />
              {d.description ? (
                <section className="detail-section">
                  <h3>Description</h3>
                  <p className="pre-wrap" data-testid="detail-description">
                    {d.description}
                  </p>
                </section>
              ) : null}
              <IncidentActions
                connectionId={p.connectionId}
                detail={d}
                me={p.me}
                reload={() => void detail.refetch()}
                assignRequest={p.assignRequest}
              />
              <section className="detail-section">
                <h3>Work notes and comments</h3>
                {d.journalError ? (
                  <p className="muted" data-testid="journal-error">
                    {d.journalError}
                  </p>
                ) : null}
                {d.journal.length === 0 ? <p className="muted">No entries.</p> : null}
                <ol className="journal" data-testid="journal">
                  {d.journal.map((j) => (
                    <li
                      key={j.sys_id}
                      className={`journal-entry journal-${j.element}`}
                      data-testid="journal-entry"
                      data-element={j.element}
                    >
                      <div className="journal-meta">
                        <strong>{j.author}</strong> · {j.element === 'work_notes' ? 'Work note' : 'Additional comment'} ·{' '}
                        <time>{localTime(j.sys_created_on)}</time>
                      </div>
                      <p className="pre-wrap">{j.value}</p>
                    </li>
                  ))}
                </ol>
              </section>
            </div>
          );
        }}
      </QueryState>
    </aside>
  );
}
