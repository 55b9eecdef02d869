import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { InsightsReport, PriorityFigures } from '@shared/insights/types';
import { How, minutes, Num, pct } from './figure-parts';
import type { OpenFigure } from './figure-parts';
import { formatDateTime, utcDay } from '../../app/format/time';

// The incident sections: headline tiles, priorities (chart and table), the backlog line and the groups.

function Tile(props: { r: InsightsReport; k: string; label: string; value: string; sub?: string; open: OpenFigure }): ReactNode {
  return (
    <div className="insights-tile" data-testid={`insights-tile-${props.k}`}>
      <div className="muted small">{props.label}</div>
      <Num r={props.r} k={props.k} open={props.open}>
        <span className="insights-tile-value">{props.value}</span>
      </Num>
      {props.sub ? <div className="small">{props.sub}</div> : null}
      <How r={props.r} k={props.k} />
    </div>
  );
}

export function Headline(props: { r: InsightsReport; open: OpenFigure }): ReactNode {
  const { r, open } = props;
  const i = r.incidents;
  return (
    <div className="insights-tiles">
      <Tile r={r} k="incidents.opened" label="Incidents opened" value={String(i.opened)} open={open} />
      <Tile r={r} k="incidents.resolved" label="Incidents resolved" value={String(i.resolved)} open={open} />
      <Tile
        r={r}
        k="incidents.mttrMinutes"
        label="MTTR (median)"
        value={minutes(i.mttrMinutes.median)}
        sub={`p90 ${minutes(i.mttrMinutes.p90)}`}
        open={open}
      />
      <Tile
        r={r}
        k="incidents.timeToAssignMinutes"
        label="Time to assign (median)"
        value={minutes(i.timeToAssignMinutes.median)}
        sub={`p90 ${minutes(i.timeToAssignMinutes.p90)}`}
        open={open}
      />
      <Tile
        r={r}
        k="automation.rate"
        label="Fixed with automation"
        value={pct(r.automation.rate)}
        sub={`${r.automation.incidentsWithJob} of ${i.opened} incidents`}
        open={open}
      />
      <Tile r={r} k="automation.minutesSaved" label="Time saved" value={minutes(r.automation.minutesSaved)} open={open} />
      <Tile
        r={r}
        k="changes.failureRate"
        label="Change failure rate"
        value={pct(r.changes.failureRate)}
        sub={`${r.changes.followedByIncident} of ${r.changes.closed} changes`}
        open={open}
      />
    </div>
  );
}

export function Priorities(props: { r: InsightsReport; open: OpenFigure }): ReactNode {
  const { r, open } = props;
  const rows = Object.entries(r.incidents.byPriority);
  const barOpen = (payload: unknown, what: 'opened' | 'resolved'): void => {
    const prio = (payload as { prio?: string } | undefined)?.prio;
    if (prio) open(`incidents.byPriority.${prio}.${what}`);
  };
  const data = rows.map(([p, f]) => ({ p: `P${p}`, prio: p, opened: f.opened, resolved: f.resolved }));
  return (
    <section className="insights-section" aria-labelledby="ins-prio">
      <h2 id="ins-prio">By priority</h2>
      <How r={r} k="incidents.mttrMinutes" />
      <div className="insights-chart" data-testid="insights-priority-chart">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }} accessibilityLayer>
            <CartesianGrid vertical={false} />
            <XAxis dataKey="p" />
            <YAxis allowDecimals={false} width={48} />
            <Tooltip isAnimationActive={false} />
            <Legend />
            <Bar
              dataKey="opened"
              name="Opened"
              className="bar-opened"
              fill="currentColor"
              isAnimationActive={false}
              onClick={(d) => barOpen(d.payload, 'opened')}
            />
            <Bar
              dataKey="resolved"
              name="Resolved"
              className="bar-resolved"
              fill="currentColor"
              isAnimationActive={false}
              onClick={(d) => barOpen(d.payload, 'resolved')}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <FigureTable
        testId="insights-priority-table"
        first="Priority"
        assignP90
        rows={rows.map(([p, f]) => ({ id: p, label: `P${p}`, k: `incidents.byPriority.${p}`, f, attrs: { 'data-priority': p } }))}
        r={r}
        open={open}
      />
    </section>
  );
}

