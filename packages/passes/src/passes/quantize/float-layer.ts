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

/** ONNX's activations f (gates), g (cell input), h (output), per direction; the accelerator's LUTs hold exactly these. */
const DEFAULT_ACTIVATIONS = ['Sigmoid', 'Tanh', 'Tanh'] as const;
const ROLES = ['f (the gate activation)', 'g (the cell input activation)', 'h (the output activation)'] as const;

/**
 * Why the accelerator cannot run this LSTM's activations, or undefined: the first one that differs
 * from the ONNX default in its position, named with its role and direction (a Tanh is refused as
 * the gate activation f, where the look-up table holds Sigmoid, not as Tanh).
 */
export function unsupportedActivation(n: Node): string | undefined {
  const a = n.attrs.activations;
  if (!a || a.kind !== 'strings') return undefined;
  const i = a.value.findIndex((f, k) => f.toLowerCase() !== DEFAULT_ACTIVATIONS[k % 3].toLowerCase());
  if (i < 0) return undefined;
  const dirs = a.value.length > 3 ? ` of direction ${Math.floor(i / 3)}` : '';
  return `activation ${i % 3 === 0 ? 'f' : i % 3 === 1 ? 'g' : 'h'} is ${a.value[i]}: as ${ROLES[i % 3]}${dirs} the accelerator's look-up tables hold ${DEFAULT_ACTIVATIONS[i % 3]} only (f = Sigmoid, g = h = Tanh, the ONNX defaults)`;
}

/** Any dims reported by the LSTM as [T, B, ...] for layout 0 from layout 1 [B, T, ...] data (copy). */
export function batchMajorToTimeMajor(data: ArrayLike<number>, B: number, T: number, inner: number): Float64Array {
  const out = new Float64Array(B * T * inner);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let k = 0; k < inner; k++) out[(t * B + b) * inner + k] = data[(b * T + t) * inner + k];
  return out;
}
