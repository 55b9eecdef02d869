// A V8 heap snapshot (the JSON DevTools writes) summed by what each object is, so two snapshots can be diffed by
// constructor: how many instances and how many bytes of each. The renderer bundle is minified, so a class is
// also described by the property names of one instance ("Ab{queryKey,queryHash,observers}" is a react-query
// Query); plain objects are grouped by their shape, which tells an accumulating record from a one-off.

export interface Bucket {
  count: number;
  bytes: number;
  /** Property names of one instance, for telling minified constructors apart. */
  shape: string;
}

export interface HeapSummary {
  /** Self size by snapshot category (code, string, object, closure, native, …). */
  byType: Map<string, number>;
  /** "type:name" (objects also by shape) → instances and self size. */
  byKey: Map<string, Bucket>;
  totalBytes: number;
}

interface SnapshotJson {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const SHAPE_PROPS = 6;
/** Types whose name says what they are (the rest — strings, numbers, hidden — are summed by type only). */
const NAMED = new Set(['object', 'closure', 'native', 'code', 'array', 'regexp']);

export function summarizeHeapSnapshot(json: string): HeapSummary {
  const snap = JSON.parse(json) as SnapshotJson;
  const { node_fields: nf, node_types, edge_fields: ef, edge_types } = snap.snapshot.meta;
  const nodeTypes = node_types[0];
  const edgeTypes = edge_types[0];
  const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => nf.indexOf(f)) as [
    number,
    number,
    number,
    number,
  ];
  const [eType, eName] = ['type', 'name_or_index'].map((f) => ef.indexOf(f)) as [number, number];
  const propertyEdge = edgeTypes.indexOf('property');
  const out: HeapSummary = { byType: new Map(), byKey: new Map(), totalBytes: 0 };
  const { nodes, edges, strings } = snap;
  let edge = 0;
  for (let i = 0; i < nodes.length; i += nf.length) {
    const type = nodeTypes[nodes[i + iType] ?? 0] ?? '?';
    const size = nodes[i + iSize] ?? 0;
    const edgeCount = nodes[i + iEdges] ?? 0;
    out.totalBytes += size;
    out.byType.set(type, (out.byType.get(type) ?? 0) + size);
    if (NAMED.has(type)) {
      const props: string[] = [];
      if (type === 'object')
        for (let e = edge; e < edge + edgeCount * ef.length && props.length < SHAPE_PROPS; e += ef.length)
          if (edges[e + eType] === propertyEdge) {
            const p = strings[edges[e + eName] ?? 0] ?? '';
            if (!p.startsWith('__')) props.push(p);
          }
      const name = (strings[nodes[i + iName] ?? 0] ?? '').slice(0, 60);
      // Plain objects are told apart by shape; a class instance by its (possibly minified) constructor name.
      const key = name === 'Object' ? `object:Object{${props.join(',')}}` : `${type}:${name}`;
      const b = out.byKey.get(key);
      if (b) {
        b.count++;
        b.bytes += size;
      } else out.byKey.set(key, { count: 1, bytes: size, shape: props.join(',') });
    }
    edge += edgeCount * ef.length;
  }
  return out;
}

export interface Growth {
  key: string;
  shape: string;
  countDelta: number;
  bytesDelta: number;
  countEnd: number;
}

/** What changed between two snapshots, per constructor, largest growth (by bytes) first. */
export function diffHeap(a: HeapSummary, b: HeapSummary): Growth[] {
  const keys = new Set([...a.byKey.keys(), ...b.byKey.keys()]);
  const out: Growth[] = [];
  for (const key of keys) {
    const x = a.byKey.get(key);
    const y = b.byKey.get(key);
    out.push({
      key,
      shape: y?.shape ?? x?.shape ?? '',
      countDelta: (y?.count ?? 0) - (x?.count ?? 0),
      bytesDelta: (y?.bytes ?? 0) - (x?.bytes ?? 0),
      countEnd: y?.count ?? 0,
    });
  }
  return out.sort((p, q) => q.bytesDelta - p.bytesDelta);
}
