import type { ReactNode } from 'react';

/** Grey placeholder rows while the first answer is on its way (no layout jump when it lands). */
export function SkeletonRows(props: { rows?: number; label?: string }): ReactNode {
  const rows = props.rows ?? 5;
  return (
    <div className="skeleton" data-testid="state-loading" role="status" aria-live="polite">
      <span className="visually-hidden">{props.label ?? 'Loading…'}</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className={`skeleton-row w${(i % 3) + 1}`} />
      ))}
    </div>
  );
}
