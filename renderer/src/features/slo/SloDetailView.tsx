import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { keepPreviousData } from '@tanstack/react-query';
import type { SloBurnRow, SloDetail } from '@shared/slo/contract';
import { useCall } from '../../app/api/hooks';
import { QueryState } from '../../app/components/QueryState';
import { DataAge } from '../../app/components/DataAge';
import { SkeletonRows } from '../../app/components/Skeleton';
import { StatusBadge } from '../../app/components/StatusBadge';
import { hrefOf } from '../../app/state/route';
import { TimeChart } from './TimeChart';
import { AlertTimeline } from './AlertTimeline';
import { ContextPanel, OpenIncidentButton } from '../context';
import { OfflineNote, refetchWhileOffline } from '../../app/components/OfflineNote';
import { RangePicker, chartDomains, viewArgs } from './ChartRange';
import type { ChartView } from './ChartRange';
import { burn, duration, events, exhaustion, pct, sliPct, targetPct, TIER_HINT, TIER_LABEL, TIER_TONE } from './format';

const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/** The content width in CSS pixels, rounded down to 40 px so small resizes do not refetch. */
function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = (): void => setWidth(Math.max(240, Math.floor(el.clientWidth / 40) * 40));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/** Budget-axis ticks: quarters between 0 and 1, whole budgets below 0 when it is overspent. */
function budgetTicks(points: readonly { v: number | null }[]): number[] {
  const min = Math.min(0, ...points.map((p) => p.v ?? 0));
  if (min >= 0) return [0, 0.25, 0.5, 0.75, 1];
  const lo = Math.floor(min);
  const step = 1 - lo > 6 ? Math.ceil((1 - lo) / 6) : 1;
  const out: number[] = [];
  for (let t = 1; t >= lo; t -= step) out.unshift(t);
  if ((out[0] ?? 0) > lo) out.unshift(lo);
  return out;
}

