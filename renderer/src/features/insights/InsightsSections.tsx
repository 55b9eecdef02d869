import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { InsightsReport } from '@shared/insights/types';

// The report's sections. Every number is a button that lists the records behind it (with how it was
// computed); every section says how its numbers were computed in a line under its title.

export type OpenFigure = (key: string) => void;

const DASH = '—';
export const pct = (x: number | null): string => (x === null ? DASH : `${(x * 100).toFixed(1)} %`);
export function minutes(x: number | null): string {
  if (x === null) return DASH;
  if (x < 120) return `${Math.round(x)} min`;
  if (x < 48 * 60) return `${(x / 60).toFixed(1)} h`;
  return `${(x / 1440).toFixed(1)} d`;
}

function Num(props: { r: InsightsReport; k: string; children: ReactNode; open: OpenFigure }): ReactNode {
  const f = props.r.figures[props.k];
  if (!f) return <span>{props.children}</span>;
  return (
    <button
      type="button"
      className="figure-link"
      onClick={() => props.open(props.k)}
      title={f.how}
      data-testid="insights-figure"
      data-figure={props.k}
    >
      {props.children}
    </button>
  );
}

function How(props: { r: InsightsReport; k: string }): ReactNode {
  const f = props.r.figures[props.k];
  return f ? <p className="how">{f.how}</p> : null;
}

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
              tickFormatter={(t: number) => new Date(t).toISOString().slice(5, 10)}
              minTickGap={32}
            />
            <YAxis allowDecimals={false} width={48} />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(t) => `${new Date(Number(t)).toISOString().slice(0, 16).replace('T', ' ')} UTC`}
            />
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

function TopList(props: {
  r: InsightsReport;
  title: string;
  items: { key: string; label: string; count: number }[];
  open: OpenFigure;
  testId: string;
}): ReactNode {
  const max = Math.max(1, ...props.items.map((i) => i.count));
  return (
    <div className="insights-top" data-testid={props.testId}>
      <h3>{props.title}</h3>
      {props.items.length === 0 ? <p className="muted">None in this period.</p> : null}
      <ol>
        {props.items.map((i) => (
          <li key={i.key}>
            <Num r={props.r} k={i.key} open={props.open}>
              <span className="insights-top-label">{i.label}</span> <strong>{i.count}</strong>
            </Num>
            <span className="insights-bar" style={{ width: `${(100 * i.count) / max}%` }} aria-hidden="true" />
          </li>
        ))}
      </ol>
    </div>
  );
}

export function Toil(props: { r: InsightsReport; open: OpenFigure }): ReactNode {
  const { r, open } = props;
  return (
    <section className="insights-section" aria-labelledby="ins-toil">
      <h2 id="ins-toil">Toil candidates</h2>
      <p className="how">
        Incidents opened in the period, counted per alert name (u_alert_name) and per configuration item, most frequent first; ties by name.
      </p>
      <div className="insights-two">
        <TopList
          r={r}
          title="Recurring alerts"
          testId="insights-top-alerts"
          open={open}
          items={r.topAlerts.map((a) => ({ key: `topAlerts.${a.alert}`, label: a.alert, count: a.count }))}
        />
        <TopList
          r={r}
          title="Configuration items"
          testId="insights-top-cis"
          open={open}
          items={r.topCis.map((c) => ({ key: `topCis.${c.ci}`, label: c.name, count: c.count }))}
        />
      </div>
    </section>
  );
}

export function Automation(props: { r: InsightsReport; open: OpenFigure }): ReactNode {
  const { r, open } = props;
  const a = r.automation;
  return (
    <section className="insights-section" aria-labelledby="ins-auto">
      <h2 id="ins-auto">Automation</h2>
      <How r={r} k="automation.jobs.launched" />
      <p>
        <Num r={r} k="automation.jobs.launched" open={open}>
          {a.jobs.launched} remediation jobs
        </Num>
        ,{' '}
        <Num r={r} k="automation.jobs.successful" open={open}>
          {a.jobs.successful} successful
        </Num>{' '}
        ({pct(a.jobs.successRate)});{' '}
        <Num r={r} k="automation.incidentsWithJob" open={open}>
          {a.incidentsWithJob} incidents
        </Num>{' '}
        had one.
      </p>
      <table className="table" data-testid="insights-runbook-table">
        <thead>
          <tr>
            <th scope="col">Runbook</th>
            <th scope="col">AWX template</th>
            <th scope="col">Runs</th>
            <th scope="col">Successful</th>
            <th scope="col">Manual minutes</th>
            <th scope="col">Time saved</th>
          </tr>
        </thead>
        <tbody>
          {a.runbooks.map((rb) => (
            <tr key={rb.id}>
              <th scope="row">{rb.title}</th>
              <td>{rb.template}</td>
              <td>
                <Num r={r} k={`automation.runbooks.${rb.id}`} open={open}>
                  {rb.launched}
                </Num>
              </td>
              <td>
                {rb.successful} ({pct(rb.successRate)})
              </td>
              <td>
                {rb.manualMinutes ?? (
                  <span className="muted" title="Add manualMinutes: to the runbook's front matter">
                    not set
                  </span>
                )}
              </td>
              <td>{minutes(rb.minutesSaved)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Changes(props: { r: InsightsReport; open: OpenFigure }): ReactNode {
  const { r, open } = props;
  const c = r.changes;
  return (
    <section className="insights-section" aria-labelledby="ins-changes">
      <h2 id="ins-changes">Changes</h2>
      <How r={r} k="changes.followedByIncident" />
      <p data-testid="insights-changes">
        <Num r={r} k="changes.closed" open={open}>
          {c.closed} closed
        </Num>
        ,{' '}
        <Num r={r} k="changes.followedByIncident" open={open}>
          {c.followedByIncident} followed by an incident
        </Num>{' '}
        within {c.windowHours} h: change failure rate <strong>{pct(c.failureRate)}</strong>.
      </p>
    </section>
  );
}

export function Slos(props: { r: InsightsReport; open: OpenFigure }): ReactNode {
  const { r, open } = props;
  if (r.slos.length === 0) return null;
  const tone = (x: number | null): string => (x === null ? '' : x > 1 ? 'tone-error' : x > 0.75 ? 'tone-warn' : 'tone-ok');
  return (
    <section className="insights-section" aria-labelledby="ins-slos">
      <h2 id="ins-slos">SLO compliance (error budget consumed per month)</h2>
      <p className="how">
        Error ratio over each UTC month (so far, for the current one) ÷ (1 − target), from Prometheus: 100 % means the month&apos;s budget
        was used up.
      </p>
      <table className="table" data-testid="insights-slo-table">
        <thead>
          <tr>
            <th scope="col">SLO</th>
            <th scope="col">Service</th>
            <th scope="col">Month</th>
            <th scope="col">Target</th>
            <th scope="col">Budget consumed</th>
          </tr>
        </thead>
        <tbody>
          {r.slos.map((s) => (
            <tr key={`${s.name}-${s.month}`}>
              <th scope="row">{s.name}</th>
              <td>{s.service}</td>
              <td>
                {s.month}
                {s.partial ? ' (part)' : ''}
              </td>
              <td>{(s.target * 100).toFixed(2)} %</td>
              <td className={tone(s.budgetConsumed)}>
                <Num r={r} k={`slos.${s.name}.${s.month}`} open={open}>
                  {s.budgetConsumed === null ? (s.error ?? 'no data') : pct(s.budgetConsumed)}
                </Num>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
