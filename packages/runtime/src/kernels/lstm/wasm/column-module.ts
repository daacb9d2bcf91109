import { locals, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * The input projection of one mostly-zero input vector over a column-major copy of W (zero-input
 * skipping, zero-skip.ts): only the columns of the non-zero inputs are read.
 *
 *   zcols(wc, ks, xv, n, out, H):  out[0..4H) += sum over i < n of xv[i] * column(ks[i])
 *
 * Column c is 4H floats at wc + ks[i] (ks holds byte offsets k*16H, int32), in the packed [j][g] order
 * of an xp row, so a column adds straight into the row. xv: the n non-zero input values (f32). All
 * addresses are byte addresses, wc and out 16-byte aligned. Columns go four at a time (one pass over
 * the output row per four columns: out += (c0*x0 + c1*x1) + (c2*x2 + c3*x3), where each pair's second
 * product and its add are a multiply-add site, fused in the relaxed module), the rest one at a time,
 * so the order of the f32 additions is fixed and the plain module's results do not depend on the host.
 */
export const zcols: WasmFunc = (() => {
  const [WC, KS, XV, N, OUT, H] = [0, 1, 2, 3, 4, 5];
  const L = locals(6);
  const [i, n4, v, end] = L.many(4, T.i32); // v: byte offset in the row; end: 16H
  const C = L.many(4, T.i32); // column addresses
  const S = L.many(4, T.v128); // splat inputs
  const [P0, P1] = L.many(2, T.v128); // the first product of each pair
  /** column(l)[v] and input l, on the stack */
  const factors = (l: number) => [...op.get(C[l]!), ...op.get(v), ...op.add, ...op.v128Load(0), ...op.get(S[l]!)];
  const prod = (l: number) => [...factors(l), ...op.f32x4Mul];
  /** c_l x_l + c_m x_m: the second product added to the first as a multiply-add site (fused in the relaxed module; the same sum as (c_l x_l) + (c_m x_m) in the plain one). */
  const pair = (l: number, m: number, p: number) => [...prod(l), ...op.set(p), ...factors(m), ...op.mulAdd(p)];
  /** One pass over the output row: for every 16-byte offset v < end, out[v] += the value `sum` leaves on the stack. */
  const rowPass = (sum: number[][]) => [
    op.i32(0), op.set(v),
    op.loop,
    op.get(OUT), op.get(v), op.add,
    op.get(OUT), op.get(v), op.add, op.v128Load(0),
    ...sum,
    op.f32x4Add, op.v128Store(0),
    op.get(v), op.i32(16), op.add, op.tee(v), op.get(end), op.ltU, op.brIf(0),
    op.end,
  ];
  return L.func('zcols', [
    op.get(H), op.i32(4), op.shl, op.set(end),
    op.get(N), op.i32(-4), op.and, op.set(n4),
    op.i32(0), op.set(i),
    op.block, op.get(end), op.eqz, op.brIf(0),
    // four columns per pass
    op.block, op.get(i), op.get(n4), op.geU, op.brIf(0),
    op.loop,
    ...C.map((c, l) => [...op.get(WC), ...op.get(KS), ...op.i32Load(4 * l), ...op.add, ...op.set(c)]),
    ...S.map((s, l) => [...op.get(XV), ...op.load32Splat(4 * l), ...op.set(s)]),
    ...rowPass([pair(0, 1, P0), pair(2, 3, P1), op.f32x4Add]),
    op.get(KS), op.i32(16), op.add, op.set(KS),
    op.get(XV), op.i32(16), op.add, op.set(XV),
    op.get(i), op.i32(4), op.add, op.tee(i), op.get(n4), op.ltU, op.brIf(0),
    op.end,
    op.end,
    // the remaining columns one at a time
    op.block, op.get(i), op.get(N), op.geU, op.brIf(0),
    op.loop,
    op.get(WC), op.get(KS), op.i32Load(0), op.add, op.set(C[0]!),
    op.get(XV), op.load32Splat(0), op.set(S[0]!),
    ...rowPass([prod(0)]),
    op.get(KS), op.i32(4), op.add, op.set(KS),
    op.get(XV), op.i32(4), op.add, op.set(XV),
    op.get(i), op.i32(1), op.add, op.tee(i), op.get(N), op.ltU, op.brIf(0),
    op.end,
    op.end,
    op.end,
  ]);
})();
