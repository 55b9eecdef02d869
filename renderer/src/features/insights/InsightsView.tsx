import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { InsightsReport } from '@shared/insights/types';
import { reportCsv } from '@shared/insights/csv';
import type { ViewProps } from '../../app/views';
import { useClient, useCall } from '../../app/api/hooks';
import { useAppInfo, useConnections } from '../../app/api/app-queries';
import { QueryState } from '../../app/components/QueryState';
import { EmptyState } from '../../app/components/EmptyState';
import { SkeletonRows } from '../../app/components/Skeleton';
import { ChartIcon } from '../../app/components/icons';
import { Backlog, Groups, Headline, Priorities } from './IncidentSections';
import { Automation, Changes, Slos, Toil } from './OutcomeSections';
import { RecordsPanel } from './RecordsPanel';
import { lastIncludedDay, periodProblem, presetPeriod, PRESETS } from './period-model';
import type { Preset } from './period-model';
import './insights.css';
import { formatDateTime } from '../../app/format/time';

// Insights: the month's TOC numbers from ServiceNow, AWX, Prometheus and the runbooks, for a period of UTC
// days and optionally one assignment group or service. The report is read on demand (it can be tens of
// thousands of records) and kept five minutes; Refresh reads it again.

const KEEP_MS = 5 * 60_000;

