import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { IncidentRef } from '@shared/jobs/model';
import type { RunbookSuggestion, RunbookSummary } from '@shared/runbooks/model';
import { useCall } from '../../app/api/hooks';
import { QueryState } from '../../app/components/QueryState';
import { EmptyState } from '../../app/components/EmptyState';
import { SkeletonRows } from '../../app/components/Skeleton';
import { BookIcon } from '../../app/components/icons';
import { hrefOf } from '../../app/state/route';
import { isTypingTarget } from '../../app/shell/keyboard';
import type { ViewProps } from '../../app/views';
import { ExternalLink } from '../../app/components/ExternalLink';
import { LaunchPanel } from './LaunchPanel';
import { TemplatesTab } from './TemplatesTab';
import type { LaunchPanelProps } from './LaunchPanel';
import { RunbookDoc } from './RunbookDoc';
import { PrintRunbookButton } from '../workstation';
import './runbooks.css';
import { useDebounced } from '../../app/use-debounced';

// Routes: #/runbooks[/<id>] the runbooks (search, read, launch) · #/runbooks/templates[/<conn>/<id>] AWX job
// templates · #/runbooks/incident/<snow conn>/<sys_id>[/<runbook id>] runbooks suggested for an incident.

/** Where the incident view links to for "suggested runbooks". */
export const incidentRunbooksHref = (connectionId: string, sysId: string): string => hrefOf('runbooks', 'incident', connectionId, sysId);

function Tabs(props: { current: 'runbooks' | 'templates' }): ReactNode {
  return (
    <nav className="tabs" aria-label="Runbooks and templates">
      <a
        className={`tab${props.current === 'runbooks' ? ' current' : ''}`}
        href={hrefOf('runbooks')}
        aria-current={props.current === 'runbooks' ? 'page' : undefined}
        data-testid="tab-runbooks"
      >
        Runbooks
      </a>
      <a
        className={`tab${props.current === 'templates' ? ' current' : ''}`}
        href={hrefOf('runbooks', 'templates')}
        aria-current={props.current === 'templates' ? 'page' : undefined}
        data-testid="tab-templates"
      >
        AWX job templates
      </a>
    </nav>
  );
}

function Chips(props: { label: string; items: string[]; testId: string }): ReactNode {
  if (props.items.length === 0) return null;
  return (
    <span className="chips" data-testid={props.testId}>
      <span className="muted small">{props.label}</span>
      {props.items.map((x) => (
        <span key={x} className="tag">
          {x}
        </span>
      ))}
    </span>
  );
}

function RunbookBadges(props: { r: RunbookSummary }): ReactNode {
  const { r } = props;
  return (
    <span className="runbook-badges">
      {r.awx ? <span className="tag tag-auto">AWX: {r.awx.template}</span> : <span className="tag">procedure</span>}
      {r.production ? <span className="tag tag-prod">production</span> : null}
      {r.problems.length ? (
        <span className="tag tone-warn-fg" title={r.problems.join('\n')}>
          {r.problems.length} problem{r.problems.length === 1 ? '' : 's'}
        </span>
      ) : null}
    </span>
  );
}

