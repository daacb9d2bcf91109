import { cell4 } from './cell-module.js';
import { zcols } from './column-module.js';
import { mvq1, mvq2 } from './int8-module.js';
import { reduce4 } from './reduce.js';
import { GROUP_SPMV_FUNCS } from './group-spmv-module.js';
import { SPMV_FUNCS } from './spmv-module.js';
import { INT8_SPARSE_FUNCS } from './int8-sparse-module.js';
import { encodeModuleSites, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * The WebAssembly SIMD matrix-vector kernels over the packed LSTM layout (pack.ts). Unit j's weights
 * are a run of Kq blocks of 16 floats, block q holding, for each gate g = 0..3, the four weights of
 * k = 4q..4q+3 (a "k-quad"); x is read four floats at a time. With 16-byte lanes in f32x4:
 *
 *   out[j] (f32x4 of the four gates) += ( sum_q dot(w[j][q][g], x[4q..4q+3]) )_g
 *
 * mv1(w, x, out, H, Kq, ws)                  one input vector
 * mv2(w, x0, x1, out0, out1, H, Kq, ws)      two input vectors sharing every weight load
 *
 * Unit j's weights start at w + j*ws (ws = 64*Kq bytes for a whole row; larger when the caller splits
 * the quads into blocks and offsets w and x to the block). All pointers are byte addresses in the
 * exported memory, 16-byte aligned; x must be readable (and finite) up to 4*Kq floats.
 * Accumulation is in f32 in a fixed order (per gate: lane-wise partial sums over the quads, in mv1 two
 * quads added per step, then a fixed pairwise reduction of the lanes), so results are identical on every host.
 */

/** acc += v128.load(ptr + offset) * vec */
const mac = (acc: number, ptr: number, offset: number, vec: number) => [
  ...op.get(ptr), ...op.v128Load(offset), ...op.get(vec), ...op.mulAdd(acc), ...op.set(acc),
];


const GATES = [0, 1, 2, 3] as const;

// mv1: params 0 w, 1 x, 2 out, 3 H, 4 Kq, 5 ws
//   i32: 6 j, 7 p, 8 xp, 9 xEnd2, 10 xEnd, 11 outp, 12 pj
//   v128: 13..16 a (per gate), 17 xv0, 18 xv1, 19 t0, 20 t1
// Two quads per iteration with one accumulator per gate (the two products are added first): V8 keeps
// everything in the 16 xmm registers this way; eight accumulators spilled and ran ~20% slower.
const mv1A = [13, 14, 15, 16];
const mv1: WasmFunc = {
  name: 'mv1',
  params: 6,
  locals: [[7, T.i32], [8, T.v128]],
  body: [
    op.get(1), op.get(4), op.i32(4), op.shl, op.add, op.set(10), // xEnd = x + 16*Kq
    op.get(1), op.get(4), op.i32(-2), op.and, op.i32(4), op.shl, op.add, op.set(9), // xEnd2 = x + 16*(Kq & ~1)
    op.get(0), op.set(12),
    op.get(2), op.set(11),
    op.i32(0), op.set(6),
    op.block, op.get(3), op.eqz, op.brIf(0),
    op.loop,
    ...mv1A.map((a) => [...op.v128Zero, ...op.set(a)]),
    op.get(1), op.set(8),
    op.get(12), op.set(7),
    op.block, op.get(8), op.get(9), op.geU, op.brIf(0),
    op.loop,
    op.get(8), op.v128Load(0), op.set(17),
    op.get(8), op.v128Load(16), op.set(18),
    // acc_g += w[q][g]*x[q] + w[q+1][g]*x[q+1]: one dependent add per gate and iteration
    // (w[q+1][g]*x[q+1] + t0, a multiply-add site, with t0 = w[q][g]*x[q]: the same sum as t0 + t1)
    ...GATES.map((g) => [
      ...op.get(7), ...op.v128Load(16 * g), ...op.get(17), ...op.f32x4Mul, ...op.set(19),
      ...op.get(mv1A[g]!),
      ...op.get(7), ...op.v128Load(64 + 16 * g), ...op.get(18), ...op.mulAdd(19),
      ...op.f32x4Add, ...op.set(mv1A[g]!),
    ]),
    op.get(7), op.i32(128), op.add, op.set(7),
    op.get(8), op.i32(32), op.add, op.tee(8), op.get(9), op.ltU, op.brIf(0),
    op.end, op.end,
    // odd Kq: the last quad
    op.block, op.get(8), op.get(10), op.geU, op.brIf(0),
    op.get(8), op.v128Load(0), op.set(17),
    ...GATES.map((g) => mac(mv1A[g]!, 7, 16 * g, 17)),
    op.end,
    op.get(11), op.get(11), op.v128Load(0), reduce4(mv1A, 19, 20), op.f32x4Add, op.v128Store(0),
    op.get(11), op.i32(16), op.add, op.set(11),
    op.get(12), op.get(5), op.add, op.set(12),
    op.get(6), op.i32(1), op.add, op.tee(6), op.get(3), op.ltU, op.brIf(0),
    op.end, op.end,
  ],
};

