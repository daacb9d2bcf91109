import { transposedLane, transposeHalves } from './reduce.js';
import { locals, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * Sparse matrix-vector kernels over compressed rows, for `lstm.sparse.f32`. In engine memory the
 * non-zeros are (column, value) pairs of 8 bytes: the column as a byte offset (4*k, i32), then the
 * value (f32); row pointers are byte offsets of a row's first pair from the pairs base (8*p).
 * (The file keeps the plain CSR arrays of sparse-layout.ts; the kernel converts at load.)
 *
 *   spmv1(ptr, pairs, x, out, rows)               out[r] += sum over the row's pairs of val * x[k]
 *   spmv2(ptr, pairs, x0, x1, out0, out1, rows)    the same for two vectors sharing every pair load
 *   spmmT(ptr, pairs, xT, outT, rows, blocks)      outT[r][i] = sum of val * xT[k][i], i < 16*blocks
 *   tback(outT, n, dsts, adds, H4, count)          dst_r[i] = add_r[i] + outT[i][r] (the transpose back)
 *   xpose(rows, n, Kq, xT)                         xT[k][i] = vector i's float k (spmmT's operand)
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

/** spmv1(ptr, pairs, x, out, rows): four partial sums, so consecutive multiply-adds do not wait on each other's f32 add latency. */
const spmv1: WasmFunc = (() => {
  const [PTR, PAIRS, X, OUT, ROWS] = [0, 1, 2, 3, 4];
  const L = locals(5);
  const [q, end, qe] = L.many(3, T.i32);
  const a = L.many(4, T.f32);
  return L.func('spmv1', [
    op.block, op.get(ROWS), op.eqz, op.brIf(0),
    op.loop,
    rowBounds(PTR, PAIRS, q, end, qe, -32),
    ...a.map((l) => [...op.f32Const(0), ...op.set(l)]),
    op.block, op.get(q), op.get(qe), op.geU, op.brIf(0),
    op.loop,
    ...a.map((l, k) => macAt(l, q, X, k)),
    op.get(q), op.i32(32), op.add, op.tee(q), op.get(qe), op.ltU, op.brIf(0),
    op.end, op.end,
    op.block, op.get(q), op.get(end), op.geU, op.brIf(0),
    op.loop,
    macAt(a[0]!, q, X, 0),
    op.get(q), op.i32(8), op.add, op.tee(q), op.get(end), op.ltU, op.brIf(0),
    op.end, op.end,
    op.get(a[0]!), op.get(a[2]!), op.f32Add, op.set(a[0]!),
    op.get(a[1]!), op.get(a[3]!), op.f32Add, op.set(a[1]!),
    flush(OUT, a[0]!, a[1]!),
    op.get(OUT), op.i32(4), op.add, op.set(OUT),
    op.get(PTR), op.i32(4), op.add, op.set(PTR),
    op.get(ROWS), op.i32(1), op.sub, op.tee(ROWS), op.brIf(0),
    op.end, op.end,
  ]);
})();

/** spmv2(ptr, pairs, x0, x1, o0, o1, rows): two partial sums per vector. */
const spmv2: WasmFunc = (() => {
  const [PTR, PAIRS, X0, X1, O0, O1, ROWS] = [0, 1, 2, 3, 4, 5, 6];
  const L = locals(7);
  const [q, end, qe, xo] = L.many(4, T.i32);
  const [a0, a1, b0, b1, v] = L.many(5, T.f32);
  /** v = val(q + 8k); xo = col(q + 8k); a += v*x0[xo]; b += v*x1[xo] */
  const mac2At = (a: number, b: number, k: number) => [
    ...op.get(q), ...op.f32Load(8 * k + 4), ...op.set(v),
    ...op.get(q), ...op.i32Load(8 * k), ...op.set(xo),
    ...op.get(a), ...op.get(v), ...op.get(X0), ...op.get(xo), ...op.add, ...op.f32Load(0), ...op.f32Mul, ...op.f32Add, ...op.set(a),
    ...op.get(b), ...op.get(v), ...op.get(X1), ...op.get(xo), ...op.add, ...op.f32Load(0), ...op.f32Mul, ...op.f32Add, ...op.set(b),
  ];
  return L.func('spmv2', [
    op.block, op.get(ROWS), op.eqz, op.brIf(0),
    op.loop,
    rowBounds(PTR, PAIRS, q, end, qe, -16),
    ...[a0, a1, b0, b1].map((l) => [...op.f32Const(0), ...op.set(l)]),
    op.block, op.get(q), op.get(qe), op.geU, op.brIf(0),
    op.loop,
    mac2At(a0, b0, 0), mac2At(a1, b1, 1),
    op.get(q), op.i32(16), op.add, op.tee(q), op.get(qe), op.ltU, op.brIf(0),
    op.end, op.end,
    op.block, op.get(q), op.get(end), op.geU, op.brIf(0),
    mac2At(a0, b0, 0),
    op.end,
    flush(O0, a0, a1),
    flush(O1, b0, b1),
    op.get(O0), op.i32(4), op.add, op.set(O0),
    op.get(O1), op.i32(4), op.add, op.set(O1),
    op.get(PTR), op.i32(4), op.add, op.set(PTR),
    op.get(ROWS), op.i32(1), op.sub, op.tee(ROWS), op.brIf(0),
    op.end, op.end,
  ]);
})();

