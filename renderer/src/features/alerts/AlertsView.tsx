import type { ReactNode } from 'react';
import { useCall } from '../../app/api/hooks';
import { EmptyState } from '../../app/components/EmptyState';
import { PlugIcon } from '../../app/components/icons';
import { QueryState } from '../../app/components/QueryState';
import { SHORTCUTS } from '../../app/shell/keyboard';
import { hrefOf } from '../../app/state/route';
import type { ViewProps } from '../../app/views';
import { AlertGroupsPanel } from './AlertGroupsPanel';
import { SilencesPanel } from './SilencesPanel';
import { SilenceFormLoader } from './SilenceForm';
import { useAlertsUi } from './alerts-store';
import './alerts.css';

// Alertmanager (issue 7). Routes: #/alerts (groups), #/alerts/silences, #/alerts/silences/new[/alert/<fp> |
// /group/<key> | /silence/<id>] (the create form, pre-filled from an alert, a group or an older silence).

const ALERT_KEYS = [{ keys: ['/'], description: 'Alerts: filter alerts by matchers' }];
for (const k of ALERT_KEYS) if (!SHORTCUTS.some((s) => s.description === k.description)) SHORTCUTS.push(k);

export default function AlertsView(props: ViewProps): ReactNode {
  const context = useCall('alerts.context', {}, { staleTime: 60_000 });
  const chosen = useAlertsUi((s) => s.connectionId);
  const setConnection = useAlertsUi((s) => s.setConnection);
  const [tab, sub, kind, ref] = props.route.path;
  return (
    <section className="view alerts-view" aria-labelledby="view-title" data-testid="alerts-view">
      <QueryState query={context} errorTitle="The alerts feature could not start">
        {(ctx) => {
          const current = ctx.connections.find((c) => c.id === chosen) ?? ctx.connections[0];
          if (!current) {
            return (
              <>
                <h1 id="view-title" className="view-title">
                  Alerts
                </h1>
                <EmptyState icon={PlugIcon} title="No Alertmanager connection yet" testId="state-needs-connection">
                  <p>
                    Alert groups and silences come from Alertmanager — add one in{' '}
                    <a href={hrefOf('settings', 'connections', 'new', 'alertmanager')} data-testid="add-connection-link">
                      Settings → Connections
                    </a>
                    .
                  </p>
                </EmptyState>
              </>
            );
          }
          const onSilences = tab === 'silences';
          return (
            <>
              <div className="alerts-head">
                <h1 id="view-title" className="view-title">
                  Alerts
                </h1>
                {ctx.connections.length > 1 ? (
                  <label className="alerts-connection">
                    <span className="visually-hidden">Alertmanager</span>
                    <select value={current.id} onChange={(e) => setConnection(e.target.value)} data-testid="alerts-connection">
                      {ctx.connections.map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.name}
                          {c.environment ? ` (${c.environment})` : ''}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : (
                  <span className="muted" data-testid="alerts-connection-name">
                    {current.name}
                  </span>
                )}
              </div>
              <nav className="tabs" aria-label="Alerts sections">
                <a
                  href={hrefOf('alerts')}
                  className={`tab${onSilences ? '' : ' current'}`}
                  aria-current={onSilences ? undefined : 'page'}
                  data-testid="alerts-tab-groups"
                >
                  Alert groups
                </a>
                <a
                  href={hrefOf('alerts', 'silences')}
                  className={`tab${onSilences ? ' current' : ''}`}
                  aria-current={onSilences ? 'page' : undefined}
                  data-testid="alerts-tab-silences"
                >
                  Silences
                </a>
              </nav>
              {onSilences && sub === 'new' ? (
                <SilenceFormLoader
                  key={`${current.id}/${kind ?? ''}/${ref ?? ''}`}
                  connectionId={current.id}
                  from={kind === 'alert' || kind === 'group' || kind === 'silence' ? { kind, ref: ref ?? '' } : null}
                  defaultCreator={ctx.defaultCreator}
                />
              ) : onSilences ? (
                <SilencesPanel connectionId={current.id} refreshMs={ctx.refreshMs} />
              ) : (
                <AlertGroupsPanel connectionId={current.id} refreshMs={ctx.refreshMs} />
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