// mv2: params 0 w, 1 x0, 2 x1, 3 o0, 4 o1, 5 H, 6 Kq, 7 ws
//   i32: 8 j, 9 p, 10 xo, 11 xEnd, 12 jo, 13 pj
//   v128: 14..17 a (row 0), 18..21 b (row 1), 22 xv0, 23 xv1, 24 wv, 25 t0, 26 t1
const mv2A = [14, 15, 16, 17];
const mv2B = [18, 19, 20, 21];
const mv2: WasmFunc = {
  name: 'mv2',
  params: 8,
  locals: [[6, T.i32], [13, T.v128]],
  body: [
    op.get(6), op.i32(4), op.shl, op.set(11), // xEnd = 16*Kq (byte offset into each x)
    op.get(0), op.set(13),
    op.i32(0), op.set(12),
    op.i32(0), op.set(8),
    op.block, op.get(5), op.eqz, op.brIf(0),
    op.loop,
    ...[...mv2A, ...mv2B].map((a) => [...op.v128Zero, ...op.set(a)]),
    op.get(13), op.set(9),
    op.i32(0), op.set(10),
    op.block, op.get(11), op.eqz, op.brIf(0),
    op.loop,
    op.get(1), op.get(10), op.add, op.v128Load(0), op.set(22),
    op.get(2), op.get(10), op.add, op.v128Load(0), op.set(23),
    ...GATES.flatMap((g) => [
      [...op.get(9), ...op.v128Load(16 * g), ...op.set(24)],
      [...op.get(24), ...op.get(22), ...op.mulAdd(mv2A[g]!), ...op.set(mv2A[g]!)],
      [...op.get(24), ...op.get(23), ...op.mulAdd(mv2B[g]!), ...op.set(mv2B[g]!)],
    ]),
    op.get(9), op.i32(64), op.add, op.set(9),
    op.get(10), op.i32(16), op.add, op.tee(10), op.get(11), op.ltU, op.brIf(0),
    op.end, op.end,
    op.get(3), op.get(12), op.add, op.get(3), op.get(12), op.add, op.v128Load(0), reduce4(mv2A, 25, 26), op.f32x4Add, op.v128Store(0),
    op.get(4), op.get(12), op.add, op.get(4), op.get(12), op.add, op.v128Load(0), reduce4(mv2B, 25, 26), op.f32x4Add, op.v128Store(0),
    op.get(12), op.i32(16), op.add, op.set(12),
    op.get(13), op.get(7), op.add, op.set(13),
    op.get(8), op.i32(1), op.add, op.tee(8), op.get(5), op.ltU, op.brIf(0),
    op.end, op.end,
  ],
};

/**
 * The module bytes (mv1, mv2, cell4 of cell-module.ts, spmv1, spmv2 and spmmT of spmv-module.ts,
 * gsp1, gsp2, gsp4, gsw1 and gsw2 of group-spmv-module.ts, zcols of column-module.ts, mvq1 and mvq2 of int8-module.ts), with
 * `pages` 64 KiB pages of initial memory; with `sharedMax`, over an imported shared memory of at most
 * that many pages (encodeModule).
 */
export function matvecModuleBytes(pages: number, sharedMax?: number): Uint8Array<ArrayBuffer> {
  return matvecModuleSites(pages, sharedMax).bytes;
}

/** matvecModuleBytes, and the offsets of its multiply-add sites (wasm-encoder.ts encodeModuleSites). */
export function matvecModuleSites(pages: number, sharedMax?: number): { bytes: Uint8Array<ArrayBuffer>; fmaSites: number[] } {
  return encodeModuleSites([mv1, mv2, cell4, ...SPMV_FUNCS, ...GROUP_SPMV_FUNCS, zcols, mvq1, mvq2, ...INT8_SPARSE_FUNCS], pages, sharedMax);
}
