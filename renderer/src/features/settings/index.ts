import { lazy } from 'react';
import { GearIcon } from '../../app/components/icons';
import { registerView } from '../../app/views';

// The Settings view is registered here, with its keys, so the navigation and "?" know it before its chunk loads.
registerView({
  id: 'settings',
  label: 'Settings',
  icon: GearIcon,
  nav: 'main',
  shortcut: ',',
  chrome: 'full',
  order: 70,
  component: lazy(() => import('./SettingsView')),
});
