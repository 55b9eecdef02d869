// V8's compiled code in a heap snapshot, counted by the function that holds it. A page that leaks code makes new
// functions (eval, new Function, a script loaded again): more SharedFunctionInfos and bytecode arrays. A page
// that only warms up keeps the same functions and moves some of them up a tier (Sparkplug, Maglev, TurboFan):
// more machine code, but each function holds at most one baseline and one optimised code object, and a
// re-optimisation frees the code it replaces. The census tells the two apart, so a soak can say which it saw.

interface SnapshotJson {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface FunctionCode {
  /** The SharedFunctionInfo's snapshot id: stable across snapshots of one page, unlike minified names. */
  id: number;
  /** The function's name as the bundle spells it (minified), and the script it is in. */
  name: string;
  script: string;
  /** Machine-code objects the function holds (baseline and optimised). */
  codes: number;
  /** Their bytes: the code objects and what only they point to (instructions, relocation info, offset and
   *  position tables, deoptimisation data and its literals). */
  bytes: number;
}

export interface CodeCensus {
  /** SharedFunctionInfos: every function V8 knows of (compiled or not). */
  functions: number;
  /** Bytecode arrays: functions compiled at least once and not flushed. */
  bytecodes: number;
  /** Machine-code objects and their bytes (as in FunctionCode.bytes), owned by a page function or not. */
  machineCodes: number;
  machineBytes: number;
  /** Of those, held by the page's functions (the rest: builtins, inline caches, regular expressions). */
  ownedCodes: number;
  ownedBytes: number;
  /** Page functions holding machine code, and the most code objects any one of them holds. */
  functionsWithCode: number;
  maxCodesPerFunction: number;
  /** Functions by machine code held, largest first. */
  byFunction: FunctionCode[];
}

const SFI = 'system / SharedFunctionInfo';
const CODE = 'system / Code';
/** What a code object points to, directly or through another part, that is its own. */
const CODE_PARTS = new Set(['system / InstructionStream', 'system / TrustedByteArray', 'system / ProtectedFixedArray']);

export function codeCensus(json: string): CodeCensus {
  const snap = JSON.parse(json) as SnapshotJson;
  const { node_fields: nf, node_types, edge_fields: ef, edge_types } = snap.snapshot.meta;
  const nodeTypes = node_types[0];
  const edgeTypes = edge_types[0];
  const at = (f: string): number => nf.indexOf(f);
  const [iType, iName, iId, iSize, iEdges] = [at('type'), at('name'), at('id'), at('self_size'), at('edge_count')];
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => ef.indexOf(f)) as [number, number, number];
  const { nodes, edges, strings } = snap;
  const count = nodes.length / nf.length;
  const str = (i: number): string => strings[i] ?? '';
  const nameOf = (n: number): string => str(nodes[n * nf.length + iName] ?? 0);
  const typeOf = (n: number): string => nodeTypes[nodes[n * nf.length + iType] ?? 0] ?? '?';
  const sizeOf = (n: number): number => nodes[n * nf.length + iSize] ?? 0;
  const weak = edgeTypes.indexOf('weak');
  const named = new Set(['element', 'hidden'].map((t) => edgeTypes.indexOf(t)));

  // Edges out of each node, and (strong) retainers of each node.
  const first = new Uint32Array(count + 1);
  for (let n = 0, e = 0; n < count; n++) {
    first[n] = e;
    e += (nodes[n * nf.length + iEdges] ?? 0) * ef.length;
    first[n + 1] = e;
  }
  const retainers: number[][] = Array.from({ length: count }, () => []);
  for (let n = 0; n < count; n++)
    for (let e = first[n] ?? 0; e < (first[n + 1] ?? 0); e += ef.length)
      if (edges[e + eType] !== weak) retainers[(edges[e + eTo] ?? 0) / nf.length]?.push(n);
  const child = (n: number, edgeName: string): number => {
    for (let e = first[n] ?? 0; e < (first[n + 1] ?? 0); e += ef.length) {
      const t = edges[e + eType] ?? 0;
      if (!named.has(t) && str(edges[e + eName] ?? 0) === edgeName) return (edges[e + eTo] ?? 0) / nf.length;
    }
    return -1;
  };
  // The function a code object belongs to: the nearest SharedFunctionInfo above it (baseline code hangs off the
  // SFI; optimised code off a closure, whose SFI is its `shared`).
  const ownerOf = (code: number): number => {
    const seen = new Set([code]);
    let level = [code];
    for (let depth = 0; depth < 4 && level.length; depth++) {
      const next: number[] = [];
      for (const n of level)
        for (const r of retainers[n] ?? []) {
          if (seen.has(r)) continue;
          seen.add(r);
          if (nameOf(r).startsWith(SFI)) return r;
          if (typeOf(r) === 'closure') return child(r, 'shared');
          next.push(r);
        }
      level = next;
    }
    return -1;
  };

  const out: CodeCensus = {
    functions: 0,
    bytecodes: 0,
    machineCodes: 0,
    machineBytes: 0,
    ownedCodes: 0,
    ownedBytes: 0,
    functionsWithCode: 0,
    maxCodesPerFunction: 0,
    byFunction: [],
  };
  const perFunction = new Map<number, FunctionCode>();
  // A part is counted once, for the first code object reaching it (the shared empty arrays are 0 bytes anyway).
  const counted = new Set<number>();
  const partsBytes = (code: number): number => {
    let bytes = 0;
    const stack = [code];
    while (stack.length) {
      const n = stack.pop() ?? 0;
      for (let e = first[n] ?? 0; e < (first[n + 1] ?? 0); e += ef.length) {
        const to = (edges[e + eTo] ?? 0) / nf.length;
        if (counted.has(to) || !CODE_PARTS.has(nameOf(to))) continue;
        counted.add(to);
        bytes += sizeOf(to);
        stack.push(to);
      }
    }
    return bytes;
  };
  for (let n = 0; n < count; n++) {
    if (typeOf(n) !== 'code') continue;
    const name = nameOf(n);
    if (name.startsWith(SFI)) out.functions++;
    else if (name === 'system / BytecodeArray') out.bytecodes++;
    if (name !== CODE) continue;
    const bytes = sizeOf(n) + partsBytes(n);
    out.machineCodes++;
    out.machineBytes += bytes;
    const owner = ownerOf(n);
    if (owner < 0) continue;
    out.ownedCodes++;
    out.ownedBytes += bytes;
    let f = perFunction.get(owner);
    if (!f) {
      const script = child(owner, 'script');
      f = {
        id: nodes[owner * nf.length + iId] ?? -1,
        name: nameOf(owner).slice(SFI.length).replace(/^ \/ /, '') || '(anonymous)',
        script:
          script >= 0
            ? nameOf(script)
                .replace('system / Script / ', '')
                .replace(/^[a-z]+:\/\/[^/]+\//, '')
            : '',
        codes: 0,
        bytes: 0,
      };
      perFunction.set(owner, f);
    }
    f.codes++;
    f.bytes += bytes;
  }
  out.byFunction = [...perFunction.values()].sort((a, b) => b.bytes - a.bytes);
  out.functionsWithCode = out.byFunction.length;
  out.maxCodesPerFunction = Math.max(0, ...out.byFunction.map((f) => f.codes));
  return out;
}
