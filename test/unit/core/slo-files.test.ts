import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSloFiles } from '../../../electron/core/features/slo/slo-files';

// SLO files are read with plain reads in slices. What could break: the order (the first definition of a name
// wins), a file that cannot be read losing the others, and a glob that matches a named pipe or a folder: a
// plain read of a pipe with no writer would stop the whole process.

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('reading the SLO files', () => {
  it('reads 250 files in the order given across slices; a missing file, a folder and a pipe are problems', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'toc-slo-files-'));
    const paths: string[] = [];
    for (let i = 0; i < 250; i++) {
      const p = path.join(dir, `f${String(249 - i).padStart(3, '0')}.yaml`);
      writeFileSync(p, `# file ${i}\n`);
      paths.push(p);
    }
    const missing = path.join(dir, 'gone.yaml');
    const folder = path.join(dir, 'folder.yaml');
    mkdirSync(folder);
    const pipe = path.join(dir, 'pipe.yaml');
    let havePipe = false;
    try {
      execFileSync('mkfifo', [pipe]);
      havePipe = true;
    } catch {
      // No mkfifo (Windows): the folder stands for what is not a regular file.
    }
    const all = [paths[0] ?? '', missing, ...paths.slice(1, 120), folder, ...(havePipe ? [pipe] : []), ...paths.slice(120), paths[3] ?? ''];
    const t0 = Date.now();
    const read = await readSloFiles(all, dir);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(read.files.map((f) => f.file.text)).toEqual(paths.map((_p, i) => `# file ${i}\n`));
    expect(read.files[0]?.file.file).toBe('f249.yaml');
    expect(read.problems).toEqual([
      { file: 'gone.yaml', line: 0, field: '', message: 'cannot be read (ENOENT)' },
      { file: 'folder.yaml', line: 0, field: '', message: 'is not a regular file' },
      ...(havePipe ? [{ file: 'pipe.yaml', line: 0, field: '', message: 'is not a regular file' }] : []),
    ]);
  });
});
