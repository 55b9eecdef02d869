import { lazy } from 'react';
import { GaugeIcon } from '../../app/components/icons';
import { registerView } from '../../app/views';

// The SLOs view is registered here, with its keys, so the navigation and "?" know it before its chunk loads.
registerView({
  id: 'slos',
  label: 'SLOs',
  icon: GaugeIcon,
  nav: 'main',
  shortcut: '1',
  chrome: 'full',
  order: 10,
  component: lazy(() => import('./SlosView')),
});
