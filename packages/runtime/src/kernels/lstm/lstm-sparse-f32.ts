import { rtFail } from '../../errors.js';
import type { RtTensor } from '../../tensor.js';
import { defineKernel, type KernelCall, type KernelEnv, type StaticNodeInfo } from '../kernel.js';
import { dtypeIs, rankIs } from '../shape-util.js';
import { projectInputs } from './input-projection.js';
import { checkLstmNode, checkLstmStream, LSTM_ATTRS, numDirections, runLstmWith, type LstmAttrs, type LstmDirectionOps } from './lstm-core.js';
import { createMatvecEngine, encodeSparsePairs, resolveEngine, type MatvecEngine } from './matvec-engine.js';
import { lstmSparseSections, validateLstmSparse, type LstmSparseChoice } from './sparse-layout.js';

const LSTM_SPARSE_ATTRS = {
  ...LSTM_ATTRS,
  /** 1: W is stored in the CSR arrays; 0: W is a dense section of the packed input. */
  sparse_w: { type: 'int', default: 0 },
  /** 1: R is stored in the CSR arrays; 0: R is a dense section of the packed input. */
  sparse_r: { type: 'int', default: 0 },
} as const;

type SparseAttrs = LstmAttrs & { readonly sparse_w: number; readonly sparse_r: number };

const choiceOf = (a: SparseAttrs): LstmSparseChoice => ({ sparseW: a.sparse_w === 1, sparseR: a.sparse_r === 1 });

/**
 * Sparse float32 LSTM: the ONNX semantics and attributes of `lstm.dense.f32` (shared code in
 * lstm-core.ts), with W and/or R in compressed rows (sparse-layout.ts) multiplied over their
 * non-zeros only (spmv1/spmv2 of the matvec engine).
 * Inputs: X, packed dense part [D, stride], sequence_lens, initial_h, initial_c, row pointers (i32),
 * column indices (i32), values (f32). Outputs: Y, Y_h, Y_c (any subset).
 */
export const lstmSparseF32Kernel = defineKernel({
  name: 'lstm.sparse.f32',
  summary: 'ONNX LSTM, float32, W and/or R in compressed sparse rows over the packed row order (sparse-layout.ts)',
  inputs: [8, 8],
  requiredInputs: 2,
  outputs: [0, 3],
  attrs: LSTM_SPARSE_ATTRS,
  stateful: true,
  check: (a, node) => checkSparse(a, node) ?? checkLstmNode(a, node),
  checkStream: checkLstmStream,
  prepare: (a, consts, env): SparsePrepared | undefined => {
    const [w, ptr, col, val] = [consts[1], consts[5], consts[6], consts[7]];
    return w && ptr && col && val ? prepareSparse(a, w, ptr, col, val, env) : undefined;
  },
  run: (call) => runSparse(call.attrs, call),
});

function checkSparse(a: SparseAttrs, node: StaticNodeInfo): string | undefined {
  if ((a.sparse_w !== 0 && a.sparse_w !== 1) || (a.sparse_r !== 0 && a.sparse_r !== 1)) return 'sparse_w and sparse_r must be 0 or 1';
  const c = choiceOf(a);
  if (!c.sparseW && !c.sparseR) return 'at least one of sparse_w and sparse_r must be 1 (use lstm.dense.f32 otherwise)';
  const [w, ptr, col, val] = [1, 5, 6, 7].map((i) => node.inputs[i] ?? null);
  if (!ptr || !col || !val) return 'the row pointers, column indices and values (inputs 5..7) are required';
  if (!dtypeIs(w!, 'f32') || !rankIs(w!, 2)) return 'packed weights must be a rank-2 f32 tensor';
  if (!dtypeIs(ptr, 'i32') || !rankIs(ptr, 1) || !dtypeIs(col, 'i32') || !rankIs(col, 1)) return 'row pointers and column indices must be rank-1 i32 tensors';
  if (!dtypeIs(val, 'f32') || !rankIs(val, 1)) return 'values must be a rank-1 f32 tensor';
  const D = numDirections(a);
  const s = lstmSparseSections(a.hidden_size, a.input_size, c);
  if (w!.shape && w!.shape.every((d) => typeof d === 'number') && (w!.shape[0] !== D || w!.shape[1] !== s.stride)) {
    return `packed weights must have shape [${D},${s.stride}], got [${w!.shape.join(',')}]`;
  }
  const np = D * s.segments * (4 * a.hidden_size + 1);
  if (ptr.shape && typeof ptr.shape[0] === 'number' && ptr.shape[0] !== np) return `row pointers must have shape [${np}], got [${ptr.shape.join(',')}]`;
  return undefined;
}

/** The dense part, the (column, value) pairs and the row pointers in one engine, and where each starts. */
interface SparsePrepared {
  readonly engine: MatvecEngine;
  readonly pairOff: number;
  readonly ptrOff: number;
}

