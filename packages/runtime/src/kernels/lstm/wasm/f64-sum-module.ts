import { pairLoops } from './pair-loops.js';
import { locals, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * mvd2(w, x0, x1, o0, o1, H, Kq, ws): mv2's product (matvec-module.ts: the packed layout, two input
 * vectors sharing every weight load, byte addresses) with float64 sums: each float32 weight and input
 * is widened (f64x2.promote_low_f32x4, the upper two lanes shuffled down first), multiplied and added in
 * float64, two lanes per accumulator, and each output becomes the float32 of its float64 value plus the
 * sum (one rounding):
 *
 *   o_v[j*4 + g] = f32( f64(o_v[j*4 + g]) + sum over q < Kq, l < 4 of f64(w[j][q][g][l]) * f64(x_v[4q + l]) )
 *
 * Per gate and vector, lane 0 sums l = 0 and 2, lane 1 sums l = 1 and 3, each in order of q, l, and the
 * two lanes are added last: a fixed order, the same bits on every host. About a quarter of mv2's speed
 * (4.6 GMAC/s in Silero VAD's Convs); for products whose float32 sums would be too far from a float64
 * reference (the Conv kernel).
 */
export const mvd2: WasmFunc = (() => {
  const [W, X0, X1, O0, O1, H, KQ, WS] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = locals(8);
  const [j, p, xo, xEnd, jo, pj] = L.many(6, T.i32);
  const a = L.many(4, T.v128);
  const b = L.many(4, T.v128);
  const [x0lo, x0hi, x1lo, x1hi, wv, wlo, whi] = L.many(7, T.v128);
  /** lo, hi = the low and the high two lanes of local `v`, widened to float64. */
  const widen = (v: number, lo: number, hi: number): number[] => [
    op.get(v), op.f64x2PromoteLowF32x4, op.set(lo),
    op.get(v), op.get(v), op.shuffle32([2, 3, 0, 1]), op.f64x2PromoteLowF32x4, op.set(hi),
  ].flat();
  /** acc += lo * xlo + hi * xhi, as two float64 multiply-then-add steps. */
  const madd = (acc: number, xlo: number, xhi: number): number[] => [
    op.get(acc), op.get(wlo), op.get(xlo), op.f64x2Mul, op.f64x2Add,
    op.get(whi), op.get(xhi), op.f64x2Mul, op.f64x2Add, op.set(acc),
  ].flat();
  /** out[4g] = f32(f64(out[4g]) + lane 0 + lane 1 of acc), at byte address base + jo. */
  const finish = (base: number, acc: number, g: number): number[] => [
    op.get(base), op.get(jo), op.add,
    op.get(base), op.get(jo), op.add, op.f32Load(4 * g), op.f64PromoteF32,
    op.get(acc), op.f64x2ExtractLane(0), op.get(acc), op.f64x2ExtractLane(1), op.f64Add,
    op.f64Add, op.f32DemoteF64, op.f32Store(4 * g),
  ].flat();
  return L.func('mvd2', pairLoops(
    { W, H, KQ, WS, j, p, xo, xEnd, jo, pj },
    [...a, ...b],
    [
      op.get(X0), op.get(xo), op.add, op.v128Load(0), op.set(wv), widen(wv, x0lo, x0hi),
      op.get(X1), op.get(xo), op.add, op.v128Load(0), op.set(wv), widen(wv, x1lo, x1hi),
      ...[0, 1, 2, 3].flatMap((g) => [[...op.get(p), ...op.v128Load(16 * g), ...op.set(wv)], widen(wv, wlo, whi), madd(a[g]!, x0lo, x0hi), madd(b[g]!, x1lo, x1hi)]),
    ],
    [0, 1, 2, 3].flatMap((g) => [finish(O0, a[g]!, g), finish(O1, b[g]!, g)]),
  ));
})();
