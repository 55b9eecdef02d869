import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { InsightsReport } from '@shared/insights/types';
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
      <table className="table" data-testid="insights-priority-table">
        <thead>
          <tr>
            <th scope="col">Priority</th>
            <th scope="col">Opened</th>
            <th scope="col">Resolved</th>
            <th scope="col">MTTR median</th>
            <th scope="col">MTTR p90</th>
            <th scope="col">Assign median</th>
            <th scope="col">Assign p90</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([p, f]) => {
            const k = `incidents.byPriority.${p}`;
            return (
              <tr key={p} data-priority={p}>
                <th scope="row">P{p}</th>
                <td>
                  <Num r={r} k={`${k}.opened`} open={open}>
                    {f.opened}
                  </Num>
                </td>
                <td>
                  <Num r={r} k={`${k}.resolved`} open={open}>
                    {f.resolved}
                  </Num>
                </td>
                <td>
                  <Num r={r} k={`${k}.mttrMinutes`} open={open}>
                    {minutes(f.mttrMinutes.median)}
                  </Num>
                </td>
                <td>
                  <Num r={r} k={`${k}.mttrMinutes`} open={open}>
                    {minutes(f.mttrMinutes.p90)}
                  </Num>
                </td>
                <td>
                  <Num r={r} k={`${k}.timeToAssignMinutes`} open={open}>
                    {minutes(f.timeToAssignMinutes.median)}
                  </Num>
                </td>
                <td>
                  <Num r={r} k={`${k}.timeToAssignMinutes`} open={open}>
                    {minutes(f.timeToAssignMinutes.p90)}
                  </Num>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
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
      <table className="table" data-testid="insights-group-table">
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Opened</th>
            <th scope="col">Resolved</th>
            <th scope="col">MTTR median</th>
            <th scope="col">MTTR p90</th>
            <th scope="col">Assign median</th>
          </tr>
        </thead>
        <tbody>
          {r.incidents.byGroup.map((g) => {
            const k = `incidents.byGroup.${g.group || 'none'}`;
            return (
              <tr key={g.group || 'none'}>
                <th scope="row">{g.name}</th>
                <td>
                  <Num r={r} k={`${k}.opened`} open={open}>
                    {g.opened}
                  </Num>
                </td>
                <td>
                  <Num r={r} k={`${k}.resolved`} open={open}>
                    {g.resolved}
                  </Num>
                </td>
                <td>
                  <Num r={r} k={`${k}.mttrMinutes`} open={open}>
                    {minutes(g.mttrMinutes.median)}
                  </Num>
                </td>
                <td>
                  <Num r={r} k={`${k}.mttrMinutes`} open={open}>
                    {minutes(g.mttrMinutes.p90)}
                  </Num>
                </td>
                <td>
                  <Num r={r} k={`${k}.timeToAssignMinutes`} open={open}>
                    {minutes(g.timeToAssignMinutes.median)}
                  </Num>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
