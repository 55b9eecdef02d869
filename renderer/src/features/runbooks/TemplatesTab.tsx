import { useState } from 'react';
import type { ReactNode } from 'react';
import type { TemplateSummary } from '@shared/jobs/model';
import { useCall } from '../../app/api/hooks';
import { QueryState } from '../../app/components/QueryState';
import { EmptyState } from '../../app/components/EmptyState';
import { SkeletonRows } from '../../app/components/Skeleton';
import { PlayListIcon } from '../../app/components/icons';
import { hrefOf } from '../../app/state/route';
import { useDebounced } from '../../app/use-debounced';
import { LaunchPanel } from './LaunchPanel';

// The Runbooks view's "Job templates" tab: every AWX template this user may launch, searchable, and the launch
// form of the one chosen (the same form a runbook opens).

export function TemplatesTab(props: { connectionId: string | undefined; templateId: number | undefined }): ReactNode {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const list = useCall('jobs.templates', q ? { search: q } : {}, { placeholderData: (prev) => prev, staleTime: 30_000 });
  return (
    <div className="runbook-layout">
      <aside className="runbook-list" aria-label="Job templates">
        <input
          type="search"
          className="runbook-search"
          placeholder="Search job templates"
          aria-label="Search job templates"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="template-search"
        />
        <QueryState
          query={list}
          skeleton={<SkeletonRows rows={5} label="Reading job templates from AWX…" />}
          errorTitle="Job templates could not be read"
          isEmpty={(d) => d.templates.length === 0 && d.problems.length === 0}
          empty={<EmptyState icon={PlayListIcon} title="No job templates" testId="templates-empty" />}
        >
          {(d) => (
            <>
              {d.problems.map((p) => (
                <p key={p.connectionId} className="form-invalid" role="alert" data-testid="templates-problem">
                  {p.connectionName}: {p.message}
                </p>
              ))}
              <ul className="plain-list runbook-items" data-testid="template-list">
                {d.templates.map((t: TemplateSummary) => {
                  const selected = t.connectionId === props.connectionId && t.id === props.templateId;
                  return (
                    <li key={`${t.connectionId}:${t.id}`}>
                      <a
                        className={`runbook-item${selected ? ' selected' : ''}`}
                        href={hrefOf('runbooks', 'templates', t.connectionId, String(t.id))}
                        data-testid="template-item"
                        data-id={t.id}
                      >
                        <span className="runbook-title">{t.name}</span>
                        <span className="runbook-badges">
                          {t.surveyEnabled ? <span className="tag">survey</span> : null}
                          {t.production ? <span className="tag tag-prod">production</span> : null}
                          {t.lastJob ? <span className="muted small">last: {t.lastJob.status}</span> : null}
                        </span>
                        <span className="muted small">
                          {t.connectionName}
                          {t.inventory ? ` · ${t.inventory}` : ''}
                        </span>
                      </a>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </QueryState>
      </aside>
      <div className="runbook-main">
        {props.connectionId && props.templateId ? (
          <LaunchPanel
            key={`${props.connectionId}:${props.templateId}`}
            target={{ connectionId: props.connectionId, templateId: props.templateId }}
          />
        ) : (
          <EmptyState icon={PlayListIcon} title="Choose a job template" testId="template-none">
            <p>Any template this AWX user may launch, with its survey.</p>
          </EmptyState>
        )}
      </div>
    </div>
  );
}
