import { rtFail } from '../../errors.js';
import type { RtTensor } from '../../tensor.js';
import { defineKernel, type StaticNodeInfo } from '../kernel.js';
import { dtypeIs, rankIs } from '../shape-util.js';
import { lstmPackedShape, packLstmWeights, type LstmWeights } from './pack.js';

/**
 * Packs ONNX LSTM weights at run time, for models whose W/R/B/P are graph inputs rather than
 * constants (the lowering packs constant weights at compile time with packLstmWeights).
 * Inputs: W [D,4H,I], R [D,4H,H], B [D,8H] (optional), P [D,3H] (optional). Output: [D, stride].
 */
export const lstmPackF32Kernel = defineKernel({
  name: 'lstm.pack.f32',
  inputs: [2, 4],
  requiredInputs: 2,
  outputs: [1, 1],
  attrs: { hidden_size: { type: 'int', required: true } },
  relayout: true,
  check: (a, node) => (a.hidden_size > 0 ? checkOnnxLstmWeights(node) : `hidden_size must be positive, got ${a.hidden_size}`),
  run: ({ attrs, inputs }) => {
    const w = onnxLstmWeights(attrs.hidden_size, inputs);
    return [{ dtype: 'f32', shape: lstmPackedShape(w.numDirections, w.hiddenSize, w.inputSize), data: packLstmWeights(w) }];
  },
});

/** Load-time check of the ONNX W, R, B?, P? input slots of a packing kernel. */
export function checkOnnxLstmWeights(node: StaticNodeInfo): string | undefined {
  const [W, R, B, P] = [0, 1, 2, 3].map((i) => node.inputs[i] ?? null);
  if (!dtypeIs(W!, 'f32') || !rankIs(W!, 3) || !dtypeIs(R!, 'f32') || !rankIs(R!, 3)) return 'W and R must be rank-3 f32 tensors';
  if (!dtypeIs(B!, 'f32') || !rankIs(B!, 2) || !dtypeIs(P!, 'f32') || !rankIs(P!, 2)) return 'B and P must be rank-2 f32 tensors';
  return undefined;
}

/** The ONNX W, R, B?, P? tensors of a packing kernel's inputs, shapes checked against hidden size H. */
export function onnxLstmWeights(H: number, inputs: readonly (RtTensor | null)[]): LstmWeights {
  const [W, R, B, P] = [inputs[0]!, inputs[1]!, inputs[2] ?? null, inputs[3] ?? null];
  const D = W.shape[0]!;
  const I = W.shape[2]!;
  const want = (name: string, shape: readonly number[], exp: number[]) => {
    if (shape.length !== exp.length || shape.some((d, i) => d !== exp[i])) {
      rtFail('E-RT-EXEC', `${name} has shape [${shape.join(',')}], expected [${exp.join(',')}]`);
    }
  };
  if (D !== 1 && D !== 2) rtFail('E-RT-EXEC', `W has ${D} directions`);
  want('W', W.shape, [D, 4 * H, I]);
  want('R', R.shape, [D, 4 * H, H]);
  if (B) want('B', B.shape, [D, 8 * H]);
  if (P) want('P', P.shape, [D, 3 * H]);
  return {
    W: W.data as Float32Array,
    R: R.data as Float32Array,
    B: (B?.data as Float32Array | undefined) ?? null,
    P: (P?.data as Float32Array | undefined) ?? null,
    numDirections: D,
    hiddenSize: H,
    inputSize: I,
  };
}
