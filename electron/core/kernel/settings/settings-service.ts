import { z } from 'zod';
import { ConnectionSpec } from '@shared/connections/model';
import { DEFAULT_UI_SETTINGS, UiSettings } from '@shared/settings/model';
import type { UiSettingsPatch } from '@shared/settings/model';
import { migrateSettings } from './migrations';

/** The part of conf / electron-store we use: both expose the whole object as `.store`, written atomically. */
export interface SettingsBackend {
  store: Record<string, unknown>;
  readonly path: string;
}

const WindowBounds = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().min(200),
  height: z.number().min(150),
  maximized: z.boolean(),
});
export type WindowBounds = z.infer<typeof WindowBounds>;

const Persisted = z.object({
  schemaVersion: z.number(),
  ui: UiSettings.catch(DEFAULT_UI_SETTINGS),
  /** Connections added in the UI (provisioned ones come from the workspace file). */
  connections: z.array(z.unknown()).catch([]),
  windowBounds: WindowBounds.optional().catch(undefined),
  /**
   * The origin (scheme://host:port) each stored secret was entered for, keyed "connectionId|account". Only
   * origins: the values stay in the keychain.
   */
  secretOrigins: z.record(z.string(), z.string()).optional().catch(undefined),
});

export interface SettingsProblem {
  message: string;
}

/**
 * Non-secret settings. Secrets never pass through here: connection specs hold only keychain/env references,
 * and the schema has no field a secret could hide in.
 */
export class SettingsService {
  private listeners = new Set<(ui: UiSettings) => void>();
  readonly problems: SettingsProblem[] = [];
  private ui: UiSettings;
  private connections: ConnectionSpec[];
  private windowBounds: WindowBounds | undefined;
  private secretOrigins: Record<string, string>;

  constructor(private readonly backend: SettingsBackend) {
    const { data, migrated } = migrateSettings(backend.store);
    const p = Persisted.parse(data);
    this.ui = p.ui;
    this.windowBounds = p.windowBounds;
    this.secretOrigins = { ...(p.secretOrigins ?? {}) };
    this.connections = [];
    for (const c of p.connections) {
      const parsed = ConnectionSpec.safeParse(c);
      if (parsed.success) this.connections.push(parsed.data);
      else
        this.problems.push({
          message: `A saved connection could not be read and was set aside: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        });
    }
    if (migrated) this.persist();
  }

  get path(): string {
    return this.backend.path;
  }

  getUi(): UiSettings {
    return this.ui;
  }

  updateUi(patch: UiSettingsPatch): UiSettings {
    const { operator: _previous, ...rest } = this.ui;
    const operator = patch.operator === undefined ? this.ui.operator : (patch.operator ?? undefined);
    const next: UiSettings = {
      ...rest,
      ...(operator !== undefined ? { operator } : {}),
      ...(patch.theme ? { theme: patch.theme } : {}),
      ...(patch.environment !== undefined ? { environment: patch.environment } : {}),
      ...(patch.startAtLogin !== undefined ? { startAtLogin: patch.startAtLogin } : {}),
      ...(patch.timeZone !== undefined ? { timeZone: patch.timeZone } : {}),
      ...(patch.bannersCollapsed !== undefined ? { bannersCollapsed: patch.bannersCollapsed } : {}),
      notifications: { ...this.ui.notifications, ...(patch.notifications ?? {}) },
    };
    this.ui = UiSettings.parse(next);
    this.persist();
    for (const l of this.listeners) l(this.ui);
    return this.ui;
  }

  onUiChange(cb: (ui: UiSettings) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  getConnections(): ConnectionSpec[] {
    return [...this.connections];
  }

  saveConnection(spec: ConnectionSpec): void {
    const i = this.connections.findIndex((c) => c.id === spec.id);
    if (i >= 0) this.connections[i] = spec;
    else this.connections.push(spec);
    this.persist();
  }

  removeConnection(id: string): boolean {
    const before = this.connections.length;
    this.connections = this.connections.filter((c) => c.id !== id);
    if (this.connections.length === before) return false;
    this.persist();
    return true;
  }

  getWindowBounds(): WindowBounds | undefined {
    return this.windowBounds;
  }

  setWindowBounds(b: WindowBounds): void {
    const parsed = WindowBounds.safeParse(b);
    if (!parsed.success) return;
    this.windowBounds = parsed.data;
    this.persist();
  }

  /** The origin a connection's secret was entered for, if one was recorded. */
  getSecretOrigin(connectionId: string, account: string): string | undefined {
    return this.secretOrigins[`${connectionId}|${account}`];
  }

  setSecretOrigin(connectionId: string, account: string, origin: string | undefined): void {
    const key = `${connectionId}|${account}`;
    if (this.secretOrigins[key] === origin) return;
    if (origin === undefined) delete this.secretOrigins[key];
    else this.secretOrigins[key] = origin;
    this.persist();
  }

  private persist(): void {
    this.backend.store = {
      schemaVersion: 2,
      ui: this.ui,
      connections: this.connections,
      ...(this.windowBounds ? { windowBounds: this.windowBounds } : {}),
      ...(Object.keys(this.secretOrigins).length ? { secretOrigins: this.secretOrigins } : {}),
    };
  }
}
