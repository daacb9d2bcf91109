import { arrayOf } from '@lstmc/ops';
import { rtFail } from '../../errors.js';
import type { RtTensor } from '../../tensor.js';
import { defineKernel, type KernelCall, type KernelEnv, type StaticNodeInfo } from '../kernel.js';
import { dtypeIs, rankIs } from '../shape-util.js';
import { anyNonZero, checkLstmNode, checkLstmStream, int8Matrices, LSTM_ATTRS, numDirections, runLstmWith, type LstmAttrs, type LstmDirectionOps } from './lstm-core.js';
import { createMatvecEngine, encodeSparsePairs, resolveEngine, type MatvecEngine } from './matvec-engine.js';
import { encodeGroups, encodeWideGroups, groupEntries, groupsEnd, placeGroups, placeWideGroups, wideEnd, type GroupSparse, type WideGroupSparse } from './group-sparse.js';
import { csrProduct, denseProduct, groupProduct, projectRows, wideGroupProduct, type GroupPlacement, type RowProduct, type WidePlacement } from './row-products.js';
import { int8Product, quantizeSection, type Int8Matrix } from './int8-weights.js';
import { int8SparseProduct, quantizeGroups, quantizeRows, quantizeWideGroups, type Int8Sparse } from './int8-sparse.js';
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
 * non-zeros only. At load each compressed matrix whose zero pattern has row-group structure (few
 * entries in the layout of group-sparse.ts, e.g. after 4x1 block pruning) is re-encoded in row groups
 * and runs on the SIMD group kernels (gsp1/2/4); the others run on scalar CSR (spmv1/spmv2).
 * Inputs: X, packed dense part [D, stride], sequence_lens, initial_h, initial_c, row pointers (i32),
 * column indices (i32), values (f32). Outputs: Y, Y_h, Y_c (any subset).
 */
