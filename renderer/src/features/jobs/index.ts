import { lazy } from 'react';
import { PlayListIcon } from '../../app/components/icons';
import { registerView } from '../../app/views';
import { RUNBOOK_JOB_SHORTCUTS } from './shortcuts';

// The Jobs view is registered here, with its keys, so the navigation and "?" know it before its chunk loads.
registerView(
  {
    id: 'jobs',
    label: 'Jobs',
    icon: PlayListIcon,
    nav: 'main',
    shortcut: '4',
    chrome: 'full',
    order: 50,
    component: lazy(() => import('./JobsView')),
  },
  RUNBOOK_JOB_SHORTCUTS,
);

export { RUNBOOK_JOB_SHORTCUTS } from './shortcuts';
export { jobKey } from './job-format';
export { useLaunchStore } from './launch-store';
export type { LaunchNote } from './launch-store';