/**
 * spmmT: a sparse matrix times many vectors at once, over transposed operands: xT[k] and outT[r] are
 * rows of n = 16*blocks floats (one float per vector); outT is overwritten, not added to. Each non-zero
 * is splat once and multiplied into 16 vectors per block (four f32x4 accumulators held in registers
 * across the row's non-zeros), so one pair load serves 16 multiply-adds.
 */
const spmmT: WasmFunc = (() => {
  const [PTR, PAIRS, XT, OUTT, ROWS, BLOCKS] = [0, 1, 2, 3, 4, 5];
  const L = locals(6);
  // xa: the non-zero's xT row in the block; ob: the out block's address; rowBytes = 64*blocks; colScale = 16*blocks
  const [q, end, blk, xa, ob, rowBytes, colScale] = L.many(7, T.i32);
  const acc = L.many(4, T.v128);
  const v = L.v128();
  return L.func('spmmT', [
    op.get(BLOCKS), op.i32(6), op.shl, op.set(rowBytes),
    op.get(BLOCKS), op.i32(4), op.shl, op.set(colScale),
    op.block, op.get(ROWS), op.eqz, op.brIf(0), op.get(BLOCKS), op.eqz, op.brIf(0),
    op.loop, // rows
    op.i32(0), op.set(blk),
    op.get(OUTT), op.set(ob),
    op.loop, // blocks
    ...acc.map((a) => [...op.v128Zero, ...op.set(a)]),
    op.get(PTR), op.i32Load(0), op.get(PAIRS), op.add, op.set(q),
    op.get(PTR), op.i32Load(4), op.get(PAIRS), op.add, op.set(end),
    op.block, op.get(q), op.get(end), op.geU, op.brIf(0),
    op.loop, // non-zeros
    op.get(q), op.load32Splat(4), op.set(v),
    op.get(q), op.i32Load(0), op.get(colScale), op.mul, op.get(XT), op.add, op.get(blk), op.i32(6), op.shl, op.add, op.set(xa),
    ...acc.map((a, i) => [...op.get(xa), ...op.v128Load(16 * i), ...op.get(v), ...op.mulAdd(a), ...op.set(a)]),
    op.get(q), op.i32(8), op.add, op.tee(q), op.get(end), op.ltU, op.brIf(0),
    op.end, op.end,
    ...acc.map((a, i) => [...op.get(ob), ...op.get(a), ...op.v128Store(16 * i)]),
    op.get(ob), op.i32(64), op.add, op.set(ob),
    op.get(blk), op.i32(1), op.add, op.tee(blk), op.get(BLOCKS), op.ltU, op.brIf(0),
    op.end,
    op.get(OUTT), op.get(rowBytes), op.add, op.set(OUTT),
    op.get(PTR), op.i32(4), op.add, op.set(PTR),
    op.get(ROWS), op.i32(1), op.sub, op.tee(ROWS), op.brIf(0),
    op.end, op.end,
  ]);
})();

/**
 * tback(outT, n, dsts, adds, H4, count): spmmT's transposed result back into rows: for vector r < count
 * and i < H4 (a multiple of 4), dst_r[i] = add_r[i] + outT[i][r], where dst_r and add_r are the byte
 * addresses int32 r of the lists dsts and adds (the projection's rows with the bias as the addend of
 * every row; the recurrence's rows as their own addends). outT rows are n floats apart (n a multiple of
 * 4, at least count); the lists hold 4*ceil(count/4) addresses, those from count on only read from.
 * Four vectors and four floats at a time: four loads, a 4x4 transpose in eight shuffles, four addend
 * loads and adds, four stores, those of vectors from `count` on skipped.
 */
