import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Alert, AlertGroup } from '@shared/alerts/model';
import { compileAll, matchesAll, parseMatchers } from '@shared/alerts/matchers';
import { useCall } from '../../app/api/hooks';
import { DataAge } from '../../app/components/DataAge';
import { EmptyState } from '../../app/components/EmptyState';
import { OkIcon, WarnIcon } from '../../app/components/icons';
import { QueryState } from '../../app/components/QueryState';
import { formatTimestamp } from '../../app/format/time';
import { isTypingTarget } from '../../app/shell/keyboard';
import { useNow } from '../../app/state/clock';
import { hrefOf } from '../../app/state/route';
import { AlertStateBadge, LabelChips } from './common';
import { ExternalLink } from '../../app/components/ExternalLink';
import { useAlertsUi } from './alerts-store';
import { formatRelative } from './silence-draft';
import { RunWithSilence } from './RunWithSilence';
import { RefreshButton } from '../../app/components/RefreshButton';
import { AlertContext } from './AlertContext';

/** Alert groups as Alertmanager groups them: the group_by labels, the receiver, and each alert with its links. */
export function AlertGroupsPanel(props: { connectionId: string; refreshMs: number }): ReactNode {
  const showSuppressed = useAlertsUi((s) => s.showSuppressed);
  const setShowSuppressed = useAlertsUi((s) => s.setShowSuppressed);
  const filter = useAlertsUi((s) => s.filter);
  const setFilter = useAlertsUi((s) => s.setFilter);
  const flash = useAlertsUi((s) => s.flash);
  const query = useCall(
    'alerts.groups',
    { connectionId: props.connectionId, suppressed: showSuppressed },
    { refetchInterval: props.refreshMs },
  );
  const filterRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (e.key === '/') {
        e.preventDefault();
        filterRef.current?.focus();
      } else if (e.key === 'j' || e.key === 'k') {
        // Alert by alert: focus the next (previous) row's context toggle; Enter or Space then shows its context.
        const toggles = [...document.querySelectorAll<HTMLButtonElement>('[data-testid=alert-context-toggle]')];
        if (toggles.length === 0) return;
        e.preventDefault();
        const i = toggles.findIndex((t) => t === document.activeElement);
        const next = toggles[i < 0 ? 0 : Math.min(toggles.length - 1, Math.max(0, i + (e.key === 'j' ? 1 : -1)))];
        next?.focus();
        next?.scrollIntoView?.({ block: 'nearest' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const predicate = useMemo(() => alertFilter(filter), [filter]);

  return (
    <div className="alerts-groups" data-testid="alert-groups">
      {flash ? (
        <p className="flash" role="status" data-testid="alerts-flash">
          {flash}
        </p>
      ) : null}
      <div className="toolbar alerts-toolbar">
        <label className="alerts-filter">
          <span className="visually-hidden">Filter alerts</span>
          <input
            ref={filterRef}
            type="search"
            placeholder='Filter: text, or matchers like severity="critical", instance=~"web-.*"'
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            spellCheck={false}
            data-testid="alerts-filter"
            aria-invalid={predicate.error !== null}
          />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={showSuppressed}
            onChange={(e) => setShowSuppressed(e.target.checked)}
            data-testid="alerts-show-suppressed"
          />
          <span>Show silenced and inhibited</span>
        </label>
        <DataAge at={query.dataUpdatedAt || null} refreshMs={props.refreshMs} testId="alerts-age" />
        <RefreshButton busy={query.isFetching} onRefresh={() => void query.refetch()} testId="alerts-refresh" />
      </div>
      {predicate.error ? (
        <p className="field-error" data-testid="alerts-filter-error">
          {predicate.error}
        </p>
      ) : null}
      <QueryState
        query={query}
        refreshMs={props.refreshMs}
        errorTitle="Alertmanager could not be read"
        isEmpty={(d) => d.groups.length === 0}
        empty={
          <EmptyState icon={OkIcon} title="No alerts" testId="alerts-empty">
            <p>Alertmanager has no {showSuppressed ? '' : 'unsuppressed '}alerts right now.</p>
          </EmptyState>
        }
      >
        {(data) => {
          const groups = data.groups.map((g) => ({ ...g, alerts: g.alerts.filter(predicate.test) })).filter((g) => g.alerts.length > 0);
          return (
            <>
              {data.linkProblems.length ? (
                <div className="stale-notice" role="status" data-testid="alerts-link-problems">
                  <WarnIcon className="icon" />
                  <span>Some links are missing: {data.linkProblems.join(' · ')}</span>
                </div>
              ) : null}
              <p className="muted small" data-testid="alerts-summary">
                {countAlerts(data.groups)} alerts in {data.groups.length} groups
                {filter.trim() ? ` · ${countAlerts(groups)} match the filter` : ''}
              </p>
              {groups.map((g) => (
                <GroupCard key={g.key} group={g} connectionId={props.connectionId} />
              ))}
            </>
          );
        }}
      </QueryState>
    </div>
  );
}

const countAlerts = (groups: AlertGroup[]): number => groups.reduce((n, g) => n + g.alerts.length, 0);

/** The filter box: matchers when it parses as matchers (judged like Alertmanager), else words in labels and annotations. */
function alertFilter(text: string): { test: (a: Alert) => boolean; error: string | null } {
  const t = text.trim();
  if (!t) return { test: () => true, error: null };
  if (/[=~]/.test(t)) {
    try {
      const compiled = compileAll(parseMatchers(t));
      return { test: (a) => matchesAll(compiled, a.labels), error: null };
    } catch (e) {
      return { test: () => true, error: `Not a matcher filter: ${(e as Error).message}` };
    }
  }
  const words = t.toLowerCase().split(/\s+/);
  return {
    test: (a) => {
      const hay = [...Object.entries(a.labels), ...Object.entries(a.annotations)]
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')
        .toLowerCase();
      return words.every((w) => hay.includes(w));
    },
    error: null,
  };
}

function GroupCard(props: { group: AlertGroup; connectionId: string }): ReactNode {
  const g = props.group;
  const groupNames = Object.keys(g.labels);
  return (
    <section
      className="am-group"
      data-testid="alert-group"
      data-receiver={g.receiver}
      aria-label={`Alert group ${Object.values(g.labels).join(' ')}`}
    >
      <header className="am-group-head">
        <LabelChips labels={g.labels} testId="alert-group-labels" />
        <span className="am-receiver" data-testid="alert-group-receiver" title="The receiver Alertmanager routes this group to">
          → {g.receiver}
        </span>
        <span className="muted small">
          {g.alerts.length} alert{g.alerts.length === 1 ? '' : 's'}
        </span>
        {groupNames.length > 0 ? (
          <a className="btn btn-small" href={hrefOf('alerts', 'silences', 'new', 'group', g.key)} data-testid="alert-group-silence">
            Silence group…
          </a>
        ) : null}
      </header>
      <ul className="am-alerts">
        {g.alerts.map((a) => (
          <AlertRow key={a.fingerprint} alert={a} connectionId={props.connectionId} />
        ))}
      </ul>
    </section>
  );
}

const SHOWN_ANNOTATIONS = ['summary', 'description', 'message'];
const LINK_ANNOTATIONS = ['runbook_url', 'dashboard_url'];

function AlertRow(props: { alert: Alert; connectionId: string }): ReactNode {
  const a = props.alert;
  const now = useNow();
  const shown = SHOWN_ANNOTATIONS.filter((k) => a.annotations[k]);
  const other = Object.keys(a.annotations).filter((k) => !SHOWN_ANNOTATIONS.includes(k) && !LINK_ANNOTATIONS.includes(k));
  const l = a.links;
  const [open, setOpen] = useState(false);
  const contextId = `alert-context-${a.fingerprint}`;
  return (
    <li
      className={`am-alert am-alert-${a.state}`}
      data-testid="alert-row"
      data-fingerprint={a.fingerprint}
      data-alertname={a.labels.alertname ?? ''}
      data-instance={a.labels.instance ?? ''}
      data-state={a.state}
    >
      <div className="am-alert-head">
        <strong className="am-alertname">{a.labels.alertname ?? '(no alertname)'}</strong>
        <AlertStateBadge alert={a} testId="alert-state" />
        <span className="muted small" title={formatTimestamp(a.startsAt)} data-testid="alert-started">
          started {formatRelative(a.startsAt, now)}
        </span>
      </div>
      {shown.map((k) => (
        <p key={k} className="am-annotation" data-testid={`alert-annotation-${k}`}>
          {a.annotations[k]}
        </p>
      ))}
      <LabelChips labels={a.labels} omit={['alertname']} testId="alert-labels" />
      {other.length ? (
        <details className="am-more">
          <summary>Other annotations ({other.length})</summary>
          <dl className="am-annotations">
            {other.map((k) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{a.annotations[k]}</dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
      <div className="am-links">
        {l.dashboardUrl ? (
          <ExternalLink href={l.dashboardUrl} testId="alert-link-dashboard">
            Dashboard{l.dashboardSource === 'grafana' ? ' (Grafana)' : ''}
          </ExternalLink>
        ) : null}
        {l.runbookUrl ? (
          <ExternalLink href={l.runbookUrl} testId="alert-link-runbook">
            Runbook page
          </ExternalLink>
        ) : null}
        {l.runbooks.map((r) => (
          <a key={r.id} href={hrefOf('runbooks', r.id)} data-testid="alert-link-console-runbook">
            Runbook: {r.title}
          </a>
        ))}
        {l.incident ? (
          <a href={hrefOf('incidents', l.incident.sysId)} data-testid="alert-link-incident" title={l.incident.shortDescription}>
            {l.incident.number} ({l.incident.state})
          </a>
        ) : null}
        {l.generatorUrl ? (
          <ExternalLink href={l.generatorUrl} testId="alert-link-source">
            Rule in Prometheus
          </ExternalLink>
        ) : null}
        <a className="btn btn-small" href={hrefOf('alerts', 'silences', 'new', 'alert', a.fingerprint)} data-testid="alert-silence">
          Silence…
        </a>
        {l.runbooks[0] ? <RunWithSilence alert={a} runbook={l.runbooks[0]} connectionId={props.connectionId} /> : null}
        {a.labels.alertname ? (
          <button
            type="button"
            className="btn btn-small"
            aria-expanded={open}
            aria-controls={open ? contextId : undefined}
            onClick={() => setOpen((o) => !o)}
            data-testid="alert-context-toggle"
          >
            {open ? 'Hide context' : 'Context…'}
          </button>
        ) : null}
      </div>
      {open ? <AlertContext alert={a} id={contextId} /> : null}
    </li>
  );
}
