import { useState } from 'react';
import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { WorkspaceProblem } from '@shared/app/contract';
import { useWorkspaceProblems } from '../../api/app-queries';
import { callKey, useAction } from '../../api/hooks';
import { Banner } from './Banner';

const SHOWN = 3;

export function formatProblem(p: WorkspaceProblem): string {
  const where = `${p.file}${p.line !== undefined ? `:${p.line}` : ''}${p.line !== undefined && p.column !== undefined ? `:${p.column}` : ''}`;
  return `${where}${p.field ? ` ${p.field}` : ''}: ${p.message}`;
}

/** The workspace file has errors: list each at file:line with its field, so it can be fixed without guessing. */
export function WorkspaceProblemsBanner(): ReactNode {
  const problems = useWorkspaceProblems();
  const qc = useQueryClient();
  const [all, setAll] = useState(false);
  const reload = useAction('app.reloadWorkspace', {
    onSuccess: (p) => qc.setQueryData(callKey('app.workspaceProblems', {}), p),
    invalidates: ['connections.list', 'connections.health', 'app.info'],
  });
  const list = problems.data ?? [];
  if (list.length === 0) return null;
  const shown = all ? list : list.slice(0, SHOWN);
  return (
    <Banner
      tone="warn"
      title={`The workspace file has ${list.length} problem${list.length === 1 ? '' : 's'}`}
      testId="banner-workspace-problems"
      foldable
      actions={
        <button
          type="button"
          className="btn"
          onClick={() => reload.mutate({})}
          disabled={reload.isPending}
          data-testid="banner-workspace-reload"
        >
          {reload.isPending ? 'Reloading…' : 'Reload file'}
        </button>
      }
    >
      <p className="muted small">Entries with problems were skipped; everything else is loaded.</p>
      <ul className="problem-list">
        {shown.map((p, i) => (
          <li key={i} data-testid="workspace-problem">
            <code>{formatProblem(p)}</code>
          </li>
        ))}
      </ul>
      {list.length > SHOWN ? (
        <button type="button" className="btn-link" onClick={() => setAll(!all)} data-testid="banner-workspace-toggle">
          {all ? 'Show fewer' : `Show all ${list.length}`}
        </button>
      ) : null}
      {reload.isError ? (
        <p className="field-error" role="alert">
          {reload.error.message}
        </p>
      ) : null}
    </Banner>
  );
}
