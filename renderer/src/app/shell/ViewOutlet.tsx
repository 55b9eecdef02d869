import { Suspense } from 'react';
import type { ReactNode } from 'react';
import type { Route } from '../state/route';
import { viewDef } from '../views';
import { SkeletonRows } from '../components/Skeleton';
import { ViewErrorBoundary } from './ViewErrorBoundary';

export function ViewOutlet(props: { route: Route }): ReactNode {
  const def = viewDef(props.route.view);
  const View = def.component;
  return (
    <ViewErrorBoundary key={def.id} viewLabel={def.label}>
      <Suspense fallback={<SkeletonRows label={`Loading ${def.label}…`} />}>
        <View route={props.route} />
      </Suspense>
    </ViewErrorBoundary>
  );
}
