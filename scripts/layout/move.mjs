#!/usr/bin/env node
// Moves every file into its capability room and rewrites the imports that pointed at the old places.
//
//   node scripts/layout/move.mjs            move + rewrite (idempotent: a second run changes nothing)
//   node scripts/layout/move.mjs --dry-run  print what would move, touch nothing
//
// Safe to re-run on a branch made before the move: any file still under an old folder is moved by the same
// rules, and any relative import (or `@shared/…` import) whose target no longer exists but whose mapped target
// does is rewritten. Files are resolved lexically (the way TypeScript's "Bundler" resolution does for our
// extension-less specifiers), so the script needs nothing but Node and git.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
process.chdir(root);
const dryRun = process.argv.includes('--dry-run');

// ── The move map ─────────────────────────────────────────────────────────────────────────────────────────────
// Rules are tried in order; the first that matches a repo-relative path wins. A rule is either an exact file
// (`from` without a trailing slash), a folder prefix (`from` ending in `/`), or a regular expression.
// Exact files come first so a folder's default can have exceptions.
export const RULES = [
  // shared/: the kernel (result, bridge, contract helpers, channels) and one folder per capability.
  ['shared/result.ts', 'shared/kernel/result.ts'],
  ['shared/bridge.ts', 'shared/kernel/bridge.ts'],
  ['shared/csp.ts', 'shared/kernel/csp.ts'],
  ['shared/ipc-channels.ts', 'shared/kernel/ipc-channels.ts'],
  ['shared/contract/define.ts', 'shared/kernel/define.ts'],
  ['shared/contract/index.ts', 'shared/contract.ts'],
  ['shared/contract/alerts.ts', 'shared/alerts/contract.ts'],
  ['shared/contract/app.ts', 'shared/app/contract.ts'],
  ['shared/contract/incidents.ts', 'shared/incidents/contract.ts'],
  ['shared/contract/modes.ts', 'shared/offline/contract.ts'],
  ['shared/contract/runbooks.ts', 'shared/runbooks/contract.ts'],
  ['shared/contract/slo.ts', 'shared/slo/contract.ts'],
  ['shared/domain/alerts.ts', 'shared/alerts/model.ts'],
  ['shared/domain/audit.ts', 'shared/activity/model.ts'],
  ['shared/domain/awx.ts', 'shared/jobs/model.ts'],
  ['shared/domain/connection.ts', 'shared/connections/model.ts'],
  ['shared/domain/incidents.ts', 'shared/incidents/model.ts'],
  ['shared/domain/runbooks.ts', 'shared/runbooks/model.ts'],
  ['shared/domain/secrets.ts', 'shared/kernel/secrets.ts'],
  ['shared/domain/settings.ts', 'shared/settings/model.ts'],
  // The console's own settings are a capability of their own (contract and model in one room).
  ['shared/app/settings.ts', 'shared/settings/model.ts'],
  ['shared/awx/jobs.ts', 'shared/jobs/jobs.ts'],
  ['shared/awx/survey.ts', 'shared/runbooks/survey.ts'],
  ['shared/awx/', 'shared/jobs/'],
  ['shared/snow/', 'shared/incidents/'],
  ['shared/notify/', 'shared/workstation/'],
  // A new contract file `shared/contract/<cap>.ts` becomes `shared/<cap>/contract.ts`; a new domain file
  // `shared/domain/<cap>.ts` becomes `shared/<cap>/model.ts`.
  [/^shared\/contract\/([a-z0-9-]+)\.ts$/, 'shared/$1/contract.ts'],
  [/^shared\/domain\/([a-z0-9-]+)\.ts$/, 'shared/$1/model.ts'],

  // electron/core/: kernel (plumbing) ← systems (the only code that knows a remote wire format) ← features.
  ['electron/core/contract/', 'electron/core/kernel/dispatch/'],
  ['electron/core/http/', 'electron/core/kernel/http/'],
  ['electron/core/secrets-bootstrap.ts', 'electron/core/kernel/secrets/bootstrap.ts'],
  ['electron/core/secrets/', 'electron/core/kernel/secrets/'],
  ['electron/core/settings/', 'electron/core/kernel/settings/'],
  ['electron/core/audit/', 'electron/core/kernel/audit/'],
  ['electron/core/workspace/', 'electron/core/kernel/workspace/'],
  ['electron/core/serve/', 'electron/core/kernel/serve/'],
  ['electron/core/security/', 'electron/core/kernel/security/'],
  ['electron/core/connections/', 'electron/core/kernel/connections/'],
  ['electron/core/prometheus/', 'electron/core/systems/prometheus/'],
  ['electron/core/alertmanager/alertmanager-client.ts', 'electron/core/systems/alertmanager/alertmanager-client.ts'],
  ['electron/core/alertmanager/', 'electron/core/features/alerts/'],
  ['electron/core/awx/awx-client.ts', 'electron/core/systems/awx/awx-client.ts'],
  ['electron/core/awx/awx-errors.ts', 'electron/core/systems/awx/awx-errors.ts'],
  ['electron/core/awx/awx-socket.ts', 'electron/core/systems/awx/awx-socket.ts'],
  ['electron/core/awx/awx-values.ts', 'electron/core/systems/awx/awx-values.ts'],
  ['electron/core/awx/', 'electron/core/features/jobs/'],
  ['electron/core/servicenow/errors.ts', 'electron/core/systems/servicenow/errors.ts'],
  ['electron/core/servicenow/table-api.ts', 'electron/core/systems/servicenow/table-api.ts'],
  ['electron/core/servicenow/values.ts', 'electron/core/systems/servicenow/values.ts'],
  ['electron/core/servicenow/mapping.ts', 'electron/core/systems/servicenow/mapping.ts'],
  ['electron/core/servicenow/snow-context.ts', 'electron/core/systems/servicenow/snow-context.ts'],
  ['electron/core/servicenow/', 'electron/core/features/incidents/'],
  ['electron/core/slo/', 'electron/core/features/slo/'],
  ['electron/core/runbooks/', 'electron/core/features/runbooks/'],
  ['electron/core/offline-cache/', 'electron/core/features/offline/'],
  ['electron/core/wall/', 'electron/core/features/wall/'],
  ['electron/core/demo-notices.ts', 'electron/core/features/app/demo-notices.ts'],
  // electron/core/features/<cap>-feature.ts → electron/core/features/<cap>/<cap>-feature.ts
  [/^electron\/core\/features\/([a-z0-9]+)-feature\.ts$/, 'electron/core/features/$1/$1-feature.ts'],

  // renderer/src/: app/ (shell, api, state, format, styles, shared components) and features/<cap>/.
  ['renderer/src/api/', 'renderer/src/app/api/'],
  ['renderer/src/components/', 'renderer/src/app/components/'],
  ['renderer/src/format/', 'renderer/src/app/format/'],
  ['renderer/src/shell/', 'renderer/src/app/shell/'],
  ['renderer/src/state/', 'renderer/src/app/state/'],
  ['renderer/src/styles/', 'renderer/src/app/styles/'],
  ['renderer/src/views/registry.ts', 'renderer/src/app/views.ts'],
  ['renderer/src/views/FeaturePlaceholder.tsx', 'renderer/src/app/components/FeaturePlaceholder.tsx'],
  // Merged after the move: one ExternalLink for the renderer, and the launch hand-off store belongs to jobs.
  ['renderer/src/views/runbooks/ExternalLink.tsx', 'renderer/src/app/components/ExternalLink.tsx'],
  ['renderer/src/views/slos/ExternalLink.tsx', 'renderer/src/app/components/ExternalLink.tsx'],
  ['renderer/src/features/runbooks/ExternalLink.tsx', 'renderer/src/app/components/ExternalLink.tsx'],
  ['renderer/src/features/slo/ExternalLink.tsx', 'renderer/src/app/components/ExternalLink.tsx'],
  ['renderer/src/views/runbooks/launch-store.ts', 'renderer/src/features/jobs/launch-store.ts'],
  ['renderer/src/features/runbooks/launch-store.ts', 'renderer/src/features/jobs/launch-store.ts'],
  ['renderer/src/views/settings/connections/', 'renderer/src/features/connections/'],
  ['renderer/src/views/slos/', 'renderer/src/features/slo/'],
  ['renderer/src/views/', 'renderer/src/features/'],
  ['renderer/src/workstation/', 'renderer/src/features/workstation/'],
];

