import { locals, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * logv(x, o, n): o[i] = ln x[i] for the 4n floats at byte address x, four at a time (o may be x).
 * Cephes' logf: x = m 2^e with m in [sqrt(1/2), sqrt(2)) (m in [1/2, 1) doubled, e decremented, below
 * sqrt(1/2)), then with f = m - 1, ln x = f - f^2/2 + f^3 P(f) + e ln 2, the degree-8 P of Cephes and
 * ln 2 split in two (0.693359375 - 2.12194440e-4) so that e ln 2 adds no rounding of its own. P by
 * Estrin's scheme and the constants in locals set before the loop: 2.1 us for 1,032 floats, 2.7 by
 * Horner's. Within 1 ulp of the correctly rounded float32 logarithm (test/matvec-engine.test.ts,
 * against Math.log); subnormals scaled by 2^23 first; ln 0 = -Infinity, ln of a negative or NaN =
 * NaN, ln Infinity = Infinity, as Math.log. Plain multiplies and adds (no relaxed sites): the same
 * bits on every host. For the Log kernel (vector-kernels.ts logKernel): Math.log costs 8-9 ns per float on V8.
 */
export const logv: WasmFunc = (() => {
  const [X, O, N] = [0, 1, 2];
  const L = locals(3);
  const [end] = L.many(1, T.i32);
  const [v, s, e, m, lt, f, z, y, acc, z2, t0, t1] = L.many(12, T.v128);
  // Every constant in a local, set once before the loop: V8 materializes a v128.const at each use.
  const consts = new Map<string, number>();
  const init: number[][] = [];
  const k = (bytes: number[]): number[] => {
    const key = bytes.join(',');
    let at = consts.get(key);
    if (at === undefined) {
      consts.set(key, (at = L.v128()));
      init.push([...bytes, ...op.set(at)]);
    }
    return op.get(at);
  };
  const cf = (a: number): number[] => k(op.f32x4Const(a));
  const ci = (a: number): number[] => k(op.i32x4Const(a));
  const P = [7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1];
  /** c1 * f + c0 on the stack (a multiply, then an add: the same bits on every host). */
  const lin = (c1: number, c0: number): number[] => [...cf(c1), ...op.get(f), ...op.f32x4Mul, ...cf(c0), ...op.f32x4Add];
  /** y += a * c. */
  const addMul = (a: number, c: number): number[] => [...op.get(y), ...op.get(a), ...cf(c), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(y)];
  /** y = where `mask`, the value c, else y. */
  const replace = (c: number, mask: number[]): number[] => [...cf(c), ...op.get(y), ...mask, ...op.v128Bitselect, ...op.set(y)];
  const step: number[][] = [
    op.get(X), op.v128Load(0), op.set(v),
    // subnormals (and zeros, negatives, NaN: their lanes are replaced at the end) scaled by 2^23
    op.get(v), cf(2 ** -126), op.f32x4Lt, op.set(lt),
    op.get(v), cf(2 ** 23), op.f32x4Mul, op.get(v), op.get(lt), op.v128Bitselect, op.set(s),
    // e = biased exponent - 126 (23 less when scaled), m = mantissa in [1/2, 1)
    op.get(s), op.i32(23), op.i32x4ShrU, ci(126), op.i32x4Sub,
    op.get(lt), ci(23), op.v128And, op.i32x4Sub, op.set(e),
    op.get(s), ci(0x007fffff), op.v128And, ci(0x3f000000), op.v128Or, op.set(m),
    // below sqrt(1/2): e - 1 and f = 2m - 1, else f = m - 1
    op.get(m), cf(Math.SQRT1_2), op.f32x4Lt, op.set(lt),
    op.get(e), op.get(lt), op.i32x4Add, op.set(e),
    op.get(m), cf(1), op.f32x4Sub, op.get(m), op.get(lt), op.v128And, op.f32x4Add, op.set(f),
    op.get(f), op.get(f), op.f32x4Mul, op.set(z),
    // P(f) = p8 + p7 f + p6 f^2 + ... + p0 f^8 by Estrin's scheme (depth 4, not Horner's 8: the
    // loop's one vector at a time was bound by the chain of Horner's eight multiply-adds):
    // (p8 + p7 f) + f^2 (p6 + p5 f) + f^4 ((p4 + p3 f) + f^2 (p2 + p1 f)) + f^8 p0
    op.get(z), op.get(z), op.f32x4Mul, op.set(z2),
    lin(P[1]!, P[2]!), op.get(z), op.f32x4Mul, lin(P[3]!, P[4]!), op.f32x4Add, op.set(t0),
    lin(P[5]!, P[6]!), op.get(z), op.f32x4Mul, lin(P[7]!, P[8]!), op.f32x4Add, op.set(t1),
    op.get(z2), cf(P[0]!), op.f32x4Mul, op.get(t0), op.f32x4Add, op.get(z2), op.f32x4Mul, op.get(t1), op.f32x4Add, op.set(acc),
    // y = P(f) f z - 2.12194440e-4 e - z/2; ln x = f + y + 0.693359375 e
    op.get(acc), op.get(f), op.f32x4Mul, op.get(z), op.f32x4Mul, op.set(y),
    op.get(e), op.f32x4ConvertI32x4S, op.set(e),
    addMul(e, -2.1219444e-4),
    addMul(z, -0.5),
    op.get(f), op.get(y), op.f32x4Add, op.set(y),
    addMul(e, 0.693359375),
    // the lanes Math.log answers without arithmetic
    replace(Number.NaN, [...op.get(v), ...cf(0), ...op.f32x4Lt, ...op.get(v), ...op.get(v), ...op.f32x4Ne, ...op.v128Or]),
    replace(-Infinity, [...op.get(v), ...cf(0), ...op.f32x4Eq]),
    replace(Infinity, [...op.get(v), ...cf(Infinity), ...op.f32x4Eq]),
    op.get(O), op.get(y), op.v128Store(0),
    op.get(O), op.i32(16), op.add, op.set(O),
    op.get(X), op.i32(16), op.add, op.tee(X), op.get(end), op.ltU, op.brIf(0),
  ];
  return L.func('logv', [
    op.block, op.get(N), op.eqz, op.brIf(0),
    op.get(X), op.get(N), op.i32(4), op.shl, op.add, op.set(end),
    ...init,
    op.loop,
    ...step,
    op.end, op.end,
  ]);
})();
