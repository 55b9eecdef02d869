import path from 'node:path';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { startServe } from '../../core/kernel/serve/serve';
import { openWallPairing } from '../../core/kernel/serve/wall-pairing';
import { parseFlags, str, UsageError } from '../args';
import { defaultDataDir, packageRoot } from '../paths';
import { openRuntime } from '../runtime';
import { printProblems, stderr, stdout } from '../output';

export const serveHelp = `toc serve [--config FILE] [--port N] [--wall [--pairing-file FILE] [--unpair]] [--open]
  Serves the console to a browser on 127.0.0.1 with a per-run token. With --wall it also prints a one-time
  pairing link (valid 10 min): opened on the wall PC, it keeps that browser paired across restarts without a
  token (use a fixed --port so the address stays the same). --unpair forgets every paired wall.`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    config: { type: 'string', short: 'c' },
    port: { type: 'string' },
    wall: { type: 'boolean' },
    open: { type: 'boolean' },
    'renderer-dir': { type: 'string' },
    'pairing-file': { type: 'string' },
    unpair: { type: 'boolean' },
  });
  const port = str(values.port) ? Number(values.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, not "${String(values.port)}"`);
  const rendererDir = path.resolve(str(values['renderer-dir']) ?? path.join(packageRoot(), 'out', 'renderer'));
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    stderr.write(`toc serve: the renderer is not built (${rendererDir}/index.html is missing). Run "npm run build" first.\n`);
    return 2;
  }
  const core = await openRuntime({
    ...(str(values.config) ? { config: str(values.config) as string } : {}),
    transport: 'ws',
    wall: values.wall === true,
    keychain: true,
  });
  printProblems('workspace', core.services.workspaceProblems());
  const pairing =
    values.wall === true
      ? await openWallPairing({ file: path.resolve(str(values['pairing-file']) ?? path.join(defaultDataDir(), 'wall-pairing.json')) })
      : undefined;
  if (pairing && values.unpair === true) {
    await pairing.unpairAll();
    stderr.write(`Every paired wall was forgotten (${pairing.file}).\n`);
  }
  const handle = await startServe({
    dispatcher: core.dispatcher,
    rendererDir,
    port,
    log: (l) => stderr.write(`${l}\n`),
    ...(pairing ? { pairing } : {}),
  });
  const openUrl = values.wall === true ? `${handle.openUrl}#/wall` : handle.openUrl;
  stdout.write(`TOC Console is serving at ${openUrl}\n`);
  if (pairing) {
    stdout.write(`Pair a wall PC (open once in its browser, within 10 min): ${handle.url}pair?code=${pairing.newCode()}\n`);
    if (port === 0) stderr.write('Use --port N so a paired wall finds the console at the same address after a restart.\n');
  }
  if (values.open === true) openInBrowser(openUrl);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await handle.close();
  await core.dispose();
  return 0;
}

function openInBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => stderr.write(`Open ${url} in a browser.\n`));
    child.unref();
  } catch {
    stderr.write(`Open ${url} in a browser.\n`);
  }
}
