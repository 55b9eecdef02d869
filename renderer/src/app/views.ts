import { lazy } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';
import type { Route, ViewId } from './state/route';
import type { Icon } from './components/icons';
import { ActivityIcon, BellIcon, BookIcon, GaugeIcon, GearIcon, MonitorIcon, PlayListIcon, SirenIcon } from './components/icons';

/** What every view receives: the parsed route (the view reads its own sub-path: an id, a tab). */
export interface ViewProps {
  route: Route;
}

export interface ViewDef {
  id: ViewId;
  label: string;
  icon: Icon;
  /** Where the view shows in the left navigation: main list, below the line, or not at all. */
  nav: 'main' | 'secondary' | 'hidden';
  /** Ctrl/Cmd + this key opens the view. */
  shortcut?: string;
  /** 'bare' hides navigation and header (the wall display owns the screen). */
  chrome: 'full' | 'bare';
  /** Each view is its own chunk: only the shell is in the initial bundle, and recharts only where it charts. */
  component: LazyExoticComponent<ComponentType<ViewProps>>;
}

export const VIEWS: readonly ViewDef[] = [
  {
    id: 'slos',
    label: 'SLOs',
    icon: GaugeIcon,
    nav: 'main',
    shortcut: '1',
    chrome: 'full',
    component: lazy(() => import('../features/slo/SlosView')),
  },
  {
    id: 'alerts',
    label: 'Alerts',
    icon: BellIcon,
    nav: 'main',
    shortcut: '6',
    chrome: 'full',
    component: lazy(() => import('../features/alerts/AlertsView')),
  },
  {
    id: 'incidents',
    label: 'Incidents',
    icon: SirenIcon,
    nav: 'main',
    shortcut: '2',
    chrome: 'full',
    component: lazy(() => import('../features/incidents/IncidentsView')),
  },
  {
    id: 'runbooks',
    label: 'Runbooks',
    icon: BookIcon,
    nav: 'main',
    shortcut: '3',
    chrome: 'full',
    component: lazy(() => import('../features/runbooks/RunbooksView')),
  },
  {
    id: 'jobs',
    label: 'Jobs',
    icon: PlayListIcon,
    nav: 'main',
    shortcut: '4',
    chrome: 'full',
    component: lazy(() => import('../features/jobs/JobsView')),
  },
  {
    id: 'activity',
    label: 'Activity',
    icon: ActivityIcon,
    nav: 'main',
    shortcut: '5',
    chrome: 'full',
    component: lazy(() => import('../features/activity/ActivityView')),
  },
  {
    id: 'settings',
    label: 'Settings',
    icon: GearIcon,
    nav: 'main',
    shortcut: ',',
    chrome: 'full',
    component: lazy(() => import('../features/settings/SettingsView')),
  },
  {
    id: 'wall',
    label: 'Wall display',
    icon: MonitorIcon,
    nav: 'secondary',
    chrome: 'bare',
    component: lazy(() => import('../features/wall/WallView')),
  },
];

export function viewDef(id: ViewId): ViewDef {
  const v = VIEWS.find((x) => x.id === id);
  if (!v) throw new Error(`view "${id}" is not in the registry`);
  return v;
}
