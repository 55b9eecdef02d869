import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncidentContext, Runbook, RunbookFileProblem, RunbookSuggestion, RunbookSummary } from '@shared/runbooks/model';
import { renderValue, renderVars } from '@shared/runbooks/template-vars';
import { ContractFailure } from '@shared/kernel/result';
import { markdownTree, plainText } from './markdown';
import { parseRunbookFile } from './runbook-file';

// The workspace's markdown runbooks, read from its runbook folders (non-recursive, *.md) on demand and cached by
// file modification time, so an edited runbook shows on the next look without a restart. Ids are the file
// names (slugged); a clash across folders gets a suffix.

interface Entry {
  file: string;
  mtimeMs: number;
  size: number;
  summary: Omit<RunbookSummary, 'id'>;
  body: Runbook['body'];
  text: string;
  modified: string;
}

export interface RunbookSet {
  runbooks: (Entry & { id: string })[];
  problems: RunbookFileProblem[];
  folders: string[];
}

export interface SuggestInput {
  alertName?: string;
  alertInstance?: string;
  ci?: string;
  service?: string;
}

const MAX_FILES = 2000;
const MAX_BYTES = 1024 * 1024;

const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/\.md$/i, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'runbook';

const eq = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

export class RunbookStore {
  private cache = new Map<string, Entry>();

  constructor(private readonly folders: () => string[]) {}

  async load(): Promise<RunbookSet> {
    const problems: RunbookFileProblem[] = [];
    const folders = [...new Set(this.folders().map((f) => path.resolve(f)))];
    const files: string[] = [];
    for (const folder of folders) {
      let names: string[];
      try {
        names = (await readdir(folder, { withFileTypes: true }))
          .filter((d) => d.isFile() && /\.md$/i.test(d.name))
          .map((d) => d.name)
          .sort();
      } catch (e) {
        problems.push({ file: folder, message: `The runbook folder cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).` });
        continue;
      }
      for (const n of names) if (files.length < MAX_FILES) files.push(path.join(folder, n));
    }
    const seen = new Map<string, number>();
    const runbooks: RunbookSet['runbooks'] = [];
    const live = new Set<string>();
    for (const file of files) {
      const entry = await this.entry(file, problems);
      if (!entry) continue;
      live.add(file);
      const base = slug(path.basename(file));
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      runbooks.push({ ...entry, id: n === 1 ? base : `${base}-${n}` });
    }
    for (const k of this.cache.keys()) if (!live.has(k)) this.cache.delete(k);
    return { runbooks, problems, folders };
  }

