// `npm start`: builds what changed, then opens the desktop app — or, when the Electron binary is missing (as on
// machines that cannot download it), says so in one line and opens the console in a browser via `toc serve`.
// With nothing configured it starts the demo workspace: the ServiceNow and AWX simulators, and Prometheus
// with history when the `prometheus` binary is installed.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const { values } = parseArgs({
  options: {
    config: { type: 'string', short: 'c' },
    wall: { type: 'boolean' },
    browser: { type: 'boolean' },
    port: { type: 'string' },
    'no-open': { type: 'boolean' },
  },
});

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const outputs = ['out/main/index.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
  const built = outputs.every((f) => existsSync(f));
  const sources = Math.max(...['electron', 'renderer', 'shared'].map((d) => newestMtime(path.join(root, d))));
  const outTime = built ? Math.min(...outputs.map((f) => statSync(f).mtimeMs)) : 0;
  if (built && outTime >= sources) return;
  process.stdout.write('Building the console (electron-vite build)…\n');
  const r = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) {
    process.stderr.write('The build failed; see the errors above.\n');
    process.exit(1);
  }
}

/** The Electron binary, if one is installed (its npm package downloads it from GitHub, which may be blocked). */
function electronBinary(): string | null {
  if (process.env.ELECTRON_PATH && existsSync(process.env.ELECTRON_PATH)) return process.env.ELECTRON_PATH;
  try {
    const rel = (spawnSync('cat', ['node_modules/electron/path.txt']).stdout?.toString() ?? '').trim();
    const bin = rel ? path.join(root, 'node_modules/electron/dist', rel) : '';
    return bin && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  ensureBuilt();
  const env: Record<string, string | undefined> = { ...process.env };
  let workspace: string | undefined = values.config ?? process.env.TOC_WORKSPACE;
  let stopDemo: (() => Promise<void>) | undefined;
  if (!workspace) {
    const { startDemoStack } = await import('../test/sim/demo-stack');
    process.stdout.write('No workspace configured: starting the demo workspace…\n');
    const demo = await startDemoStack({ log: (l: string) => process.stdout.write(`  ${l}\n`) });
    workspace = demo.workspaceFile;
    Object.assign(env, demo.env, { TOC_DEMO: '1', TOC_DEMO_NOTICES: JSON.stringify(demo.notices) });
    stopDemo = demo.stop;
  }
  const stop = async (code: number): Promise<never> => {
    await stopDemo?.().catch(() => undefined);
    process.exit(code);
  };

  const ws: string = workspace ?? '';
  const electron = values.browser ? null : electronBinary();
  let child: ChildProcess;
  if (electron) {
    child = spawn(electron, ['.', '--workspace', ws, ...(values.wall ? ['--wall'] : [])], { stdio: 'inherit', env });
  } else {
    if (!values.browser) {
      process.stdout.write(
        'The Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD); opening the console in your browser through `toc serve` instead.\n',
      );
    }
    const args = [
      'bin/toc.mjs',
      'serve',
      '--config',
      ws,
      ...(values.port ? ['--port', values.port] : []),
      ...(values.wall ? ['--wall'] : []),
      ...(values['no-open'] || process.env.CI ? [] : ['--open']),
    ];
    child = spawn(process.execPath, args, { stdio: 'inherit', env });
  }
  process.on('SIGINT', () => child.kill('SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code: number | null) => void stop(code ?? 0));
}

main().catch((e: unknown) => {
  process.stderr.write(`npm start: ${(e as Error).message}\n`);
  process.exit(1);
});
