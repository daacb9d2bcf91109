import type { Attr } from '../src/attr.js';
import type { Graph } from '../src/graph.js';
import type { Tensor } from '../src/tensor.js';
import type { TensorType } from '../src/types.js';

/**
 * Structural comparison of two graphs, independent of the text printer:
 * node order, every attribute, every tensor bit for bit (NaN payloads and -0
 * included), every value type. Returns the differences as paths (empty =
 * equal). Maps compare by key set, not insertion order, except initializers,
 * whose order the printer keeps.
 */
export function diffGraphs(a: Graph, b: Graph, path = 'graph'): string[] {
  const d: string[] = [];
  const eq = (what: string, x: unknown, y: unknown) => {
    if (!Object.is(x, y)) d.push(`${path}.${what}: ${String(x)} != ${String(y)}`);
  };
  eq('name', a.name, b.name);
  eq('opsets', JSON.stringify(sorted(a.opsets)), JSON.stringify(sorted(b.opsets)));
  eq('metadata', JSON.stringify(sorted(a.metadata)), JSON.stringify(sorted(b.metadata)));
  eq('inputs', JSON.stringify(a.inputs), JSON.stringify(b.inputs));
  eq('outputs', JSON.stringify(a.outputs), JSON.stringify(b.outputs));
  eq('initializer names', JSON.stringify([...a.initializers.keys()]), JSON.stringify([...b.initializers.keys()]));
  for (const [k, t] of a.initializers) {
    const u = b.initializers.get(k);
    if (u) d.push(...diffTensors(t, u, `${path}.init[${k}]`));
  }
  eq('value names', JSON.stringify([...a.values.keys()].sort()), JSON.stringify([...b.values.keys()].sort()));
  for (const [k, v] of a.values) {
    const w = b.values.get(k);
    if (w) {
      eq(`values[${k}].name`, v.name, w.name);
      eq(`values[${k}].type`, typeKey(v.type), typeKey(w.type));
    }
  }
  eq('node count', a.nodes.length, b.nodes.length);
  a.nodes.forEach((n, i) => {
    const m = b.nodes[i];
    if (!m) return;
    const p = `nodes[${i}]`;
    eq(`${p}.op`, n.op, m.op);
    eq(`${p}.domain`, n.domain, m.domain);
    eq(`${p}.name`, n.name, m.name);
    eq(`${p}.inputs`, JSON.stringify(n.inputs), JSON.stringify(m.inputs));
    eq(`${p}.outputs`, JSON.stringify(n.outputs), JSON.stringify(m.outputs));
    eq(`${p}.attr names`, JSON.stringify(Object.keys(n.attrs).sort()), JSON.stringify(Object.keys(m.attrs).sort()));
    for (const [k, x] of Object.entries(n.attrs)) {
      const y = m.attrs[k];
      if (y) d.push(...diffAttrs(x, y, `${path}.${p}.attrs.${k}`));
    }
  });
  return d;
}

function sorted(r: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(r).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
}

function typeKey(t: TensorType): string {
  return JSON.stringify([t.dtype, t.shape === undefined ? null : t.shape.map((x) => (typeof x === 'number' ? x : `sym:${x}`)), t.fixed?.frac ?? null]);
}

function diffAttrs(x: Attr, y: Attr, path: string): string[] {
  if (x.kind !== y.kind) return [`${path}: kind ${x.kind} != ${y.kind}`];
  switch (x.kind) {
    case 'tensor':
      return diffTensors(x.value, y.value as Tensor, path);
    case 'graph':
      return diffGraphs(x.value, y.value as Graph, path);
    case 'graphs': {
      const ys = y.value as readonly Graph[];
      if (x.value.length !== ys.length) return [`${path}: ${x.value.length} graphs != ${ys.length}`];
      return x.value.flatMap((g, i) => diffGraphs(g, ys[i]!, `${path}[${i}]`));
    }
    case 'ints':
    case 'floats':
    case 'strings': {
      const ys = y.value as readonly (number | string)[];
      if (x.value.length !== ys.length || x.value.some((v, i) => !Object.is(v, ys[i]))) return [`${path}: [${x.value.join(',')}] != [${ys.join(',')}]`];
      return [];
    }
    default:
      return Object.is(x.value, y.value) ? [] : [`${path}: ${String(x.value)} != ${String(y.value)}`];
  }
}

/** Bit-for-bit tensor comparison (through the storage bytes, so NaN payloads count). */
export function diffTensors(t: Tensor, u: Tensor, path: string): string[] {
  if (t.dtype !== u.dtype) return [`${path}: dtype ${t.dtype} != ${u.dtype}`];
  if (t.dims.join(',') !== u.dims.join(',')) return [`${path}: dims [${t.dims.join(',')}] != [${u.dims.join(',')}]`];
  if ((t.fixed?.frac ?? null) !== (u.fixed?.frac ?? null)) return [`${path}: fixed ${t.fixed?.frac} != ${u.fixed?.frac}`];
  if (Array.isArray(t.data) || Array.isArray(u.data)) {
    return JSON.stringify(t.data) === JSON.stringify(u.data) ? [] : [`${path}: string data differs`];
  }
  const a = t.data as Exclude<Tensor['data'], readonly string[]>;
  const b = u.data as Exclude<Tensor['data'], readonly string[]>;
  if (a.constructor !== b.constructor) return [`${path}: storage ${a.constructor.name} != ${b.constructor.name}`];
  const ab = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const bb = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (ab.length !== bb.length) return [`${path}: ${ab.length} bytes != ${bb.length}`];
  for (let i = 0; i < ab.length; i++) if (ab[i] !== bb[i]) return [`${path}: first differing byte at ${i}`];
  return [];
}

/** A small seeded PRNG (xorshift32) so random tests are reproducible. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}