  private async entry(file: string, problems: RunbookFileProblem[]): Promise<Entry | null> {
    try {
      const st = await stat(file);
      if (st.size > MAX_BYTES) {
        problems.push({ file, message: `Skipped: larger than ${MAX_BYTES / 1024} KiB.` });
        return null;
      }
      const cached = this.cache.get(file);
      if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) {
        for (const p of cached.summary.problems) problems.push({ file, message: p });
        return cached;
      }
      const text = await readFile(file, 'utf8');
      const parsed = parseRunbookFile(text, path.basename(file, path.extname(file)));
      const body = markdownTree(parsed.body);
      const messages = parsed.problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message));
      for (const p of parsed.problems) problems.push({ file, ...(p.line ? { line: p.line } : {}), message: p.message });
      const entry: Entry = {
        file,
        mtimeMs: st.mtimeMs,
        size: st.size,
        summary: { ...parsed.meta, file, problems: messages },
        body,
        text: plainText(body),
        modified: st.mtime.toISOString(),
      };
      this.cache.set(file, entry);
      return entry;
    } catch (e) {
      problems.push({ file, message: `The runbook cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).` });
      return null;
    }
  }

  async list(query?: string): Promise<{ runbooks: RunbookSummary[]; problems: RunbookFileProblem[]; folders: string[] }> {
    const set = await this.load();
    const q = query?.trim() ?? '';
    if (!q) {
      const runbooks = set.runbooks.map((r) => ({ ...r.summary, id: r.id })).sort((a, b) => a.title.localeCompare(b.title));
      return { runbooks, problems: set.problems, folders: set.folders };
    }
    const scored = set.runbooks
      .map((r) => ({ r, hit: searchScore(r, q) }))
      .filter((x) => x.hit.score > 0)
      .sort((a, b) => b.hit.score - a.hit.score || a.r.summary.title.localeCompare(b.r.summary.title));
    return {
      runbooks: scored.map(({ r, hit }) => ({ ...r.summary, id: r.id, ...(hit.snippet ? { snippet: hit.snippet } : {}) })),
      problems: set.problems,
      folders: set.folders,
    };
  }

  async get(id: string): Promise<Runbook> {
    const set = await this.load();
    const r = set.runbooks.find((x) => x.id === id);
    if (!r) throw new ContractFailure('not_found', `There is no runbook "${id}" in the workspace's runbook folders.`);
    return { ...r.summary, id: r.id, body: r.body, modified: r.modified };
  }

  /** A runbook by id or by title (case-insensitive), for the command line. */
  async find(nameOrId: string): Promise<Runbook> {
    const set = await this.load();
    const r =
      set.runbooks.find((x) => x.id === nameOrId) ??
      set.runbooks.find((x) => eq(x.summary.title, nameOrId)) ??
      set.runbooks.find((x) => x.id === slug(nameOrId));
    if (!r) {
      throw new ContractFailure(
        'not_found',
        `No runbook is called "${nameOrId}". Known: ${set.runbooks.map((x) => x.id).join(', ') || '(none)'}.`,
      );
    }
    return { ...r.summary, id: r.id, body: r.body, modified: r.modified };
  }

  async suggest(input: SuggestInput, incident: IncidentContext | null): Promise<RunbookSuggestion[]> {
    const set = await this.load();
    const ctx = incident ? { incident: { ...incident, ci: incident.cmdb_ci } } : {};
    const out: RunbookSuggestion[] = [];
    for (const r of set.runbooks) {
      const s = r.summary;
      const reasons: string[] = [];
      let score = 0;
      if (input.alertName && s.alerts.some((a) => eq(a, input.alertName ?? ''))) {
        reasons.push(`alert ${input.alertName}`);
        score += 10;
      }
      const cis = [input.ci, input.alertInstance, input.alertInstance?.replace(/:\d+$/, '')].filter((x): x is string => Boolean(x));
      const ci = cis.find((c) => s.cis.some((x) => eq(x, c)));
      if (ci) {
        reasons.push(`CI ${ci}`);
        score += 6;
      }
      if (input.service && s.services.some((x) => eq(x, input.service ?? ''))) {
        reasons.push(`service ${input.service}`);
        score += 3;
      }
      if (score === 0) continue;
      const vars = renderVars(s.extraVars, ctx);
      const limit = s.limit ? renderValue(s.limit, ctx) : null;
      const missing = [...new Set([...vars.missing, ...(limit?.missing ?? [])])];
      out.push({
        runbook: { ...s, id: r.id },
        reasons,
        score: score + (s.awx ? 1 : 0),
        extraVars: vars.values,
        limit: limit ? String(limit.value) : null,
        missing,
      });
    }
    return out.sort((a, b) => b.score - a.score || a.runbook.title.localeCompare(b.runbook.title));
  }
}

function searchScore(r: Entry & { id: string }, query: string): { score: number; snippet?: string } {
  const s = r.summary;
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10);
  const title = s.title.toLowerCase();
  const tags = [...s.alerts, ...s.services, ...s.cis, ...s.tags, s.awx?.template ?? ''].map((x) => x.toLowerCase());
  const text = r.text.toLowerCase();
  let score = 0;
  let first = -1;
  for (const t of terms) {
    let hit = 0;
    if (title.includes(t)) hit += title.split(/\W+/).includes(t) ? 12 : 8;
    if (tags.some((x) => x === t)) hit += 8;
    else if (tags.some((x) => x.includes(t))) hit += 5;
    const at = text.indexOf(t);
    if (at >= 0) {
      hit += 1 + Math.min(4, text.split(t).length - 2);
      if (first < 0) first = at;
    }
    if (r.id.includes(t)) hit += 2;
    if (hit === 0) return { score: 0 };
    score += hit;
  }
  if (first < 0) return { score };
  const from = Math.max(0, first - 60);
  const snippet = `${from > 0 ? '…' : ''}${r.text
    .slice(from, first + 100)
    .replace(/\s+/g, ' ')
    .trim()}${first + 100 < r.text.length ? '…' : ''}`;
  return { score, snippet };
}
