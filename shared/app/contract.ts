import { z } from 'zod';
import { method, topic } from '../kernel/define';
import { Operator } from './operator';

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
  /** Who the console names in every write, and where that name comes from. */
  operator: Operator,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Resumed = z.object({ at: z.string(), reason: z.enum(['resume', 'unlock', 'online']) });
export type Resumed = z.infer<typeof Resumed>;

export const appMethods = {
  'app.info': method(None, AppInfo),
  'app.workspaceProblems': method(None, z.array(WorkspaceProblem)),
  'app.reloadWorkspace': method(None, z.array(WorkspaceProblem)),
  /** Opens an http(s) link the user clicked in the system browser (desktop only). */
  'app.openExternal': method(z.object({ url: z.string().max(4096) }).strict(), z.object({ opened: z.boolean() })),
};

export const NavigateTarget = z.object({
  view: z.enum(['slos', 'incidents', 'runbooks', 'jobs', 'activity', 'settings', 'wall']),
  id: z.string().optional(),
  /** Segments after the view when one id is not enough (`jobs/<connection>/<job>`, `slos/detail/<slo>`); wins over id. */
  path: z.array(z.string().min(1).max(200)).max(4).optional(),
});
export type NavigateTarget = z.infer<typeof NavigateTarget>;

export const appTopics = {
  /** Menu accelerators, deep links and notification clicks ask the renderer to show a view. */
  'app.navigate': topic(None, NavigateTarget),
  /** The computer woke up (or the screen unlocked): everything on screen should be read again. */
  'app.resumed': topic(None, Resumed),
};