function BurnTable(props: { rows: SloBurnRow[]; burnRates: SloDetail['status']['burnRates'] }): ReactNode {
  return (
    <div className="table-wrap">
      <table className="table slo-burn-table" data-testid="slo-burn-table">
        <caption className="visually-hidden">Multiwindow burn-rate alerts</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Long window</th>
            <th scope="col">Short window</th>
            <th scope="col">Threshold</th>
            <th scope="col">Long burn</th>
            <th scope="col">Short burn</th>
            <th scope="col">Budget in long window</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => {
            const over = (v: number | null): boolean => v !== null && v > r.factor;
            return (
              <tr
                key={`${r.long}-${r.short}`}
                data-testid="slo-burn-row"
                data-firing={r.firing}
                data-long={r.long}
                className={r.firing ? `row-firing sev-${r.severity}` : undefined}
              >
                <td>{r.severity}</td>
                <td>{r.long}</td>
                <td>{r.short}</td>
                <td>{burn(r.factor)}</td>
                <td className={over(r.longBurn) ? 'over-threshold' : undefined}>{burn(r.longBurn)}</td>
                <td className={over(r.shortBurn) ? 'over-threshold' : undefined}>{burn(r.shortBurn)}</td>
                <td>{pct(r.budgetShare, 0)}</td>
                <td>
                  {r.firing ? (
                    <StatusBadge tone={r.severity === 'page' ? 'error' : 'warn'} testId="slo-burn-firing">
                      firing
                    </StatusBadge>
                  ) : (
                    <StatusBadge tone="ok">ok</StatusBadge>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted small slo-burn-all" data-testid="slo-burn-rates">
        Burn rate by window:{' '}
        {BURN_WINDOWS.map((w) => (
          <span key={w} className="burn-chip">
            {w} <strong>{burn(props.burnRates[w])}</strong>
          </span>
        ))}
      </p>
    </div>
  );
}

/** Where to go from here: the SLO's alerts, incidents, runbooks and jobs; an incident for a burn that has none. */
function SloContext(props: { status: SloDetail['status'] }): ReactNode {
  const s = props.status;
  const ctx = useCall('context.of', { subject: { kind: 'slo', id: s.id } }, { staleTime: 15_000 });
  const burning = s.alerts.length > 0 || (s.burnRates['1h'] ?? 0) > 1;
  const fastest = [...s.alerts].sort((a, b) => b.shortBurn - a.shortBurn)[0];
  const firing = ctx.data?.alerts.find((a) => a.labels.slo === s.name || a.instance === s.name);
  const hasIncident = (ctx.data?.incidents.length ?? 0) > 0;
  return (
    <div className="slo-context">
      {burning && ctx.data && !hasIncident ? (
        <OpenIncidentButton
          testId="slo-open-incident"
          alert={{
            name: firing?.name ?? 'ErrorBudgetBurn',
            instance: s.name,
            severity: firing?.severity ?? fastest?.severity ?? 'ticket',
            summary:
              firing?.summary ??
              `${s.displayName ?? s.name} burns its error budget at ${burn(s.burnRates['1h'])} (1h); ${pct(s.errorBudgetRemaining)} left`,
            ...(firing?.description ? { description: firing.description } : {}),
            ...(firing?.runbookUrl ? { runbookUrl: firing.runbookUrl } : {}),
            ...(firing?.dashboardUrl ? { dashboardUrl: firing.dashboardUrl } : {}),
            ...(ctx.data.runbooks[0] ? { runbookTitle: ctx.data.runbooks[0].title } : {}),
            service: s.service,
            source: 'slo',
          }}
        />
      ) : null}
      <ContextPanel subject={{ kind: 'slo', id: s.id }} title="Related to this SLO" testId="slo-context" hide={['slos']} />
    </div>
  );
}

function Detail(props: { d: SloDetail; width: number; view: ChartView; onView: (v: ChartView) => void }): ReactNode {
  const { d } = props;
  const s = d.status;
  const half = Math.max(240, Math.floor((props.width - 28) / 2));
  const narrowed = props.view.kind !== 'window';
  const domains = chartDomains(d, narrowed);
  const zoomTo = (from: number, to: number): void => {
    // Never narrower than the core serves (10 min): a tiny drag widens around its middle.
    const mid = (from + to) / 2;
    const half = Math.max((to - from) / 2, 5 * 60_000);
    props.onView({ kind: 'zoom', from: mid - half, to: mid + half });
  };
  const dataDomain: [number, number] = [d.range.start, d.range.end];
  const rate = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));
  return (
    <>
      <div className="slo-detail-head">
        <div>
          <h1 className="view-title" id="view-title">
            {s.displayName ?? s.name}
            {s.objective ? <span className="muted"> · {s.objective}</span> : null}
          </h1>
          <p className="muted">
            {s.service} · {s.window} {s.window.match(/[MQY]$/) ? 'calendar' : 'rolling'} window · target {targetPct(s.target)} · {s.source}
            {s.connectionId ? ` · ${s.connectionId}` : ''}
          </p>
        </div>
        <div className="slo-detail-badges">
          <StatusBadge tone={TIER_TONE[s.policy]} testId="slo-detail-policy" title={TIER_HINT[s.policy]}>
            {TIER_LABEL[s.policy]}
          </StatusBadge>
          {s.alerts.map((a) => (
            <StatusBadge key={`${a.long}${a.short}`} tone={a.severity === 'page' ? 'error' : 'warn'} testId="slo-detail-alert">
              {a.severity} {a.long}/{a.short}
            </StatusBadge>
          ))}
          <DataAge at={Date.parse(d.fetchedAt)} refreshMs={60_000} testId="slo-detail-age" />
        </div>
      </div>
      <p className={`slo-policy-hint tier-${s.policy}`} data-testid="slo-policy-hint">
        Error budget policy: <strong>{TIER_LABEL[s.policy]}</strong> — {TIER_HINT[s.policy]}
      </p>
      <SloContext status={s} />
      {d.offline ? <OfflineNote mark={d.offline} testId="slo-detail-offline" /> : null}
      {s.stale && !d.offline ? (
        <div className="stale-notice" data-testid="slo-detail-stale">
          Stale: {s.staleReason ?? 'the last refresh failed'}
        </div>
      ) : null}
      {s.status === 'error' ? (
        <div className="panel panel-error" data-testid="slo-detail-error">
          {s.error}
        </div>
      ) : null}
      <dl className="slo-kpis" data-testid="slo-kpis">
        <div className={`kpi kpi-big tier-${s.policy}`}>
          <dt>Budget left</dt>
          <dd data-testid="slo-detail-budget">{pct(s.errorBudgetRemaining)}</dd>
        </div>
        <div className="kpi">
          <dt>SLI</dt>
          <dd>{sliPct(s.sli, s.target)}</dd>
        </div>
        <div className="kpi">
          <dt>Errors still allowed</dt>
          <dd>{events(s.errorsRemaining)}</dd>
        </div>
        <div className="kpi">
          <dt>As full outage</dt>
          <dd>{s.budgetMinutesLeft === null ? '—' : duration(s.budgetMinutesLeft * 60)}</dd>
        </div>
        <div className="kpi">
          <dt>Exhausted</dt>
          <dd>{exhaustion(s)}</dd>
        </div>
        <div className="kpi">
          <dt>Events in window</dt>
          <dd>
            {events(s.events.bad)} bad / {events(s.events.total)}
          </dd>
        </div>
      </dl>
      {d.offline?.missing ? null : (
        <RangePicker view={props.view} windowSeconds={s.windowSeconds} window={s.window} onChange={props.onView} />
      )}
      {d.offline?.missing ? null : (
        <div className="slo-charts">
          <TimeChart
            onZoom={zoomTo}
            title="Error budget left over the window, against spending it evenly"
            testId="slo-chart-budget"
            width={props.width}
            height={230}
            domain={domains.budget}
            {...(domains.shown ? { shown: domains.shown } : {})}
            yFormat={(v) => pct(v, 0)}
            yDomain={[budgetTicks(d.budget.actual)[0] ?? 0, 1]}
            yTicks={budgetTicks(d.budget.actual)}
            lines={[
              { key: 'ideal', name: 'ideal', points: d.budget.ideal, className: 'line-ideal', dashed: true },
              { key: 'actual', name: 'budget left', points: d.budget.actual, className: 'line-actual' },
            ]}
            refs={[{ y: 0, label: 'budget spent', className: 'ref-zero', position: 'insideBottomLeft' }]}
          />
          <TimeChart
            onZoom={zoomTo}
            title="SLI per step, against the target"
            testId="slo-chart-sli"
            width={props.width}
            domain={dataDomain}
            yFormat={(v) => sliPct(v, s.target)}
            axisFormat={(v) => pct(v, s.target >= 0.999 ? 2 : 1)}
            lines={[{ key: 'sli', name: 'SLI', points: d.sli, className: 'line-sli' }]}
            refs={[{ y: s.target, label: `target ${targetPct(s.target)}`, className: 'ref-target' }]}
          />
          {d.requests && d.errors ? (
            <div className="slo-chart-pair">
              <TimeChart
                onZoom={zoomTo}
                title="Requests per second"
                testId="slo-chart-requests"
                width={half}
                height={170}
                domain={dataDomain}
                yFormat={rate}
                lines={[{ key: 'req', name: 'requests/s', points: d.requests, className: 'line-requests' }]}
              />
              <TimeChart
                onZoom={zoomTo}
                title="Errors per second"
                testId="slo-chart-errors"
                width={half}
                height={170}
                domain={dataDomain}
                yFormat={rate}
                lines={[{ key: 'err', name: 'errors/s', points: d.errors, className: 'line-errors' }]}
              />
            </div>
          ) : null}
          <AlertTimeline spans={d.alertTimeline} start={d.range.start} end={d.range.end} width={props.width - 24} />
        </div>
      )}
      <h2 className="slo-section-title">Multiwindow burn-rate alerts</h2>
      <BurnTable rows={d.burnTable} burnRates={s.burnRates} />
      {s.warnings.length > 0 || d.notes.length > 0 ? (
        <ul className="slo-detail-notes muted small" data-testid="slo-detail-notes">
          {[...s.warnings, ...d.notes].map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
      <p className="muted small">
        {d.queryCount} range queries (
        {d.rangeFetch === 'tail' ? 'only the new tail fetched' : d.rangeFetch === 'cached' ? 'all from the cache' : d.rangeFetch}), step{' '}
        {duration(d.range.stepSeconds)}, each series at most {d.widthPx} points.
      </p>
    </>
  );
}

/** One SLO: burn-down, SLI, rates, alert timeline and the burn-rate table. Loads recharts only when opened. */
/** The current minute (epoch ms), ticking only while a "last N" range needs it: the charts re-render once a minute, not every second. */
function useMinute(ticking: boolean): number {
  const [minute, setMinute] = useState(() => Math.floor(Date.now() / 60_000) * 60_000);
  useEffect(() => {
    if (!ticking) return undefined;
    setMinute(Math.floor(Date.now() / 60_000) * 60_000);
    const t = setInterval(() => setMinute(Math.floor(Date.now() / 60_000) * 60_000), 60_000);
    return () => clearInterval(t);
  }, [ticking]);
  return minute;
}

export default function SloDetailView(props: { id: string }): ReactNode {
  const [ref, width] = useWidth();
  const [view, setView] = useState<ChartView>({ kind: 'window' });
  const now = useMinute(view.kind === 'last');
  const detail = useCall(
    'slo.detail',
    { id: props.id, widthPx: Math.max(240, width), ...viewArgs(view, now) },
    { enabled: width > 0, refetchInterval: (q) => refetchWhileOffline(q) || 60_000, placeholderData: keepPreviousData },
  );
  return (
    <div ref={ref} className="slo-detail" data-testid="slo-detail">
      <a className="back-link" href={hrefOf('slos')} data-testid="slo-back">
        ← All SLOs
      </a>
      {width > 0 ? (
        <QueryState
          query={detail}
          refreshMs={60_000}
          skeleton={<SkeletonRows rows={8} label="Reading the SLO's history…" />}
          errorTitle="This SLO could not be read"
        >
          {(d) => <Detail d={d} width={width} view={view} onView={setView} />}
        </QueryState>
      ) : (
        <SkeletonRows rows={8} />
      )}
    </div>
  );
}
