import { lazy } from 'react';
import { BookIcon } from '../../app/components/icons';
import { registerView } from '../../app/views';
import { RUNBOOK_JOB_SHORTCUTS } from '../jobs';

// The Runbooks view is registered here, with its keys, so the navigation and "?" know it before its chunk loads.
registerView(
  {
    id: 'runbooks',
    label: 'Runbooks',
    icon: BookIcon,
    nav: 'main',
    shortcut: '3',
    chrome: 'full',
    order: 40,
    component: lazy(() => import('./RunbooksView')),
  },
  RUNBOOK_JOB_SHORTCUTS,
);

export { SuggestedRunbooks } from './SuggestedRunbooks';
