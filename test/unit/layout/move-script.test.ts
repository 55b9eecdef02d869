import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// scripts/layout/move.mjs on a small repository shaped like a branch made before the move: files under old
// folders (committed and not), imports of old paths from files that stay, a file git's merge already carried to
// a new folder. A second run must change nothing.

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts/layout/move.mjs');
let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}
const read = (rel: string): string => readFileSync(path.join(dir, rel), 'utf8');
const git = (...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
const run = (): string => execFileSync(process.execPath, ['scripts/layout/move.mjs'], { cwd: dir, encoding: 'utf8' });

describe('scripts/layout/move.mjs', () => {
  it('moves old-folder files, rewrites old imports everywhere, and a second run changes nothing', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'toc-move-'));
    git('init', '-q');
    write('scripts/layout/move.mjs', readFileSync(script, 'utf8'));
    write('shared/result.ts', 'export const r = 1;\n');
    write('shared/domain/awx.ts', 'export type JobSummary = { id: number };\n');
    write('electron/core/awx/awx-client.ts', "import { r } from '@shared/kernel/result';\nexport const client = r;\n");
    write(
      'electron/core/awx/awx-service.ts',
      "import { client } from './awx-client';\nimport type { JobSummary } from '@shared/jobs/model';\nexport const s: JobSummary = { id: client };\n",
    );
    write('electron/core/features/runbooks-feature.ts', "export { s } from '../awx/awx-service';\n");
    write('renderer/src/api/hooks.tsx', 'export const useClient = (): number => 1;\n');
    write(
      'test/unit/a.test.ts',
      "import { s } from '../../electron/core/awx/awx-service';\nvi.mock('../../electron/core/awx/awx-client');\nexport const x = s;\n",
    );
    git('add', '.');
    git('commit', '-qm', 'before');
    // Not committed yet: a new view under the old folder, and a file already carried to a new folder by a merge.
    write('renderer/src/views/jobs/New.tsx', "import { useClient } from '../../api/hooks';\nexport const n = useClient;\n");
    write(
      'electron/core/features/jobs/carried.ts',
      "import { client } from './awx-client';\nimport { r } from '@shared/kernel/result';\nexport const c = [client, r];\n",
    );

    expect(run()).toContain('moved 7 files');
    expect(existsSync(path.join(dir, 'electron/core/awx'))).toBe(false);
    expect(read('electron/core/systems/awx/awx-client.ts')).toContain("from '@shared/kernel/result'");
    expect(read('electron/core/features/jobs/awx-service.ts')).toContain("from '../../systems/awx/awx-client'");
    expect(read('electron/core/features/jobs/awx-service.ts')).toContain("from '@shared/jobs/model'");
    expect(read('electron/core/features/runbooks/runbooks-feature.ts')).toContain("from '../jobs/awx-service'");
    expect(read('renderer/src/features/jobs/New.tsx')).toContain("from '../../app/api/hooks'");
    expect(read('electron/core/features/jobs/carried.ts')).toContain("from '../../systems/awx/awx-client'");
    expect(read('electron/core/features/jobs/carried.ts')).toContain("from '@shared/kernel/result'");
    expect(read('test/unit/a.test.ts')).toContain("from '../../electron/core/features/jobs/awx-service'");
    expect(read('test/unit/a.test.ts')).toContain("vi.mock('../../electron/core/systems/awx/awx-client')");
    expect(git('status', '--short')).toMatch(/^R. electron\/core\/awx\/awx-client.ts -> electron\/core\/systems\/awx\/awx-client.ts$/m);

    const snapshot = git('status', '--short', '--untracked-files=all');
    expect(run()).toContain('moved 0 files, rewrote 0 files');
    expect(git('status', '--short', '--untracked-files=all')).toBe(snapshot);
  });

  it('refuses to overwrite a file already at the new place', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'toc-move-'));
    git('init', '-q');
    write('scripts/layout/move.mjs', readFileSync(script, 'utf8'));
    write('shared/result.ts', 'export const old = 1;\n');
    write('shared/kernel/result.ts', 'export const now = 1;\n');
    expect(() => execFileSync(process.execPath, ['scripts/layout/move.mjs'], { cwd: dir, stdio: 'pipe' })).toThrow(
      /shared\/kernel\/result.ts already exists/,
    );
    expect(read('shared/kernel/result.ts')).toBe('export const now = 1;\n');
    expect(read('shared/result.ts')).toBe('export const old = 1;\n');
  });
});
