import { useEffect, useState } from 'react';
import './context.css';
import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ContextSubject, ServiceContext } from '@shared/context/model';
import type { AlertForIncident } from '@shared/incidents/alert-incident';
import { useAction, useCall } from '../../app/api/hooks';
import { toContractError } from '../../app/api/client';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { hrefOf } from '../../app/state/route';
import { ExternalLink } from '../../app/components/ExternalLink';
import { useShownContext } from './shown-context';

// What is related to the thing on screen — its SLOs, firing alerts, open incidents, runbooks, recent jobs,
// changes in flight, Grafana and Prometheus — each as a link, from the core's service context. The same panel
// on the SLO detail, the incident pane and the job detail, so every view leads to the others.

const burn = (x: number | null): string => (x === null ? '—' : `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`);

export function ContextPanel(props: {
  subject: ContextSubject;
  title?: string;
  testId?: string;
  hide?: ('incidents' | 'jobs' | 'slos')[];
}): ReactNode {
  const ctx = useCall('context.of', { subject: props.subject }, { staleTime: 15_000, refetchInterval: 30_000 });
  // While on screen, the palette (Ctrl/⌘ K) offers the same related items.
  const show = useShownContext((s) => s.show);
  const subjectKey = JSON.stringify(props.subject);
  const title = props.title ?? 'Related';
  useEffect(() => show(JSON.parse(subjectKey) as ContextSubject, title), [show, subjectKey, title]);
  const hide = new Set(props.hide ?? []);
  const testId = props.testId ?? 'context';
  if (ctx.isPending) {
    return (
      <section className="panel context-panel" data-testid={testId} aria-busy="true">
        <h3>{props.title ?? 'Related'}</h3>
        <p className="muted">Looking across Prometheus, Alertmanager, ServiceNow and AWX…</p>
      </section>
    );
  }
  if (ctx.isError) {
    return (
      <section className="panel context-panel" data-testid={testId}>
        <ErrorPanel title="What is related could not be read" error={toContractError(ctx.error)} testId={`${testId}-error`} />
      </section>
    );
  }
  const c = ctx.data;
  const runbookHref = (id: string): string => {
    const inc = c.incidents[0];
    return inc ? hrefOf('runbooks', 'incident', inc.connectionId, inc.sysId, id) : hrefOf('runbooks', id);
  };
  return (
    <section className="panel context-panel" data-testid={testId} aria-label={props.title ?? 'Related'}>
      <h3>
        {props.title ?? 'Related'}
        {c.service ? <span className="muted small"> · service {c.service}</span> : null}
      </h3>
      <dl className="context-list">
        {!hide.has('slos') && c.slos.length > 0 ? (
          <Row label="SLOs">
            {c.slos.map((s) => (
              <a key={s.id} href={hrefOf('slos', 'detail', s.id)} data-testid="context-slo" data-id={s.id}>
                {s.displayName ?? s.name} <span className="muted small">burn {burn(s.burnRate)}</span>
              </a>
            ))}
          </Row>
        ) : null}
        <Row
          label="Firing alerts"
          empty={emptyText(
            c.problems,
            [
              { prefix: 'Alertmanager:', system: 'Alertmanager' },
              { prefix: 'Prometheus alerts', system: 'Prometheus' },
            ],
            'none firing',
          )}
        >
          {c.alerts.map((a) => (
            <span key={`${a.source}/${a.name}/${a.instance}`} data-testid="context-alert" data-name={a.name}>
              <a href={hrefOf('alerts')}>
                {a.name}
                {a.instance ? ` on ${a.instance}` : ''}
              </a>{' '}
              <span className="muted small">
                {a.severity ?? a.state} · {a.source === 'alertmanager' ? 'Alertmanager' : 'Prometheus'}
              </span>
            </span>
          ))}
        </Row>
        {!hide.has('incidents') ? (
          <Row label="Open incidents" empty={emptyText(c.problems, [{ prefix: 'Incidents:', system: 'ServiceNow' }], 'none open')}>
            {c.incidents.map((i) => (
              <a
                key={`${i.connectionId}/${i.sysId}`}
                href={hrefOf('incidents', i.number)}
                data-testid="context-incident"
                data-number={i.number}
              >
                {i.number}{' '}
                <span className="muted small">
                  {i.priority} · {i.shortDescription}
                </span>
              </a>
            ))}
          </Row>
        ) : null}
        <Row label="Runbooks" empty={emptyText(c.problems, [{ prefix: 'Runbooks:', system: 'the runbook folders' }], 'none matches')}>
          {c.runbooks.map((r) => (
            <a key={r.id} href={runbookHref(r.id)} data-testid="context-runbook" data-id={r.id}>
              {r.title}
              {r.production ? <span className="badge badge-warn">production</span> : null}{' '}
              <span className="muted small">({r.reasons.join(', ')})</span>
            </a>
          ))}
        </Row>
        {!hide.has('jobs') ? (
          <Row label="Recent jobs" empty={emptyText(c.problems, [{ prefix: 'Jobs:', system: 'AWX' }], 'none')}>
            {c.jobs.map((j) => (
              <a
                key={`${j.connectionId}/${j.id}`}
                href={hrefOf('jobs', j.connectionId, String(j.id))}
                data-testid="context-job"
                data-id={j.id}
              >
                #{j.id} {j.name}{' '}
                <span className="muted small">
                  {j.status}
                  {j.operator ? ` · by ${j.operator}` : ''}
                  {j.incidentNumber ? ` · ${j.incidentNumber}` : ''}
                </span>
              </a>
            ))}
          </Row>
        ) : null}
        {c.changes.length > 0 ? (
          <Row label="Changes in flight">
            {c.changes.map((ch) => (
              <ExternalLink key={ch.number} href={ch.link} testId="context-change">
                {ch.number}{' '}
                <span className="muted small">
                  {ch.state} · {ch.shortDescription}
                </span>
              </ExternalLink>
            ))}
          </Row>
        ) : null}
        {c.links.length > 0 ? (
          <Row label="Open in">
            {c.links.map((l) => (
              <ExternalLink key={l.url} href={l.url} testId={`context-link-${l.kind}`}>
                {l.label}
              </ExternalLink>
            ))}
          </Row>
        ) : null}
      </dl>
      {c.problems.length > 0 ? (
        <p className="muted small" data-testid={`${testId}-problems`}>
          Not everything could be read: {c.problems.join(' · ')}
        </p>
      ) : null}
    </section>
  );
}

