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

/**
 * qvec(x, K, xq, xmax) -> f32: the vector quantizer of the int8 products (int8-weights.ts). The K
 * floats at x become int16 at xq (K entries, what follows them untouched): with m = max |x[k]|,
 * xq[k] = nearest(x[k] * f32(xmax / m)) (ties to even, saturating), and the result is the scale
 * m / xmax; 0 for an all-zero vector, whose xq is left as it was. A NaN input gives a NaN scale (and
 * zeros in xq), so the outputs it reaches are NaN. Byte addresses; no alignment needed.
 */
export const qvec: WasmFunc = (() => {
  const [X, K, XQ, XMAX] = [0, 1, 2, 3];
  const L = locals([T.i32, T.i32, T.i32, T.f32]);
  const [k, e] = L.many(2, T.i32);
  const [mx, iv] = L.many(2, T.v128);
  const [m, inv] = L.many(2, T.f32);
  /** while k < e (bytes of x): body, then k += step */
  const loop = (step: number, body: number[][]) => [
    op.block, op.get(k), op.get(e), op.geU, op.brIf(0),
    op.loop, ...body, op.get(k), op.i32(step), op.add, op.tee(k), op.get(e), op.ltU, op.brIf(0), op.end,
    op.end,
  ];
  /** the rounded int32 lanes of x[k/4 + 4o .. + 3] * inv */
  const lanes = (o: number) => [op.get(X), op.get(k), op.add, op.v128Load(16 * o), op.get(iv), op.f32x4Mul, op.f32x4Nearest, op.i32x4TruncSatF32x4S];
  return L.func('qvec', [
    op.v128Zero, op.set(mx),
    op.i32(0), op.set(k),
    op.get(K), op.i32(-4), op.and, op.i32(2), op.shl, op.set(e),
    ...loop(16, [op.get(mx), op.get(X), op.get(k), op.add, op.v128Load(0), op.f32x4Abs, op.f32x4Max, op.set(mx)]),
    op.get(mx), op.f32x4ExtractLane(0), op.get(mx), op.f32x4ExtractLane(1), op.f32Max,
    op.get(mx), op.f32x4ExtractLane(2), op.f32Max, op.get(mx), op.f32x4ExtractLane(3), op.f32Max, op.set(m),
    op.get(K), op.i32(2), op.shl, op.set(e),
    ...loop(4, [op.get(m), op.get(X), op.get(k), op.add, op.f32Load(0), op.f32Abs, op.f32Max, op.set(m)]),
    op.block, op.get(m), op.f32Const(0), op.f32Eq, op.brIf(0),
    op.get(XMAX), op.get(m), op.f32Div, op.tee(inv), op.f32x4Splat, op.set(iv),
    op.i32(0), op.set(k),
    op.get(K), op.i32(-8), op.and, op.i32(2), op.shl, op.set(e),
    // eight at a time: two f32x4 rounded, narrowed to one i16x8 (no saturation: |x * inv| <= xmax)
    ...loop(32, [op.get(XQ), op.get(k), op.i32(1), op.shrU, op.add, ...lanes(0), ...lanes(1), op.i16x8NarrowI32x4S, op.v128Store(0)]),
    op.get(K), op.i32(2), op.shl, op.set(e),
    ...loop(4, [op.get(XQ), op.get(k), op.i32(1), op.shrU, op.add, op.get(X), op.get(k), op.add, op.f32Load(0), op.get(inv), op.f32Mul, op.f32Nearest, op.i32TruncSatF32S, op.i32Store16(0)]),
    op.end,
    op.get(m), op.get(XMAX), op.f32Div,
  ], T.f32);
})();
