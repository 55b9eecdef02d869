import type { ReactNode } from 'react';
import { useAppInfo, useConnections, useSettings } from '../api/app-queries';
import { useQueryClient } from '@tanstack/react-query';
import { callKey, useAction } from '../api/hooks';

/** Production environments get the warning colour, so nobody mistakes prod for staging at a glance. */
export function isProdLike(env: string): boolean {
  return /\bprod/i.test(env) && !/non-?prod|preprod/i.test(env);
}

function EnvironmentSwitcher(): ReactNode {
  const settings = useSettings();
  const connections = useConnections();
  const qc = useQueryClient();
  const update = useAction('settings.update', { onSuccess: (s) => qc.setQueryData(callKey('settings.get', {}), s) });
  const envs = [...new Set((connections.data ?? []).map((c) => c.spec.environment).filter((e): e is string => !!e))].sort();
  const current = settings.data?.environment ?? null;
  if (current !== null && !envs.includes(current)) envs.push(current);
  const label = current ?? 'all environments';
  return (
    <div
      className={`env-switcher${current && isProdLike(current) ? ' prod' : ''}`}
      data-testid="header-environment"
      data-environment={current ?? ''}
    >
      <label htmlFor="env-select" className="visually-hidden">
        Environment
      </label>
      <span className="env-label" aria-hidden="true">
        Env
      </span>
      {envs.length === 0 ? (
        <span className="env-value">{label}</span>
      ) : (
        <select
          id="env-select"
          value={current ?? ''}
          disabled={update.isPending || settings.data === undefined}
          onChange={(e) => update.mutate({ environment: e.target.value === '' ? null : e.target.value })}
          data-testid="header-environment-select"
        >
          <option value="">All environments</option>
          {envs.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </select>
      )}
      {update.isError ? (
        <span className="field-error" role="alert">
          {update.error.message}
        </span>
      ) : null}
    </div>
  );
}

export function Header(): ReactNode {
  const info = useAppInfo();
  const ws = info.data?.workspace;
  return (
    <header className="header" data-testid="header">
      <div className="brand">
        <span className="brand-name">TOC Console</span>
        <span className="workspace-name" data-testid="header-workspace" title={ws?.path ?? 'no workspace file'}>
          {ws ? ws.name : info.isError ? 'workspace unknown' : '…'}
        </span>
        {ws?.demo ? (
          <span className="tag" data-testid="header-demo">
            demo
          </span>
        ) : null}
        {info.data?.wall ? (
          <span className="tag" data-testid="header-readonly">
            read-only wall
          </span>
        ) : null}
      </div>
      <EnvironmentSwitcher />
      <div className="header-meta muted small">{info.data ? `v${info.data.version}` : null}</div>
    </header>
  );
}
