import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateSettings, CURRENT_SCHEMA_VERSION } from '../../../electron/core/kernel/settings/migrations';
import { SettingsService } from '../../../electron/core/kernel/settings/settings-service';
import { openConfBackend } from '../../../electron/core/kernel/settings/conf-backend';

const dir = mkdtempSync(path.join(os.tmpdir(), 'toc-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('settings migrations', () => {
  it('moves a v1 file (theme at the top) to the current schema without losing connections', () => {
    const v1 = { theme: 'light', connections: [{ id: 'p' }] };
    const { data, from, migrated } = migrateSettings(v1);
    expect(from).toBe(1);
    expect(migrated).toBe(true);
    expect(data).toMatchObject({ schemaVersion: CURRENT_SCHEMA_VERSION, connections: [{ id: 'p' }], ui: { theme: 'light' } });
    expect(data).not.toHaveProperty('theme');
  });

  it('starts an empty store at the current version', () => {
    expect(migrateSettings({})).toMatchObject({ from: CURRENT_SCHEMA_VERSION, migrated: false });
  });

  it('refuses a file from a newer version instead of overwriting it', () => {
    expect(() => migrateSettings({ schemaVersion: 99 })).toThrow(/newer TOC Console/);
  });
});

describe('settings service on a real file', () => {
  it('persists UI settings and UI-added connections; sets aside an unreadable connection and says so', () => {
    const sub = path.join(dir, 'a');
    const backend = openConfBackend(sub);
    writeFileSync(
      backend.path,
      JSON.stringify({
        theme: 'light',
        connections: [
          { id: 'prom', kind: 'prometheus', name: 'P', url: 'http://127.0.0.1:9090', auth: { type: 'none' } },
          { id: 'broken', kind: 'prometheus', url: 'nope' },
        ],
      }),
    );
    const s = new SettingsService(openConfBackend(sub));
    expect(s.getUi().theme).toBe('light');
    expect(s.getConnections().map((c) => c.id)).toEqual(['prom']);
    expect(s.problems).toHaveLength(1);
    s.updateUi({ notifications: { jobFinished: false } });
    const again = new SettingsService(openConfBackend(sub));
    expect(again.getUi()).toMatchObject({ theme: 'light', notifications: { jobFinished: false, newP1P2: true } });
    const onDisk = JSON.parse(readFileSync(backend.path, 'utf8')) as { schemaVersion: number };
    expect(onDisk.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
  });
});
