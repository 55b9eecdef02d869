import { DEFAULT_UI_SETTINGS } from '@shared/settings/model';

// Settings on disk carry an explicit schemaVersion and move forward through ordered pure functions. We do not
// use electron-store's semver-keyed migrations: they run by app version, and their README lists known bugs.

export const CURRENT_SCHEMA_VERSION = 2;

type Raw = Record<string, unknown>;

/** migrations[n] takes a version-n object to version n+1. */
const migrations: Record<number, (s: Raw) => Raw> = {
  // v1 (0.0.x previews) kept the theme at the top level and had no notification settings.
  1: (s) => {
    const { theme, ...rest } = s;
    return {
      ...rest,
      schemaVersion: 2,
      ui: { ...DEFAULT_UI_SETTINGS, ...(theme === 'light' || theme === 'dark' ? { theme } : {}) },
    };
  },
};

export function migrateSettings(input: unknown): { data: Raw; from: number; migrated: boolean } {
  let s: Raw = typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...(input as Raw) } : {};
  const from = typeof s.schemaVersion === 'number' ? s.schemaVersion : Object.keys(s).length ? 1 : CURRENT_SCHEMA_VERSION;
  if (from > CURRENT_SCHEMA_VERSION) {
    throw new Error(
      `Settings were written by a newer TOC Console (schema ${from}); this version understands up to ${CURRENT_SCHEMA_VERSION}.`,
    );
  }
  let v = from;
  while (v < CURRENT_SCHEMA_VERSION) {
    const step = migrations[v];
    if (!step) throw new Error(`No settings migration from schema ${v}.`);
    s = step(s);
    v++;
  }
  s.schemaVersion = CURRENT_SCHEMA_VERSION;
  return { data: s, from, migrated: from !== CURRENT_SCHEMA_VERSION };
}
