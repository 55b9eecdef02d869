import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { parse } from 'yaml';

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  linux: { target: string[] };
  deb: { depends: string[] };
  mac: { target: string[]; hardenedRuntime: boolean; entitlements: string };
  win: { target: string[] };
  protocols: { schemes: string[] }[];
  electronFuses: Record<string, boolean>;
}

const cfg = parse(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  main: string;
  productName: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('electron-builder.yml', () => {
  it('names the app and ships the built output with the package manifest', () => {
    expect(cfg.appId).toBe('com.tocconsole.app');
    expect(cfg.productName).toBe(pkg.productName);
    expect(cfg.files).toContain('out/**');
    expect(cfg.files).toContain('package.json');
    expect(pkg.main.startsWith('out/')).toBe(true);
  });

  it('packs into asar but keeps keytar native code unpacked, without an ABI rebuild', () => {
    expect(cfg.asar).toBe(true);
    expect(cfg.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/keytar/**']));
    expect(cfg.npmRebuild).toBe(false);
    expect(pkg.dependencies.keytar).toBeDefined();
    expect(pkg.devDependencies.electron).toBeDefined();
  });

  it('targets AppImage and deb, a hardened dmg, and nsis', () => {
    expect(cfg.linux.target).toEqual(['AppImage', 'deb']);
    expect(cfg.deb.depends).toContain('libsecret-1-0');
    expect(cfg.mac.target).toEqual(['dmg']);
    expect(cfg.mac.hardenedRuntime).toBe(true);
    expect(existsSync(cfg.mac.entitlements)).toBe(true);
    expect(cfg.win.target).toEqual(['nsis']);
  });

  it('registers toc:// deep links and flips the dangerous fuses', () => {
    expect(cfg.protocols[0]?.schemes).toEqual(['toc']);
    expect(cfg.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it('never packs sources, tests, maps or env files', () => {
    expect(cfg.files).toEqual(expect.arrayContaining(['!**/*.map', '!**/.env*', '!**/{test,tests,__tests__}/**']));
  });
});

describe('electron-builder.yml against electron-builder’s own schema', () => {
  // Compiling electron-builder's large schema takes seconds on a busy 2-core machine: not a speed check.
  it('validates', { timeout: 30_000 }, async () => {
    const { default: Ajv } = await import('ajv');
    const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(cfg);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});