function prepareSparse(a: SparseAttrs, w: RtTensor, ptr: RtTensor, col: RtTensor, val: RtTensor, env: KernelEnv): SparsePrepared {
  const D = numDirections(a);
  const H = a.hidden_size;
  const I = a.input_size;
  const c = choiceOf(a);
  const s = lstmSparseSections(H, I, c);
  if (w.data.length !== D * s.stride) rtFail('E-RT-EXEC', `packed weights have ${w.data.length} elements, expected ${D * s.stride}`);
  const p = ptr.data as Int32Array;
  const k = col.data as Int32Array;
  const v = val.data as Float32Array;
  validateLstmSparse(D, H, I, c, p, k, v.length);
  // The engine's own sparse layout (column/value pairs, offsets scaled to its addressing unit).
  const { kind, module } = resolveEngine(env.matvec);
  const pairOff = Math.ceil(w.data.length / 4) * 4;
  const ptrOff = pairOff + 2 * v.length;
  const buf = new ArrayBuffer((ptrOff + p.length) * 4);
  new Float32Array(buf).set(w.data as Float32Array);
  encodeSparsePairs(buf, kind === 'wasm-simd' ? 4 : 1, p, k, v, pairOff, ptrOff);
  const engine = createMatvecEngine(new Float32Array(buf), env.matvec, module);
  return { engine, pairOff, ptrOff };
}

function runSparse(a: SparseAttrs, call: KernelCall<SparseAttrs>) {
  const { inputs } = call;
  const prep = (call.prepared as SparsePrepared | undefined) ?? prepareSparse(a, inputs[1]!, inputs[5]!, inputs[6]!, inputs[7]!, call.env);
  const { engine: e, pairOff, ptrOff } = prep;
  const H = a.hidden_size;
  const I = a.input_size;
  const s = lstmSparseSections(H, I, choiceOf(a));
  const H4 = 4 * H;
  const Hq = Math.ceil(H / 4);
  const ws = 16 * Hq;
  return runLstmWith(a, call as unknown as KernelCall<LstmAttrs>, e, (d): LstmDirectionOps => {
    const base = d * s.stride;
    const biasOff = base + s.bias;
    let seg = ptrOff + d * s.segments * (H4 + 1);
    const wPtr = s.w < 0 ? seg : -1;
    if (s.w < 0) seg += H4 + 1;
    const rPtr = s.r < 0 ? seg : -1;
    const rOff = base + s.r;
    const project = s.w >= 0
      ? (rows: number, rowOff: (r: number) => number, xpOff: number) => projectInputs(e, rows, rowOff, base + s.w, biasOff, H, I, xpOff)
      : (rows: number, rowOff: (r: number) => number, xpOff: number, tmpOff: number) => projectSparse(e, prep, wPtr, rows, rowOff, xpOff, tmpOff, biasOff, H, I);
    return {
      biasOff,
      peepOff: base + s.peep,
      project,
      mv1: rPtr >= 0 ? (x, out) => e.spmv1(rPtr, pairOff, x, out, H4) : (x, out) => e.mv1(rOff, x, out, H, Hq, ws),
      mv2: rPtr >= 0
        ? (x0, x1, o0, o1) => e.spmv2(rPtr, pairOff, x0, x1, o0, o1, H4)
        : (x0, x1, o0, o1) => e.mv2(rOff, x0, x1, o0, o1, H, Hq, ws),
    };
  }, (rows) => (s.w < 0 && rows >= SPMM_MIN_ROWS ? (I + H4) * Math.ceil(rows / 16) * 16 : 0));
}

/** From this many input rows on, the sparse W projection runs as one transposed sparse-dense product. */
const SPMM_MIN_ROWS = 16;

/**
 * xp rows = bias + W x_r with W compressed. Many rows: X is transposed into n = 16*ceil(rows/16) columns
 * (zero padded) at tmpOff, spmmT multiplies every non-zero into 16 rows at a time, and the [4H][n]
 * result (after X^T) is transposed back into the xp rows with the bias. Few rows: spmv2/spmv1 per row pair.
 */
function projectSparse(e: MatvecEngine, prep: SparsePrepared, wPtr: number, rows: number, rowOff: (r: number) => number, xpOff: number, tmpOff: number, biasOff: number, H: number, I: number): void {
  const { pairOff } = prep;
  const H4 = 4 * H;
  const m = e.mem;
  if (rows < SPMM_MIN_ROWS) {
    for (let r = 0; r < rows; r++) m.copyWithin(xpOff + r * H4, biasOff, biasOff + H4);
    let r = 0;
    for (; r + 2 <= rows; r += 2) e.spmv2(wPtr, pairOff, rowOff(r), rowOff(r + 1), xpOff + r * H4, xpOff + (r + 1) * H4, H4);
    if (r < rows) e.spmv1(wPtr, pairOff, rowOff(r), xpOff + r * H4, H4);
    return;
  }
  const n = Math.ceil(rows / 16) * 16;
  const xT = tmpOff;
  const oT = tmpOff + I * n;
  for (let r = 0; r < rows; r++) {
    const src = rowOff(r);
    for (let k = 0, d = xT + r; k < I; k++, d += n) m[d] = m[src + k]!;
  }
  for (let k = 0; k < I; k++) m.fill(0, xT + k * n + rows, xT + (k + 1) * n);
  e.spmmT(wPtr, pairOff, xT, oT, H4, n / 16);
  for (let i = 0; i < H4; i++) {
    const b = m[biasOff + i]!;
    for (let r = 0, src = oT + i * n, d = xpOff + i; r < rows; r++, d += H4) m[d] = b + m[src + r]!;
  }
}
