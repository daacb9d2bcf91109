import { reduce4 } from './reduce.js';
import { op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * The int8 weight product (int8-weights.ts): weights int8 with one f32 scale per row, the vector int16
 * with one f32 scale, products accumulated exactly in int32 (i32x4.dot_i16x8_s over sign-extended
 * weights), scaled to f32 once per row:
 *
 *   mvq1(w, ws, scales, xq, Ko, out, H, sx):
 *     out[j*4 + g] += f32(sum over k < 8*Ko of w[j][k][g] * xq[k]) * scales[j*4 + g] * sx,   j < H
 *
 * Unit j's weights are Ko blocks of 32 bytes at w + j*ws, block o holding for each gate g the eight
 * int8 weights of k = 8o..8o+7 (bytes 8g..8g+7); xq: 8*Ko int16 (zero padded). The caller bounds
 * |xq| so that 127 * max|xq| * 8*Ko < 2^31 (no int32 overflow). Byte addresses, 16-byte aligned.
 */
// params: 0 w, 1 ws, 2 scales, 3 xq, 4 Ko, 5 out, 6 H (i32), 7 sx (f32)
// i32: 8 j, 9 p, 10 xp, 11 xEnd, 12 pj; v128: 13..16 a, 17 xv, 18 w01, 19 w23, 20 t0, 21 t1, 22 sxv
const A = [13, 14, 15, 16];
const dot = (a: number, w: number, half: readonly number[]) => [...op.get(a), ...op.get(w), ...half, ...op.get(17), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...op.set(a)];
export const mvq1: WasmFunc = {
  name: 'mvq1',
  params: [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f32],
  locals: [[5, T.i32], [10, T.v128]],
  body: [
    op.get(7), op.f32x4Splat, op.set(22),
    op.get(3), op.get(4), op.i32(4), op.shl, op.add, op.set(11),
    op.get(0), op.set(12),
    op.i32(0), op.set(8),
    op.block, op.get(6), op.eqz, op.brIf(0), op.get(4), op.eqz, op.brIf(0),
    op.loop,
    ...A.map((a) => [...op.v128Zero, ...op.set(a)]),
    op.get(12), op.set(9),
    op.get(3), op.set(10),
    op.loop,
    op.get(10), op.v128Load(0), op.set(17),
    op.get(9), op.v128Load(0), op.set(18),
    op.get(9), op.v128Load(16), op.set(19),
    dot(A[0]!, 18, op.i16x8ExtendLowI8x16S), dot(A[1]!, 18, op.i16x8ExtendHighI8x16S),
    dot(A[2]!, 19, op.i16x8ExtendLowI8x16S), dot(A[3]!, 19, op.i16x8ExtendHighI8x16S),
    op.get(9), op.i32(32), op.add, op.set(9),
    op.get(10), op.i32(16), op.add, op.tee(10), op.get(11), op.ltU, op.brIf(0),
    op.end,
    // out[j] += f32(sums) * scales[j] * sx
    op.get(5), op.get(5), op.v128Load(0),
    reduce4(A, 20, 21, op.i32x4Add), op.f32x4ConvertI32x4S,
    op.get(2), op.v128Load(0), op.f32x4Mul, op.get(22), op.f32x4Mul,
    op.f32x4Add, op.v128Store(0),
    op.get(5), op.i32(16), op.add, op.set(5),
    op.get(2), op.i32(16), op.add, op.set(2),
    op.get(12), op.get(1), op.add, op.set(12),
    op.get(8), op.i32(1), op.add, op.tee(8), op.get(6), op.ltU, op.brIf(0),
    op.end, op.end,
  ],
};
