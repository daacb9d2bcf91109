import { arrayOf } from '@lstmc/ops';
import { rtFail } from '../../errors.js';
import { defineKernel, type KernelCall, type KernelEnv } from '../kernel.js';
import { dtypeIs, rankIs } from '../shape-util.js';
import { anyNonZero, checkLstmNode, checkLstmStream, int8Matrices, LSTM_ATTRS, numDirections, runLstmWith, type LstmAttrs, type LstmDirectionOps } from './lstm-core.js';
import { createMatvecEngine, type MatvecEngine } from './matvec-engine.js';
import { lstmPackedSections } from './pack.js';
import { int8Product, quantizeSection, type Int8Matrix } from './int8-weights.js';
import { denseProduct } from './row-products.js';
import { denseProjection, type ColumnCopies } from './zero-skip.js';

export { LSTM_DIRECTIONS } from './lstm-core.js';

/**
 * Dense float32 LSTM with full ONNX semantics over weights packed by `packLstmWeights`.
 * Inputs: X, packed weights [D, stride], sequence_lens (i32/i64, optional), initial_h, initial_c.
 * Outputs: Y, Y_h, Y_c (any subset).
 */
export const lstmDenseF32Kernel = defineKernel({
  name: 'lstm.dense.f32',
  inputs: [2, 5],
  requiredInputs: 2,
  outputs: [0, 3],
  attrs: LSTM_ATTRS,
  stateful: true,
  check: (a, node) => {
    const w = node.inputs[1] ?? null;
    if (!dtypeIs(w, 'f32') || !rankIs(w, 2)) return 'packed weights must be a rank-2 f32 tensor';
    const stride = lstmPackedSections(a.hidden_size, a.input_size).stride;
    if (w?.shape && w.shape.every((d) => typeof d === 'number') && (w.shape[0] !== numDirections(a) || w.shape[1] !== stride)) {
      return `packed weights must have shape [${numDirections(a)},${stride}], got [${w.shape.join(',')}]`;
    }
    return checkLstmNode(a, node);
  },
  checkStream: (a, node) => checkLstmStream(a, node.inputs[2]),
  prepare: (a, consts, env): LstmPrepared | undefined => {
    const w = consts[1];
    return w ? prepareDense(a, w.data as Float32Array, env) : undefined;
  },
  run: (call) => runDense(call.attrs, call),
});

/**
 * Per-node data prepared at load: the packed weights already inside a matvec engine, their int8
 * copies per direction (int8_w / int8_r, or the load option lstmWeights: 'int8'), and W's column copies once zero skipping
 * needed them.
 */
interface LstmPrepared {
  readonly engine: MatvecEngine;
  /** Per direction, the int8 copies of W and R (null: that matrix runs in f32). */
  readonly int8: readonly { readonly w: Int8Matrix | null; readonly r: Int8Matrix | null }[];
  readonly columns: ColumnCopies;
  /** Per direction, whether its peepholes hold a non-zero (looked at once, here). */
  readonly peepholes: readonly boolean[];
}

function prepareDense(a: LstmAttrs, w: Float32Array, env: KernelEnv): LstmPrepared {
  const engine = createMatvecEngine(w, env.matvec, undefined, env.threads);
  const H = a.hidden_size;
  const I = a.input_size;
  const sec = lstmPackedSections(H, I);
  const q = int8Matrices(a, env);
  const fits = w.length === numDirections(a) * sec.stride;
  const int8 = Array.from({ length: numDirections(a) }, (_v, d) => ({
    w: q.W && fits ? quantizeSection(engine, d * sec.stride + sec.w, H, I) : null,
    r: q.R && fits ? quantizeSection(engine, d * sec.stride + sec.r, H, H) : null,
  }));
  const peepholes = arrayOf(numDirections(a), (d) => fits && anyNonZero(engine.mem, d * sec.stride + sec.peep, 4 * H));
  return { engine, int8, columns: [], peepholes };
}

function runDense(a: LstmAttrs, call: KernelCall<LstmAttrs>) {
  const Wt = call.inputs[1]!;
  const H = a.hidden_size;
  const I = a.input_size;
  const sec = lstmPackedSections(H, I);
  const D = numDirections(a);
  if (Wt.data.length !== D * sec.stride) rtFail('E-RT-EXEC', `packed weights have ${Wt.data.length} elements, expected ${D * sec.stride}`);
  // Weights that are constants were put into an engine at load time; others are copied in per call.
  const prep = (call.prepared as LstmPrepared | undefined) ?? prepareDense(a, Wt.data as Float32Array, call.env);
  const e = prep.engine;
  const X = call.inputs[0]!;
  // Before the run lays out its scratch: zero skipping may add W's column copies to the kept memory.
  const proj = arrayOf(D, (d) => {
    const base = d * sec.stride;
    const q = prep.int8[d]!.w;
    const wx = q ? int8Product(e, q, H) : denseProduct(e, base + sec.w, H, I);
    return denseProjection(e, prep.columns, d, X.data as Float32Array, X.data.length / I, base + sec.w, base + sec.bias, H, I, wx);
  });
  return runLstmWith(a, call, e, (d): LstmDirectionOps => {
    const base = d * sec.stride;
    const q = prep.int8[d]!.r;
    return {
      biasOff: base + sec.bias,
      peepOff: base + sec.peep,
      peepholes: prep.peepholes[d]!,
      project: proj[d]!.project,
      recur: q ? int8Product(e, q, H) : denseProduct(e, base + sec.r, H, H),
    };
  }, () => Math.max(...proj.map((p) => p.scratch)));
}
