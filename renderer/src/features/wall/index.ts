import { lazy } from 'react';
import { MonitorIcon } from '../../app/components/icons';
import { registerView } from '../../app/views';

// The Wall display view is registered here, with its keys, so the navigation and "?" know it before its chunk loads.
registerView({
  id: 'wall',
  label: 'Wall display',
  icon: MonitorIcon,
  nav: 'secondary',
  chrome: 'bare',
  order: 80,
  component: lazy(() => import('./WallView')),
});
