import type { Graph, Node } from '@lstmc/ir';
import { ANN, getFloats } from '../../annotations.js';
import { lstmNodes } from '../../lstm-params.js';

/** Thresholds that can never be met are recorded as this value (> any sparsity). */
export const NEVER = 2;

/** [hidden, input] from W's shape [dirs, 4H, I] (hidden_size is optional in ONNX). */
export function sizesOf(g: Graph, n: Node): [number, number] {
  const shape = g.initializers.get(n.inputs[1])?.dims ?? g.values.get(n.inputs[1])?.type.shape;
  const [h4, i] = [shape?.[1], shape?.[2]];
  if (typeof h4 !== 'number' || typeof i !== 'number') throw new Error(`LSTM '${n.name}' has annotated sparsity but no static W shape`);
  return [h4 / 4, i];
}

/** An LSTM node the sparsity pass annotated: its weight sparsities per direction and its sizes. */
export interface SparseLayer {
  readonly n: Node;
  readonly wsW: readonly number[];
  readonly wsR: readonly number[];
  readonly dirs: number;
  readonly hidden: number;
  readonly inputSize: number;
}

/** The LSTM nodes of g with recorded weight sparsities (the others are left alone). */
export function sparseLayers(g: Graph): SparseLayer[] {
  return lstmNodes(g).flatMap((n) => {
    const wsW = getFloats(n, ANN.sparsityW);
    const wsR = getFloats(n, ANN.sparsityR);
    if (!wsW || !wsR) return [];
    const [hidden, inputSize] = sizesOf(g, n);
    return [{ n, wsW, wsR, dirs: wsW.length, hidden, inputSize }];
  });
}
