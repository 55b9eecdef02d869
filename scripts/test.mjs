// `npm test`: every check CI runs, in order, stopping at nothing so one run shows every failure.
//   typecheck (per process) → lint → unit → build → integration (real Prometheus, keychain, simulators,
//   ansible) → e2e in Chromium through `toc serve` → the _electron suite (skips loudly without a binary).
// Ends with one line "tests: N passed, M failed" summed over the vitest and Playwright runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const only = process.argv.slice(2);
const reports = path.resolve('test-results/summary');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const node = process.execPath;
const bin = (p) => path.resolve('node_modules', p);
const steps = [
  { name: 'typecheck', cmd: [node, 'scripts/typecheck.mjs'] },
  { name: 'lint', cmd: [node, bin('eslint/bin/eslint.js'), '.', '--max-warnings', '0'] },
  { name: 'format', cmd: [node, bin('prettier/bin/prettier.cjs'), '--check', '.', '--log-level', 'warn'] },
  {
    name: 'unit',
    cmd: [
      node,
      bin('vitest/vitest.mjs'),
      'run',
      '--project',
      'unit',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reports}/unit.json`,
    ],
    report: 'vitest',
  },
  { name: 'build', cmd: [node, bin('electron-vite/bin/electron-vite.js'), 'build'] },
  {
    name: 'integration',
    cmd: [
      node,
      bin('vitest/vitest.mjs'),
      'run',
      '--project',
      'integration',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reports}/integration.json`,
    ],
    report: 'vitest',
  },
  {
    name: 'e2e',
    cmd: [node, bin('@playwright/test/cli.js'), 'test'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/e2e.json` },
    report: 'playwright',
  },
  {
    name: 'e2e-electron',
    cmd: [node, 'scripts/e2e-electron.mjs'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/e2e-electron.json` },
    report: 'playwright',
  },
].filter((s) => only.length === 0 || only.includes(s.name));

let passed = 0;
let failed = 0;
const results = [];
for (const step of steps) {
  const t0 = Date.now();
  process.stdout.write(`\n=== ${step.name} ===\n`);
  const r = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: 'inherit', env: { ...process.env, ...(step.env ?? {}) } });
  const ok = r.status === 0;
  const counts = countTests(step);
  passed += counts.passed;
  failed += counts.failed;
  // A step with no countable tests (typecheck, lint, build) counts as one check.
  if (!step.report) {
    if (ok) passed++;
    else failed++;
  } else if (!ok && counts.failed === 0) failed++;
  results.push(
    `${ok ? 'ok  ' : 'FAIL'} ${step.name} (${((Date.now() - t0) / 1000).toFixed(1)} s${step.report ? `, ${counts.passed} passed, ${counts.failed} failed` : ''})`,
  );
}
process.stdout.write(`\n${results.join('\n')}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);

function countTests(step) {
  const file = step.report === 'vitest' ? `${reports}/${step.name}.json` : step.env?.PLAYWRIGHT_JSON_OUTPUT_NAME;
  if (!step.report || !file || !existsSync(file)) return { passed: 0, failed: 0 };
  try {
    const j = JSON.parse(readFileSync(file, 'utf8'));
    if (step.report === 'vitest')
      return { passed: j.numPassedTests ?? 0, failed: (j.numFailedTests ?? 0) + (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0) };
    const s = j.stats ?? {};
    return { passed: s.expected ?? 0, failed: (s.unexpected ?? 0) + (s.flaky ?? 0) + (s.skipped ?? 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}
