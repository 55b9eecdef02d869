import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ContractFailure } from '@shared/kernel/result';
import { parseOpenSlo, type SloFile, type SloProblem } from '@shared/slo';

// Where SLO definitions come from: the workspace's `slos.files` (absolute paths, globbed by the loader) and
// the console's own folder `<data dir>/slos/`, where files imported from the UI are saved. A file that cannot
// be read is a problem like any parse error; the others still load.

export const IMPORT_FOLDER = 'slos';

export interface ReadFiles {
  files: { path: string; file: SloFile }[];
  problems: SloProblem[];
}

/** Shown name of a file: relative to the workspace folder when inside it, else absolute. */
export function displayName(file: string, baseDir: string | null): string {
  if (!baseDir) return file;
  const rel = path.relative(baseDir, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

export async function importedFiles(dataDir: string): Promise<string[]> {
  const dir = path.join(dataDir, IMPORT_FOLDER);
  try {
    return (await readdir(dir))
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/**
 * A file's text, or null when it is not a regular file. Opened without blocking and checked before reading: a
 * named pipe or a device matched by a glob would otherwise stop the whole process on a plain read.
 */
function readRegularFile(p: string): string | null {
  const fd = openSync(p, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    if (!fstatSync(fd).isFile()) return null;
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Files read between two turns of the event loop (about a millisecond's work). */
const READ_SLICE = 100;

/**
 * Reads every file, in the order given. Synchronously, in slices with a yield between them: SLO files are small,
 * and measured with 2,000 of them the promise-based reads took 130-570 ms (one thread-pool round trip per open,
 * read and close, under load) where plain reads took 15-90 ms; the yield keeps the process answering meanwhile.
 */
export async function readSloFiles(paths: readonly string[], baseDir: string | null): Promise<ReadFiles> {
  const files: { path: string; file: SloFile }[] = [];
  const problems: SloProblem[] = [];
  const unique = [...new Set(paths)];
  for (let i = 0; i < unique.length; i++) {
    if (i > 0 && i % READ_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const p = unique[i] ?? '';
    const name = displayName(p, baseDir);
    try {
      const text = readRegularFile(p);
      if (text === null) problems.push({ file: name, line: 0, field: '', message: 'is not a regular file' });
      else files.push({ path: p, file: { file: name, text } });
    } catch (e) {
      problems.push({ file: name, line: 0, field: '', message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  return { files, problems };
}

/** A safe file name for an imported file: letters, digits, "-", "_", "."; always ending in .yaml or .yml. */
export function importFileName(name: string): string {
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  let clean = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  if (!/\.ya?ml$/i.test(clean)) clean = `${clean.replace(/\.+$/, '')}.yaml`;
  if (clean === '.yaml' || clean.length > 120) throw new ContractFailure('bad_request', `"${name}" is not a usable file name.`);
  return clean;
}

export interface ImportCheck {
  target: string;
  names: string[];
  replaced: boolean;
}

/**
 * Validates an OpenSLO text against the definitions already loaded (SLI references may point to them; SLO
 * names must not clash with another file's) and returns where it would be saved. Throws a `validation`
 * failure listing every problem with line and field.
 */
export function checkImport(
  dataDir: string,
  filename: string,
  text: string,
  existing: readonly { path: string; file: SloFile }[],
  existingNames: ReadonlyMap<string, string>,
): ImportCheck {
  const clean = importFileName(filename);
  const target = path.join(dataDir, IMPORT_FOLDER, clean);
  const others = existing.filter((f) => f.path !== target).map((f) => f.file);
  const own = parseOpenSlo([...others, { file: clean, text }]);
  const problems = own.problems.filter((p) => p.file === clean);
  const mine = own.slos.filter((s) => s.origin.kind === 'openslo' && s.origin.file === clean);
  for (const s of mine) {
    const where = existingNames.get(s.name);
    if (where !== undefined && where !== target) {
      problems.push({
        file: clean,
        line: s.origin.kind === 'openslo' ? s.origin.line : 0,
        field: 'metadata.name',
        message: `an SLO named "${s.name}" is already defined in ${where}`,
      });
    }
  }
  if (problems.length === 0 && mine.length === 0) {
    problems.push({ file: clean, line: 1, field: 'kind', message: 'the file holds no SLO (kind: SLO, apiVersion: openslo/v1)' });
  }
  if (problems.length > 0) {
    throw new ContractFailure(
      'validation',
      `${clean} was not imported: ${problems.length === 1 ? 'one problem' : `${problems.length} problems`}.`,
      {
        fields: problems.map((p) => ({ path: `${p.file}:${p.line}${p.field ? ` ${p.field}` : ''}`, message: p.message })),
      },
    );
  }
  return { target, names: mine.map((s) => s.name), replaced: existing.some((f) => f.path === target) };
}

/** Writes the file atomically (temp file + rename) into the import folder. */
export async function saveImport(target: string, text: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, target);
}
