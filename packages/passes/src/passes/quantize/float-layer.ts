/** The float parameters of one LSTM node in the form the shared fixed-point semantics take. */
import { type Graph, type Node } from '@lstmc/ir';
import type { FloatLstmDirection } from '@lstmc/runtime/fixed';
import { type LstmParams, readMatrix } from '../../lstm-params.js';

export function floatDirections(g: Graph, p: LstmParams): FloatLstmDirection[] {
  const n = p.node;
  const H = p.hidden;
  const b = p.B?.data as ArrayLike<number> | undefined;
  const P = n.inputs[7] ? (g.initializers.get(n.inputs[7])?.data as ArrayLike<number> | undefined) : undefined;
  const clip = n.attrs.clip?.value as number | undefined;
  const inputForget = (n.attrs.input_forget?.value as number | undefined) === 1;
  return Array.from({ length: p.dirs }, (_, d) => ({
    hidden: H,
    input: p.inputSize,
    W: readMatrix(p, 'W', d),
    R: readMatrix(p, 'R', d),
    Wb: b ? Array.from({ length: 4 * H }, (_, i) => b[d * 8 * H + i]) : null,
    Rb: b ? Array.from({ length: 4 * H }, (_, i) => b[d * 8 * H + 4 * H + i]) : null,
    P: P ? Array.from({ length: 3 * H }, (_, i) => P[d * 3 * H + i]) : null,
    clip: clip ?? null,
    inputForget,
  }));
}

const DEFAULT_ACTIVATIONS = ['Sigmoid', 'Tanh', 'Tanh'];

/** The accelerator's LUTs implement sigmoid and tanh only: the ONNX default activations. */
export function unsupportedActivation(n: Node): string | undefined {
  const a = n.attrs.activations;
  if (!a || a.kind !== 'strings') return undefined;
  return a.value.find((f, i) => f.toLowerCase() !== DEFAULT_ACTIVATIONS[i % 3].toLowerCase());
}

/** Any dims reported by the LSTM as [T, B, ...] for layout 0 from layout 1 [B, T, ...] data (copy). */
export function batchMajorToTimeMajor(data: ArrayLike<number>, B: number, T: number, inner: number): Float64Array {
  const out = new Float64Array(B * T * inner);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let k = 0; k < inner; k++) out[(t * B + b) * inner + k] = data[(b * T + t) * inner + k];
  return out;
}