export const lstmSparseF32Kernel = defineKernel({
  name: 'lstm.sparse.f32',
  inputs: [8, 8],
  requiredInputs: 2,
  outputs: [0, 3],
  attrs: LSTM_SPARSE_ATTRS,
  stateful: true,
  check: (a, node) => checkSparse(a, node) ?? checkLstmNode(a, node),
  checkStream: (a, node) => checkLstmStream(a, node.inputs[2]),
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

/**
 * A matrix is re-encoded in row groups when its group layout has at most this many entries per
 * non-zero (an entry costs about what one CSR non-zero does and serves four rows; 4x1 block-pruned
 * matrices have 0.25, unstructured 90%-sparse ones about 0.86).
 */
export const GROUP_MAX_ENTRIES_PER_NNZ = 0.5;

/** Whether the CSR segment whose row pointers start at ptr[base] (4H rows, K columns) runs in row groups. */
export function rowGroupsPay(ptr: ArrayLike<number>, col: ArrayLike<number>, base: number, H: number, K: number): boolean {
  const nnz = ptr[base + 4 * H]! - ptr[base]!;
  return nnz > 0 && groupEntries(ptr, col, base, H, K) <= GROUP_MAX_ENTRIES_PER_NNZ * nnz;
}

/** The dense part, the (column, value) pairs, the row pointers and the row groups in one engine, and where each starts. */
interface SparsePrepared {
  readonly engine: MatvecEngine;
  readonly pairOff: number;
  readonly ptrOff: number;
  /** Per sparse segment (order of sparse-layout.ts): its row-group placement (wide or four-unit), or null to run it as CSR. */
  readonly groups: readonly (GroupPlacement | WidePlacement | null)[];
  /** Per direction, the int8 copies of W and R (int8_w / int8_r or lstmWeights: 'int8'; null: f32). */
  readonly int8: readonly { readonly w: Int8Matrix | Int8Sparse | null; readonly r: Int8Matrix | Int8Sparse | null }[];
  /** Per direction, whether its peepholes hold a non-zero (looked at once, here). */
  readonly peepholes: readonly boolean[];
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
  const q8 = int8Matrices(a, env);
  // Segments whose row groups pay, encoded (K of segment i is I for a sparse W, first of its direction,
  // else H): in wide groups where 16 units of a gate share their columns, else in four-unit groups. The
  // int8 copy of a matrix is made from the same layout.
  const encoded = Array.from({ length: D * s.segments }, (_x, i): { wide: WideGroupSparse | null; narrow: GroupSparse | null } | null => {
    const K = c.sparseW && i % s.segments === 0 ? I : H;
    const base = i * (4 * H + 1);
    if (!rowGroupsPay(p, k, base, H, K)) return null;
    const wide = encodeWideGroups(p, k, v, base, H, K);
    return { wide, narrow: wide ? null : encodeGroups(p, k, v, base, H, K) };
  });
  // The engine's own sparse layout (column/value pairs, offsets scaled to its addressing unit), then the f32 groups.
  const { kind, module } = resolveEngine(env.matvec);
  const unit = kind === 'wasm-simd' ? 4 : 1;
  const pairOff = Math.ceil(w.data.length / 4) * 4;
  const ptrOff = pairOff + 2 * v.length;
  const starts: number[] = [];
  const end = encoded.reduce((at, g) => (starts.push(at), g?.wide ? wideEnd(g.wide, at) : g?.narrow ? groupsEnd(g.narrow, at) : at), ptrOff + p.length);
  const buf = new ArrayBuffer(end * 4);
  const f = new Float32Array(buf);
  const n = new Int32Array(buf);
  f.set(w.data as Float32Array);
  encodeSparsePairs(buf, unit, p, k, v, pairOff, ptrOff);
  const at = encoded.map((g, i) => (g?.wide ? placeWideGroups(f, n, g.wide, starts[i]!, unit) : g?.narrow ? placeGroups(f, n, g.narrow, starts[i]!, unit) : null));
  const engine = createMatvecEngine(f, env.matvec, module, env.threads);
  // int8 copies: a dense section through int8-weights.ts, a sparse one in its row groups or rows.
  const int8 = Array.from({ length: D }, (_x, d) => {
    const wSeg = d * s.segments;
    const rSeg = wSeg + (s.w < 0 ? 1 : 0);
    // The load option's blanket int8 leaves compressed rows in f32: their int8 kernel (spq1) is slower
    // than f32 CSR (cpu-kernel-costs.ts: 0.45 against 0.31 ns per non-zero, and an f32 W is projected
    // for 16 rows at a time by spmmT), so only a node's own int8_w / int8_r asks for it.
    const quant = (off: number, seg: number, K: number, asked: boolean) => {
      if (off >= 0) return quantizeSection(engine, d * s.stride + off, H, K);
      const g = encoded[seg];
      if (g?.wide) return quantizeWideGroups(engine, g.wide, K);
      if (g?.narrow) return quantizeGroups(engine, g.narrow, H, K);
      return asked ? quantizeRows(engine, p, k, v, seg * (4 * H + 1), H, K) : null;
    };
    return { w: q8.W ? quant(s.w, wSeg, I, a.int8_w === 1) : null, r: q8.R ? quant(s.r, rSeg, H, a.int8_r === 1) : null };
  });
  const peepholes = arrayOf(D, (d) => anyNonZero(engine.mem, d * s.stride + s.peep, 4 * H));
  return { engine, pairOff, ptrOff, groups: at, int8, peepholes };
}

function runSparse(a: SparseAttrs, call: KernelCall<SparseAttrs>) {
  const { inputs } = call;
  const prep = (call.prepared as SparsePrepared | undefined) ?? prepareSparse(a, inputs[1]!, inputs[5]!, inputs[6]!, inputs[7]!, call.env);
  const { engine: e, pairOff, ptrOff } = prep;
  const H = a.hidden_size;
  const I = a.input_size;
  const s = lstmSparseSections(H, I, choiceOf(a));
  const H4 = 4 * H;
  // Some direction's W or R runs on CSR (and its projection or recurrence wants transposed scratch).
  const csrW = s.w < 0 && prep.groups.some((g, i) => i % s.segments === 0 && !g && !prep.int8[i / s.segments]!.w);
  return runLstmWith(a, call as unknown as KernelCall<LstmAttrs>, e, (d, tmpOff): LstmDirectionOps => {
    const base = d * s.stride;
    const biasOff = base + s.bias;
    let seg = d * s.segments;
    const wSeg = s.w < 0 ? seg++ : -1;
    const rSeg = s.r < 0 ? seg : -1;
    const wGroups = wSeg >= 0 ? prep.groups[wSeg] : null;
    const rGroups = rSeg >= 0 ? prep.groups[rSeg] : null;
    const { w: w8, r: r8 } = prep.int8[d]!;
    const wx = w8 ? int8Of(e, w8, H) : s.w >= 0 ? denseProduct(e, base + s.w, H, I) : wGroups ? groupsOf(e, wGroups, H) : null;
    const project = wx
      ? (rows: number, rowOff: (r: number) => number, xpOff: number) => projectRows(e, wx, rows, rowOff, biasOff, H, xpOff)
      : (rows: number, rowOff: (r: number) => number, xpOff: number, tmpOff: number) => projectSparse(e, prep, ptrOff + wSeg * (H4 + 1), rows, rowOff, xpOff, tmpOff, biasOff, H, I);
    return {
      biasOff,
      peepOff: base + s.peep,
      peepholes: prep.peepholes[d]!,
      project,
      recur: r8 ? int8Of(e, r8, H) : s.r >= 0 ? denseProduct(e, base + s.r, H, H) : rGroups ? groupsOf(e, rGroups, H) : csrRecurrence(e, ptrOff + rSeg * (H4 + 1), pairOff, H, tmpOff),
    };
    // Scratch for the transposed products: a compressed W's projection of the rows, then (while the
    // projection is done) a compressed R's recurrence over the batch entries.
  }, (rows, B) => Math.max(csrW && rows >= SPMM_MIN_ROWS ? transposedScratch(I, H4, rows) : 0, s.r < 0 && B >= SPMM_MIN_VECTORS ? transposedScratch(H, H4, B) : 0));
}

/** From this many batch entries on, a compressed R multiplies a step's h vectors as one transposed product. */
const SPMM_MIN_VECTORS = 5;

/**
 * R h for a compressed R (rows 4H in the packed order, pointers at rPtr): few vectors, spmv2/spmv1 per
 * vector pair (csrProduct); from SPMM_MIN_VECTORS on, the step's h vectors are transposed into
 * n = 16*ceil(count/16) columns (zero padded) at tmpOff, spmmT multiplies each non-zero into 16 of
 * them at a time, and the [4H][n] result is added back into each entry's row: one pass over R per
 * step instead of one per vector pair.
 */
function csrRecurrence(e: MatvecEngine, rPtr: number, pairOff: number, H: number, tmpOff: number): RowProduct {
  const H4 = 4 * H;
  const pairs = csrProduct(e, rPtr, pairOff, H4);
  return (count, xs, outs) => {
    if (count < SPMM_MIN_VECTORS) return pairs(count, xs, outs);
    const rowOf = (i: number) => outs[i]!;
    transposedProduct(e, rPtr, pairOff, H4, H, count, (i) => xs[i]!, rowOf, rowOf, tmpOff);
  };
}

/** Floats of scratch transposedProduct takes for `count` vectors of K floats and `rows` rows. */
const transposedScratch = (K: number, rows: number, count: number): number => {
  const K4 = Math.ceil(K / 4) * 4;
  const n = Math.ceil(count / 16) * 16;
  return (K4 + rows) * n + K4 + 3 * n;
};

/**
 * The transposed sparse-dense product both compressed-row paths share, for `count` vectors (K floats at
 * vecOff(i), zero padded to a multiple of 4): they are transposed (xpose) into n = 16*ceil(count/16)
 * columns at tmpOff, the columns from count on from a zero vector; spmmT multiplies every non-zero of
 * the `rows` rows into 16 of them at a time; tback writes row i of the result plus the `rows` floats at
 * addOf(i) to dstOf(i). Scratch: transposedScratch(K, rows, count) floats at tmpOff.
 */
function transposedProduct(e: MatvecEngine, ptr: number, pairOff: number, rows: number, K: number, count: number, vecOff: (i: number) => number, dstOf: (i: number) => number, addOf: (i: number) => number, tmpOff: number): void {
  const Kq = Math.ceil(K / 4);
  const n = Math.ceil(count / 16) * 16;
  const oT = tmpOff + 4 * Kq * n;
  const zero = oT + rows * n;
  const lists = zero + 4 * Kq; // the vectors', the destinations' and the addends' addresses
  e.mem.fill(0, zero, lists);
  const ints = e.ints();
  const unit = e.sparseUnit;
  // past count: the zero vector (xpose reads it), oT (tback only reads the addends there, rows*n >= rows floats)
  for (let i = 0, at = lists; i < n; i++, at++) {
    const live = i < count;
    ints[at] = (live ? vecOff(i) : zero) * unit;
    ints[at + n] = (live ? dstOf(i) : oT) * unit;
    ints[at + 2 * n] = (live ? addOf(i) : oT) * unit;
  }
  e.xpose(lists, n, Kq, tmpOff);
  e.parallel(() => e.spmmT(ptr, pairOff, tmpOff, oT, rows, n / 16));
  e.tback(oT, n, lists + n, lists + 2 * n, rows, count);
}

/** The RowProduct of a row-group placement, wide or four-unit. */
const groupsOf = (e: MatvecEngine, g: GroupPlacement | WidePlacement, H: number): RowProduct => ('blocks' in g ? wideGroupProduct(e, g, H) : groupProduct(e, g, H));

/** The RowProduct of an int8 copy: dense (int8-weights.ts) or sparse (int8-sparse.ts). */
const int8Of = (e: MatvecEngine, q: Int8Matrix | Int8Sparse, H: number): RowProduct => ('kind' in q ? int8SparseProduct(e, q, H) : int8Product(e, q, H));

/** From this many input rows on, the sparse W projection runs as one transposed sparse-dense product. */
const SPMM_MIN_ROWS = 4;

/**
 * xp rows = bias + W x_r with W compressed. Many rows: X is transposed into n = 16*ceil(rows/16) columns
 * (zero padded) at tmpOff, spmmT multiplies every non-zero into 16 rows at a time, and the [4H][n]
 * result (after X^T) is transposed back into the xp rows with the bias. Few rows: spmv2/spmv1 per row pair.
 */
function projectSparse(e: MatvecEngine, prep: SparsePrepared, wPtr: number, rows: number, rowOff: (r: number) => number, xpOff: number, tmpOff: number, biasOff: number, H: number, I: number): void {
  const { pairOff } = prep;
  const H4 = 4 * H;
  if (rows < SPMM_MIN_ROWS) return projectRows(e, csrProduct(e, wPtr, pairOff, H4), rows, rowOff, biasOff, H, xpOff);
  transposedProduct(e, wPtr, pairOff, H4, I, rows, rowOff, (r) => xpOff + r * H4, () => biasOff, tmpOff);
}
