import Conf from 'conf';
import type { SettingsBackend } from './settings-service';

/**
 * Settings file for the CLI, `toc serve` and tests. The desktop app uses electron-store, which is this same
 * library (conf) with Electron's userData folder; both write one JSON file atomically.
 */
export function openConfBackend(dir: string, name = 'settings'): SettingsBackend {
  const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: name, projectName: 'toc-console', clearInvalidConfig: false });
  return {
    get store() {
      return conf.store;
    },
    set store(v) {
      conf.store = v;
    },
    get path() {
      return conf.path;
    },
  };
}
