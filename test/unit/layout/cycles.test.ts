import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles } from '../../../scripts/layout/cycles.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('import cycles (scripts/layout/cycles.mjs)', () => {
  it('finds a loop through a type import, a lazy import, an index folder and the @shared alias', () => {
    const cycles = findCycles(
      new Map([
        ['renderer/src/app/views.ts', "export const v = () => import('../features/jobs');"],
        ['renderer/src/features/jobs/index.ts', "import type { X } from './JobsView';"],
        ['renderer/src/features/jobs/JobsView.tsx', "import { a } from '@shared/jobs/model';\nimport { views } from '../../app/views';"],
        ['shared/jobs/model.ts', 'export const a = 1;'],
        ['shared/kernel/result.ts', "// import { x } from '../jobs/model';\nexport const r = 1;"],
      ]),
    );
    expect(cycles).toEqual([
      ['renderer/src/app/views.ts', 'renderer/src/features/jobs/JobsView.tsx', 'renderer/src/features/jobs/index.ts'],
    ]);
  });

  it('a long chain without a loop is no cycle (and does not overflow the stack)', () => {
    const n = 20_000;
    const chain = new Map(
      Array.from({ length: n }, (_, i) => [`shared/a/m${i}.ts`, i + 1 < n ? `import './m${i + 1}';` : ''] as [string, string]),
    );
    expect(findCycles(chain)).toEqual([]);
    chain.set(`shared/a/m${n - 1}.ts`, "import './m0';");
    expect(findCycles(chain)[0]).toHaveLength(n);
  });

  it('the repository has none', () => {
    const out = execFileSync(process.execPath, ['scripts/layout/cycles.mjs'], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/^0 import cycle\(s\) among \d+ modules$/m);
  });
});
