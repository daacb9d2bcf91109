import { encodeModule, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * The WebAssembly SIMD matrix-vector kernels over the packed LSTM layout (pack.ts): for each unit j,
 * the weights of its four gates are a contiguous run of K f32x4 vectors w[j][k] = (i, o, f, c) gates,
 * so out[j] (an f32x4 of four gate sums) += sum_k w[j][k] * splat(x[k]).
 *
 * mv1(w, x, out, H, K, ws)                               one input vector; out[j] accumulates in place
 * mv4(w, x0, x1, x2, x3, out0, out1, out2, out3, H, K, ws)  four input vectors sharing every weight load
 *
 * Unit j's weights start at w + j*ws (ws = 16*K for a whole row; larger when the caller splits k into
 * blocks, passing w and x offset to the block).
 *
 * All pointers are byte addresses in the exported memory, 16-byte aligned. Accumulation is in f32
 * (four partial sums over k in mv1, combined pairwise), so results are deterministic on every host.
 */

// mv1 locals: 0 w, 1 x, 2 out, 3 H, 4 K, 5 ws | 6 j, 7 p, 8 xp, 9 xEnd4, 10 xEnd, 11 outp, 12 pj | 13..16 acc, 17 xv (v128)
const mv1: WasmFunc = {
  name: 'mv1',
  params: 6,
  locals: [[7, T.i32], [5, T.v128]],
  body: [
    op.get(1), op.get(4), op.i32(2), op.shl, op.add, op.set(10), // xEnd = x + 4K
    op.get(1), op.get(4), op.i32(-4), [0x71] /* i32.and */, op.i32(2), op.shl, op.add, op.set(9), // xEnd4 = x + 4*(K & ~3)
    op.get(0), op.set(12), // pj = w
    op.get(2), op.set(11), // outp = out
    op.i32(0), op.set(6),
    op.block, op.get(3), op.eqz, op.brIf(0),
    op.loop,
    // acc0 = out[j], acc1..3 = 0, p = start of unit j
    op.get(11), op.v128Load(), op.set(13),
    op.v128Zero, op.set(14), op.v128Zero, op.set(15), op.v128Zero, op.set(16),
    op.get(1), op.set(8),
    op.get(12), op.set(7),
    // unrolled by 4 over k: one 16-byte load of x[k..k+3], each lane broadcast by a shuffle
    op.block, op.get(8), op.get(9), op.geU, op.brIf(0),
    op.loop,
    op.get(8), op.v128Load(0), op.set(17),
    op.get(13), op.get(7), op.v128Load(0), op.get(17), op.get(17), op.splatLane(0), op.f32x4Mul, op.f32x4Add, op.set(13),
    op.get(14), op.get(7), op.v128Load(16), op.get(17), op.get(17), op.splatLane(1), op.f32x4Mul, op.f32x4Add, op.set(14),
    op.get(15), op.get(7), op.v128Load(32), op.get(17), op.get(17), op.splatLane(2), op.f32x4Mul, op.f32x4Add, op.set(15),
    op.get(16), op.get(7), op.v128Load(48), op.get(17), op.get(17), op.splatLane(3), op.f32x4Mul, op.f32x4Add, op.set(16),
    op.get(7), op.i32(64), op.add, op.set(7),
    op.get(8), op.i32(16), op.add, op.tee(8), op.get(9), op.ltU, op.brIf(0),
    op.end, op.end,
    // remainder k
    op.block, op.get(8), op.get(10), op.geU, op.brIf(0),
    op.loop,
    op.get(13), op.get(7), op.v128Load(0), op.get(8), op.load32Splat(0), op.f32x4Mul, op.f32x4Add, op.set(13),
    op.get(7), op.i32(16), op.add, op.set(7),
    op.get(8), op.i32(4), op.add, op.tee(8), op.get(10), op.ltU, op.brIf(0),
    op.end, op.end,
    // out[j] = (acc0 + acc1) + (acc2 + acc3)
    op.get(11), op.get(13), op.get(14), op.f32x4Add, op.get(15), op.get(16), op.f32x4Add, op.f32x4Add, op.v128Store(),
    op.get(11), op.i32(16), op.add, op.set(11),
    op.get(12), op.get(5), op.add, op.set(12),
    op.get(6), op.i32(1), op.add, op.tee(6), op.get(3), op.ltU, op.brIf(0),
    op.end, op.end,
  ],
};

// mv4 locals: 0 w, 1-4 x0..x3, 5-8 out0..out3, 9 H, 10 K, 11 ws | 12 j, 13 p, 14 xo, 15 xEnd, 16 jo, 17 pj | 18..21 acc, 22 wv (v128)
const mv4: WasmFunc = {
  name: 'mv4',
  params: 12,
  locals: [[6, T.i32], [5, T.v128]],
  body: [
    op.get(10), op.i32(2), op.shl, op.set(15), // xEnd = 4K (byte offset into each x)
    op.get(0), op.set(17),
    op.i32(0), op.set(16), // jo = 16*j
    op.i32(0), op.set(12),
    op.block, op.get(9), op.eqz, op.brIf(0),
    op.loop,
    op.get(5), op.get(16), op.add, op.v128Load(), op.set(18),
    op.get(6), op.get(16), op.add, op.v128Load(), op.set(19),
    op.get(7), op.get(16), op.add, op.v128Load(), op.set(20),
    op.get(8), op.get(16), op.add, op.v128Load(), op.set(21),
    op.get(17), op.set(13),
    op.i32(0), op.set(14),
    op.block, op.get(15), op.eqz, op.brIf(0),
    op.loop,
    op.get(13), op.v128Load(), op.set(22),
    op.get(18), op.get(22), op.get(1), op.get(14), op.add, op.load32Splat(), op.f32x4Mul, op.f32x4Add, op.set(18),
    op.get(19), op.get(22), op.get(2), op.get(14), op.add, op.load32Splat(), op.f32x4Mul, op.f32x4Add, op.set(19),
    op.get(20), op.get(22), op.get(3), op.get(14), op.add, op.load32Splat(), op.f32x4Mul, op.f32x4Add, op.set(20),
    op.get(21), op.get(22), op.get(4), op.get(14), op.add, op.load32Splat(), op.f32x4Mul, op.f32x4Add, op.set(21),
    op.get(13), op.i32(16), op.add, op.set(13),
    op.get(14), op.i32(4), op.add, op.tee(14), op.get(15), op.ltU, op.brIf(0),
    op.end, op.end,
    op.get(5), op.get(16), op.add, op.get(18), op.v128Store(),
    op.get(6), op.get(16), op.add, op.get(19), op.v128Store(),
    op.get(7), op.get(16), op.add, op.get(20), op.v128Store(),
    op.get(8), op.get(16), op.add, op.get(21), op.v128Store(),
    op.get(16), op.i32(16), op.add, op.set(16),
    op.get(17), op.get(11), op.add, op.set(17),
    op.get(12), op.i32(1), op.add, op.tee(12), op.get(9), op.ltU, op.brIf(0),
    op.end, op.end,
  ],
};

/** The module bytes, with `pages` 64 KiB pages of initial memory. */
export function matvecModuleBytes(pages: number): Uint8Array<ArrayBuffer> {
  return encodeModule([mv1, mv4], pages);
}
