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
export const mvq1: WasmFunc = (() => {
  const [W, WS, SC, XQ, KO, OUT, H, SX] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = locals([T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f32]);
  const [j, p, xp, xEnd, pj] = L.many(5, T.i32);
  const a = L.many(4, T.v128);
  const [xv, wv, t0, t1, sxv] = L.many(5, T.v128);
  /** acc += dot(w, xv) over int16 pairs, exact in int32 */
  const dot = (acc: number) => [...op.get(acc), ...op.get(wv), ...op.get(xv), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...op.set(acc)];
  return L.func('mvq1', [
    op.get(SX), op.f32x4Splat, op.set(sxv),
    op.get(XQ), op.get(KO), op.i32(4), op.shl, op.add, op.set(xEnd),
    op.get(W), op.set(pj),
    op.i32(0), op.set(j),
    op.block, op.get(H), op.eqz, op.brIf(0), op.get(KO), op.eqz, op.brIf(0),
    op.loop,
    ...a.map((v) => [...op.v128Zero, ...op.set(v)]),
    op.get(pj), op.set(p),
    op.get(XQ), op.set(xp),
    op.loop,
    op.get(xp), op.v128Load(0), op.set(xv),
    // gate g's eight weights: one i16x8.load8x8_s (load and sign extension in one instruction)
    ...a.map((v, g) => [...op.get(p), ...op.i16x8Load8x8S(8 * g), ...op.set(wv), ...dot(v)]),
    op.get(p), op.i32(32), op.add, op.set(p),
    op.get(xp), op.i32(16), op.add, op.tee(xp), op.get(xEnd), op.ltU, op.brIf(0),
    op.end,
    finishUnit(a, OUT, SC, sxv, t0, t1),
    op.get(SC), op.i32(16), op.add, op.set(SC),
    op.get(pj), op.get(WS), op.add, op.set(pj),
    op.get(j), op.i32(1), op.add, op.tee(j), op.get(H), op.ltU, op.brIf(0),
    op.end, op.end,
  ]);
})();

/**
 * mvq2(w, ws, scales, xq0, xq1, Ko, out0, out1, H, sx0, sx1): mvq1 for two vectors sharing every
 * weight load (each gate's eight weights loaded and sign-extended once by i16x8.load8x8_s, then
 * multiplied into both vectors): out_v[j*4 + g] += f32(sum_k w[j][k][g] * xq_v[k]) * scales[j*4 + g] * sx_v.
 * The same exact int32 sums as mvq1, so the same results bit for bit.
 */
export const mvq2: WasmFunc = (() => {
  const [W, WS, SC, X0, X1, KO, O0, O1, H, S0, S1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const L = locals([T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f32, T.f32]);
  const j = L.i32();
  const p = L.i32();
  const xo = L.i32(); // byte offset into both xq vectors
  const xEnd = L.i32();
  const pj = L.i32();
  const a = [0, 1, 2, 3].map(() => L.v128());
  const b = [0, 1, 2, 3].map(() => L.v128());
  const [x0, x1, wv, t0, t1, s0, s1] = [0, 1, 2, 3, 4, 5, 6].map(() => L.v128());
  return L.func('mvq2', [
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
  ]);
})();
