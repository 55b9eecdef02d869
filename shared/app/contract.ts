import { z } from 'zod';
import { method, topic } from '../kernel/define';
import { ConnectionHealth, ConnectionSpec, ConnectionView, ProbeResult } from '../connections/model';
import { UiSettings, UiSettingsPatch } from './settings';
import { AuditEntry } from '../activity/model';
import { SecretStatus } from '../kernel/secrets';

const None = z.object({}).strict();

export const WorkspaceProblem = z.object({
  file: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  field: z.string().optional(),
  message: z.string(),
});
export type WorkspaceProblem = z.infer<typeof WorkspaceProblem>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** How this renderer reaches main: Electron IPC or the `toc serve` WebSocket bridge. */
  transport: z.enum(['ipc', 'ws', 'direct']),
  wall: z.boolean(),
  workspace: z.object({
    path: z.string().nullable(),
    name: z.string(),
    demo: z.boolean(),
    /** Demo parts that could not start, with how to get them (e.g. "apt-get install prometheus"). */
    notices: z.array(z.string()),
  }),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const SecretField = z.object({ connectionId: z.string().min(1), field: z.string().min(1).max(40) }).strict();

export const appMethods = {
  'app.info': method(None, AppInfo),
  'workspace.problems': method(None, z.array(WorkspaceProblem)),
  'workspace.reload': method(None, z.array(WorkspaceProblem)),

  'connections.list': method(None, z.array(ConnectionView)),
  'connections.save': method(
    z
      .object({
        spec: ConnectionSpec,
        /** New secret values by auth field (password, token, clientSecret, passphrase). Sent once, kept in main. */
        secrets: z.record(z.string(), z.string().min(1).max(8192)).optional(),
      })
      .strict(),
    ConnectionView,
    { action: true },
  ),
  'connections.remove': method(z.object({ id: z.string().min(1) }).strict(), z.object({ removed: z.boolean() }), {
    action: true,
  }),
  'connections.test': method(z.object({ id: z.string().min(1) }).strict(), ProbeResult),
  'connections.health': method(None, z.array(ConnectionHealth)),

  'secrets.status': method(None, SecretStatus),
  'secrets.retry': method(None, SecretStatus, { action: true }),
  'secrets.set': method(SecretField.extend({ value: z.string().min(1).max(8192) }).strict(), z.object({ present: z.boolean() }), {
    action: true,
  }),
  'secrets.delete': method(SecretField, z.object({ present: z.boolean() }), { action: true }),

  'settings.get': method(None, UiSettings),
  'settings.update': method(UiSettingsPatch, UiSettings),

  'audit.list': method(
    z.object({ limit: z.number().int().min(1).max(1000).optional(), before: z.string().optional() }).strict(),
    z.array(AuditEntry),
  ),

  /** Opens an http(s) link the user clicked in the system browser (desktop only). */
  'shell.openExternal': method(z.object({ url: z.string().max(4096) }).strict(), z.object({ opened: z.boolean() })),
};

export const NavigateTarget = z.object({
  view: z.enum(['slos', 'incidents', 'runbooks', 'jobs', 'activity', 'settings', 'wall']),
  id: z.string().optional(),
  /** Segments after the view when one id is not enough (`jobs/<connection>/<job>`, `slos/detail/<slo>`); wins over id. */
  path: z.array(z.string().min(1).max(200)).max(4).optional(),
});
export type NavigateTarget = z.infer<typeof NavigateTarget>;

export const appTopics = {
  'secrets.status': topic(None, SecretStatus),
  'connections.health': topic(None, z.array(ConnectionHealth)),
  'settings.changed': topic(None, UiSettings),
  'audit.appended': topic(None, AuditEntry),
  /** Menu accelerators, deep links and notification clicks ask the renderer to show a view. */
  'app.navigate': topic(None, NavigateTarget),
};
