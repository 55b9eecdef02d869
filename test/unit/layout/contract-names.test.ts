import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { methods, topics } from '@shared/contract';

// contract-names: keep — the fixtures below are written with the old names on purpose.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'toc-contract-names-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(cwd: string, ...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [path.join(cwd, 'scripts/layout/contract-names.mjs'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A throwaway git repo holding the two layout scripts, the map of old audit actions and the given files. */
function fixture(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, 'scripts/layout'), { recursive: true });
  for (const s of ['contract-names.mjs', 'move.mjs'])
    copyFileSync(path.join(root, 'scripts/layout', s), path.join(dir, 'scripts/layout', s));
  // The audit action renames are read from the core's map of old actions.
  const legacy = 'electron/core/kernel/audit/legacy-actions.ts';
  mkdirSync(path.dirname(path.join(dir, legacy)), { recursive: true });
  copyFileSync(path.join(root, legacy), path.join(dir, legacy));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  spawnSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}
const read = (dir: string, f: string): string => readFileSync(path.join(dir, f), 'utf8');

describe('contract names: one per capability', () => {
  it('every method and topic of shared/<cap>/contract.ts is named <cap>.*, and every one is in the merged contract', async () => {
    const caps = readdirSync(path.join(root, 'shared'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && readdirSync(path.join(root, 'shared', d.name)).includes('contract.ts'))
      .map((d) => d.name);
    expect(caps).toEqual(expect.arrayContaining(['app', 'connections', 'settings', 'activity', 'jobs', 'runbooks', 'wall', 'offline']));
    const declared: string[] = [];
    for (const cap of caps) {
      const mod = (await import(`../../../shared/${cap}/contract.ts`)) as Record<string, unknown>;
      for (const [exported, value] of Object.entries(mod)) {
        if (!/(Methods|Topics)$/.test(exported) || typeof value !== 'object' || value === null) continue;
        for (const key of Object.keys(value)) {
          expect(`${cap}: ${key.split('.')[0]}`).toBe(`${cap}: ${cap}`);
          declared.push(`${exported.endsWith('Topics') ? 'topic' : 'method'} ${key}`);
        }
      }
    }
    const merged = [...Object.keys(methods).map((k) => `method ${k}`), ...Object.keys(topics).map((k) => `topic ${k}`)];
    expect(declared.sort()).toEqual(merged.sort());
  });

  it('the repo holds no old name and no misplaced declaration (--check)', () => {
    const r = spawnSync(process.execPath, ['scripts/layout/contract-names.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('rewrites a branch written against the old names, reports what it cannot move, and a second run changes nothing', () => {
    const dir = fixture('branch', {
      'shared/runbooks/contract.ts':
        "export const runbookMethods = {\n  'runbooks.list': method(a, b),\n  'awx.rerun': method(a, b),\n};\n",
      'shared/workstation/note.ts': "import type { SecretField } from '../app/contract';\nexport type S = SecretField;\n",
      'renderer/src/features/jobs/a.ts': [
        "import type { OfflineKind, WallConfig } from '@shared/offline/contract';",
        "import { Resumed as R } from '@shared/offline/contract';",
        "import type { NavigateTarget } from '@shared/app/contract';",
        "export const x = useCall('awx.templates', {});",
        'export const y = "secrets.status";',
        'export const z = `audit.list`;',
        'export const s = settings.secrets.status;',
        "export const a = { action: 'job.launch' };",
        "export const w = 'awx.templates.extra';",
        '',
      ].join('\n'),
      'docs/x.md': 'Call `awx.launchForm`, then `shell.openExternal`; secrets.set in prose stays.\n',
      'test/old.test.ts': "// contract-names: keep\nexpect(action).toBe('job.launch');\n",
      'renderer/src/features/wall/ns.ts': "import * as offline from '@shared/offline/contract';\nexport type C = offline.WallConfig;\n",
    });
    const first = run(dir);
    expect(first.out).toMatch(
      /misplaced: 'jobs\.rerun' is declared in shared\/runbooks\/contract\.ts; move it to shared\/jobs\/contract\.ts/,
    );
    expect(first.out).toContain("fix by hand: renderer/src/features/wall/ns.ts: import * as offline from '@shared/offline/contract'");
    expect(first.code).toBe(1);
    expect(read(dir, 'shared/runbooks/contract.ts')).toContain("'jobs.rerun': method(a, b)");
    expect(read(dir, 'shared/workstation/note.ts')).toBe(
      "import type { SecretField } from '../connections/contract';\nexport type S = SecretField;\n",
    );
    expect(read(dir, 'renderer/src/features/jobs/a.ts')).toBe(
      [
        "import type { OfflineKind } from '@shared/offline/contract';",
        "import type { WallConfig } from '@shared/wall/contract';",
        "import { Resumed as R } from '@shared/app/contract';",
        "import type { NavigateTarget } from '@shared/app/contract';",
        "export const x = useCall('jobs.templates', {});",
        'export const y = "connections.secretStatus";',
        'export const z = `activity.list`;',
        'export const s = settings.secrets.status;',
        "export const a = { action: 'jobs.launch' };",
        "export const w = 'awx.templates.extra';",
        '',
      ].join('\n'),
    );
    expect(read(dir, 'docs/x.md')).toBe('Call `jobs.launchForm`, then `app.openExternal`; secrets.set in prose stays.\n');
    expect(read(dir, 'test/old.test.ts')).toContain("'job.launch'");

    const snapshot = ['shared/runbooks/contract.ts', 'renderer/src/features/jobs/a.ts', 'docs/x.md'].map((f) => read(dir, f));
    const second = run(dir);
    expect(second.out).toContain('contract names: rewrote 0 files');
    expect(['shared/runbooks/contract.ts', 'renderer/src/features/jobs/a.ts', 'docs/x.md'].map((f) => read(dir, f))).toEqual(snapshot);
    // --check names the file that still declares a foreign name, and nothing else.
    expect(run(dir, '--check').out).not.toMatch(/old names in/);
  });

  it('refuses to rename onto a name that is already declared, and writes nothing', () => {
    const caller = "useCall('awx.templates', {});\n";
    const dir = fixture('clash', {
      'shared/jobs/contract.ts': "export const jobMethods = {\n  'jobs.templates': method(a, b),\n};\n",
      'shared/runbooks/contract.ts': "export const runbookMethods = {\n  'awx.templates': method(a, b),\n};\n",
      'renderer/src/features/jobs/a.ts': caller,
    });
    const r = run(dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain("clash: both 'awx.templates' and 'jobs.templates' are declared");
    expect(read(dir, 'renderer/src/features/jobs/a.ts')).toBe(caller);
  });
});