function isEmptyReport(r: InsightsReport): boolean {
  return (
    r.incidents.opened === 0 &&
    r.incidents.resolved === 0 &&
    r.automation.jobs.launched === 0 &&
    r.changes.closed === 0 &&
    r.slos.length === 0 &&
    r.incidents.backlog.every((b) => b.open === 0)
  );
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function InsightsView(_props: ViewProps): ReactNode {
  const [preset, setPreset] = useState<Preset>('last-month');
  const initial = presetPeriod('last-month', Date.now());
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [group, setGroup] = useState('');
  const [service, setService] = useState('');
  const [windowHours, setWindowHours] = useState(24);
  const [openKey, setOpenKey] = useState<string | null>(null);
  const [pdf, setPdf] = useState<string | null>(null);
  const [snow, setSnow] = useState('');
  const client = useClient();
  const info = useAppInfo();
  const snowConnections = (useConnections().data ?? []).filter((c) => c.spec.kind === 'servicenow');
  const connectionArg = snow ? { connectionId: snow } : {};
  const scopes = useCall('insights.scopes', connectionArg, { staleTime: 10 * 60_000, retry: false });

  const problem = periodProblem(from, to);
  const args = useMemo(
    () => ({
      from,
      to,
      ...(snow ? { connectionId: snow } : {}),
      ...(group ? { group } : {}),
      ...(service ? { service } : {}),
      changeWindowHours: windowHours,
    }),
    [from, to, snow, group, service, windowHours],
  );
  const report = useCall('insights.report', args, { enabled: problem === null, staleTime: KEEP_MS, gcTime: KEEP_MS });

  useEffect(() => {
    const on = (): void => document.documentElement.classList.add('printing-insights');
    const off = (): void => document.documentElement.classList.remove('printing-insights');
    window.addEventListener('beforeprint', on);
    window.addEventListener('afterprint', off);
    return () => {
      window.removeEventListener('beforeprint', on);
      window.removeEventListener('afterprint', off);
      off();
    };
  }, []);

  const choosePreset = (p: Preset): void => {
    setPreset(p);
    if (p !== 'custom') {
      const x = presetPeriod(p, Date.now());
      setFrom(x.from);
      setTo(x.to);
    }
  };
  const desktop = info.data?.transport === 'ipc';
  const savePdf = async (): Promise<void> => {
    document.documentElement.classList.add('printing-insights');
    try {
      const r = await client.call('runbooks.pdf', { id: `insights-${from}-${to}`, title: `TOC report ${from} to ${lastIncludedDay(to)}` });
      setPdf(r.saved ? `Saved to ${r.file ?? 'the chosen file'}.` : 'Not saved.');
    } catch (e) {
      setPdf(e instanceof Error ? e.message : String(e));
    } finally {
      document.documentElement.classList.remove('printing-insights');
    }
  };

  return (
    <section className="view insights-view" aria-labelledby="insights-title">
      <header className="view-header">
        <h1 id="insights-title">Insights</h1>
        <p className="muted small print-only">
          {from} – {lastIncludedDay(to)} (UTC)
          {group ? ` · group ${scopes.data?.groups.find((g) => g.value === group)?.label ?? group}` : ''}
          {service ? ` · service ${service}` : ''}
        </p>
      </header>
      <form className="insights-pickers no-print" onSubmit={(e) => e.preventDefault()} aria-label="Period and scope">
        <label>
          Period
          <select value={preset} onChange={(e) => choosePreset(e.target.value as Preset)} data-testid="insights-preset">
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          From (UTC)
          <input type="date" value={from} onChange={(e) => (setPreset('custom'), setFrom(e.target.value))} data-testid="insights-from" />
        </label>
        <label>
          To, not included
          <input type="date" value={to} onChange={(e) => (setPreset('custom'), setTo(e.target.value))} data-testid="insights-to" />
        </label>
        {snowConnections.length > 1 ? (
          <label>
            ServiceNow
            <select
              value={snow}
              onChange={(e) => (setSnow(e.target.value), setGroup(''), setService(''))}
              data-testid="insights-connection"
            >
              <option value="">{snowConnections[0]?.spec.name ?? 'First connection'}</option>
              {snowConnections.slice(1).map((c) => (
                <option key={c.spec.id} value={c.spec.id}>
                  {c.spec.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Assignment group
          <select value={group} onChange={(e) => setGroup(e.target.value)} data-testid="insights-group" disabled={!scopes.data}>
            <option value="">All groups</option>
            {(scopes.data?.groups ?? []).map((g) => (
              <option key={g.value} value={g.value}>
                {g.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Service
          <select value={service} onChange={(e) => setService(e.target.value)} data-testid="insights-service" disabled={!scopes.data}>
            <option value="">All services</option>
            {(scopes.data?.services ?? []).map((s) => (
              <option key={s.value} value={s.label}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Change window (h)
          <input
            type="number"
            min={1}
            max={2160}
            value={windowHours}
            onChange={(e) => setWindowHours(Math.max(1, Math.min(2160, Number(e.target.value) || 24)))}
            data-testid="insights-window"
          />
        </label>
        <div className="insights-actions">
          <button
            type="button"
            className="btn"
            onClick={() => void report.refetch()}
            disabled={problem !== null || report.isFetching}
            data-testid="insights-refresh"
          >
            {report.isFetching ? 'Reading…' : 'Refresh'}
          </button>
          <button
            type="button"
            className="btn"
            disabled={!report.data}
            onClick={() => report.data && download(`toc-report-${from}-${to}.csv`, reportCsv(report.data))}
            data-testid="insights-csv"
          >
            Export CSV
          </button>
          <button type="button" className="btn" disabled={!report.data} onClick={() => window.print()} data-testid="insights-print">
            Print…
          </button>
          {desktop ? (
            <button type="button" className="btn" disabled={!report.data} onClick={() => void savePdf()} data-testid="insights-pdf">
              Save as PDF…
            </button>
          ) : null}
          {pdf ? <span className="small">{pdf}</span> : null}
        </div>
      </form>
      {scopes.isError ? <p className="muted small no-print">Group and service lists are not available: {scopes.error.message}</p> : null}
      {problem ? (
        <p className="form-error" role="alert" data-testid="insights-period-problem">
          {problem}
        </p>
      ) : (
        <QueryState
          query={report}
          refreshMs={KEEP_MS}
          errorTitle="The report could not be read"
          skeleton={<SkeletonRows rows={8} />}
          isEmpty={isEmptyReport}
          empty={
            <EmptyState title="Nothing happened in this period" icon={ChartIcon} testId="insights-empty">
              <p>
                No incident was opened, resolved or open, no remediation job ran and no change closed between {from} and{' '}
                {lastIncludedDay(to)} (UTC)
                {group || service ? ' for this scope' : ''}. Choose another period, or check that the connections point at the right
                systems.
              </p>
            </EmptyState>
          }
        >
          {(r) => (
            <div className="insights-body" data-testid="insights-report" data-from={r.from} data-to={r.to}>
              <p className="muted small">
                {r.from} – {lastIncludedDay(r.to)} (UTC days; the period ends before 00:00 UTC on {r.to}) · read at{' '}
                {formatDateTime(r.generatedAt)}
              </p>
              {r.warnings.length > 0 ? (
                <ul className="insights-warnings" role="status" data-testid="insights-warnings">
                  {r.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              ) : null}
              <Headline r={r} open={setOpenKey} />
              <Priorities r={r} open={setOpenKey} />
              <Backlog r={r} open={setOpenKey} />
              <Groups r={r} open={setOpenKey} />
              <Toil r={r} open={setOpenKey} />
              <Automation r={r} open={setOpenKey} />
              <Changes r={r} open={setOpenKey} />
              <Slos r={r} open={setOpenKey} />
              <details className="insights-sources">
                <summary>Where the numbers come from</summary>
                <ul>
                  {r.sources.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              </details>
              {openKey && r.figures[openKey] ? (
                <RecordsPanel figure={r.figures[openKey]} records={r.records} onClose={() => setOpenKey(null)} />
              ) : null}
            </div>
          )}
        </QueryState>
      )}
    </section>
  );
}
