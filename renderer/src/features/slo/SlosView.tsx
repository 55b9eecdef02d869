import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import type { ViewProps } from '../../app/views';
import { hrefOf } from '../../app/state/route';
import { SkeletonRows } from '../../app/components/Skeleton';
import { FleetView } from './FleetView';
import { AlertsView } from './AlertsView';
import './slos.css';

// The detail carries recharts: its own chunk, loaded when an SLO is opened.
const SloDetailView = lazy(() => import('./SloDetailView'));

const TABS = [
  { id: 'fleet', label: 'Fleet', href: hrefOf('slos') },
  { id: 'alerts', label: 'Firing alerts', href: hrefOf('slos', 'alerts') },
] as const;

/** Routes: #/slos (fleet), #/slos/alerts (Prometheus alerts), #/slos/detail/<id> (one SLO). */
export default function SlosView(props: ViewProps): ReactNode {
  const [sub, id] = props.route.path;
  if (sub === 'detail' && id) {
    return (
      <section className="view" aria-labelledby="view-title">
        <Suspense fallback={<SkeletonRows rows={8} label="Loading the SLO view…" />}>
          <SloDetailView key={id} id={id} />
        </Suspense>
      </section>
    );
  }
  const current = sub === 'alerts' ? 'alerts' : 'fleet';
  return (
    <section className="view slos-view" aria-labelledby="view-title">
      <h1 id="view-title" className="view-title">
        Service level objectives
      </h1>
      <nav className="tabs" aria-label="SLO sections">
        {TABS.map((t) => (
          <a
            key={t.id}
            href={t.href}
            className={`tab${current === t.id ? ' current' : ''}`}
            aria-current={current === t.id ? 'page' : undefined}
            data-testid={`slo-tab-${t.id}`}
          >
            {t.label}
          </a>
        ))}
      </nav>
      {current === 'alerts' ? <AlertsView /> : <FleetView />}
    </section>
  );
}
