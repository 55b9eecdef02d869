import type { ReactNode } from 'react';

/** "Refresh" that says "Refreshing…" and cannot be pressed again while a refresh is running. */
export function RefreshButton(props: { busy: boolean; onRefresh: () => void; testId: string; small?: boolean }): ReactNode {
  return (
    <button
      type="button"
      className={props.small === false ? 'btn' : 'btn btn-small'}
      onClick={props.onRefresh}
      disabled={props.busy}
      aria-busy={props.busy}
      data-testid={props.testId}
    >
      {props.busy ? 'Refreshing…' : 'Refresh'}
    </button>
  );
}
