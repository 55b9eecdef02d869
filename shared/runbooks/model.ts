import { z } from 'zod';

// Markdown runbooks with front matter (issue 5): what the console reads from the workspace's runbook folders.
// The body travels as a small tree of allowed elements, never as HTML: the renderer builds React elements from
// it, so nothing in a runbook file can inject markup or script.

export const MD_TAGS = [
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  's',
  'a',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'br',
] as const;
export type MdTag = (typeof MD_TAGS)[number];

export type MdNode =
  | { t: 'text'; v: string }
  | {
      t: 'el';
      tag: MdTag;
      /** Links: an http(s) or mailto URL only; anything else is dropped and the text kept. */
      href?: string;
      /** Ordered lists that do not start at 1. */
      start?: number;
      /** Fenced code: the info string's language. */
      lang?: string;
      align?: 'left' | 'center' | 'right';
      children: MdNode[];
    };

export const MdNode: z.ZodType<MdNode> = z.lazy(() =>
  z.union([
    z.object({ t: z.literal('text'), v: z.string() }),
    z.object({
      t: z.literal('el'),
      tag: z.enum(MD_TAGS),
      href: z.string().optional(),
      start: z.number().int().optional(),
      lang: z.string().optional(),
      align: z.enum(['left', 'center', 'right']).optional(),
      children: z.array(MdNode),
    }),
  ]),
);

/** Extra vars of a runbook: values are templates such as `"{{ incident.alert_instance }}"`, or plain values. */
export const RunbookVars = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]));
export type RunbookVars = z.infer<typeof RunbookVars>;

export const RunbookAwx = z.object({
  /** Connection id; null: the first AWX connection. */
  connection: z.string().nullable(),
  /** Job template by name. */
  template: z.string(),
});
export type RunbookAwx = z.infer<typeof RunbookAwx>;

export const RunbookSummary = z.object({
  id: z.string(),
  title: z.string(),
  /** The file it was read from. */
  file: z.string(),
  services: z.array(z.string()),
  alerts: z.array(z.string()),
  cis: z.array(z.string()),
  tags: z.array(z.string()),
  /** null: a procedure without automation (still readable). */
  awx: RunbookAwx.nullable(),
  extraVars: RunbookVars,
  limit: z.string().nullable(),
  production: z.boolean(),
  /** Problems with the front matter; the runbook stays readable. */
  problems: z.array(z.string()),
  /** Search: where the words matched, with a little context. */
  snippet: z.string().optional(),
});
export type RunbookSummary = z.infer<typeof RunbookSummary>;

export const Runbook = RunbookSummary.extend({ body: z.array(MdNode), modified: z.string() });
export type Runbook = z.infer<typeof Runbook>;

export const RunbookFileProblem = z.object({ file: z.string(), line: z.number().int().optional(), message: z.string() });
export type RunbookFileProblem = z.infer<typeof RunbookFileProblem>;

/** The incident fields runbook templates can use, as `{{ incident.<name> }}`. */
export const IncidentContext = z.object({
  connectionId: z.string(),
  sysId: z.string(),
  number: z.string(),
  short_description: z.string(),
  alert_name: z.string(),
  alert_instance: z.string(),
  /** The alert instance without its port ("web-07:9100" → "web-07"): the host a runbook acts on. */
  alert_host: z.string(),
  cmdb_ci: z.string(),
  business_service: z.string(),
  priority: z.string(),
  assignment_group: z.string(),
  link: z.string(),
});
export type IncidentContext = z.infer<typeof IncidentContext>;

export const RunbookSuggestion = z.object({
  runbook: RunbookSummary,
  /** Why it is suggested: "alert DiskAlmostFull", "CI web-01", "service checkout". */
  reasons: z.array(z.string()),
  score: z.number(),
  /** The runbook's extra vars with the incident filled in. */
  extraVars: z.record(z.string(), z.unknown()),
  limit: z.string().nullable(),
  /** Template variables the incident has no value for. */
  missing: z.array(z.string()),
});
export type RunbookSuggestion = z.infer<typeof RunbookSuggestion>;
