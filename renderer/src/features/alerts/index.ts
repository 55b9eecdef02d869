import { lazy } from 'react';
import { BellIcon } from '../../app/components/icons';
import { registerView } from '../../app/views';

// The Alerts view is registered here, with its keys, so the navigation and "?" know it before its chunk loads.
registerView(
  {
    id: 'alerts',
    label: 'Alerts',
    icon: BellIcon,
    nav: 'main',
    shortcut: '6',
    chrome: 'full',
    order: 20,
    component: lazy(() => import('./AlertsView')),
  },
  [
    { keys: ['/'], description: 'Alerts: filter alerts by matchers' },
    { keys: ['j', 'k'], description: 'Alerts: next / previous alert (Enter shows its context)' },
  ],
);
