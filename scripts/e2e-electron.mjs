// Runs the _electron Playwright suite (playwright.electron.config.ts). Without an Electron binary the config
// prints one "SKIPPED: no Electron binary (…)" line and exits 0. On Linux without a display the suite runs
// under xvfb-run when it is installed (Electron needs an X server even for tests).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const cli = path.resolve('node_modules/@playwright/test/cli.js');
const args = [cli, 'test', '-c', 'playwright.electron.config.ts', ...process.argv.slice(2)];
const xvfb = ['/usr/bin/xvfb-run', '/bin/xvfb-run'].find((p) => existsSync(p));
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const [cmd, ...rest] = needsDisplay && xvfb ? [xvfb, '-a', process.execPath, ...args] : [process.execPath, ...args];
const r = spawnSync(cmd, rest, { stdio: 'inherit' });
process.exit(r.status ?? 1);
