/**
 * The data-movement ops that may sit between stacked LSTM layers (the
 * accelerator's host runs them on dense tensors, see backend-accel
 * host/glue.ts), and the graph query built on them: is a value another
 * LSTM's Y seen through such ops? The quantize pass, the accelerator codegen
 * and the JS backend's fixed-point lowering must answer it the same way, so
 * it lives here, below all three.
 */
import type { Node } from '@lstmc/ir';

export const LAYER_GLUE_OPS = ['Squeeze', 'Unsqueeze', 'Transpose', 'Reshape', 'Identity'] as const;
export type LayerGlueOp = (typeof LAYER_GLUE_OPS)[number];

export function isLayerGlueOp(op: string): op is LayerGlueOp {
  return (LAYER_GLUE_OPS as readonly string[]).includes(op);
}

/**
 * True when `value` is another LSTM's Y seen through glue ops. The
 * accelerator feeds such a layer the previous layer's h words unchanged, so
 * its x is at h's scale (act_bits - 1) whatever calibration ranges say.
 * `producer` gives the node that computes a value (undefined for graph
 * inputs and initializers), e.g. `(v) => producers(g).get(v)`.
 */
export function fedByLstm(producer: (value: string) => Node | undefined, value: string): boolean {
  let v = value;
  for (let p = producer(v); p; p = producer(v)) {
    if (p.op === 'LSTM') return p.outputs[0] === v;
    if (!isLayerGlueOp(p.op)) return false;
    v = p.inputs[0] ?? '';
  }
  return false;
}
