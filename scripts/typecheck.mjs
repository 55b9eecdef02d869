// Type-checks each process with its own tsconfig, so that the renderer never sees Node types and shared/ sees
// neither Node nor DOM. Runs them one after another (2-core machines) and fails if any fails.
import { spawnSync } from 'node:child_process';

const projects = ['shared', 'core', 'main', 'preload', 'renderer', 'test'];
let failed = 0;
for (const p of projects) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', `tsconfig.${p}.json`], {
    stdio: 'inherit',
  });
  console.log(`typecheck ${p}: ${r.status === 0 ? 'ok' : 'FAILED'} (${Date.now() - t0} ms)`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
