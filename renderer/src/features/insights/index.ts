import { lazy } from 'react';
import { ChartIcon } from '../../app/components/icons';
import { registerView } from '../../app/views';

// The Insights view is registered here, so the navigation, the palette and "?" know it before its chunk (and
// recharts) loads.
registerView({
  id: 'insights',
  label: 'Insights',
  icon: ChartIcon,
  nav: 'main',
  shortcut: '7',
  chrome: 'full',
  order: 65,
  component: lazy(() => import('./InsightsView')),
});
