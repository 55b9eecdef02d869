import os from 'node:os';
import path from 'node:path';
import type { AppInfo, NavigateTarget, WorkspaceProblem } from '@shared/app/contract';
import { Dispatcher } from './kernel/dispatch/dispatcher';
import { Registry } from './kernel/dispatch/registry';
import { AuditLog } from './kernel/audit/audit-log';
import { ConnectionService } from './kernel/connections/connection-service';
import { SettingsService } from './kernel/settings/settings-service';
import type { SettingsBackend } from './kernel/settings/settings-service';
import { openConfBackend } from './kernel/settings/conf-backend';
import { emptyWorkspace, loadWorkspace } from './kernel/workspace/load-workspace';
import type { Workspace } from './kernel/workspace/load-workspace';
import { registerAppFeature } from './features/app/app-feature';
import { registerConnectionsFeature } from './features/connections/connections-feature';
import { registerSettingsFeature } from './features/settings/settings-feature';
import { registerActivityFeature } from './features/activity/activity-feature';
import { registerSloFeature } from './features/slo/slo-feature';
import { registerIncidentsFeature } from './features/incidents/incidents-feature';
import { registerAlertsFeature } from './features/alerts/alerts-feature';
import { registerRunbooksFeature } from './features/runbooks/runbooks-feature';
import { registerJobsFeature } from './features/jobs/jobs-feature';
import { isSafeExternalUrl } from './kernel/security/external-url';
import { registerModesFeature } from './features/wall/modes-feature';
import { installOfflineCache } from './features/offline/offline-feature';
import { registerInsightsFeature } from './features/insights/insights-feature';
import type { CoreServices, SecretStorePort } from './kernel/services';
import { resolveOperator } from '@shared/app/operator';
import type { Operator } from '@shared/app/operator';
import { registerContextFeature } from './features/context/context-feature';

export type { CoreServices, SecretStorePort } from './kernel/services';

export interface CoreOptions {
  version: string;
  transport: AppInfo['transport'];
  workspaceFile: string | null;
  /** Folder for settings (when no backend is given), the audit log and caches. */
  dataDir: string;
  settingsBackend?: SettingsBackend;
  secrets: SecretStorePort;
  wall?: boolean;
  demo?: { notices: string[] };
  env?: Record<string, string | undefined>;
  /** Desktop only: hands a vetted http(s) URL to the OS. */
  openExternal?: (url: string) => boolean;
  validateOutput?: boolean;
  /** Probe every connection this often (desktop and serve; the one-shot CLI does not). */
  healthIntervalMs?: number;
  redact?: (text: string) => string;
  onSecretUsed?: (value: string) => void;
  /** A one-shot command's overall deadline (epoch ms): every request of every connection ends by then. */
  deadlineAt?: number;
}

export interface Core {
  dispatcher: Dispatcher;
  registry: Registry;
  services: CoreServices;
  setWall(on: boolean): void;
  /** The computer woke up or the screen was unlocked: pages read their data again (`app.resumed`). */
  resume(reason: 'resume' | 'unlock' | 'online'): void;
  /** Features register background work (sync loops, followers) to stop with the core. */
  onDispose(fn: () => void | Promise<void>): void;
  dispose(): Promise<void>;
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  let ws: Workspace = emptyWorkspace(opts.dataDir);
  let problems: WorkspaceProblem[] = [];
  const load = async (): Promise<WorkspaceProblem[]> => {
    if (!opts.workspaceFile) return [];
    const loaded = await loadWorkspace(opts.workspaceFile);
    // A file that fails entirely keeps the last good workspace: nothing that worked stops working.
    if (loaded.workspace.file || ws.file === null) ws = loaded.workspace;
    problems = loaded.problems;
    return problems;
  };
  await load();

  const settings = new SettingsService(opts.settingsBackend ?? openConfBackend(opts.dataDir));
  const env = opts.env ?? process.env;
  const osUser = safeUser();
  const operator = (): Operator =>
    resolveOperator({ workspace: ws.operator, settings: settings.getUi().operator, environment: env.TOC_OPERATOR, os: osUser });
  const audit = new AuditLog({
    dir: path.join(opts.dataDir, 'audit'),
    who: () => operator().name,
    ...(opts.redact ? { redact: opts.redact } : {}),
  });
  const connections = new ConnectionService({
    provisioned: () => ws.connections,
    settings,
    secrets: opts.secrets,
    audit,
    env: opts.env ?? process.env,
    ...(opts.onSecretUsed ? { onSecretUsed: opts.onSecretUsed } : {}),
    ...(opts.deadlineAt !== undefined ? { deadlineAt: opts.deadlineAt } : {}),
  });
  let wall = opts.wall ?? false;
  const navListeners = new Set<(t: NavigateTarget) => void>();
  const openExternal = opts.openExternal;

