#!/usr/bin/env node
// One name per capability on the wire: renames contract methods, topics and audit actions to `<capability>.*`
// and points imports of the schemas that moved with them at their new contract file.
//
//   node scripts/layout/contract-names.mjs          rewrite (idempotent: a second run changes nothing)
//   node scripts/layout/contract-names.mjs --check  change nothing; exit 1 if an old name or import is left
//
// Safe to re-run after merging a branch written against the old names: every quoted old name (in code, tests
// and docs) becomes the new one, every `import { WallConfig } from '@shared/offline/contract'` is split towards
// the file that now declares the name, and the file moves of move.mjs (the settings model) run first. A method a
// branch added under a foreign prefix (`awx.x` in the runbooks contract) is renamed by the same rule, then
// reported with the contract file it belongs in: moving a declaration between files is left to a person.
// A file that must keep the old names (the reader of old audit lines and its test) says so with the marker
// `contract-names: keep` in its text.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
process.chdir(root);
const check = process.argv.includes('--check');

// ── The maps ─────────────────────────────────────────────────────────────────────────────────────────────────
/** Contract methods and topics: old → new. Every `awx.*` a contract still declares joins this map at run time. */
export const METHOD_RENAMES = {
  'awx.templates': 'jobs.templates',
  'awx.launchForm': 'jobs.launchForm',
  'workspace.problems': 'app.workspaceProblems',
  'workspace.reload': 'app.reloadWorkspace',
  'shell.openExternal': 'app.openExternal',
  'secrets.status': 'connections.secretStatus',
  'secrets.retry': 'connections.retrySecrets',
  'secrets.set': 'connections.setSecret',
  'secrets.delete': 'connections.deleteSecret',
  'audit.list': 'activity.list',
  'audit.appended': 'activity.appended',
  'changes.inFlight': 'incidents.changesInFlight',
};

/** Where the core maps old audit actions when it reads old lines: the one list of audit action renames. */
const LEGACY_ACTIONS_FILE = 'electron/core/kernel/audit/legacy-actions.ts';

/**
 * Audit actions (`action` of an audit line): the capability's name instead of a singular of it. Read from the
 * map the core uses for lines already on disk, so renaming an action and reading its old lines cannot drift.
 */
export const AUDIT_ACTION_RENAMES = readAuditRenames();

function readAuditRenames() {
  const file = path.join(root, LEGACY_ACTIONS_FILE);
  const text = fs.readFileSync(file, 'utf8');
  const body = /LEGACY_ACTIONS[^{]*\{([^}]*)\}/.exec(text)?.[1];
  const pairs = body ? [...body.matchAll(/'([^']+)':\s*'([^']+)'/g)].map((m) => [m[1], m[2]]) : [];
  if (pairs.length === 0) throw new Error(`${LEGACY_ACTIONS_FILE}: no LEGACY_ACTIONS map of 'old': 'new' pairs found`);
  return Object.fromEntries(pairs);
}

/** Exported names that moved to another contract file (importers are rewritten, the declarations were moved). */
export const SYMBOL_MOVES = [
  {
    from: 'shared/offline/contract.ts',
    to: 'shared/wall/contract.ts',
    names: ['WALL_PAGE_KINDS', 'WallPageKind', 'WallPageView', 'WallConfig'],
  },
  { from: 'shared/offline/contract.ts', to: 'shared/app/contract.ts', names: ['Resumed'] },
  { from: 'shared/app/contract.ts', to: 'shared/connections/contract.ts', names: ['SecretField'] },
  { from: 'shared/runbooks/contract.ts', to: 'shared/jobs/contract.ts', names: ['LaunchInput'] },
];

const KEEP_MARKER = 'contract-names: keep';
const SKIP = /^(node_modules|out|dist|test-results|playwright-report|\.cache|scripts\/layout)\//;
const CODE = /\.(ts|tsx|mts|cts|mjs|cjs|js|jsx)$/;
const DOC = /\.md$/;

