import { op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * Sparse matrix-vector kernels over compressed rows (CSR, sparse-layout.ts), for `lstm.sparse.f32`:
 *
 *   spmv1(ptr, col, val, x, out, rows)                 out[r] += sum_{p in [ptr[r], ptr[r+1])} val[p] * x[col[p]]
 *   spmv2(ptr, col, val, x0, x1, out0, out1, rows)     the same for two vectors sharing every val/col load
 *
 * ptr: rows+1 i32 element indices into col/val; col: i32 element indices into x; val: f32; all pointers
 * are byte addresses in the exported memory, 4-byte aligned. The caller guarantees (by validating the
 * arrays at load) that every index stays inside the memory it owns. Accumulation is in f32 in a fixed
 * order (spmv1: four partial sums over the non-zeros of a row taken four at a time; spmv2: two per
 * vector), so results do not depend on the host.
 */

/** acc += val[p + k] * x[col[p + k]]  (p is a byte offset shared by col and val) */
const macAt = (acc: number, val: number, col: number, p: number, x: number, k: number) => [
  ...op.get(acc),
  ...op.get(val), ...op.get(p), ...op.add, ...op.f32Load(4 * k),
  ...op.get(col), ...op.get(p), ...op.add, ...op.i32Load(4 * k), ...op.i32(2), ...op.shl, ...op.get(x), ...op.add, ...op.f32Load(0),
  ...op.f32Mul, ...op.f32Add, ...op.set(acc),
];

/** out[0] += a + b */
const flush = (out: number, a: number, b: number) => [
  ...op.get(out), ...op.get(out), ...op.f32Load(0), ...op.get(a), ...op.get(b), ...op.f32Add, ...op.f32Add, ...op.f32Store(0),
];

/** Loads p = 4*ptr[0], end = 4*ptr[1], pe = p + ((end - p) & mask). */
const rowBounds = (ptr: number, p: number, end: number, pe: number, mask: number) => [
  ...op.get(ptr), ...op.i32Load(0), ...op.i32(2), ...op.shl, ...op.set(p),
  ...op.get(ptr), ...op.i32Load(4), ...op.i32(2), ...op.shl, ...op.set(end),
  ...op.get(end), ...op.get(p), ...op.sub, ...op.i32(mask), ...op.and, ...op.get(p), ...op.add, ...op.set(pe),
];

// spmv1: params 0 ptr, 1 col, 2 val, 3 x, 4 out, 5 rows; i32 6 p, 7 end, 8 pe; f32 9..12 a0..a3
// Four partial sums, so consecutive multiply-adds do not wait on each other's f32 add latency.
const spmv1: WasmFunc = {
  name: 'spmv1',
  params: 6,
  locals: [[3, T.i32], [4, T.f32]],
  body: [
    op.block, op.get(5), op.eqz, op.brIf(0),
    op.loop,
    rowBounds(0, 6, 7, 8, -16),
    ...[9, 10, 11, 12].map((l) => [...op.f32Const(0), ...op.set(l)]),
    // four non-zeros per iteration, one per partial sum
    op.block, op.get(6), op.get(8), op.geU, op.brIf(0),
    op.loop,
    macAt(9, 2, 1, 6, 3, 0), macAt(10, 2, 1, 6, 3, 1), macAt(11, 2, 1, 6, 3, 2), macAt(12, 2, 1, 6, 3, 3),
    op.get(6), op.i32(16), op.add, op.tee(6), op.get(8), op.ltU, op.brIf(0),
    op.end, op.end,
    op.block, op.get(6), op.get(7), op.geU, op.brIf(0),
    op.loop,
    macAt(9, 2, 1, 6, 3, 0),
    op.get(6), op.i32(4), op.add, op.tee(6), op.get(7), op.ltU, op.brIf(0),
    op.end, op.end,
    op.get(9), op.get(11), op.f32Add, op.set(9),
    op.get(10), op.get(12), op.f32Add, op.set(10),
    flush(4, 9, 10),
    op.get(4), op.i32(4), op.add, op.set(4),
    op.get(0), op.i32(4), op.add, op.set(0),
    op.get(5), op.i32(1), op.sub, op.tee(5), op.brIf(0),
    op.end, op.end,
  ],
};

// spmv2: params 0 ptr, 1 col, 2 val, 3 x0, 4 x1, 5 o0, 6 o1, 7 rows; i32 8 p, 9 end, 10 pe, 11 xo (4*col)
//   f32 12 a0, 13 a1, 14 b0, 15 b1, 16 v
/** v = val[p+k]; xo = 4*col[p+k]; a += v*x0[xo]; b += v*x1[xo] */
const mac2At = (a: number, b: number, k: number) => [
  ...op.get(2), ...op.get(8), ...op.add, ...op.f32Load(4 * k), ...op.set(16),
  ...op.get(1), ...op.get(8), ...op.add, ...op.i32Load(4 * k), ...op.i32(2), ...op.shl, ...op.set(11),
  ...op.get(a), ...op.get(16), ...op.get(3), ...op.get(11), ...op.add, ...op.f32Load(0), ...op.f32Mul, ...op.f32Add, ...op.set(a),
  ...op.get(b), ...op.get(16), ...op.get(4), ...op.get(11), ...op.add, ...op.f32Load(0), ...op.f32Mul, ...op.f32Add, ...op.set(b),
];
const spmv2: WasmFunc = {
  name: 'spmv2',
  params: 8,
  locals: [[4, T.i32], [5, T.f32]],
  body: [
    op.block, op.get(7), op.eqz, op.brIf(0),
    op.loop,
    rowBounds(0, 8, 9, 10, -8),
    ...[12, 13, 14, 15].map((l) => [...op.f32Const(0), ...op.set(l)]),
    op.block, op.get(8), op.get(10), op.geU, op.brIf(0),
    op.loop,
    mac2At(12, 14, 0), mac2At(13, 15, 1),
    op.get(8), op.i32(8), op.add, op.tee(8), op.get(10), op.ltU, op.brIf(0),
    op.end, op.end,
    op.block, op.get(8), op.get(9), op.geU, op.brIf(0),
    mac2At(12, 14, 0),
    op.end,
    flush(5, 12, 13),
    flush(6, 14, 15),
    op.get(5), op.i32(4), op.add, op.set(5),
    op.get(6), op.i32(4), op.add, op.set(6),
    op.get(0), op.i32(4), op.add, op.set(0),
    op.get(7), op.i32(1), op.sub, op.tee(7), op.brIf(0),
    op.end, op.end,
  ],
};

// spmmT: params 0 ptr, 1 col, 2 val, 3 xT, 4 outT, 5 rows, 6 blocks
//   i32 7 p, 8 end, 9 blk, 10 xa, 11 ob (out block address), 12 rowBytes (= 64*blocks)
//   v128 13..16 acc, 17 v
/**
 * spmmT(ptr, col, val, xT, outT, rows, blocks): a sparse matrix times many vectors at once, over
 * transposed operands: xT[k] and outT[r] are rows of n = 16*blocks floats (one float per vector), and
 *   outT[r][i] = sum over p in [ptr[r], ptr[r+1]) of val[p] * xT[col[p]][i]      (overwritten, not added)
 * Each non-zero is splat once and multiplied into 16 vectors per block (four f32x4 accumulators held in
 * registers across the row's non-zeros), so a value/index load serves 16 multiply-adds.
 */
const ACC = [13, 14, 15, 16];
const spmmT: WasmFunc = {
  name: 'spmmT',
  params: 7,
  locals: [[6, T.i32], [5, T.v128]],
  body: [
    op.get(6), op.i32(6), op.shl, op.set(12),
    op.block, op.get(5), op.eqz, op.brIf(0), op.get(6), op.eqz, op.brIf(0),
    op.loop, // rows
    op.i32(0), op.set(9),
    op.get(4), op.set(11),
    op.loop, // blocks
    ...ACC.map((a) => [...op.v128Zero, ...op.set(a)]),
    op.get(0), op.i32Load(0), op.i32(2), op.shl, op.set(7),
    op.get(0), op.i32Load(4), op.i32(2), op.shl, op.set(8),
    op.block, op.get(7), op.get(8), op.geU, op.brIf(0),
    op.loop, // non-zeros
    op.get(2), op.get(7), op.add, op.load32Splat(0), op.set(17),
    op.get(1), op.get(7), op.add, op.i32Load(0), op.get(12), op.mul, op.get(3), op.add, op.get(9), op.i32(6), op.shl, op.add, op.set(10),
    ...ACC.map((a, i) => [...op.get(a), ...op.get(10), ...op.v128Load(16 * i), ...op.get(17), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(a)]),
    op.get(7), op.i32(4), op.add, op.tee(7), op.get(8), op.ltU, op.brIf(0),
    op.end, op.end,
    ...ACC.map((a, i) => [...op.get(11), ...op.get(a), ...op.v128Store(16 * i)]),
    op.get(11), op.i32(64), op.add, op.set(11),
    op.get(9), op.i32(1), op.add, op.tee(9), op.get(6), op.ltU, op.brIf(0),
    op.end,
    op.get(4), op.get(12), op.add, op.set(4),
    op.get(0), op.i32(4), op.add, op.set(0),
    op.get(5), op.i32(1), op.sub, op.tee(5), op.brIf(0),
    op.end, op.end,
  ],
};

export const SPMV_FUNCS: readonly WasmFunc[] = [spmv1, spmv2, spmmT];