export function mapPath(p) {
  for (const [from, to] of RULES) {
    if (from instanceof RegExp) {
      if (from.test(p)) return p.replace(from, to);
    } else if (from.endsWith('/')) {
      if (p.startsWith(from)) return to + p.slice(from.length);
    } else if (p === from) return to;
  }
  return p;
}

// The old places a path could have come from (the map read backwards; pattern rules are not inverted).
export function formerPaths(p) {
  const out = [];
  for (const [from, to] of RULES) {
    if (from instanceof RegExp) continue;
    if (from.endsWith('/') ? p.startsWith(to) : p === to) {
      const former = from.endsWith('/') ? from + p.slice(to.length) : from;
      if (mapPath(former) === p) out.push(former);
    }
  }
  return out;
}

// ── Files ────────────────────────────────────────────────────────────────────────────────────────────────────
// This script's own map names the old places on purpose: it is never rewritten.
const SKIP = /^(node_modules|out|dist|test-results|playwright-report|\.cache|scripts\/layout)\//;
function listFiles() {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' });
  return out
    .split('\0')
    .filter(Boolean)
    .filter((f) => !SKIP.test(f) && fs.existsSync(f));
}
const tracked = new Set(execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean));

// Every new place must be a fixed point of the map, or a second run would move files again.
for (const f of listFiles()) {
  const once = mapPath(f);
  if (mapPath(once) !== once) throw new Error(`move map is not idempotent: ${f} → ${once} → ${mapPath(once)}`);
}

