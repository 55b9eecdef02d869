import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Finds an Electron executable WITHOUT require('electron'): the package's index.js downloads the binary when
// it is missing, which is exactly what must not happen on machines without GitHub access.

export interface ElectronBinary {
  /** Absolute path of the executable, or null when there is none here. */
  executable: string | null;
  /** Where it came from, or why there is none and how to get one. */
  note: string;
}

export function resolveElectronBinary(repoRoot: string, env: Readonly<Record<string, string | undefined>> = process.env): ElectronBinary {
  const explicit = env.ELECTRON_PATH?.trim();
  if (explicit) {
    return existsSync(explicit)
      ? { executable: path.resolve(explicit), note: `ELECTRON_PATH=${explicit}` }
      : { executable: null, note: `ELECTRON_PATH=${explicit} does not exist` };
  }
  const pkg = path.join(repoRoot, 'node_modules', 'electron');
  const pathTxt = path.join(pkg, 'path.txt');
  const relative = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : null;
  const overrideDist = env.ELECTRON_OVERRIDE_DIST_PATH?.trim();
  if (overrideDist) {
    const exe = path.join(overrideDist, relative || 'electron');
    if (existsSync(exe)) return { executable: exe, note: `ELECTRON_OVERRIDE_DIST_PATH=${overrideDist}` };
  }
  if (relative) {
    const exe = path.join(pkg, 'dist', relative);
    if (existsSync(exe)) return { executable: exe, note: 'node_modules/electron/dist' };
  }
  return {
    executable: null,
    note:
      'node_modules/electron has no downloaded binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD). ' +
      'Get one with network access: `node node_modules/electron/install.js` (honours ELECTRON_MIRROR / ELECTRON_CUSTOM_DIR), ' +
      'or point ELECTRON_PATH at an electron executable, or ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron dist folder',
  };
}