function RunbookList(props: { selected: string | undefined }): ReactNode {
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 200);
  const inputRef = useRef<HTMLInputElement>(null);
  const list = useCall('runbooks.list', q ? { query: q } : {}, { placeholderData: (prev) => prev });
  useEffect(() => {
    // "/" searches, as in the job log (Ctrl/⌘ K is the shell's command palette).
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.key !== '/' || isTypingTarget(e.target)) return;
      e.preventDefault();
      inputRef.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <aside className="runbook-list" aria-label="Runbooks">
      <input
        ref={inputRef}
        type="search"
        className="runbook-search"
        placeholder="Search runbooks (/)"
        aria-label="Search runbooks"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="runbook-search"
      />
      <QueryState
        query={list}
        skeleton={<SkeletonRows rows={5} label="Reading runbooks…" />}
        errorTitle="Runbooks could not be read"
        isEmpty={(d) => d.runbooks.length === 0}
        empty={
          <EmptyState icon={BookIcon} title={q ? `No runbook matches “${q}”` : 'No runbooks yet'} testId="runbooks-empty">
            {q ? null : <p>Put markdown runbooks in a folder listed under runbooks.folders in the workspace file.</p>}
          </EmptyState>
        }
      >
        {(d) => (
          <>
            <ul className="plain-list runbook-items" data-testid="runbook-list" data-count={d.runbooks.length}>
              {d.runbooks.map((r) => (
                <li key={r.id}>
                  <a
                    className={`runbook-item${r.id === props.selected ? ' selected' : ''}`}
                    href={hrefOf('runbooks', r.id)}
                    aria-current={r.id === props.selected ? 'page' : undefined}
                    data-testid="runbook-item"
                    data-id={r.id}
                  >
                    <span className="runbook-title">{r.title}</span>
                    <RunbookBadges r={r} />
                    {r.alerts.length ? <span className="muted small">alerts: {r.alerts.join(', ')}</span> : null}
                    {r.snippet ? <span className="runbook-snippet muted small">{r.snippet}</span> : null}
                  </a>
                </li>
              ))}
            </ul>
            {d.problems.length ? (
              <details className="runbook-problems small" data-testid="runbook-problems">
                <summary>
                  {d.problems.length} problem{d.problems.length === 1 ? '' : 's'} in runbook files
                </summary>
                <ul>
                  {d.problems.map((p, i) => (
                    <li key={`${p.file}-${i}`}>
                      <code>
                        {p.file}
                        {p.line ? `:${p.line}` : ''}
                      </code>{' '}
                      {p.message}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </>
        )}
      </QueryState>
    </aside>
  );
}

function RunbookPage(props: { id: string; launch?: Omit<LaunchPanelProps, 'target'> & { reasons?: string[] } }): ReactNode {
  const rb = useCall('runbooks.get', { id: props.id });
  const [open, setOpen] = useState(Boolean(props.launch));
  return (
    <QueryState query={rb} skeleton={<SkeletonRows rows={6} label="Reading the runbook…" />} errorTitle="The runbook could not be read">
      {(r) => (
        <article className="runbook" data-testid="runbook" data-id={r.id}>
          <header className="runbook-head">
            <h2 className="runbook-heading">{r.title}</h2>
            <RunbookBadges r={r} />
            <PrintRunbookButton id={r.id} />
            <div className="runbook-meta">
              <Chips label="alerts" items={r.alerts} testId="runbook-alerts" />
              <Chips label="services" items={r.services} testId="runbook-services" />
              <Chips label="CIs" items={r.cis} testId="runbook-cis" />
            </div>
            {props.launch?.reasons?.length ? (
              <p className="hint" data-testid="suggestion-reasons">
                Suggested for this incident: {props.launch.reasons.join(', ')}.
              </p>
            ) : null}
            {r.problems.length ? (
              <ul className="form-invalid plain-list" data-testid="runbook-file-problems">
                {r.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ) : null}
            {r.awx ? (
              <div className="toolbar">
                <button
                  type="button"
                  className={`btn ${open ? '' : 'btn-primary'}`}
                  onClick={() => setOpen(!open)}
                  aria-expanded={open}
                  data-testid="runbook-launch-toggle"
                >
                  {open ? 'Hide the launch form' : `Launch “${r.awx.template}”…`}
                </button>
              </div>
            ) : (
              <p className="muted small" data-testid="runbook-procedure">
                A procedure to follow by hand: no AWX job template is attached.
              </p>
            )}
          </header>
          {r.awx && open ? (
            <LaunchPanel
              target={{ runbookId: r.id, templateName: r.awx.template, ...(r.awx.connection ? { connectionId: r.awx.connection } : {}) }}
              runbookTitle={r.title}
              {...(props.launch?.prefill
                ? { prefill: props.launch.prefill }
                : { prefill: { vars: staticVars(r.extraVars), limit: r.limit && !/\{\{/.test(r.limit) ? r.limit : null } })}
              {...(props.launch?.incident ? { incident: props.launch.incident } : {})}
            />
          ) : null}
          <RunbookDoc body={r.body} />
          <p className="muted small runbook-file">{r.file}</p>
        </article>
      )}
    </QueryState>
  );
}

/** A runbook's variables without an incident: values that need one (`{{ incident.… }}`) are left for the user. */
function staticVars(vars: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).filter(([, v]) => !(typeof v === 'string' && /\{\{/.test(v))));
}

function RunbookBrowser(props: { selected: string | undefined }): ReactNode {
  return (
    <div className="runbook-layout">
      <RunbookList selected={props.selected} />
      <div className="runbook-main">
        {props.selected ? (
          <RunbookPage key={props.selected} id={props.selected} />
        ) : (
          <EmptyState icon={BookIcon} title="Choose a runbook" testId="runbook-none">
            <p>Search by title, alert name, service, CI or any word in the procedure.</p>
          </EmptyState>
        )}
      </div>
    </div>
  );
}

function IncidentRunbooks(props: { connectionId: string; sysId: string; runbookId: string | undefined }): ReactNode {
  const s = useCall('runbooks.suggest', { connectionId: props.connectionId, sysId: props.sysId }, { staleTime: 30_000 });
  return (
    <QueryState
      query={s}
      skeleton={<SkeletonRows rows={4} label="Reading the incident and matching runbooks…" />}
      errorTitle="Runbooks for this incident could not be found"
    >
      {(d) => {
        const inc = d.incident;
        // The best match opens at once; the others are one click away.
        const chosen: RunbookSuggestion | undefined = d.suggestions.find((x) => x.runbook.id === props.runbookId) ?? d.suggestions[0];
        const ref: IncidentRef | null = inc ? { connectionId: inc.connectionId, sysId: inc.sysId, number: inc.number } : null;
        return (
          <div className="incident-runbooks" data-testid="incident-runbooks">
            {inc ? (
              <div className="incident-card" data-testid="incident-card">
                <strong data-testid="incident-number">{inc.number}</strong> {inc.short_description}
                <div className="muted small">
                  {inc.alert_name ? `alert ${inc.alert_name}` : 'no alert'}
                  {inc.alert_instance ? ` on ${inc.alert_instance}` : ''}
                  {inc.cmdb_ci ? ` · CI ${inc.cmdb_ci}` : ''}
                  {inc.priority ? ` · ${inc.priority}` : ''} · <ExternalLink href={inc.link}>open in ServiceNow</ExternalLink>
                </div>
              </div>
            ) : null}
            {d.suggestions.length === 0 ? (
              <EmptyState icon={BookIcon} title="No runbook matches this incident" testId="suggestions-empty">
                <p>
                  No runbook lists its alert or CI. <a href={hrefOf('runbooks')}>Browse all runbooks</a>.
                </p>
              </EmptyState>
            ) : (
              <ul className="plain-list suggestions" data-testid="suggestions">
                {d.suggestions.map((x) => (
                  <li key={x.runbook.id}>
                    <a
                      className={`runbook-item${x.runbook.id === chosen?.runbook.id ? ' selected' : ''}`}
                      href={hrefOf('runbooks', 'incident', props.connectionId, props.sysId, x.runbook.id)}
                      data-testid="suggestion"
                      data-id={x.runbook.id}
                    >
                      <span className="runbook-title">{x.runbook.title}</span>
                      <RunbookBadges r={x.runbook} />
                      <span className="muted small">matches {x.reasons.join(', ')}</span>
                    </a>
                  </li>
                ))}
              </ul>
            )}
            {chosen ? (
              <RunbookPage
                key={chosen.runbook.id}
                id={chosen.runbook.id}
                launch={{
                  prefill: { vars: chosen.extraVars, limit: chosen.limit, missing: chosen.missing },
                  incident: ref,
                  runbookTitle: chosen.runbook.title,
                  reasons: chosen.reasons,
                }}
              />
            ) : null}
          </div>
        );
      }}
    </QueryState>
  );
}

export default function RunbooksView(props: ViewProps): ReactNode {
  const [first, second, third, fourth] = props.route.path;
  const templates = first === 'templates';
  const incident = first === 'incident' && second && third;
  return (
    <section className="view runbooks-view" aria-labelledby="view-title">
      <div className="view-head">
        <h1 id="view-title" className="view-title">
          {incident ? 'Runbooks for an incident' : 'Runbooks'}
        </h1>
      </div>
      {incident ? (
        <>
          <a className="back-link" href={hrefOf('runbooks')}>
            ← All runbooks
          </a>
          <IncidentRunbooks key={`${second}:${third}`} connectionId={second} sysId={third} runbookId={fourth} />
        </>
      ) : (
        <>
          <Tabs current={templates ? 'templates' : 'runbooks'} />
          {templates ? (
            <TemplatesTab connectionId={second} templateId={third ? Number(third) : undefined} />
          ) : (
            <RunbookBrowser selected={first} />
          )}
        </>
      )}
    </section>
  );
}