// ── 1. Move ──────────────────────────────────────────────────────────────────────────────────────────────────
const before = listFiles();
const moved = new Map(); // new path → old path, for this run
for (const f of before) {
  const to = mapPath(f);
  if (to === f) continue;
  if (fs.existsSync(to)) throw new Error(`cannot move ${f}: ${to} already exists (merge the two by hand, then re-run)`);
  console.log(`${dryRun ? 'would move' : 'move'} ${f} → ${to}`);
  moved.set(to, f);
  if (dryRun) continue;
  fs.mkdirSync(path.dirname(to), { recursive: true });
  if (tracked.has(f)) execFileSync('git', ['mv', f, to]);
  else fs.renameSync(f, to);
  // Leave no empty old folder behind.
  for (let d = path.dirname(f); d !== '.' && fs.existsSync(d) && fs.readdirSync(d).length === 0; d = path.dirname(d)) fs.rmdirSync(d);
}
if (dryRun) process.exit(0);

// ── 2. Rewrite imports ───────────────────────────────────────────────────────────────────────────────────────
const files = new Set(listFiles());
const CODE = /\.(ts|tsx|mts|cts|mjs|cjs|js|jsx)$/;
const EXTS = ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.jsx', '.json', '.css'];
const SHARED_ALIAS = '@shared/';

// The repo file a specifier names, resolved from `dir`, or null.
function resolve(dir, spec) {
  const base = spec.startsWith(SHARED_ALIAS) ? path.posix.join('shared', spec.slice(SHARED_ALIAS.length)) : path.posix.join(dir, spec);
  const bare = base.replace(/\?.*$/, '');
  const candidates = [bare, ...EXTS.map((e) => bare + e), ...EXTS.map((e) => `${bare}/index${e}`)];
  // `./x.js` naming `./x.ts` (TypeScript's ESM convention)
  if (/\.js$/.test(bare)) candidates.push(bare.replace(/\.js$/, '.ts'), bare.replace(/\.js$/, '.tsx'));
  for (const c of candidates) if (files.has(c)) return c;
  return null;
}

// Where a specifier should point now: its target as written, else its target under the move map.
function retarget(dir, spec) {
  const base = spec.startsWith(SHARED_ALIAS) ? path.posix.join('shared', spec.slice(SHARED_ALIAS.length)) : path.posix.join(dir, spec);
  const bare = base.replace(/\?.*$/, '');
  const candidates = [bare, ...EXTS.map((e) => bare + e), ...EXTS.map((e) => `${bare}/index${e}`)];
  for (const c of candidates) {
    const m = mapPath(c);
    if (m !== c && files.has(m)) return m;
  }
  return null;
}