function listFiles() {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' });
  return out
    .split('\0')
    .filter(Boolean)
    .filter((f) => !SKIP.test(f) && fs.existsSync(f) && (CODE.test(f) || DOC.test(f)));
}

// ── 0. File moves (the settings model into its capability) ───────────────────────────────────────────────────
const moveScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'move.mjs');
if (!check) execFileSync(process.execPath, [moveScript], { stdio: 'inherit' });

// ── 1. The contract's keys as declared now ───────────────────────────────────────────────────────────────────
const contractFiles = listFiles().filter((f) => /^shared\/[a-z0-9-]+\/contract\.ts$/.test(f));
const KEY = /^\s*'([a-zA-Z]+\.[a-zA-Z]+)':\s*(?:method|topic)\(/gm;
function declaredKeys() {
  const out = [];
  for (const file of contractFiles) for (const m of fs.readFileSync(file, 'utf8').matchAll(KEY)) out.push({ file, key: m[1] });
  return out;
}
const renames = { ...METHOD_RENAMES };
for (const { key } of declaredKeys()) if (key.startsWith('awx.') && !renames[key]) renames[key] = `jobs.${key.slice(4)}`;

// A rename onto a name that is already declared would merge two methods into one: refuse before writing.
const keys = new Set(declaredKeys().map((d) => d.key));
const clashes = Object.entries(renames).filter(([from, to]) => keys.has(from) && keys.has(to));
if (clashes.length) {
  for (const [from, to] of clashes) console.error(`clash: both '${from}' and '${to}' are declared; rename one by hand, then re-run`);
  process.exit(2);
}
// A chain (a → b, b → c) would make a second run change what the first wrote.
const all = { ...renames, ...AUDIT_ACTION_RENAMES };
for (const [from, to] of Object.entries(all)) if (all[to]) throw new Error(`rename map is not idempotent: ${from} → ${to} → ${all[to]}`);

// ── 2. Names in quotes ───────────────────────────────────────────────────────────────────────────────────────
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const nameRe = new RegExp(`(['"\`])(${Object.keys(all).map(escape).join('|')})\\1`, 'g');
// In prose only the code-quoted form is a name; a bare `secrets.set` may be something else.
const docRe = new RegExp(`(\`)(${Object.keys(all).map(escape).join('|')})\\1`, 'g');
const renameNames = (text, re) => text.replace(re, (whole, q, name) => q + all[name] + q);

// ── 3. Imports of moved names ────────────────────────────────────────────────────────────────────────────────
const EXTS = ['.ts', '.tsx', '/index.ts'];
function resolveSpec(file, spec) {
  let base;
  if (spec.startsWith('@shared/')) base = path.posix.join('shared', spec.slice('@shared/'.length));
  else if (spec.startsWith('.')) base = path.posix.join(path.posix.dirname(file), spec);
  else return null;
  if (/\.tsx?$/.test(base)) return base;
  for (const e of EXTS) if (fs.existsSync(base + e)) return base + e;
  return base + '.ts';
}
function specFor(file, target) {
  const t = target.replace(/\.tsx?$/, '');
  if (!file.startsWith('shared/')) return `@shared/${t.slice('shared/'.length)}`;
  let rel = path.posix.relative(path.posix.dirname(file), t);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}
const movedFrom = new Map(); // "from-file name" → to-file
for (const m of SYMBOL_MOVES) for (const n of m.names) movedFrom.set(`${m.from} ${n}`, m.to);

const IMPORT = /^(import|export)(\s+type)?\s*\{([^}]*)\}\s*from\s*(['"])([^'"\n]+)\4;?[ \t]*$/gm;
function rewriteImports(file, text) {
  return text.replace(IMPORT, (whole, kw, typeKw, body, q, spec) => {
    const from = resolveSpec(file, spec);
    if (!from) return whole;
    const items = itemsOf(body);
    const stay = [];
    const go = new Map(); // to-file → items
    for (const item of items) {
      const name = item.replace(/^type\s+/, '').split(/\s+as\s+/)[0];
      const to = movedFrom.get(`${from} ${name}`);
      if (!to) stay.push(item);
      else go.set(to, [...(go.get(to) ?? []), item]);
    }
    if (go.size === 0) return whole;
    const lines = [];
    if (stay.length) lines.push(`${kw}${typeKw ?? ''} { ${stay.join(', ')} } from ${q}${spec}${q};`);
    for (const [to, moved] of go) lines.push(`${kw}${typeKw ?? ''} { ${moved.join(', ')} } from ${q}${specFor(file, to)}${q};`);
    return lines.join('\n');
  });
}

// Two imports of one module with the same `type`-ness become one (a split may have produced the second).
const itemsOf = (body) =>
  body
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
function mergeDuplicateImports(file, text) {
  const groups = new Map();
  for (const m of text.matchAll(IMPORT)) {
    if (m[1] !== 'import') continue;
    const key = `${m[2] ? 'type ' : ''}${resolveSpec(file, m[5]) ?? m[5]}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const edits = [];
  for (const ms of groups.values()) {
    if (ms.length < 2) continue;
    const [first, ...rest] = ms;
    const items = [...new Set(ms.flatMap((m) => itemsOf(m[3])))];
    edits.push({
      at: first.index,
      length: first[0].length,
      text: `import${first[2] ?? ''} { ${items.join(', ')} } from ${first[4]}${first[5]}${first[4]};`,
    });
    for (const m of rest) edits.push({ at: m.index, length: m[0].length + (text[m.index + m[0].length] === '\n' ? 1 : 0), text: '' });
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.at + e.length);
  return out;
}

// ── 4. Rewrite ───────────────────────────────────────────────────────────────────────────────────────────────
const changed = [];
const namespaceImports = [];
for (const file of listFiles()) {
  const text = fs.readFileSync(file, 'utf8');
  if (text.includes(KEEP_MARKER)) continue;
  let next = text;
  if (CODE.test(file)) {
    next = renameNames(next, nameRe);
    next = rewriteImports(file, next);
    if (next !== text) next = mergeDuplicateImports(file, next);
    // `import * as x from` a module whose names moved cannot be split by text: say where, for a person to fix.
    for (const m of next.matchAll(/import\s+(?:type\s+)?\*\s+as\s+\w+\s+from\s+['"]([^'"\n]+)['"]/g)) {
      const from = resolveSpec(file, m[1]);
      if (SYMBOL_MOVES.some((x) => x.from === from)) namespaceImports.push(`${file}: ${m[0]}`);
    }
  } else next = renameNames(next, docRe);
  if (next !== text) {
    changed.push(file);
    if (check) console.log(`old names in ${file}`);
    else fs.writeFileSync(file, next);
  }
}
if (!check) {
  const prettier = path.join('node_modules', '.bin', process.platform === 'win32' ? 'prettier.cmd' : 'prettier');
  if (changed.length && fs.existsSync(prettier))
    execFileSync(prettier, ['--write', '--log-level', 'warn', ...changed], { stdio: 'inherit' });
  console.log(`contract names: rewrote ${changed.length} files`);
}

// ── 5. Every contract file declares only its own capability's names ─────────────────────────────────────────
const misplaced = declaredKeys().filter(({ file, key }) => key.split('.')[0] !== file.split('/')[1]);
for (const { file, key } of misplaced)
  console.error(`misplaced: '${key}' is declared in ${file}; move it to shared/${key.split('.')[0]}/contract.ts`);
for (const n of namespaceImports) console.error(`namespace import of a module some names left (see SYMBOL_MOVES), fix by hand: ${n}`);
if (misplaced.length || namespaceImports.length || (check && changed.length)) process.exit(1);
