import { lazy } from 'react';
import { ActivityIcon } from '../../app/components/icons';
import { registerView } from '../../app/views';

// The Activity view is registered here, with its keys, so the navigation and "?" know it before its chunk loads.
registerView({
  id: 'activity',
  label: 'Activity',
  icon: ActivityIcon,
  nav: 'main',
  shortcut: '5',
  chrome: 'full',
  order: 60,
  component: lazy(() => import('./ActivityView')),
});
