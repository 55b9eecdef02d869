// The wall soak's census of V8's compiled code, on heap snapshots laid out as Chromium writes them: machine code
// is credited to the function that holds it (baseline code through the function's SharedFunctionInfo, optimised
// code through a closure), builtins are counted but belong to no function, and new functions show as new
// SharedFunctionInfos — the sign of a page that makes code rather than warms up.
import { describe, expect, it } from 'vitest';
import { codeCensus } from '../../bench/lib/code-census';

const NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness'];
const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'];
const EDGE_FIELDS = ['type', 'name_or_index', 'to_node'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

/** A tiny snapshot builder: nodes by handle, edges by name. */
function snapshot(
  build: (
    add: (type: string, name: string, size: number) => number,
    edge: (from: number, type: string, name: string, to: number) => void,
  ) => void,
): string {
  const strings: string[] = [''];
  const str = (s: string): number => {
    const i = strings.indexOf(s);
    return i >= 0 ? i : strings.push(s) - 1;
  };
  const nodes: { type: number; name: number; size: number; edges: [number, number, number][] }[] = [];
  build(
    (type, name, size) => nodes.push({ type: NODE_TYPES.indexOf(type), name: str(name), size, edges: [] }) - 1,
    (from, type, name, to) => void nodes[from]?.edges.push([EDGE_TYPES.indexOf(type), str(name), to]),
  );
  return JSON.stringify({
    snapshot: { meta: { node_fields: NODE_FIELDS, node_types: [NODE_TYPES], edge_fields: EDGE_FIELDS, edge_types: [EDGE_TYPES] } },
    nodes: nodes.flatMap((n, i) => [n.type, n.name, i * 2 + 1, n.size, n.edges.length, 0]),
    edges: nodes.flatMap((n) => n.edges.flatMap(([t, name, to]) => [t, name, to * NODE_FIELDS.length])),
    strings,
  });
}

/** A page with one script, a function `tick` with baseline and optimised code, and one builtin. */
function page(extraFunctions = 0): string {
  return snapshot((add, edge) => {
    const root = add('synthetic', '(GC roots)', 0);
    const script = add('code', 'system / Script / http://127.0.0.1:4000/assets/WallView-abc.js', 80);
    const sfi = add('code', 'system / SharedFunctionInfo / tick', 48);
    edge(sfi, 'internal', 'script', script);
    const bytecode = add('code', 'system / BytecodeArray', 400);
    edge(sfi, 'internal', 'function_data', bytecode);
    const baseline = add('code', 'system / Code', 72);
    const baselineStream = add('code', 'system / InstructionStream', 1000);
    edge(baseline, 'internal', 'instruction_stream', baselineStream);
    edge(sfi, 'internal', 'trusted_function_data', baseline);
    const closure = add('closure', 'tick', 32);
    edge(closure, 'internal', 'shared', sfi);
    const optimised = add('code', 'system / Code', 72);
    const stream = add('code', 'system / InstructionStream', 3000);
    const reloc = add('code', 'system / TrustedByteArray', 200);
    const deopt = add('code', 'system / ProtectedFixedArray', 100);
    const literals = add('code', 'system / TrustedByteArray', 300);
    edge(optimised, 'internal', 'instruction_stream', stream);
    edge(stream, 'internal', 'relocation_info', reloc);
    edge(optimised, 'internal', 'deoptimization_data', deopt);
    edge(deopt, 'hidden', '0', literals);
    // The instruction stream points back at its code object: that edge must not make the code its own owner.
    edge(stream, 'internal', 'code', optimised);
    edge(closure, 'internal', 'code', optimised);
    const builtin = add('code', 'system / Code', 72);
    const builtinStream = add('code', 'system / InstructionStream', 500);
    edge(builtin, 'internal', 'instruction_stream', builtinStream);
    edge(root, 'element', '1', builtin);
    edge(root, 'element', '2', closure);
    for (let i = 0; i < extraFunctions; i++) {
      const f = add('code', `system / SharedFunctionInfo / made${i}`, 48);
      edge(f, 'internal', 'script', script);
      const b = add('code', 'system / BytecodeArray', 40);
      edge(f, 'internal', 'function_data', b);
    }
  });
}

describe('the census of compiled code', () => {
  it('credits baseline and optimised code to the function that holds them, with their instructions and data', () => {
    const c = codeCensus(page());
    expect(c.functions).toBe(1);
    expect(c.bytecodes).toBe(1);
    expect(c.machineCodes).toBe(3);
    expect(c.machineBytes).toBe(72 + 1000 + 72 + 3000 + 200 + 100 + 300 + 72 + 500);
    expect(c.byFunction).toEqual([
      { id: expect.any(Number), name: 'tick', script: 'assets/WallView-abc.js', codes: 2, bytes: 72 + 1000 + 72 + 3000 + 200 + 100 + 300 },
    ]);
    expect(c.functionsWithCode).toBe(1);
    expect(c.maxCodesPerFunction).toBe(2);
  });

  it('counts builtins as machine code that belongs to no page function', () => {
    const c = codeCensus(page());
    expect(c.machineCodes - c.ownedCodes).toBe(1);
    expect(c.machineBytes - c.ownedBytes).toBe(572);
  });

  it('shows functions a page made (eval, new Function) as new functions with bytecode', () => {
    const before = codeCensus(page());
    const after = codeCensus(page(200));
    expect(after.functions - before.functions).toBe(200);
    expect(after.bytecodes - before.bytecodes).toBe(200);
    expect(after.machineBytes).toBe(before.machineBytes);
  });
});
