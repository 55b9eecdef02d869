import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// Electron fuses are flipped in the packaged binary by electron-builder (`electronFuses`); each closes a way to
// run code in the app that the app itself does not need. All seven security fuses are stated, each with the
// value a release must have, and a fuse electron-builder learns about later makes this test ask for a decision.

const EXPECTED: Record<string, boolean> = {
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node interpreter.
  runAsNode: false,
  // Cookies on disk encrypted with the OS key.
  enableCookieEncryption: true,
  // NODE_OPTIONS could preload any script into the main process.
  enableNodeOptionsEnvironmentVariable: false,
  // --inspect would let anyone who can start the app attach a debugger to the process holding the secrets.
  enableNodeCliInspectArguments: false,
  // The asar archive is checked against the hash in the signed binary (macOS, Windows).
  enableEmbeddedAsarIntegrityValidation: true,
  // Code is loaded only from app.asar, never from a loose folder next to it.
  onlyLoadAppFromAsar: true,
  // file:// gets no more than a browser gives it; the app loads from its own app:// scheme.
  grantFileProtocolExtraPrivileges: false,
};

// Known to electron-builder's FuseOptionsV1 but not security switches, left at Electron's default on purpose.
const LEFT_AT_DEFAULT = new Set(['loadBrowserProcessSpecificV8Snapshot', 'resetAdHocDarwinSignature']);

const cfg = parse(readFileSync('electron-builder.yml', 'utf8')) as { electronFuses?: Record<string, unknown> };

describe('Electron fuses in electron-builder.yml', () => {
  it('sets all seven security fuses, each to its release value', () => {
    expect(cfg.electronFuses).toEqual(EXPECTED);
    expect(Object.keys(EXPECTED)).toHaveLength(7);
  });

  it('every fuse electron-builder knows is either set here or left at its default on purpose', () => {
    const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    const known = Object.keys(schema.definitions.FuseOptionsV1.properties);
    const undecided = known.filter((f) => !(f in EXPECTED) && !LEFT_AT_DEFAULT.has(f));
    expect(undecided).toEqual([]);
    for (const f of Object.keys(EXPECTED)) expect(known).toContain(f);
  });
});
