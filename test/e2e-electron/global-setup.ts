import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// The suite drives the built app (out/), exactly what a user runs. `npm test` builds before this step; run on
// its own, the suite builds once itself when something is missing.
export default function globalSetup(): void {
  const root = process.cwd();
  const needed = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
  if (needed.every((f) => existsSync(path.join(root, f)))) return;
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  const missing = needed.filter((f) => !existsSync(path.join(root, f)));
  if (r.status !== 0 || missing.length) {
    throw new Error(`electron-vite build did not produce ${missing.join(', ') || 'a complete build'}; the _electron suite needs it.`);
  }
}
