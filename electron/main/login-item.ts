import type { UiSettings } from '@shared/settings/model';

// "Start at login" (a setting): the OS starts the console when the user logs in, as a workstation or as a wall
// (with --wall, and the workspace it was started with). Only packaged builds register: a development build
// must not put a checkout's Electron binary into the user's login items.

export type StartAtLogin = NonNullable<UiSettings['startAtLogin']>;

export interface LoginItem {
  openAtLogin: boolean;
  args: string[];
}

export function loginItemFor(mode: UiSettings['startAtLogin'], workspace: string | null): LoginItem {
  const m: StartAtLogin = mode ?? 'off';
  if (m === 'off') return { openAtLogin: false, args: [] };
  return { openAtLogin: true, args: [...(m === 'wall' ? ['--wall'] : []), ...(workspace ? ['--workspace', workspace] : [])] };
}
