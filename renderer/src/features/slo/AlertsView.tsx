import type { ReactNode } from 'react';
import type { PromAlertView } from '@shared/slo/contract';
import { useCall } from '../../app/api/hooks';
import { QueryState } from '../../app/components/QueryState';
import { EmptyState } from '../../app/components/EmptyState';
import { StatusBadge } from '../../app/components/StatusBadge';
import { DataAge } from '../../app/components/DataAge';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { OkIcon } from '../../app/components/icons';
import { hrefOf } from '../../app/state/route';
import { formatTimestamp } from '../../app/format/time';
import { ExternalLink } from './ExternalLink';

const REFRESH_MS = 30_000;
const SHOWN_ANNOTATIONS = ['summary', 'description', 'message'];

function AlertRow(props: { a: PromAlertView }): ReactNode {
  const { a } = props;
  const labels = Object.entries(a.labels).filter(([k]) => k !== 'alertname');
  const notes = Object.entries(a.annotations).filter(([k]) => k !== 'runbook_url');
  notes.sort(([x], [y]) => (SHOWN_ANNOTATIONS.indexOf(x) + 1 || 99) - (SHOWN_ANNOTATIONS.indexOf(y) + 1 || 99));
  return (
    <tr data-testid="prom-alert-row" data-alertname={a.alertname} data-state={a.state}>
      <td>
        <StatusBadge tone={a.state === 'firing' ? (a.severity === 'page' || a.severity === 'critical' ? 'error' : 'warn') : 'unknown'}>
          {a.state}
        </StatusBadge>
      </td>
      <td>
        <strong>{a.alertname}</strong>
        {a.severity ? <div className="muted small">{a.severity}</div> : null}
        {a.sloId ? (
          <div className="small">
            <a href={hrefOf('slos', 'detail', a.sloId)} data-testid="prom-alert-slo">
              SLO {a.sloId}
            </a>
          </div>
        ) : null}
      </td>
      <td className="cell-message">
        {notes.map(([k, v]) => (
          <div key={k} className="small">
            <span className="muted">{k}:</span> {v}
          </div>
        ))}
      </td>
      <td>
        <div className="slo-label-chips">
          {labels.map(([k, v]) => (
            <span key={k} className="slo-label-chip">
              {k}={v}
            </span>
          ))}
        </div>
      </td>
      <td className="nowrap small">{a.activeAt ? formatTimestamp(a.activeAt) : '—'}</td>
      <td>
        {a.runbookUrl ? (
          <ExternalLink href={a.runbookUrl} testId="runbook-link">
            Runbook
          </ExternalLink>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}

/** What Prometheus is alerting on right now (GET /api/v1/alerts), with the runbook each alert names. */
export function AlertsView(): ReactNode {
  const alerts = useCall('slo.alerts', {}, { refetchInterval: REFRESH_MS });
  return (
    <QueryState
      query={alerts}
      refreshMs={REFRESH_MS}
      errorTitle="Alerts could not be read"
      isEmpty={(x) => x.alerts.length === 0 && x.errors.length === 0}
      empty={
        <EmptyState icon={OkIcon} title="Nothing is alerting" testId="prom-alerts-empty">
          <p>Prometheus holds no pending or firing alert.</p>
        </EmptyState>
      }
    >
      {(x) => (
        <>
          <div className="toolbar">
            <span className="muted">
              {x.alerts.filter((a) => a.state === 'firing').length} firing, {x.alerts.filter((a) => a.state !== 'firing').length} pending
            </span>
            <span className="slo-spacer" />
            <DataAge at={Date.parse(x.fetchedAt)} refreshMs={REFRESH_MS} testId="prom-alerts-age" />
          </div>
          {x.errors.map((e) => (
            <ErrorPanel
              key={e.connectionId}
              title={`Alerts from ${e.connectionId} could not be read`}
              error={{ code: 'remote_error', message: e.message }}
            />
          ))}
          <div className="table-wrap">
            <table className="table" data-testid="prom-alerts-table">
              <caption className="visually-hidden">Prometheus alerts</caption>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Alert</th>
                  <th scope="col">Annotations</th>
                  <th scope="col">Labels</th>
                  <th scope="col">Active since</th>
                  <th scope="col">Runbook</th>
                </tr>
              </thead>
              <tbody>
                {x.alerts.map((a, i) => (
                  <AlertRow key={`${a.connectionId}-${i}`} a={a} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </QueryState>
  );
}
