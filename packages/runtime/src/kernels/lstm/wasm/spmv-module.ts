import { op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * Sparse matrix-vector kernels over compressed rows, for `lstm.sparse.f32`. In engine memory the
 * non-zeros are (column, value) pairs of 8 bytes: the column as a byte offset (4*k, i32), then the
 * value (f32); row pointers are byte offsets of a row's first pair from the pairs base (8*p).
 * (The file keeps the plain CSR arrays of sparse-layout.ts; the kernel converts at load.)
 *
 *   spmv1(ptr, pairs, x, out, rows)               out[r] += sum over the row's pairs of val * x[k]
 *   spmv2(ptr, pairs, x0, x1, out0, out1, rows)    the same for two vectors sharing every pair load
 *   spmmT(ptr, pairs, xT, outT, rows, blocks)      outT[r][i] = sum of val * xT[k][i], i < 16*blocks
 *
 * All pointers are byte addresses in the exported memory; ptr holds rows+1 entries. The caller
 * guarantees (by validating the arrays at load) that every index stays inside the memory it owns.
 * Accumulation is in f32 in a fixed order (spmv1: four partial sums over the pairs of a row taken four
 * at a time; spmv2: two per vector; spmmT: one per output), so results do not depend on the host.
 */

/** acc += val(q + 8k) * x[col(q + 8k)] */
const macAt = (acc: number, q: number, x: number, k: number) => [
  ...op.get(acc),
  ...op.get(q), ...op.f32Load(8 * k + 4),
  ...op.get(q), ...op.i32Load(8 * k), ...op.get(x), ...op.add, ...op.f32Load(0),
  ...op.f32Mul, ...op.f32Add, ...op.set(acc),
];

/** out[0] += a + b */
const flush = (out: number, a: number, b: number) => [
  ...op.get(out), ...op.get(out), ...op.f32Load(0), ...op.get(a), ...op.get(b), ...op.f32Add, ...op.f32Add, ...op.f32Store(0),
];

/** q = pairs + ptr[0], end = pairs + ptr[1], qe = q + ((end - q) & mask). */
const rowBounds = (ptr: number, pairs: number, q: number, end: number, qe: number, mask: number) => [
  ...op.get(ptr), ...op.i32Load(0), ...op.get(pairs), ...op.add, ...op.set(q),
  ...op.get(ptr), ...op.i32Load(4), ...op.get(pairs), ...op.add, ...op.set(end),
  ...op.get(end), ...op.get(q), ...op.sub, ...op.i32(mask), ...op.and, ...op.get(q), ...op.add, ...op.set(qe),
];

// spmv1: params 0 ptr, 1 pairs, 2 x, 3 out, 4 rows; i32 5 q, 6 end, 7 qe; f32 8..11 a0..a3
// Four partial sums, so consecutive multiply-adds do not wait on each other's f32 add latency.
const spmv1: WasmFunc = {
  name: 'spmv1',
  params: 5,
  locals: [[3, T.i32], [4, T.f32]],
  body: [
    op.block, op.get(4), op.eqz, op.brIf(0),
    op.loop,
    rowBounds(0, 1, 5, 6, 7, -32),
    ...[8, 9, 10, 11].map((l) => [...op.f32Const(0), ...op.set(l)]),
    op.block, op.get(5), op.get(7), op.geU, op.brIf(0),
    op.loop,
    macAt(8, 5, 2, 0), macAt(9, 5, 2, 1), macAt(10, 5, 2, 2), macAt(11, 5, 2, 3),
    op.get(5), op.i32(32), op.add, op.tee(5), op.get(7), op.ltU, op.brIf(0),
    op.end, op.end,
    op.block, op.get(5), op.get(6), op.geU, op.brIf(0),
    op.loop,
    macAt(8, 5, 2, 0),
    op.get(5), op.i32(8), op.add, op.tee(5), op.get(6), op.ltU, op.brIf(0),
    op.end, op.end,
    op.get(8), op.get(10), op.f32Add, op.set(8),
    op.get(9), op.get(11), op.f32Add, op.set(9),
    flush(3, 8, 9),
    op.get(3), op.i32(4), op.add, op.set(3),
    op.get(0), op.i32(4), op.add, op.set(0),
    op.get(4), op.i32(1), op.sub, op.tee(4), op.brIf(0),
    op.end, op.end,
  ],
};

// spmv2: params 0 ptr, 1 pairs, 2 x0, 3 x1, 4 o0, 5 o1, 6 rows; i32 7 q, 8 end, 9 qe, 10 xo
//   f32 11 a0, 12 a1, 13 b0, 14 b1, 15 v
/** v = val(q + 8k); xo = col(q + 8k); a += v*x0[xo]; b += v*x1[xo] */
const mac2At = (a: number, b: number, k: number) => [
  ...op.get(7), ...op.f32Load(8 * k + 4), ...op.set(15),
  ...op.get(7), ...op.i32Load(8 * k), ...op.set(10),
  ...op.get(a), ...op.get(15), ...op.get(2), ...op.get(10), ...op.add, ...op.f32Load(0), ...op.f32Mul, ...op.f32Add, ...op.set(a),
  ...op.get(b), ...op.get(15), ...op.get(3), ...op.get(10), ...op.add, ...op.f32Load(0), ...op.f32Mul, ...op.f32Add, ...op.set(b),
];
const spmv2: WasmFunc = {
  name: 'spmv2',
  params: 7,
  locals: [[4, T.i32], [5, T.f32]],
  body: [
    op.block, op.get(6), op.eqz, op.brIf(0),
    op.loop,
    rowBounds(0, 1, 7, 8, 9, -16),
    ...[11, 12, 13, 14].map((l) => [...op.f32Const(0), ...op.set(l)]),
    op.block, op.get(7), op.get(9), op.geU, op.brIf(0),
    op.loop,
    mac2At(11, 13, 0), mac2At(12, 14, 1),
    op.get(7), op.i32(16), op.add, op.tee(7), op.get(9), op.ltU, op.brIf(0),
    op.end, op.end,
    op.block, op.get(7), op.get(8), op.geU, op.brIf(0),
    mac2At(11, 13, 0),
    op.end,
    flush(4, 11, 12),
    flush(5, 13, 14),
    op.get(4), op.i32(4), op.add, op.set(4),
    op.get(5), op.i32(4), op.add, op.set(5),
    op.get(0), op.i32(4), op.add, op.set(0),
    op.get(6), op.i32(1), op.sub, op.tee(6), op.brIf(0),
    op.end, op.end,
  ],
};

// spmmT: params 0 ptr, 1 pairs, 2 xT, 3 outT, 4 rows, 5 blocks
//   i32 6 q, 7 end, 8 blk, 9 xa, 10 ob (out block address), 11 rowBytes (= 64*blocks), 12 colScale (= 16*blocks)
//   v128 13..16 acc, 17 v
/**
 * spmmT: a sparse matrix times many vectors at once, over transposed operands: xT[k] and outT[r] are
 * rows of n = 16*blocks floats (one float per vector); outT is overwritten, not added to. Each non-zero
 * is splat once and multiplied into 16 vectors per block (four f32x4 accumulators held in registers
 * across the row's non-zeros), so one pair load serves 16 multiply-adds.
 */
const ACC = [13, 14, 15, 16];
const spmmT: WasmFunc = {
  name: 'spmmT',
  params: 6,
  locals: [[7, T.i32], [5, T.v128]],
  body: [
    op.get(5), op.i32(6), op.shl, op.set(11),
    op.get(5), op.i32(4), op.shl, op.set(12),
    op.block, op.get(4), op.eqz, op.brIf(0), op.get(5), op.eqz, op.brIf(0),
    op.loop, // rows
    op.i32(0), op.set(8),
    op.get(3), op.set(10),
    op.loop, // blocks
    ...ACC.map((a) => [...op.v128Zero, ...op.set(a)]),
    op.get(0), op.i32Load(0), op.get(1), op.add, op.set(6),
    op.get(0), op.i32Load(4), op.get(1), op.add, op.set(7),
    op.block, op.get(6), op.get(7), op.geU, op.brIf(0),
    op.loop, // non-zeros
    op.get(6), op.load32Splat(4), op.set(17),
    op.get(6), op.i32Load(0), op.get(12), op.mul, op.get(2), op.add, op.get(8), op.i32(6), op.shl, op.add, op.set(9),
    ...ACC.map((a, i) => [...op.get(9), ...op.v128Load(16 * i), ...op.get(17), ...op.mulAdd(a), ...op.set(a)]),
    op.get(6), op.i32(8), op.add, op.tee(6), op.get(7), op.ltU, op.brIf(0),
    op.end, op.end,
    ...ACC.map((a, i) => [...op.get(10), ...op.get(a), ...op.v128Store(16 * i)]),
    op.get(10), op.i32(64), op.add, op.set(10),
    op.get(8), op.i32(1), op.add, op.tee(8), op.get(5), op.ltU, op.brIf(0),
    op.end,
    op.get(3), op.get(11), op.add, op.set(3),
    op.get(0), op.i32(4), op.add, op.set(0),
    op.get(4), op.i32(1), op.sub, op.tee(4), op.brIf(0),
    op.end, op.end,
  ],
};

export const SPMV_FUNCS: readonly WasmFunc[] = [spmv1, spmv2, spmmT];
