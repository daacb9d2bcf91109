import { defineKernel } from '../kernel.js';
import { checkOnnxLstmWeights, onnxLstmWeights } from './lstm-pack-f32.js';
import { lstmSparseSections, packLstmSparse } from './sparse-layout.js';

/**
 * Packs ONNX LSTM W, R, B, P into the layout of lstm.sparse.f32 (sparse-layout.ts). A compiler folds
 * it on constant weights (the lowering does); its outputs' lengths depend on the number of non-zeros.
 * Inputs: W [D,4H,I], R [D,4H,H], B [D,8H] (optional), P [D,3H] (optional).
 * Outputs: dense part [D, stride], row pointers (i32), column indices (i32), values (f32).
 */
export const lstmSparsePackF32Kernel = defineKernel({
  name: 'lstm.sparse.pack.f32',
  inputs: [2, 4],
  requiredInputs: 2,
  outputs: [4, 4],
  attrs: { hidden_size: { type: 'int', required: true }, sparse_w: { type: 'int', default: 0 }, sparse_r: { type: 'int', default: 0 } },
  relayout: true,
  check: (a, node) => {
    if (!(a.hidden_size > 0)) return `hidden_size must be positive, got ${a.hidden_size}`;
    if ((a.sparse_w !== 0 && a.sparse_w !== 1) || (a.sparse_r !== 0 && a.sparse_r !== 1) || a.sparse_w + a.sparse_r === 0) return 'sparse_w and sparse_r must be 0 or 1, at least one 1';
    return checkOnnxLstmWeights(node);
  },
  run: ({ attrs, inputs }) => {
    const w = onnxLstmWeights(attrs.hidden_size, inputs);
    const choice = { sparseW: attrs.sparse_w === 1, sparseR: attrs.sparse_r === 1 };
    const out = packLstmSparse(w, choice);
    return [
      { dtype: 'f32', shape: [w.numDirections, lstmSparseSections(w.hiddenSize, w.inputSize, choice).stride], data: out.dense },
      { dtype: 'i32', shape: [out.ptr.length], data: out.ptr },
      { dtype: 'i32', shape: [out.col.length], data: out.col },
      { dtype: 'f32', shape: [out.val.length], data: out.val },
    ];
  },
});