function specifierFor(fromFile, target, original) {
  const query = original.includes('?') ? original.slice(original.indexOf('?')) : '';
  const hadExt = /\.(ts|tsx|mts|js|mjs|cjs|jsx|json|css)(\?.*)?$/.test(original);
  let t = target;
  if (!hadExt) {
    t = t.replace(/\.(ts|tsx|mts|js|mjs|cjs|jsx)$/, '');
    // `x/index` is written `x`, as the old specifier did when it named a folder.
    if (/\/index$/.test(t) && !/\/index$/.test(original.replace(/\?.*$/, ''))) t = t.replace(/\/index$/, '');
  } else if (/\.js$/.test(original) && /\.tsx?$/.test(t)) t = t.replace(/\.tsx?$/, '.js');
  // Outside shared/, shared/ is reached through its alias; inside it, relatively.
  if (t.startsWith('shared/') && !fromFile.startsWith('shared/')) return SHARED_ALIAS + t.slice('shared/'.length) + query;
  let rel = path.posix.relative(path.posix.dirname(fromFile), t);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel + query;
}

const PATTERNS = [
  /(\bfrom\s*)(['"])([^'"\n]+)\2/g,
  /(\bimport\s*)(['"])([^'"\n]+)\2/g,
  /(\bimport\(\s*)(['"])([^'"\n]+)\2/g,
  /(\brequire\(\s*)(['"])([^'"\n]+)\2/g,
  /(\bvi\.(?:mock|doMock|unmock|doUnmock|importActual|importMock)\(\s*)(['"])([^'"\n]+)\2/g,
  /(\bnew URL\(\s*)(['"])([^'"\n]+)\2(?=\s*,\s*import\.meta\.url)/g,
];

// Old repo-relative paths written out in full (in code strings, comments and docs) follow their file.
const oldPaths = [...moved.entries()].map(([to, from]) => [from, to]);
function rewriteMentions(text) {
  let out = text;
  for (const [from, to] of oldPaths) {
    const re = new RegExp(`(?<![\\w./-])${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w/-])`, 'g');
    out = out.replace(re, to);
  }
  return out;
}

const changedFiles = [];
for (const file of files) {
  const isCode = CODE.test(file);
  const isText = isCode || (/\.(md|json|ya?ml)$/.test(file) && !file.endsWith('package-lock.json'));
  if (!isText) continue;
  const text = fs.readFileSync(file, 'utf8');
  let next = text;
  if (isCode) {
    const oldFile = moved.get(file) ?? file;
    for (const re of PATTERNS) {
      next = next.replace(re, (whole, head, q, spec) => {
        if (!spec.startsWith('.') && !spec.startsWith(SHARED_ALIAS)) return whole;
        // A file moved in this run still names its imports from where it was; try there first.
        const oldDir = path.posix.dirname(oldFile);
        const dir = path.posix.dirname(file);
        let target =
          resolve(oldDir, spec) ?? retarget(oldDir, spec) ?? (oldDir === dir ? null : (resolve(dir, spec) ?? retarget(dir, spec)));
        // A file git's merge already carried into a new folder (directory-rename detection) still names its
        // imports from where it was written: try each place the map could have brought it from.
        for (const former of oldFile === file ? formerPaths(file) : []) {
          if (target !== null) break;
          target = resolve(path.posix.dirname(former), spec) ?? retarget(path.posix.dirname(former), spec);
        }
        if (target === null) return whole; // not ours to fix (a typo stays a typo for tsc to report)
        const wanted = specifierFor(file, target, spec);
        // Keep a specifier that already resolves to the same file in the same style.
        if (
          wanted === spec ||
          (resolve(path.posix.dirname(file), spec) === target && spec.startsWith(SHARED_ALIAS) === wanted.startsWith(SHARED_ALIAS))
        )
          return whole;
        return head + q + wanted + q;
      });
    }
  }
  if (oldPaths.length) next = rewriteMentions(next);
  if (next !== text) {
    fs.writeFileSync(file, next);
    changedFiles.push(file);
  }
}
// A rewritten specifier changes a line's length; keep the project's formatting on the files we touched.
const prettier = path.join('node_modules', '.bin', process.platform === 'win32' ? 'prettier.cmd' : 'prettier');
const formattable = changedFiles.filter((f) => CODE.test(f) || f.endsWith('.md'));
if (formattable.length && fs.existsSync(prettier))
  execFileSync(prettier, ['--write', '--log-level', 'warn', ...formattable], { stdio: 'inherit' });
console.log(`moved ${moved.size} files, rewrote ${changedFiles.length} files`);
