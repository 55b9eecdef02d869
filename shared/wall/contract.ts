import { z } from 'zod';
import { method } from '../kernel/define';

// The wall: its pages and timings. Reading them is no action, so a read-only wall may.

const None = z.object({}).strict();

export const WALL_PAGE_KINDS = ['slos', 'incidents', 'alerts', 'jobs', 'changes'] as const;
export const WallPageKind = z.enum(WALL_PAGE_KINDS);
export type WallPageKind = z.infer<typeof WallPageKind>;

/** One page of the rotation. Filter values are lists (a single value in the workspace file becomes a list of one). */
export const WallPageView = z.object({
  title: z.string(),
  kind: WallPageKind,
  /**
   * Keys the wall understands: `environment`, `connection` (ids) on every page; `service`, `team` and
   * `groupBy` (service | team) on SLO pages; `priority` and `group` on incident pages; `severity` on alert pages.
   */
  filter: z.record(z.string(), z.array(z.string())),
});
export type WallPageView = z.infer<typeof WallPageView>;

export const WallConfig = z.object({
  /** Seconds each page stays on screen. */
  interval: z.number().int().positive(),
  /** Seconds between data refreshes; data older than twice this (or its source's own interval) is stale. */
  refresh: z.number().int().positive(),
  pages: z.array(WallPageView),
  /** false: the workspace names no pages and these are the default five. */
  fromWorkspace: z.boolean(),
  workspace: z.string(),
});
export type WallConfig = z.infer<typeof WallConfig>;

export const wallMethods = {
  /** The wall's pages and timings from the workspace file (`wall:`), or the default pages when it names none. */
  'wall.config': method(None, WallConfig),
};
