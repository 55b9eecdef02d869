import { z } from 'zod';

// The workspace file (toc.yaml): what a team provisions to every desk and wall. Connections are validated one
// by one elsewhere so that one bad entry does not take the others down.

export const PolicyTiers = z
  .object({
    /** Budget left (0–1) below which the tier applies. Defaults: caution 0.8, restricted 0.5, emergency 0.2. */
    caution: z.number().min(0).max(1).default(0.8),
    restricted: z.number().min(0).max(1).default(0.5),
    emergency: z.number().min(0).max(1).default(0.2),
  })
  .strict()
  .refine((t) => t.caution >= t.restricted && t.restricted >= t.emergency, {
    message: 'tiers must satisfy caution ≥ restricted ≥ emergency',
  });

export const WallPage = z
  .object({
    title: z.string().min(1).max(80),
    kind: z.enum(['slos', 'incidents', 'alerts', 'jobs', 'changes']),
    /** Free-form filter for the page (service, team, priority). */
    filter: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  })
  .strict();

export const WorkspaceFile = z
  .object({
    version: z.literal(1).default(1),
    name: z.string().min(1).max(120).default('Workspace'),
    /** Validated entry by entry (see loader). */
    connections: z.array(z.unknown()).default([]),
    slos: z
      .object({
        connection: z.string().min(1).optional(),
        files: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .optional(),
    runbooks: z
      .object({ folders: z.array(z.string().min(1)).default([]) })
      .strict()
      .optional(),
    policy: z.object({ tiers: PolicyTiers.optional() }).strict().optional(),
    wall: z
      .object({
        /** Seconds each page stays on screen. */
        interval: z.number().int().min(5).max(3600).default(30),
        /** Seconds between data refreshes on the wall; data older than twice this is marked stale. */
        refresh: z.number().int().min(1).max(3600).default(15),
        pages: z.array(WallPage).default([]),
      })
      .strict()
      .optional(),
    /** Grafana base URL for dashboard links. */
    grafana: z.object({ url: z.string().url() }).strict().optional(),
  })
  .strict();

export type WorkspaceFile = z.infer<typeof WorkspaceFile>;
export type WallPage = z.infer<typeof WallPage>;
