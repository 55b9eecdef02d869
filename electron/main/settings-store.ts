import { ipcMain } from 'electron';
import Store from 'electron-store';
import { renameSync } from 'node:fs';
import path from 'node:path';
import type { SettingsBackend } from '../core/kernel/settings/settings-service';

// Settings (never secrets) in userData/settings.json through electron-store, adapted to the core's
// SettingsBackend. The core's SettingsService owns the schema and migrations; this file only opens the file.

const NAME = 'settings';

export function openSettingsBackend(userDataDir: string, log: (message: string) => void): SettingsBackend {
  const open = (): Store<Record<string, unknown>> =>
    new Store<Record<string, unknown>>({ name: NAME, cwd: userDataDir, clearInvalidConfig: false });
  let store: Store<Record<string, unknown>>;
  try {
    store = open();
  } catch (e) {
    // A settings file that is not JSON any more must not keep the console from starting, nor be silently
    // overwritten: it is set aside for the user to inspect and the console starts with defaults.
    const file = path.join(userDataDir, `${NAME}.json`);
    const aside = path.join(userDataDir, `${NAME}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    try {
      renameSync(file, aside);
      log(`settings file unreadable (${e instanceof Error ? e.message : String(e)}); moved to ${aside}`);
    } catch {
      throw e;
    }
    store = open();
  }
  // electron-store answers a sync IPC channel ('electron-store-get-data') for renderer-side stores. The console
  // never uses one, has no sync IPC, and registers only its own three channels: take it away again.
  ipcMain.removeAllListeners('electron-store-get-data');
  return {
    get store() {
      return store.store;
    },
    set store(v) {
      store.store = v;
    },
    get path() {
      return store.path;
    },
  };
}
