import { locals, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * mvd1(w, x, o, H, Kq, ws): mv1's product (matvec-module.ts: the packed layout, byte addresses) with
 * float64 sums, over weights and an input stored as float64 (float32 values widened when they were
 * written: the packed layout with 8-byte elements, so a quad of a gate is two f64x2 and ws = 128*Kq
 * bytes for whole rows). Products and sums are in float64 (a float32 times a float32 is exact in
 * float64), two lanes per accumulator, and each float32 output becomes the float32 of its float64
 * value plus the sum (one rounding):
 *
 *   o[j*4 + g] = f32( f64(o[j*4 + g]) + sum over q < Kq, l < 4 of w[j][q][g][l] * x[4q + l] )
 *
 * Per gate, each quad adds (l0, l1) * (x0, x1) + (l2, l3) * (x2, x3) to the accumulator (one dependent
 * add per quad), in order of q, and the two lanes are added last: a fixed order, the same bits on every
 * host. One vector per call keeps the loop in registers (four accumulators; V8 spilled the two-vector form's eight
 * float64 accumulators and four inputs), and storing the operands widened saves a promote and a shuffle
 * per two lanes: 1.25x the speed of the two-vector form that widened at each load, on Silero VAD's
 * Conv shapes. For products whose float32 sums would be too far from a float64 reference (the Conv kernel).
 */
export const mvd1: WasmFunc = (() => {
  const [W, X, O, H, KQ, WS] = [0, 1, 2, 3, 4, 5];
  const L = locals(6);
  const [j, p, xo, xEnd, jo, pj] = L.many(6, T.i32);
  const a = L.many(4, T.v128);
  const [xlo, xhi] = L.many(2, T.v128);
  const finish = (acc: number, g: number): number[] => [
    op.get(O), op.get(jo), op.add,
    op.get(O), op.get(jo), op.add, op.f32Load(4 * g), op.f64PromoteF32,
    op.get(acc), op.f64x2ExtractLane(0), op.get(acc), op.f64x2ExtractLane(1), op.f64Add,
    op.f64Add, op.f32DemoteF64, op.f32Store(4 * g),
  ].flat();
  return L.func('mvd1', [
    op.get(KQ), op.i32(5), op.shl, op.set(xEnd),
    op.get(W), op.set(pj),
    op.i32(0), op.set(jo),
    op.i32(0), op.set(j),
    op.block, op.get(H), op.eqz, op.brIf(0), op.get(xEnd), op.eqz, op.brIf(0),
    op.loop,
    ...a.map((v) => [...op.v128Zero, ...op.set(v)]),
    op.get(pj), op.set(p),
    op.i32(0), op.set(xo),
    op.loop,
    op.get(X), op.get(xo), op.add, op.v128Load(0), op.set(xlo),
    op.get(X), op.get(xo), op.add, op.v128Load(16), op.set(xhi),
    ...a.map((acc, g) => [
      ...op.get(acc), ...op.get(p), ...op.v128Load(32 * g), ...op.get(xlo), ...op.f64x2Mul,
      ...op.get(p), ...op.v128Load(32 * g + 16), ...op.get(xhi), ...op.f64x2Mul, ...op.f64x2Add, ...op.f64x2Add, ...op.set(acc),
    ]),
    op.get(p), op.i32(128), op.add, op.set(p),
    op.get(xo), op.i32(32), op.add, op.tee(xo), op.get(xEnd), op.ltU, op.brIf(0),
    op.end,
    ...a.map((acc, g) => finish(acc, g)),
    op.get(jo), op.i32(16), op.add, op.set(jo),
    op.get(pj), op.get(WS), op.add, op.set(pj),
    op.get(j), op.i32(1), op.add, op.tee(j), op.get(H), op.ltU, op.brIf(0),
    op.end, op.end,
  ]);
})();
