import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar } from 'yaml';
import type { Node as YamlNode, Document } from 'yaml';
import type { z } from 'zod';
import { glob } from 'tinyglobby';
import { ConnectionSpec } from '@shared/connections/model';
import type { WorkspaceProblem } from '@shared/app/contract';
import { WorkspaceFile, WallPage } from './schema';

export interface Workspace {
  /** Absolute path of the file, or null for an empty in-memory workspace. */
  file: string | null;
  dir: string;
  name: string;
  connections: ConnectionSpec[];
  slos: { connection?: string; files: string[] };
  runbookFolders: string[];
  policy: { caution: number; restricted: number; emergency: number };
  wall: { interval: number; refresh: number; pages: WallPage[] };
  grafanaUrl?: string;
}

export interface LoadedWorkspace {
  workspace: Workspace;
  problems: WorkspaceProblem[];
}

const DEFAULT_POLICY = { caution: 0.8, restricted: 0.5, emergency: 0.2 };

export function emptyWorkspace(dir: string, name = 'No workspace'): Workspace {
  return {
    file: null,
    dir,
    name,
    connections: [],
    slos: { files: [] },
    runbookFolders: [],
    policy: DEFAULT_POLICY,
    wall: { interval: 30, refresh: 15, pages: [] },
  };
}

/** Line and column of the YAML node at a path, for messages that say where to look. */
function positionOf(doc: Document, lc: LineCounter, pathParts: (string | number)[]): { line?: number; column?: number } {
  let node: unknown = doc.contents;
  let last: unknown = node;
  for (const key of pathParts) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value === key : p.key === key));
      if (!pair) break;
      last = pair.key ?? pair.value;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
    } else break;
    if (node) last = node;
  }
  const range = (last as YamlNode | undefined)?.range;
  if (!range) return {};
  const p = lc.linePos(range[0]);
  return { line: p.line, column: p.col };
}

function issuesToProblems(
  file: string,
  doc: Document,
  lc: LineCounter,
  error: z.ZodError,
  prefix: (string | number)[] = [],
): WorkspaceProblem[] {
  return error.issues.map((issue) => {
    const full = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    return { file, ...positionOf(doc, lc, full), field: full.join('.') || '(file)', message: issue.message };
  });
}

/**
 * Reads and validates a workspace file. Never throws for bad content: problems come back with file, line and
 * field, and every part that is valid (each good connection) is kept.
 */
export async function loadWorkspace(file: string): Promise<LoadedWorkspace> {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      workspace: emptyWorkspace(dir),
      problems: [
        {
          file: abs,
          message: code === 'ENOENT' ? 'The workspace file does not exist.' : `The workspace file cannot be read (${code ?? 'error'}).`,
        },
      ],
    };
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      workspace: emptyWorkspace(dir),
      problems: doc.errors.map((err) => {
        const p = lc.linePos(err.pos[0]);
        return { file: abs, line: p.line, column: p.col, message: `YAML: ${err.message.split('\n')[0]}` };
      }),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  const top = WorkspaceFile.safeParse(raw);
  if (!top.success) {
    return { workspace: emptyWorkspace(dir), problems: issuesToProblems(abs, doc, lc, top.error) };
  }
  const problems: WorkspaceProblem[] = [];
  const wf = top.data;
  const connections: ConnectionSpec[] = [];
  const seen = new Map<string, number>();
  for (const [i, entry] of wf.connections.entries()) {
    const parsed = ConnectionSpec.safeParse(entry);
    if (!parsed.success) {
      problems.push(...issuesToProblems(abs, doc, lc, parsed.error, ['connections', i]));
      continue;
    }
    const c = parsed.data;
    if (seen.has(c.id)) {
      problems.push({
        file: abs,
        ...positionOf(doc, lc, ['connections', i, 'id']),
        field: `connections.${i}.id`,
        message: `duplicate connection id "${c.id}" (first used by entry ${seen.get(c.id)})`,
      });
      continue;
    }
    const resolved = { ...c, ...(c.caFile ? { caFile: path.resolve(dir, c.caFile) } : {}) };
    if (resolved.auth.type === 'mtls') {
      resolved.auth = {
        ...resolved.auth,
        certFile: path.resolve(dir, resolved.auth.certFile),
        keyFile: path.resolve(dir, resolved.auth.keyFile),
      };
    }
    const missing = await missingFiles(resolved);
    if (missing.length) {
      for (const m of missing)
        problems.push({
          file: abs,
          ...positionOf(doc, lc, ['connections', i, m.field]),
          field: `connections.${i}.${m.field}`,
          message: `file not found: ${m.file}`,
        });
    }
    seen.set(c.id, i);
    connections.push(resolved);
  }
  if (wf.slos?.connection && !seen.has(wf.slos.connection)) {
    problems.push({
      file: abs,
      ...positionOf(doc, lc, ['slos', 'connection']),
      field: 'slos.connection',
      message: `no connection with id "${wf.slos.connection}"`,
    });
  }
  const sloFiles = wf.slos?.files.length ? (await glob(wf.slos.files, { cwd: dir, absolute: true })).sort() : [];
  return {
    workspace: {
      file: abs,
      dir,
      name: wf.name,
      connections,
      slos: { ...(wf.slos?.connection ? { connection: wf.slos.connection } : {}), files: sloFiles },
      runbookFolders: (wf.runbooks?.folders ?? []).map((f) => path.resolve(dir, f)),
      policy: wf.policy?.tiers ?? DEFAULT_POLICY,
      wall: { interval: wf.wall?.interval ?? 30, refresh: wf.wall?.refresh ?? 15, pages: wf.wall?.pages ?? [] },
      ...(wf.grafana ? { grafanaUrl: wf.grafana.url } : {}),
    },
    problems,
  };
}

async function missingFiles(c: ConnectionSpec): Promise<{ field: string; file: string }[]> {
  const files: { field: string; file: string }[] = [];
  if (c.caFile) files.push({ field: 'caFile', file: c.caFile });
  if (c.auth.type === 'mtls') files.push({ field: 'auth', file: c.auth.certFile }, { field: 'auth', file: c.auth.keyFile });
  const out: { field: string; file: string }[] = [];
  for (const f of files) {
    try {
      await stat(f.file);
    } catch {
      out.push(f);
    }
  }
  return out;
}