  const services: CoreServices = {
    info: () => ({
      name: 'TOC Console',
      version: opts.version,
      transport: opts.transport,
      wall,
      workspace: { path: ws.file, name: ws.name, demo: Boolean(opts.demo), notices: opts.demo?.notices ?? [] },
      operator: operator(),
    }),
    workspace: () => ws,
    workspaceProblems: () => [...problems, ...settings.problems.map((p) => ({ file: settings.path, message: p.message }))],
    reloadWorkspace: load,
    connections,
    settings,
    secrets: opts.secrets,
    audit,
    operator,
    openExternal: openExternal ? (url) => (isSafeExternalUrl(url) ? openExternal(url) : false) : undefined,
    navigate: (t) => navListeners.forEach((l) => l(t)),
    onNavigate: (cb) => {
      navListeners.add(cb);
      return () => navListeners.delete(cb);
    },
  };

  const registry = new Registry();
  registerAppFeature(registry, services);
  registerConnectionsFeature(registry, services);
  registerSettingsFeature(registry, services);
  registerActivityFeature(registry, services);
  const incidents = registerIncidentsFeature(registry, services);
  const dispatcher = new Dispatcher({
    registry,
    isReadOnly: () => wall,
    validateOutput: opts.validateOutput ?? false,
    ...(opts.redact ? { redact: opts.redact } : {}),
  });
  const stopHealth = opts.healthIntervalMs ? connections.startHealthChecks(opts.healthIntervalMs) : undefined;
  const disposers: (() => void | Promise<void>)[] = [];
  const slo = registerSloFeature(registry, services, { dataDir: opts.dataDir, onDispose: (fn) => void disposers.push(fn) });
  // What one feature needs of another: typed ports onto the other's handlers, resolved when called (so the
  // offline copies answer them too, whenever the offline feature is installed).
  const ports = {
    listRunbooks: registry.port('runbooks.list', 'Runbooks are not available in this console.'),
    getIncident: registry.port('incidents.get', 'Reading incidents needs the incidents feature, which is not available in this console.'),
    listIncidents: registry.port('incidents.list', 'Incidents are not available in this console.'),
    addWorkNote: registry.port('incidents.addWorkNote', 'Work notes need the incidents feature, which is not available in this console.'),
  };
  const alerts = registerAlertsFeature(registry, services, { ports, onDispose: (fn) => void disposers.push(fn) });
  const runbooks = registerRunbooksFeature(registry, services, ports);
  const jobs = registerJobsFeature(registry, services, { ...ports, runbooks: runbooks.store }, { silences: alerts.jobSilences });
  disposers.push(jobs.dispose);
  registerInsightsFeature(registry, services, { incidents, slo, runbooks: runbooks.store });
  registerContextFeature(registry, services, {
    slo,
    incidents,
    alerts: alerts.service,
    awx: jobs.service,
    runbooks: runbooks.store,
  });
  const modes = registerModesFeature(registry, services);
  // The offline copy runs the policies the features declared with their reads; it may be installed before or
  // after them. The background sync runs in the long-lived desktop app and `toc serve`; TOC_OFFLINE_SYNC=off turns it off (benchmarks).
  const background = opts.transport !== 'direct' && (opts.env ?? process.env).TOC_OFFLINE_SYNC !== 'off';
  const serveCopies = opts.transport !== 'direct';
  disposers.push(
    installOfflineCache(registry, services, {
      dataDir: opts.dataDir,
      background,
      serveCopies,
      ...(opts.redact ? { redact: opts.redact } : {}),
    }).dispose,
  );
  return {
    dispatcher,
    registry,
    services,
    setWall: (on) => {
      wall = on;
    },
    resume: (reason) => modes.resume(reason),
    onDispose: (fn) => void disposers.push(fn),
    dispose: async () => {
      stopHealth?.();
      for (const d of disposers.reverse()) await d();
    },
  };
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
