import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { RunbookAwx, RunbookVars } from '@shared/runbooks/model';
import { RunbookVars as RunbookVarsSchema } from '@shared/runbooks/model';

// One runbook file: YAML front matter between `---` lines, then markdown. Every front-matter field is checked
// on its own, so one bad field is reported (with its line) and the rest of the runbook still works; a file
// without front matter is a plain procedure titled by its first heading.
//
//   ---
//   title: Restart a failed service
//   services: [checkout]
//   alerts: [ServiceDown]          # alert names (u_alert_name) it fixes
//   cis: [web-01]                  # configuration items (cmdb_ci) it applies to
//   awx: {connection: demo-awx, template: Restart service}
//   extraVars: {target_host: "{{ incident.alert_instance }}", snow_incident: "{{ incident.number }}"}
//   limit: "{{ incident.alert_instance }}"
//   production: true               # launches ask the engineer to type the target's name
//   ---

export interface RunbookMeta {
  title: string;
  services: string[];
  alerts: string[];
  cis: string[];
  tags: string[];
  awx: RunbookAwx | null;
  extraVars: RunbookVars;
  limit: string | null;
  production: boolean;
}

export interface ParsedRunbook {
  meta: RunbookMeta;
  body: string;
  problems: { line?: number; message: string }[];
}

const FRONT = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;
const KNOWN = new Set(['title', 'services', 'alerts', 'cis', 'tags', 'awx', 'extraVars', 'limit', 'production']);

const StringList = z.union([
  z
    .string()
    .min(1)
    .transform((s) => [s]),
  z.array(z.union([z.string(), z.number()]).transform(String)),
]);
const Awx = z
  .object({ connection: z.string().min(1).optional(), template: z.string().min(1, 'the job template name is required') })
  .strict();

function firstHeading(body: string): string | null {
  const m = /^#\s+(.+?)\s*#*\s*$/m.exec(body);
  return m?.[1] ?? null;
}

export function parseRunbookFile(text: string, fallbackTitle: string): ParsedRunbook {
  const problems: ParsedRunbook['problems'] = [];
  const meta: RunbookMeta = {
    title: '',
    services: [],
    alerts: [],
    cis: [],
    tags: [],
    awx: null,
    extraVars: {},
    limit: null,
    production: false,
  };
  const m = FRONT.exec(text);
  const body = m ? text.slice(m[0].length) : text;
  if (m) {
    const lc = new LineCounter();
    const doc = parseDocument(m[1] ?? '', { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
    // Front matter starts on line 2 of the file.
    const lineAt = (offset: number | undefined): number | undefined => (offset === undefined ? undefined : lc.linePos(offset).line + 1);
    if (doc.errors.length) {
      for (const err of doc.errors)
        problems.push({ line: lineAt(err.pos[0]), message: `front matter is not valid YAML: ${err.message.split('\n')[0]}` });
    } else {
      const raw: unknown = doc.toJS();
      if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
        problems.push({ line: 2, message: 'front matter must be a mapping of fields (title: …, alerts: […])' });
      } else if (raw) {
        const fm = raw as Record<string, unknown>;
        const field = <T>(key: string, schema: z.ZodType<T>, set: (v: T) => void): void => {
          if (!(key in fm) || fm[key] === null) return;
          const r = schema.safeParse(fm[key]);
          if (r.success) set(r.data);
          else {
            const node = doc.get(key, true) as { range?: [number, number, number] } | undefined;
            const issue = r.error.issues[0];
            const where = issue && issue.path.length ? `${key}.${issue.path.join('.')}` : key;
            problems.push({ line: lineAt(node?.range?.[0]), message: `${where}: ${issue?.message ?? 'invalid'}` });
          }
        };
        field('title', z.union([z.string(), z.number()]).transform(String), (v) => (meta.title = v.trim()));
        field('services', StringList, (v) => (meta.services = v));
        field('alerts', StringList, (v) => (meta.alerts = v));
        field('cis', StringList, (v) => (meta.cis = v));
        field('tags', StringList, (v) => (meta.tags = v));
        field('awx', Awx, (v) => (meta.awx = { connection: v.connection ?? null, template: v.template }));
        field('extraVars', RunbookVarsSchema, (v) => (meta.extraVars = v));
        field('limit', z.union([z.string(), z.number()]).transform(String), (v) => (meta.limit = v.trim() || null));
        field('production', z.boolean(), (v) => (meta.production = v));
        for (const key of Object.keys(fm)) if (!KNOWN.has(key)) problems.push({ message: `unknown front-matter field "${key}" (ignored)` });
      }
    }
  }
  meta.title ||= firstHeading(body) ?? fallbackTitle;
  if (meta.production && !meta.awx) problems.push({ message: 'production: true has no effect without an awx template' });
  return { meta, body, problems };
}
