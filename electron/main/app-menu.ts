import type { MenuItemConstructorOptions } from 'electron';
import type { NavigateTarget } from '@shared/app/contract';

// The application menu is also the keyboard map: each view has a shortcut, and navigation items ask the
// renderer to switch views through the contract (core.services.navigate) rather than reaching into the page.

export type View = NavigateTarget['view'];

export interface MenuActions {
  navigate(view: View): void;
  toggleWall(): void;
  toggleFullScreen(): void;
  reload(): void;
  about(): void;
}

export interface MenuState {
  platform: NodeJS.Platform;
  /** Developer tools only in development builds. */
  isPackaged: boolean;
  wall: boolean;
  appName: string;
}

export const VIEW_SHORTCUTS: readonly { view: View; label: string; accelerator: string }[] = [
  { view: 'slos', label: 'SLOs', accelerator: 'CmdOrCtrl+1' },
  { view: 'incidents', label: 'Incidents', accelerator: 'CmdOrCtrl+2' },
  { view: 'runbooks', label: 'Runbooks', accelerator: 'CmdOrCtrl+3' },
  { view: 'jobs', label: 'Jobs', accelerator: 'CmdOrCtrl+4' },
  { view: 'activity', label: 'Activity', accelerator: 'CmdOrCtrl+5' },
];

export const SETTINGS_ACCELERATOR = 'CmdOrCtrl+,';
export const WALL_ACCELERATOR = 'CmdOrCtrl+Shift+D';
export const FULLSCREEN_ACCELERATOR = 'F11';

export function buildMenuTemplate(actions: MenuActions, state: MenuState): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const settingsItem: MenuItemConstructorOptions = {
    label: mac ? 'Settings…' : 'Settings',
    accelerator: SETTINGS_ACCELERATOR,
    click: () => actions.navigate('settings'),
  };
  const view: MenuItemConstructorOptions[] = [
    ...VIEW_SHORTCUTS.map((s): MenuItemConstructorOptions => ({
      label: s.label,
      accelerator: s.accelerator,
      click: () => actions.navigate(s.view),
    })),
    // On macOS Settings lives in the app menu, by convention.
    ...(mac ? [] : [settingsItem]),
    { type: 'separator' },
    { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: () => actions.reload() },
    { type: 'separator' },
    { label: 'Wall Mode', type: 'checkbox', checked: state.wall, accelerator: WALL_ACCELERATOR, click: () => actions.toggleWall() },
    { label: 'Toggle Full Screen', accelerator: mac ? 'Ctrl+Cmd+F' : FULLSCREEN_ACCELERATOR, click: () => actions.toggleFullScreen() },
    ...(state.isPackaged ? [] : [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const]),
  ];
  const about: MenuItemConstructorOptions = { label: `About ${state.appName}`, click: () => actions.about() };
  return [
    ...(mac
      ? [
          {
            label: state.appName,
            submenu: [
              about,
              { type: 'separator' },
              settingsItem,
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : [{ label: '&File', submenu: [{ role: 'quit' }] } satisfies MenuItemConstructorOptions]),
    // Without an Edit menu, copy and paste shortcuts do nothing on macOS.
    { role: 'editMenu' },
    { label: '&View', submenu: view },
    { role: 'windowMenu' },
    { label: '&Help', role: 'help', submenu: [about] },
  ];
}
