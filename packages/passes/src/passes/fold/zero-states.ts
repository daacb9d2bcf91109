/**
 * Values known to be all zeros, and the LSTM initial states among them dropped: ONNX defines a
 * missing initial_h / initial_c as zeros, so an exported zero state (torch writes Shape -> Gather ->
 * Unsqueeze -> Concat -> ConstantOfShape(0), sliced per layer, when the batch is symbolic) is the
 * same LSTM without it, and dead-code elimination then removes the subgraph that made it.
 */
import { type Graph, type Node, type Tensor, makeNode, updateGraph } from '@lstmc/ir';

/** Ops whose output is all zeros when their first input is. */
const ZERO_KEEPING = new Set(['Slice', 'Expand', 'Reshape', 'Squeeze', 'Unsqueeze', 'Transpose', 'Identity']);

export function allZero(t: Tensor): boolean {
  if (t.dtype === 'string') return false;
  const d = t.data as ArrayLike<number | bigint>;
  for (let i = 0; i < d.length; i++) if (d[i] != 0) return false; // != : bigint zeros too
  return true;
}

const plain = (n: Node) => n.domain === '' || n.domain === 'ai.onnx';

/** Values of g known to be all zeros: zero initializers, ConstantOfShape of 0, and slices, reshapes, transposes of them. */
export function knownZeros(g: Graph): Set<string> {
  const zeros = new Set<string>([...g.initializers].filter(([, t]) => allZero(t)).map(([k]) => k));
  for (const n of g.nodes) {
    const o = n.outputs[0];
    if (!o || !plain(n)) continue;
    const v = n.attrs.value;
    if (n.op === 'ConstantOfShape' ? !v || (v.kind === 'tensor' && allZero(v.value)) : ZERO_KEEPING.has(n.op) && zeros.has(n.inputs[0] ?? '')) zeros.add(o);
  }
  return zeros;
}

/** initial_h / initial_c slots of the LSTM inputs. */
const STATE_SLOTS = [5, 6];

/** g with every LSTM's known-zero initial states left out (trailing empty inputs trimmed); how many were dropped. */
export function dropZeroStates(g: Graph): { graph: Graph; dropped: number } {
  const zeros = knownZeros(g);
  let dropped = 0;
  const nodes = g.nodes.map((n) => {
    if (n.op !== 'LSTM' || !plain(n) || !STATE_SLOTS.some((k) => zeros.has(n.inputs[k] ?? ''))) return n;
    const inputs = n.inputs.map((v, k) => {
      if (!STATE_SLOTS.includes(k) || !zeros.has(v)) return v;
      dropped++;
      return '';
    });
    while (inputs.length > 0 && inputs[inputs.length - 1] === '') inputs.pop();
    return makeNode({ ...n, inputs });
  });
  return dropped ? { graph: updateGraph(g, { nodes }), dropped } : { graph: g, dropped: 0 };
}
