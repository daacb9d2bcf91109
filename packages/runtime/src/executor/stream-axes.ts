import type { PreparedGraph } from '../graph/prepare.js';

type Prepared = PreparedGraph['nodes'][number];

/** The constant integer entries of value vi, or undefined when it is not a constant. */
function constInts(g: PreparedGraph, vi: number): number[] | undefined {
  const t = vi === -1 ? undefined : g.model.values[vi]?.data;
  return t && (t.dtype === 'i64' || t.dtype === 'i32') ? Array.from(t.data as ArrayLike<number | bigint>, Number) : undefined;
}

/**
 * Whether a Shape node over a value of the given rank never lets its time axis out: every consumer of
 * its output is a Gather (axis 0) of constant indices none of which is that axis (as exporters read the
 * batch size to build zero initial states). A stream chunk's length then changes nothing it computes.
 */
function shapeHidesAxis(g: PreparedGraph, consumers: Map<number, { node: Prepared; slot: number }[]>, shape: Prepared, rank: number | undefined, axis: number): boolean {
  // Shape's output holds dims [start, end) (opset 15 attributes; negative ones count from the rank)
  const norm = (v: number) => (v < 0 ? (rank === undefined ? NaN : v + rank) : v);
  const start = shape.attrs.start === undefined ? 0 : norm(Number(shape.attrs.start));
  const end = shape.attrs.end === undefined ? (rank ?? NaN) : norm(Number(shape.attrs.end));
  const uses = consumers.get(shape.node.outputs[0]!) ?? [];
  if (uses.length === 0 || g.model.outputs.includes(shape.node.outputs[0]!)) return false;
  return uses.every(({ node, slot }) => {
    if (node.node.kernel !== 'Gather' || slot !== 0 || Number(node.attrs.axis ?? 0) !== 0) return false;
    const idx = constInts(g, node.node.inputs[1] ?? -1);
    // a negative index counts from the end of the output (end - start entries)
    return idx !== undefined && idx.every((i) => {
      const dim = start + (i < 0 ? end - start + i : i);
      return Number.isInteger(dim) && dim !== axis;
    });
  });
}

/**
 * The time axis of each graph input that only recurrent layers consume as their sequence input
 * (directly, or through Transpose nodes as batch-first exports do; a Shape of it may be read for
 * other dimensions, shapeHidesAxis): in a stream, that axis takes any chunk length, whatever size
 * the graph declares for it (a fixed-length export).
 */
export function streamTimeAxes(g: PreparedGraph): Map<number, number> {
  const consumers = new Map<number, { node: PreparedGraph['nodes'][number]; slot: number }[]>();
  for (const p of g.nodes)
    p.node.inputs.forEach((vi, slot) => {
      if (vi === -1) return;
      let list = consumers.get(vi);
      if (!list) consumers.set(vi, (list = []));
      list.push({ node: p, slot });
    });
  const outputs = new Set(g.model.outputs);
  /** Time axis of value `vi` as its consumers read it, or undefined when some consumer is not a sequence reader. */
  const axisOf = (vi: number, depth: number): number | undefined => {
    const cs = consumers.get(vi) ?? [];
    if (cs.length === 0 || outputs.has(vi) || depth > 4) return undefined;
    let axis: number | undefined;
    const shapes: Prepared[] = [];
    for (const { node, slot } of cs) {
      let a: number | undefined;
      if (node.node.kernel === 'Shape') {
        shapes.push(node);
        continue;
      }
      if (node.kernel.stateful && slot === 0) a = node.attrs.layout === 1 ? 1 : 0;
      else if (node.node.kernel === 'Transpose' && slot === 0) {
        const perm = node.attrs.perm as readonly number[] | undefined;
        const inner = axisOf(node.node.outputs[0]!, depth + 1);
        a = perm && inner !== undefined ? perm[inner] : undefined;
      }
      if (a === undefined || (axis !== undefined && a !== axis)) return undefined;
      axis = a;
    }
    const rank = g.model.values[vi]?.shape?.length;
    if (axis !== undefined && shapes.some((sh) => !shapeHidesAxis(g, consumers, sh, rank, axis))) return undefined;
    return axis;
  };
  const out = new Map<number, number>();
  for (const vi of g.model.inputs) {
    const a = axisOf(vi, 0);
    if (a !== undefined) out.set(vi, a);
  }
  return out;
}
