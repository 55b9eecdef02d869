import type { ReactNode } from 'react';
import { useAppInfo } from '../../api/app-queries';
import { EmptyState } from '../../components/EmptyState';
import { MonitorIcon } from '../../components/icons';
import { hrefOf } from '../../state/route';

/** The wall owns the whole screen (no navigation); the status bar stays, so data age is always visible. */
export default function WallView(): ReactNode {
  const info = useAppInfo();
  return (
    <section className="view wall" aria-labelledby="view-title">
      <h1 id="view-title" className="view-title">
        Wall display
      </h1>
      <EmptyState icon={MonitorIcon} title="This view arrives with the wall display feature" testId="state-not-built">
        <p>Here rotating pages of large SLO and incident tiles will show, each with the age of its data.</p>
        {info.data?.wall ? null : (
          <p>
            <a href={hrefOf('slos')} data-testid="wall-exit">
              Leave the wall display
            </a>
          </p>
        )}
      </EmptyState>
    </section>
  );
}
