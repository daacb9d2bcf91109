import { locals, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * mvc(w, x, o, U, K, n): products with float32 sums in the order of k, four output channels to a
 * vector (a unit), n input columns of K floats each:
 *
 *   o[p][4u + c] = f32( o[p][4u + c] + s ),   s = (...((w[u][0][c] x[p][0]) + w[u][1][c] x[p][1]) + ...)
 *
 * for u < U, c < 4, p < n: each output's sum starts at zero, adds its K products one after the other
 * in float32 (a multiply-add site: fused in the relaxed module, relaxed-simd.ts), and is added to the
 * output last. That is the order of an im2col convolution on a GEMM whose inner loop runs over k (the
 * order onnxruntime's CPU Conv sums in), so a result is within a rounding or two of its result; the
 * sums of the lane-split kernels (mv1: k mod 4 in separate lanes) left Silero VAD's streamed state
 * 6e-4 from onnxruntime's, these 3e-5 to 8e-5 (tools/test/corpus.test.ts streams).
 *
 * Byte addresses w, x, o. The weights of units 0..4Q-1 (Q = floor(U / 4)) are in quads, quad q at
 * w + 64Kq with k's four units' vectors together, (k, i, c) at 64k + 16i + 4c: one cache line per k;
 * the units after them one at a time, unit u at w + 16Ku, (k, c) at 16k + 4c. Column p at x + 4Kp,
 * output row p at o + 16Up. Two columns and four units per pass: eight accumulators, each k two
 * splats, four weight vectors and eight multiply-adds; the unit and column tails take the one-unit and
 * one-column forms of the same loop.
 */
export const mvc: WasmFunc = (() => {
  const [W, X, O, U, K, N] = [0, 1, 2, 3, 4, 5];
  const L = locals(6);
  const [xs, os, p, xp, opos, u, wu, ou, xo, xEnd, wp] = L.many(11, T.i32);
  const acc = L.many(8, T.v128);
  const [sa, sb, wv] = L.many(3, T.v128);

  /** One k loop over `nu` units (4 or 1) and `np` columns (2 or 1) from unit u, then the next units, while they last. */
  const units = (nu: 4 | 1, np: 2 | 1): number[][] => {
    const a = (i: number, q: number) => acc[i * 2 + q]!;
    const pairs = Array.from({ length: nu }, (_, i) => Array.from({ length: np }, (_, q) => [i, q] as const)).flat();
    return [
      op.block, op.loop,
      // while u + nu <= U
      ...(nu === 4 ? [op.get(U), op.get(u), op.i32(4), op.add, op.ltU] : [op.get(u), op.get(U), op.geU]), op.brIf(1),
      ...pairs.map(([i, q]) => [...op.v128Zero, ...op.set(a(i, q))]),
      op.get(xp), op.set(xo),
      op.get(xp), op.get(xs), op.add, op.set(xEnd),
      op.get(wu), op.set(wp),
      op.loop,
      op.get(xo), op.load32Splat(0), op.set(sa),
      ...(np === 2 ? [op.get(xo), op.get(xs), op.add, op.load32Splat(0), op.set(sb)] : []),
      ...Array.from({ length: nu }, (_, i) => [
        ...op.get(wp), ...op.v128Load(16 * i), ...op.set(wv),
        ...op.get(wv), ...op.get(sa), ...op.mulAdd(a(i, 0)), ...op.set(a(i, 0)),
        ...(np === 2 ? [...op.get(wv), ...op.get(sb), ...op.mulAdd(a(i, 1)), ...op.set(a(i, 1))] : []),
      ]),
      op.get(wp), op.i32(16 * nu), op.add, op.set(wp),
      op.get(xo), op.i32(4), op.add, op.tee(xo), op.get(xEnd), op.ltU, op.brIf(0),
      op.end,
      // o += s, one unit's four channels per vector
      ...pairs.map(([i, q]) => {
        const addr = q === 0 ? [...op.get(ou)] : [...op.get(ou), ...op.get(os), ...op.add];
        return [...addr, ...addr, ...op.v128Load(16 * i), ...op.get(a(i, q)), ...op.f32x4Add, ...op.v128Store(16 * i)];
      }),
      op.get(u), op.i32(nu), op.add, op.set(u),
      op.get(wu), op.get(K), op.i32(nu === 4 ? 6 : 4), op.shl, op.add, op.set(wu),
      op.get(ou), op.i32(16 * nu), op.add, op.set(ou),
      op.br(0),
      op.end, op.end,
    ];
  };
  /** The columns from p: their base addresses, then every unit. */
  const columns = (np: 2 | 1): number[] => [
    op.get(X), op.get(p), op.get(xs), op.mul, op.add, op.set(xp),
    op.get(O), op.get(p), op.get(os), op.mul, op.add, op.set(opos),
    op.i32(0), op.set(u), op.get(W), op.set(wu), op.get(opos), op.set(ou),
    ...units(4, np), ...units(1, np),
  ].flat();

  return L.func('mvc', [
    op.block,
    op.get(K), op.eqz, op.brIf(0), op.get(U), op.eqz, op.brIf(0),
    op.get(K), op.i32(2), op.shl, op.set(xs),
    op.get(U), op.i32(4), op.shl, op.set(os),
    op.i32(0), op.set(p),
    // pairs of columns while p + 2 <= n
    op.block, op.loop,
    op.get(N), op.get(p), op.i32(2), op.add, op.ltU, op.brIf(1),
    columns(2),
    op.get(p), op.i32(2), op.add, op.set(p),
    op.br(0),
    op.end, op.end,
    // the last column of an odd n
    op.get(p), op.get(N), op.geU, op.brIf(0),
    columns(1),
    op.end,
  ]);
})();
