import { lazy } from 'react';
import { SirenIcon } from '../../app/components/icons';
import { registerView } from '../../app/views';

// The Incidents view is registered here, with its keys, so the navigation and "?" know it before its chunk loads.
registerView(
  {
    id: 'incidents',
    label: 'Incidents',
    icon: SirenIcon,
    nav: 'main',
    shortcut: '2',
    chrome: 'full',
    order: 30,
    component: lazy(() => import('./IncidentsView')),
  },
  [
    { keys: ['j', '↓'], description: 'Incidents: next incident' },
    { keys: ['k', '↑'], description: 'Incidents: previous incident' },
    { keys: ['Enter'], description: 'Incidents: open the highlighted incident' },
    { keys: ['→', '←'], description: 'Incidents: show or fold the incidents carrying the same alert' },
    { keys: ['p'], description: 'Incidents: make the highlighted incident the parent of its alert group' },
    { keys: ['a'], description: 'Incidents: assign the open incident to me' },
    { keys: ['n'], description: 'Incidents: write a work note' },
  ],
);
