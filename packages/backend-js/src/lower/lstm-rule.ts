import { fail, formatType } from '@lstmc/ir';
import { lstmPackedShape, lstmSparseNonZeros, lstmSparseSections, type RtAttr } from '@lstmc/runtime';
import { isQuantized, lowerLstmFixed } from './lstm-fixed-rule.js';
import { execModeOf, int8WeightsOf, sparseWeightsOf } from './modes.js';
import type { RuleContext } from './rule.js';
import type { LoweringRule } from './rule.js';

/**
 * ONNX LSTM -> `lstm.pack.f32` (W, R, B, P into the kernel's gate-interleaved layout) feeding
 * `lstm.dense.f32` (X, packed, sequence_lens, initial_h, initial_c). When the weights are
 * constants, as in every exported model, the builder folds the pack node: the packed tensor is
 * computed at compile time and stored in the blob, and the ONNX-layout weights are dropped.
 * Weights given as graph inputs (ONNX's node tests) are packed at run time.
 *
 * When the select-mode pass marked W and/or R `sparse-weight`/`sparse-both` and the weights are
 * constants, the layer lowers to `lstm.sparse.pack.f32` (folded the same way) feeding `lstm.sparse.f32`,
 * which stores those matrices compressed and multiplies over their non-zeros only. Matrices that
 * select-mode{cost=cpu} put on int8 weights get int8_w / int8_r (quantized by the kernel at load).
 */
export const lowerLstm: LoweringRule = (c) => {
  if (c.fixed && (!c.fixed.quantizedOnly || isQuantized(c.node))) return lowerLstmFixed(c, c.fixed);
  const a = c.attrs;
  const x = c.inputType(0)!;
  const w = c.inputType(1)!;
  if (x.dtype !== 'f32') fail('E-JS-DTYPE', `the JS runtime's LSTM is float32; X is ${x.dtype}`, { ...c.loc, field: 'X' });
  const wShape = w.shape;
  if (!wShape || typeof wShape[0] !== 'number' || typeof wShape[1] !== 'number' || typeof wShape[2] !== 'number')
    fail('E-JS-SHAPE', `LSTM W must have a static shape to be lowered, it is ${formatType(w)}`, { ...c.loc, field: 'W' });
  const D = wShape[0];
  const H = (a.hidden_size as number | undefined) ?? wShape[1] / 4;
  const I = wShape[2];

  const attrs: Record<string, RtAttr> = {
    hidden_size: { type: 'int', value: H },
    input_size: { type: 'int', value: I },
    direction: { type: 'string', value: a.direction as string },
    layout: { type: 'int', value: a.layout as number },
    input_forget: { type: 'int', value: a.input_forget as number },
  };
  if (a.activations !== undefined) attrs.activations = { type: 'strings', value: [...(a.activations as readonly string[])] };
  if (a.activation_alpha !== undefined) attrs.activation_alpha = { type: 'floats', value: [...(a.activation_alpha as readonly number[])] };
  if (a.activation_beta !== undefined) attrs.activation_beta = { type: 'floats', value: [...(a.activation_beta as readonly number[])] };
  if (a.clip !== undefined) attrs.clip = { type: 'float', value: a.clip as number };
  const int8 = int8WeightsOf(c.node);
  if (int8.W) attrs.int8_w = { type: 'int', value: 1 };
  if (int8.R) attrs.int8_r = { type: 'int', value: 1 };
  const sparse = sparseLayout(c, D, H, I);
  if (sparse) {
    const { sparseW, sparseR } = sparse;
    const flags = { sparse_w: { type: 'int', value: sparseW ? 1 : 0 }, sparse_r: { type: 'int', value: sparseR ? 1 : 0 } } satisfies Record<string, RtAttr>;
    const s = lstmSparseSections(H, I, sparse);
    const arrays = [
      c.temp(`${c.node.name}.packed`, 'f32', [D, s.stride]),
      c.temp(`${c.node.name}.ptr`, 'i32', [D * s.segments * (4 * H + 1)]),
      c.temp(`${c.node.name}.col`, 'i32', [sparse.nnz]),
      c.temp(`${c.node.name}.val`, 'f32', [sparse.nnz]),
    ];
    c.emit('lstm.sparse.pack.f32', [c.input(1), c.input(2), c.input(3), c.input(7)], arrays, { hidden_size: { type: 'int', value: H }, ...flags });
    c.emit(
      'lstm.sparse.f32',
      [c.input(0), arrays[0]!, c.input(4), c.input(5), c.input(6), arrays[1]!, arrays[2]!, arrays[3]!],
      [c.output(0), c.output(1), c.output(2)],
      { ...attrs, ...flags },
      { W: sparseW ? 'sparse' : 'dense', R: sparseR ? 'sparse' : 'dense' },
    );
    return;
  }
  const packed = c.temp(`${c.node.name}.packed`, 'f32', lstmPackedShape(D, H, I));
  c.emit('lstm.pack.f32', [c.input(1), c.input(2), c.input(3), c.input(7)], [packed], { hidden_size: { type: 'int', value: H } });
  c.emit(
    'lstm.dense.f32',
    [c.input(0), packed, c.input(4), c.input(5), c.input(6)],
    [c.output(0), c.output(1), c.output(2)],
    attrs,
    execModeOf(c.node),
  );
};

/**
 * The compressed layout to use, or undefined for the dense kernel: some matrix marked sparse-weight /
 * sparse-both, and W, R (and B, P when present) constants, so the compressed arrays' sizes are known.
 */
function sparseLayout(c: RuleContext, D: number, H: number, I: number) {
  const { W: sparseW, R: sparseR } = sparseWeightsOf(c.node);
  if (!sparseW && !sparseR) return undefined;
  const w = c.constant(1);
  const r = c.constant(2);
  const constOrAbsent = (i: number) => c.input(i) < 0 || c.constant(i) !== undefined;
  if (!w || !r || !constOrAbsent(3) || !constOrAbsent(7)) return undefined;
  if (w.data.length !== D * 4 * H * I || r.data.length !== D * 4 * H * H) return undefined;
  const nnz = lstmSparseNonZeros({ W: w.data as Float32Array, R: r.data as Float32Array }, { sparseW, sparseR });
  return { sparseW, sparseR, nnz };
}