/**
 * What an empty row says: "none" is an answer, so a row whose system did not answer (a problem of the core in
 * the row's part, "Jobs: Demo AWX: …") says it could not be read instead, and the problem line below says why.
 */
export function emptyText(problems: readonly string[], parts: readonly { prefix: string; system: string }[], none: string): string {
  const failed = [...new Set(parts.filter((p) => problems.some((x) => x.startsWith(p.prefix))).map((p) => p.system))];
  return failed.length ? `could not be read from ${failed.join(' and ')} — see below` : none;
}

function Row(props: { label: string; children: ReactNode[] | ReactNode; empty?: string }): ReactNode {
  const items = Array.isArray(props.children) ? props.children : [props.children];
  const none = items.filter(Boolean).length === 0;
  if (none && !props.empty) return null;
  return (
    <>
      <dt>{props.label}</dt>
      <dd className="context-items">{none ? <span className="muted">{props.empty}</span> : items}</dd>
    </>
  );
}

/**
 * "Open an incident" for an alert or a burning SLO: the core links an open incident that already carries the
 * alert, or creates one. The answer says which, and links to it.
 */
export function OpenIncidentButton(props: { alert: AlertForIncident; context?: ServiceContext | undefined; testId?: string }): ReactNode {
  const qc = useQueryClient();
  const [done, setDone] = useState<{ number: string; message: string } | null>(null);
  const open = useAction('incidents.openFromAlert', {
    onSuccess: (r) => {
      setDone({ number: r.incident.number, message: r.message });
      void qc.invalidateQueries({ queryKey: ['call', 'context.of'] });
    },
  });
  const testId = props.testId ?? 'open-incident';
  return (
    <div className="open-incident" data-testid={testId}>
      <button
        type="button"
        className="btn btn-small"
        disabled={open.isPending}
        onClick={() => open.mutate({ alert: props.alert })}
        data-testid={`${testId}-button`}
      >
        {open.isPending ? 'Opening…' : 'Open incident'}
      </button>
      {done ? (
        <span role="status" data-testid={`${testId}-done`}>
          {done.message} — <a href={hrefOf('incidents', done.number)}>open {done.number}</a>
        </span>
      ) : null}
      {open.isError ? <ErrorPanel title="No incident was opened" error={toContractError(open.error)} testId={`${testId}-error`} /> : null}
    </div>
  );
}