const tback: WasmFunc = (() => {
  const [OT, N, DSTS, ADDS, H4, COUNT] = [0, 1, 2, 3, 4, 5];
  const L = locals(6);
  const [live, src, ib, end, nBytes] = L.many(5, T.i32);
  const d = L.many(4, T.i32);
  const ad = L.many(4, T.i32);
  const a = L.many(4, T.v128);
  const t = L.many(4, T.v128);
  return L.func('tback', [
    op.get(N), op.i32(2), op.shl, op.set(nBytes),
    op.get(H4), op.i32(2), op.shl, op.set(end),
    op.block, op.get(H4), op.eqz, op.brIf(0), op.get(COUNT), op.eqz, op.brIf(0),
    op.get(COUNT), op.set(live),
    op.loop, // four vectors, the first `live` of them stored
    ...[...d.map((v, k) => [v, DSTS, k] as const), ...ad.map((v, k) => [v, ADDS, k] as const)].map(([v, list, k]) => [...op.get(list), ...op.i32Load(4 * k), ...op.set(v)]),
    op.get(OT), op.set(src),
    op.i32(0), op.set(ib),
    op.loop, // four floats of each: rows i..i+3 of outT
    ...a.map((v, k) => [...op.get(src), ...op.get(nBytes), ...op.i32(k), ...op.mul, ...op.add, ...op.v128Load(0), ...op.set(v)]),
    transposeHalves(a, t),
    ...[0, 1, 2, 3].map((k) => {
      const store = [
        ...op.get(d[k]!), ...op.get(ib), ...op.add,
        ...transposedLane(t, k), ...op.get(ad[k]!), ...op.get(ib), ...op.add, ...op.v128Load(0), ...op.f32x4Add, ...op.v128Store(0),
      ];
      return k === 0 ? store : [...op.i32(k), ...op.get(live), ...op.ltU, ...op.if, ...store, ...op.end];
    }),
    op.get(src), op.get(nBytes), op.i32(2), op.shl, op.add, op.set(src),
    op.get(ib), op.i32(16), op.add, op.tee(ib), op.get(end), op.ltU, op.brIf(0),
    op.end,
    op.get(OT), op.i32(16), op.add, op.set(OT),
    op.get(DSTS), op.i32(16), op.add, op.set(DSTS),
    op.get(ADDS), op.i32(16), op.add, op.set(ADDS),
    op.i32(4), op.get(live), op.ltU, op.get(live), op.i32(4), op.sub, op.set(live), op.brIf(0), // more vectors after these four
    op.end,
    op.end,
  ]);
})();

/**
 * xpose(rows, n, Kq, xT): spmmT's operand, n vectors transposed into columns: xT[k][i] = vector i's
 * float k for k < 4*Kq, i < n (a multiple of 4), xT rows n floats apart; rows: n int32 byte addresses
 * of the vectors (each 4*Kq floats; a caller pads the list with the address of a zero vector). Four
 * vectors and four floats at a time: four loads, a 4x4 transpose in eight shuffles, four stores.
 */
const xpose: WasmFunc = (() => {
  const [ROWS, N, KQ, XT] = [0, 1, 2, 3];
  const L = locals(4);
  const [iq, kq, dst, nBytes] = L.many(4, T.i32);
  const src = L.many(4, T.i32);
  const a = L.many(4, T.v128);
  const t = L.many(4, T.v128);
  return L.func('xpose', [
    op.get(N), op.i32(2), op.shl, op.set(nBytes),
    op.block, op.get(N), op.i32(2), op.shrU, op.tee(iq), op.eqz, op.brIf(0), op.get(KQ), op.eqz, op.brIf(0),
    op.loop, // four vectors
    ...src.map((p, k) => [...op.get(ROWS), ...op.i32Load(4 * k), ...op.set(p)]),
    op.get(XT), op.set(dst),
    op.get(KQ), op.set(kq),
    op.loop, // four floats of each
    ...a.map((v, k) => [...op.get(src[k]!), ...op.v128Load(0), ...op.set(v), ...op.get(src[k]!), ...op.i32(16), ...op.add, ...op.set(src[k]!)]),
    transposeHalves(a, t),
    ...[0, 1, 2, 3].map((l) => [...op.get(dst), ...op.get(nBytes), ...op.i32(l), ...op.mul, ...op.add, ...transposedLane(t, l), ...op.v128Store(0)]),
    op.get(dst), op.get(nBytes), op.i32(2), op.shl, op.add, op.set(dst),
    op.get(kq), op.i32(1), op.sub, op.tee(kq), op.brIf(0),
    op.end,
    op.get(ROWS), op.i32(16), op.add, op.set(ROWS),
    op.get(XT), op.i32(16), op.add, op.set(XT),
    op.get(iq), op.i32(1), op.sub, op.tee(iq), op.brIf(0),
    op.end,
    op.end,
  ]);
})();

export const SPMV_FUNCS: readonly WasmFunc[] = [spmv1, spmv2, spmmT, tback, xpose];
