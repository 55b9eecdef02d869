// The layout's layer rules as one ESLint rule, `toc/layers`. It fails closed: every file of an app tree must sit
// in a known room, every import must be on that room's allow-list (our own modules by room, npm packages by
// tree), and a specifier the rule cannot read (a computed `import(x)`) is refused. docs/architecture.md has the
// table in words; test/unit/layout/layer-rules.test.ts lints a fixture that breaks each rule.
import { isBuiltin } from 'node:module';
import path from 'node:path';

/** The room of a repo-relative path, or null for files outside the app trees (tests, scripts, configs). */
export function roomOf(p) {
  let m;
  if (p === 'shared/contract.ts') return { tree: 'shared', room: 'shared-contract' };
  if (p.startsWith('shared/kernel/')) return { tree: 'shared', room: 'shared-kernel' };
  if ((m = /^shared\/([a-z0-9-]+)\//.exec(p))) return { tree: 'shared', room: 'shared-cap', cap: m[1] };
  if (p.startsWith('shared/')) return { tree: 'shared', room: 'unplaced' };
  if (p === 'electron/core/core.ts') return { tree: 'core', room: 'core-root' };
  if (p.startsWith('electron/core/kernel/')) return { tree: 'core', room: 'kernel' };
  if ((m = /^electron\/core\/systems\/([a-z0-9-]+)\//.exec(p))) return { tree: 'core', room: 'system', cap: m[1] };
  if ((m = /^electron\/core\/features\/([a-z0-9-]+)\//.exec(p))) return { tree: 'core', room: 'feature', cap: m[1] };
  if (p.startsWith('electron/core/')) return { tree: 'core', room: 'unplaced' };
  if (p.startsWith('electron/cli/')) return { tree: 'cli', room: 'cli' };
  if (p.startsWith('electron/main/')) return { tree: 'main', room: 'main' };
  if (p.startsWith('electron/preload/')) return { tree: 'preload', room: 'preload' };
  if (p.startsWith('electron/')) return { tree: 'main', room: 'unplaced' };
  if (p === 'renderer/src/main.tsx') return { tree: 'renderer', room: 'renderer-root' };
  if (p.startsWith('renderer/src/app/')) return { tree: 'renderer', room: 'app' };
  if ((m = /^renderer\/src\/features\/([a-z0-9-]+)\//.exec(p))) return { tree: 'renderer', room: 'view', cap: m[1] };
  if (p.startsWith('renderer/src/')) return { tree: 'renderer', room: 'unplaced' };
  return null;
}

/** npm packages each tree may import (`node:` builtins are their own line). An unlisted package is an error. */
export const PACKAGES = {
  shared: { packages: ['zod', 'yaml'], node: false },
  core: { packages: ['zod', 'yaml', 'ws', 'undici', 'keytar', 'conf', 'tinyglobby', 'markdown-it'], node: true },
  cli: { packages: [], node: true },
  main: { packages: ['electron', 'electron-store'], node: true },
  preload: { packages: ['electron'], node: false },
  renderer: {
    packages: ['react', 'react-dom', '@tanstack/react-query', '@tanstack/react-virtual', 'zustand', 'recharts', 'anser'],
    node: false,
  },
};

const featureIndexOf = (p) => /^renderer\/src\/features\/[a-z0-9-]+\/index\.tsx?$/.test(p);

/** Why an import of our own module `to` from `from` is refused, or null when it is allowed. */
export function refusal(fromPath, toPath, typeOnly) {
  const a = roomOf(fromPath);
  if (!a) return null;
  const b = roomOf(toPath);
  const inShared = toPath.startsWith('shared/');
  switch (a.room) {
    case 'shared-kernel':
      return b?.room === 'shared-kernel' ? null : 'sharedKernel';
    case 'shared-cap':
      return b?.room === 'shared-kernel' || b?.room === 'shared-cap' ? null : 'sharedOut';
    case 'shared-contract':
      return inShared ? null : 'sharedOut';
    case 'kernel':
      return inShared || b?.room === 'kernel' ? null : 'kernelUp';
    case 'system':
      if (inShared || b?.room === 'kernel') return null;
      return b?.room === 'system' && b.cap === a.cap ? null : 'systemUp';
    case 'feature':
      if (inShared || b?.room === 'kernel' || b?.room === 'system') return null;
      if (b?.room === 'feature') return b.cap === a.cap || typeOnly ? null : 'featureToFeature';
      return 'featureUp';
    case 'core-root':
      return inShared || b?.tree === 'core' ? null : 'coreOut';
    case 'cli':
      return inShared || b?.tree === 'core' || b?.tree === 'cli' ? null : 'cliOut';
    case 'main':
      if (b?.tree === 'renderer') return 'mainRenderer';
      return inShared || b?.tree === 'core' || b?.tree === 'main' ? null : 'mainOut';
    case 'preload':
      // Types vanish from the bundle; values from anywhere but the zod-free channel file would not load sandboxed.
      if (typeOnly && inShared) return null;
      return toPath === 'shared/kernel/ipc-channels.ts' || b?.tree === 'preload' ? null : 'preloadChannel';
    case 'renderer-root':
      return inShared || b?.room === 'app' || featureIndexOf(toPath) ? null : 'viewThroughIndex';
    case 'app':
      if (inShared || b?.room === 'app') return null;
      return featureIndexOf(toPath) ? null : b?.room === 'view' ? 'viewThroughIndex' : 'rendererOut';
    case 'view':
      if (inShared || b?.room === 'app') return null;
      if (b?.room === 'view') return b.cap === a.cap || featureIndexOf(toPath) ? null : 'viewThroughIndex';
      return 'rendererOut';
    default:
      return null;
  }
}

const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

const messages = {
  unplaced: '{{file}} is outside the layout: put it in a room (see docs/architecture.md, "Where a file goes").',
  computed: 'A computed import specifier cannot be checked against the layer rules: name the module.',
  sharedKernel: 'shared/kernel/ is the bottom of shared/: it imports no capability ({{spec}}).',
  sharedOut: 'shared/ imports neither side: {{spec}} is outside shared/ (or is the merged contract).',
  kernelUp: 'electron/core/kernel/ imports only shared/ and the kernel, not {{spec}} (kernel ← systems ← features ← core.ts).',
  systemUp: 'A system imports only shared/, the kernel and its own folder, not {{spec}} (kernel ← systems ← features ← core.ts).',
  featureUp: 'A feature imports shared/, the kernel and systems, not {{spec}}: what it needs from core.ts is handed to it.',
  featureToFeature:
    'A feature does not import another feature ({{spec}}): take what you need as a typed port handed over in core.ts (type-only imports are allowed).',
  coreOut: 'core.ts composes electron/core/ only, not {{spec}}.',
  cliOut: 'The CLI imports shared/ and electron/core/, not {{spec}}.',
  mainRenderer: 'electron/main never imports the renderer ({{spec}}): it loads the built page.',
  mainOut: 'electron/main imports shared/, electron/core/ and its own folder, not {{spec}}.',
  preloadChannel:
    'The preload imports values only from shared/kernel/ipc-channels.ts, not {{spec}} (a sandboxed preload cannot load zod; `import type` is fine).',
  viewThroughIndex: 'Renderer features meet only through their index.ts: import {{spec}} through its feature folder.',
  rendererOut: 'The renderer imports shared/, renderer/src/app/ and features, not {{spec}}.',
  electronInCore: "{{tree}} code runs in the CLI, toc serve and tests: never import 'electron' (also not with import()).",
  nodeInBrowser: "{{tree}} runs without Node: '{{spec}}' is a Node builtin.",
  package: "'{{spec}}' is not on {{tree}}'s package allow-list (scripts/layout/eslint-layers.mjs PACKAGES): add it there if it belongs.",
};

const layers = {
  meta: { type: 'problem', schema: [], messages, docs: { description: 'Layer rules of the capability layout' } },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const room = roomOf(file);
    if (!room) return {};
    const dir = path.posix.dirname(file);

    function check(node, spec, typeOnly) {
      if (typeof spec !== 'string') return context.report({ node, messageId: 'computed' });
      let target = null;
      if (spec.startsWith('@shared/')) target = path.posix.join('shared', spec.slice('@shared/'.length));
      else if (spec.startsWith('.')) target = path.posix.join(dir, spec);
      if (target !== null) {
        // The room decides, and rooms are folders, so `x`, `x.ts` and `x/index.ts` fall in the same one; only a
        // renderer feature's own folder matters as such (it means the feature's index.ts).
        const resolved = /^renderer\/src\/features\/[a-z0-9-]+$/.test(target)
          ? `${target}/index.ts`
          : /\.(tsx?|css|json|mjs|js)$/.test(target)
            ? target
            : `${target}.ts`;
        const why = refusal(file, resolved, typeOnly);
        if (why) context.report({ node, messageId: why, data: { spec } });
        return;
      }
      const tree = room.tree;
      const allow = PACKAGES[tree];
      if (isBuiltin(spec)) {
        if (!allow.node) context.report({ node, messageId: 'nodeInBrowser', data: { spec, tree } });
        return;
      }
      const pkg = packageName(spec);
      if (pkg === 'electron' && (tree === 'core' || tree === 'cli' || tree === 'shared'))
        return context.report({ node, messageId: 'electronInCore', data: { tree } });
      if (!allow.packages.includes(pkg)) context.report({ node, messageId: 'package', data: { spec, tree } });
    }

    const literal = (n) =>
      n?.type === 'Literal' && typeof n.value === 'string'
        ? n.value
        : n?.type === 'TemplateLiteral' && n.expressions.length === 0
          ? n.quasis[0].value.cooked
          : undefined;
    const allTypes = (node) =>
      node.importKind === 'type' ||
      node.exportKind === 'type' ||
      (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));

    return {
      Program(node) {
        if (room.room === 'unplaced') context.report({ node, messageId: 'unplaced', data: { file } });
      },
      ImportDeclaration: (n) => check(n, n.source.value, allTypes(n)),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value, allTypes(n)),
      ExportAllDeclaration: (n) => check(n, n.source.value, n.exportKind === 'type'),
      ImportExpression: (n) => check(n, literal(n.source), false),
      // typescript-eslint 8 names the specifier `source` (older: `argument.literal`).
      TSImportType: (n) => check(n, literal('source' in n ? n.source : (n.argument?.literal ?? n.argument)), true),
      TSExternalModuleReference: (n) => check(n, literal(n.expression), false),
      CallExpression(n) {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments.length === 1)
          check(n, literal(n.arguments[0]), false);
      },
    };
  },
};

export default { rules: { layers } };