export function Backlog(props: { r: InsightsReport; open: OpenFigure }): ReactNode {
  const { r, open } = props;
  const data = r.incidents.backlog.map((b) => ({ t: Date.parse(b.at), open: b.open }));
  return (
    <section className="insights-section" aria-labelledby="ins-backlog">
      <h2 id="ins-backlog">
        Open backlog{' '}
        <Num r={r} k="incidents.backlog" open={open}>
          <span className="small">(open at the end: {r.incidents.backlog.at(-1)?.open ?? 0})</span>
        </Num>
      </h2>
      <How r={r} k="incidents.backlog" />
      <div className="insights-chart" data-testid="insights-backlog-chart">
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }} accessibilityLayer>
            <CartesianGrid vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(t: number) => utcDay(t).slice(5)}
              minTickGap={32}
            />
            <YAxis allowDecimals={false} width={48} />
            <Tooltip isAnimationActive={false} labelFormatter={(t) => formatDateTime(Number(t), { zone: 'utc', seconds: false })} />
            <Line
              dataKey="open"
              name="Open incidents"
              className="line-backlog"
              stroke="currentColor"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

export function Groups(props: { r: InsightsReport; open: OpenFigure }): ReactNode {
  const { r, open } = props;
  if (r.incidents.byGroup.length === 0) return null;
  return (
    <section className="insights-section" aria-labelledby="ins-groups">
      <h2 id="ins-groups">By assignment group</h2>
      <FigureTable
        testId="insights-group-table"
        first="Group"
        assignP90={false}
        rows={r.incidents.byGroup.map((g) => ({ id: g.group || 'none', label: g.name, k: `incidents.byGroup.${g.group || 'none'}`, f: g }))}
        r={r}
        open={open}
      />
    </section>
  );
}

interface FigureRow {
  id: string;
  label: string;
  /** The figure key prefix (`incidents.byPriority.1`): each cell opens the records behind its number. */
  k: string;
  f: PriorityFigures;
  attrs?: Record<`data-${string}`, string>;
}

/** Opened, resolved, MTTR and time to assign per row: the same table by priority and by assignment group. */
function FigureTable(props: {
  testId: string;
  first: string;
  /** The priority table also shows the p90 of time to assign. */
  assignP90: boolean;
  rows: FigureRow[];
  r: InsightsReport;
  open: OpenFigure;
}): ReactNode {
  const { r, open } = props;
  const cells: { head: string; key: (k: string) => string; value: (f: PriorityFigures) => ReactNode }[] = [
    { head: 'Opened', key: (k) => `${k}.opened`, value: (f) => f.opened },
    { head: 'Resolved', key: (k) => `${k}.resolved`, value: (f) => f.resolved },
    { head: 'MTTR median', key: (k) => `${k}.mttrMinutes`, value: (f) => minutes(f.mttrMinutes.median) },
    { head: 'MTTR p90', key: (k) => `${k}.mttrMinutes`, value: (f) => minutes(f.mttrMinutes.p90) },
    { head: 'Assign median', key: (k) => `${k}.timeToAssignMinutes`, value: (f) => minutes(f.timeToAssignMinutes.median) },
    ...(props.assignP90
      ? [
          {
            head: 'Assign p90',
            key: (k: string) => `${k}.timeToAssignMinutes`,
            value: (f: PriorityFigures) => minutes(f.timeToAssignMinutes.p90),
          },
        ]
      : []),
  ];
  return (
    <table className="table" data-testid={props.testId}>
      <thead>
        <tr>
          <th scope="col">{props.first}</th>
          {cells.map((c) => (
            <th key={c.head} scope="col">
              {c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.id} {...row.attrs}>
            <th scope="row">{row.label}</th>
            {cells.map((c) => (
              <td key={c.head}>
                <Num r={r} k={c.key(row.k)} open={open}>
                  {c.value(row.f)}
                </Num>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
