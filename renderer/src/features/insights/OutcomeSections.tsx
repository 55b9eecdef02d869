import type { ReactNode } from 'react';
import type { InsightsReport } from '@shared/insights/types';
import { How, minutes, Num, pct } from './figure-parts';
import type { OpenFigure } from './figure-parts';

// The outcome sections: toil candidates, automation and runbooks, changes, SLO compliance.

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
