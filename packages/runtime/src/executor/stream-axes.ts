import type { PreparedGraph } from '../graph/prepare.js';

/**
 * The time axis of each graph input that only recurrent layers consume as their sequence input
 * (directly, or through Transpose nodes as batch-first exports do): in a stream, that axis takes
 * any chunk length, whatever size the graph declares for it (a fixed-length export).
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
    for (const { node, slot } of cs) {
      let a: number | undefined;
      if (node.kernel.stateful && slot === 0) a = node.attrs.layout === 1 ? 1 : 0;
      else if (node.node.kernel === 'Transpose' && slot === 0) {
        const perm = node.attrs.perm as readonly number[] | undefined;
        const inner = axisOf(node.node.outputs[0]!, depth + 1);
        a = perm && inner !== undefined ? perm[inner] : undefined;
      }
      if (a === undefined || (axis !== undefined && a !== axis)) return undefined;
      axis = a;
    }
    return axis;
  };
  const out = new Map<number, number>();
  for (const vi of g.model.inputs) {
    const a = axisOf(vi, 0);
    if (a !== undefined) out.set(vi, a);
  }
  return out;
}
