import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ContractFailure } from '@shared/kernel/result';
import { toContractError } from '../api/client';
import { useNow } from '../state/clock';
import { formatAge, isStale } from '../format/time';
import { ErrorPanel } from './ErrorPanel';
import { SkeletonRows } from './Skeleton';
import { WarnIcon } from './icons';

export interface QueryStateProps<T> {
  query: UseQueryResult<T, ContractFailure>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  skeleton?: ReactNode;
  /** How often this data should refresh; older than twice that, it is marked stale. */
  refreshMs?: number;
  errorTitle?: string;
}

/**
 * The four states every data view has: loading (skeleton), error (the system's words + Retry), empty, and
 * data, which stays on screen greyed with a warning when a refresh fails or it grows old, never silently.
 */
export function QueryState<T>(props: QueryStateProps<T>): ReactNode {
  const { query } = props;
  if (query.data === undefined) {
    if (query.isError) {
      return (
        <ErrorPanel
          error={toContractError(query.error)}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
          {...(props.errorTitle ? { title: props.errorTitle } : {})}
        />
      );
    }
    return props.skeleton ?? <SkeletonRows />;
  }
  const data = query.data;
  const body = props.isEmpty?.(data) ? (props.empty ?? null) : props.children(data);
  return (
    <>
      <StaleNotice query={query} refreshMs={props.refreshMs} />
      <div className={query.isError ? 'is-stale' : undefined}>{body}</div>
    </>
  );
}

function StaleNotice<T>(props: { query: UseQueryResult<T, ContractFailure>; refreshMs: number | undefined }): ReactNode {
  const { query } = props;
  const now = useNow();
  const age = now - query.dataUpdatedAt;
  const old = props.refreshMs !== undefined && isStale(age, props.refreshMs);
  if (!query.isError && !old) return null;
  const error = query.isError ? toContractError(query.error) : null;
  return (
    <div className="stale-notice" role="status" data-testid="state-stale">
      <WarnIcon className="icon" />
      <span>
        Showing data from {formatAge(age)}
        {error ? ` — the last refresh failed: ${error.message}` : ' — it has not refreshed since (stale).'}
        {error?.detail?.remoteMessage ? ` “${error.detail.remoteMessage}”` : ''}
      </span>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => void query.refetch()}
        disabled={query.isFetching}
        data-testid="state-stale-retry"
      >
        {query.isFetching ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}
