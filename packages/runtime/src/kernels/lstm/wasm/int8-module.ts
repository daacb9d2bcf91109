import { reduce4 } from './reduce.js';
import { locals, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * The int8 weight product (int8-weights.ts): weights int8 with one f32 scale per row, the vector int16
 * with one f32 scale, products accumulated exactly in int32 (i32x4.dot_i16x8_s over weights
 * sign-extended by i16x8.load8x8_s), scaled to f32 once per row:
 *
 *   mvq1(w, ws, scales, xq, Ko, out, H, sx):
 *     out[j*4 + g] += f32(sum over k < 8*Ko of w[j][k][g] * xq[k]) * scales[j*4 + g] * sx,   j < H
 *
 * Unit j's weights are Ko blocks of 32 bytes at w + j*ws, block o holding for each gate g the eight
 * int8 weights of k = 8o..8o+7 (bytes 8g..8g+7); xq: 8*Ko int16 (zero padded). The caller bounds
 * |xq| so that 127 * max|xq| * 8*Ko < 2^31 (no int32 overflow). Byte addresses, 16-byte aligned.
 */
// params: 0 w, 1 ws, 2 scales, 3 xq, 4 Ko, 5 out, 6 H (i32), 7 sx (f32)
// i32: 8 j, 9 p, 10 xp, 11 xEnd, 12 pj; v128: 13..16 a, 17 xv, 18 w (a gate's weights), 19 spare, 20 t0, 21 t1, 22 sxv
const A = [13, 14, 15, 16];

/**
 * A unit's outputs: out (f32x4 of its four gates at local `out`) += f32(lane sums of the four int32
 * accumulators acc) * scales (f32x4 at local `scales`) * sxv (splatted local); then out moves on 16 bytes.
 * t0, t1: v128 scratch locals.
 */
const finishUnit = (acc: readonly number[], out: number, scales: number, sxv: number, t0: number, t1: number) => [
  ...op.get(out), ...op.get(out), ...op.v128Load(0),
  ...reduce4(acc, t0, t1, op.i32x4Add), ...op.f32x4ConvertI32x4S,
  ...op.get(scales), ...op.v128Load(0), ...op.f32x4Mul, ...op.get(sxv), ...op.f32x4Mul,
  ...op.f32x4Add, ...op.v128Store(0),
  ...op.get(out), ...op.i32(16), ...op.add, ...op.set(out),
];
const dot = (a: number, w: number) => [...op.get(a), ...op.get(w), ...op.get(17), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...op.set(a)];
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
    // gate g's eight weights: one i16x8.load8x8_s (load and sign extension in one instruction)
    ...A.map((a, g) => [...op.get(9), ...op.i16x8Load8x8S(8 * g), ...op.set(18), ...dot(a, 18)]),
    op.get(9), op.i32(32), op.add, op.set(9),
    op.get(10), op.i32(16), op.add, op.tee(10), op.get(11), op.ltU, op.brIf(0),
    op.end,
    finishUnit(A, 5, 2, 22, 20, 21),
    op.get(2), op.i32(16), op.add, op.set(2),
    op.get(12), op.get(1), op.add, op.set(12),
    op.get(8), op.i32(1), op.add, op.tee(8), op.get(6), op.ltU, op.brIf(0),
    op.end, op.end,
  ],
};

/**
 * mvq2(w, ws, scales, xq0, xq1, Ko, out0, out1, H, sx0, sx1): mvq1 for two vectors sharing every
 * weight load (each gate's eight weights loaded and sign-extended once by i16x8.load8x8_s, then
 * multiplied into both vectors): out_v[j*4 + g] += f32(sum_k w[j][k][g] * xq_v[k]) * scales[j*4 + g] * sx_v.
 * The same exact int32 sums as mvq1, so the same results bit for bit.
 */
export const mvq2: WasmFunc = (() => {
  const [W, WS, SC, X0, X1, KO, O0, O1, H, S0, S1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const L = locals(11);
  const j = L.i32();
  const p = L.i32();
  const xo = L.i32(); // byte offset into both xq vectors
  const xEnd = L.i32();
  const pj = L.i32();
  const a = [0, 1, 2, 3].map(() => L.v128());
  const b = [0, 1, 2, 3].map(() => L.v128());
  const [x0, x1, wv, t0, t1, s0, s1] = [0, 1, 2, 3, 4, 5, 6].map(() => L.v128());
  return {
    name: 'mvq2',
    params: [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f32, T.f32],
    locals: L.decl(),
    body: [
      op.get(S0), op.f32x4Splat, op.set(s0),
      op.get(S1), op.f32x4Splat, op.set(s1),
      op.get(KO), op.i32(4), op.shl, op.set(xEnd),
      op.get(W), op.set(pj),
      op.i32(0), op.set(j),
      op.block, op.get(H), op.eqz, op.brIf(0), op.get(KO), op.eqz, op.brIf(0),
      op.loop,
      ...[...a, ...b].map((v) => [...op.v128Zero, ...op.set(v)]),
      op.get(pj), op.set(p),
      op.i32(0), op.set(xo),
      op.loop,
      op.get(X0), op.get(xo), op.add, op.v128Load(0), op.set(x0),
      op.get(X1), op.get(xo), op.add, op.v128Load(0), op.set(x1),
      ...[0, 1, 2, 3].map((g) => [
        ...op.get(p), ...op.i16x8Load8x8S(8 * g), ...op.set(wv),
        ...op.get(a[g]!), ...op.get(wv), ...op.get(x0), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...op.set(a[g]!),
        ...op.get(b[g]!), ...op.get(wv), ...op.get(x1), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...op.set(b[g]!),
      ]),
      op.get(p), op.i32(32), op.add, op.set(p),
      op.get(xo), op.i32(16), op.add, op.tee(xo), op.get(xEnd), op.ltU, op.brIf(0),
      op.end,
      finishUnit(a, O0, SC, s0, t0, t1),
      finishUnit(b, O1, SC, s1, t0, t1),
      op.get(SC), op.i32(16), op.add, op.set(SC),
      op.get(pj), op.get(WS), op.add, op.set(pj),
      op.get(j), op.i32(1), op.add, op.tee(j), op.get(H), op.ltU, op.brIf(0),
      op.end, op.end,
    ],
  };
})();
