import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import type { ViewProps } from '../../app/views';
import { hrefOf } from '../../app/state/route';
import { SkeletonRows } from '../../app/components/Skeleton';
import GeneralSettings from './GeneralSettings';

// The connections screen carries zod (the shared ConnectionSpec schema): load it only when it is opened.
const ConnectionsScreen = lazy(() => import('../connections/ConnectionsScreen'));

const TABS = [
  { id: 'general', label: 'General', href: hrefOf('settings') },
  { id: 'connections', label: 'Connections', href: hrefOf('settings', 'connections') },
] as const;

export default function SettingsView(props: ViewProps): ReactNode {
  const [tab, ...rest] = props.route.path;
  const current = tab === 'connections' ? 'connections' : 'general';
  return (
    <section className="view" aria-labelledby="view-title">
      <h1 id="view-title" className="view-title">
        Settings
      </h1>
      <nav className="tabs" aria-label="Settings sections">
        {TABS.map((t) => (
          <a
            key={t.id}
            href={t.href}
            className={`tab${current === t.id ? ' current' : ''}`}
            aria-current={current === t.id ? 'page' : undefined}
            data-testid={`settings-tab-${t.id}`}
          >
            {t.label}
          </a>
        ))}
      </nav>
      {current === 'connections' ? (
        <Suspense fallback={<SkeletonRows />}>
          <ConnectionsScreen path={rest} />
        </Suspense>
      ) : (
        <GeneralSettings />
      )}
    </section>
  );
}
