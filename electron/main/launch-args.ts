import path from 'node:path';

// How the desktop app was asked to start. Read from argv (first launch, or forwarded to the running instance
// by 'second-instance') and the environment (wall PCs and tests set it without touching the shortcut).

export const DEEP_LINK_SCHEME = 'toc';

export interface LaunchArgs {
  /** NOC wall display: fullscreen, read-only, display kept awake. */
  wall: boolean;
  /** Absolute path of the workspace file, or null for the demo workspace. */
  workspace: string | null;
  /** A toc:// link the OS launched us with. */
  deepLink: string | null;
  /** Tests point userData at a temp folder so runs never share (or clobber) the user's settings. */
  userData: string | null;
}

export function parseLaunchArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): LaunchArgs {
  let wall = false;
  let workspace: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--wall') wall = true;
    else if (a === '--workspace') {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        workspace = next;
        i++;
      }
    } else if (a.startsWith('--workspace=')) workspace = a.slice('--workspace='.length) || null;
  }
  workspace ??= nonEmpty(env.TOC_WORKSPACE);
  const userData = nonEmpty(env.TOC_USER_DATA);
  return {
    wall,
    workspace: workspace ? path.resolve(cwd, workspace) : null,
    deepLink: findDeepLink(argv),
    userData: userData ? path.resolve(cwd, userData) : null,
  };
}

/** The first toc:// argument, if any (Windows and Linux pass deep links as a command-line argument). */
export function findDeepLink(argv: readonly string[]): string | null {
  return argv.find((a) => a.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}://`)) ?? null;
}

function nonEmpty(s: string | undefined): string | null {
  return s && s.trim() ? s.trim() : null;
}
