#!/usr/bin/env node
// Counts import cycles among the app's own modules: `node scripts/layout/cycles.mjs` prints each cycle (a
// strongly connected component of the import graph, type-only imports included: a cycle of types still ties
// two modules' changes together) and exits 1 if there is any.
//
// Our own ~60 lines rather than madge/dpdm: the graph needs only our resolution rules (relative specifiers and
// the `@shared/` alias, extension-less), and a package would bring a TypeScript parser and its own resolver
// configuration to keep in step with tsconfig for the same answer.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The import cycles among `sources` (repo path → text): each a sorted list of the modules in one loop. */
export function findCycles(sources) {
  const known = new Set(sources.keys());
  const EXTS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];
  const resolve = (from, spec) => {
    let base;
    if (spec.startsWith('@shared/')) base = path.posix.join('shared', spec.slice('@shared/'.length));
    else if (spec.startsWith('.')) base = path.posix.join(path.posix.dirname(from), spec);
    else return null;
    for (const c of [base, ...EXTS.map((e) => base + e)]) if (known.has(c)) return c;
    return null;
  };
  const SPEC = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g;
  const edges = new Map();
  for (const [f, raw] of sources) {
    const text = raw.replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
    const out = new Set();
    for (const m of text.matchAll(SPEC)) {
      const t = resolve(f, m[2]);
      if (t && t !== f) out.add(t);
    }
    edges.set(f, [...out]);
  }
  // Tarjan's strongly connected components, iterative (deep import chains must not overflow the stack).
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const sccs = [];
  for (const start of sources.keys()) {
    if (idx.has(start)) continue;
    const work = [[start, 0]];
    idx.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      const next = edges.get(v)[i];
      if (next !== undefined) {
        frame[1]++;
        if (!idx.has(next)) {
          idx.set(next, index);
          low.set(next, index++);
          stack.push(next);
          onStack.add(next);
          work.push([next, 0]);
        } else if (onStack.has(next)) low.set(v, Math.min(low.get(v), idx.get(next)));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v) === idx.get(v)) {
        const comp = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1) sccs.push(comp.sort());
      }
    }
  }
  return sccs;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
  process.chdir(root);
  const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const trees = args.length ? args : ['shared', 'electron', 'renderer'];
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', ...trees], { encoding: 'utf8' })
    .split('\0')
    .filter((f) => /\.(ts|tsx)$/.test(f) && fs.existsSync(f));
  const sccs = findCycles(new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')])));
  for (const c of sccs) console.log(`cycle of ${c.length} modules:\n  ${c.join('\n  ')}`);
  console.log(`${sccs.length} import cycle(s) among ${files.length} modules`);
  process.exit(sccs.length ? 1 : 0);
}
