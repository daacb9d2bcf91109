import { op, type WasmFunc } from './wasm-encoder.js';

/**
 * The input projection of one mostly-zero input vector over a column-major copy of W (zero-input
 * skipping, zero-skip.ts): only the columns of the non-zero inputs are read.
 *
 *   zcols(wc, ks, xv, n, out, H):  out[0..4H) += sum over i < n of xv[i] * column(ks[i])
 *
 * Column c is 4H floats at wc + ks[i] (ks holds byte offsets k*16H, int32), in the packed [j][g] order
 * of an xp row, so a column adds straight into the row. xv: the n non-zero input values (f32). All
 * addresses are byte addresses, wc and out 16-byte aligned. Columns go four at a time (one pass over
 * the output row per four columns: out += (c0*x0 + c1*x1) + (c2*x2 + c3*x3)), the rest one at a time,
 * so the order of the f32 additions is fixed and results do not depend on the host.
 */
// params: 0 wc, 1 ks, 2 xv, 3 n, 4 out, 5 H
// i32: 6 i, 7 n4, 8 v (byte offset in the row), 9 end (16H), 10..13 c0..c3 (column addresses)
// v128: 14..17 s0..s3 (splat inputs)
const C = [10, 11, 12, 13];
const S = [14, 15, 16, 17];
const prod = (l: number) => [...op.get(C[l]!), ...op.get(8), ...op.add, ...op.v128Load(0), ...op.get(S[l]!), ...op.f32x4Mul];
export const zcols: WasmFunc = {
  name: 'zcols',
  params: 6,
  locals: [[8, 0x7f], [4, 0x7b]],
  body: [
    op.get(5), op.i32(4), op.shl, op.set(9),
    op.get(3), op.i32(-4), op.and, op.set(7),
    op.i32(0), op.set(6),
    op.block, op.get(9), op.eqz, op.brIf(0),
    // four columns per pass
    op.block, op.get(6), op.get(7), op.geU, op.brIf(0),
    op.loop,
    ...C.map((c, l) => [...op.get(0), ...op.get(1), ...op.i32Load(4 * l), ...op.add, ...op.set(c)]),
    ...S.map((s, l) => [...op.get(2), ...op.load32Splat(4 * l), ...op.set(s)]),
    op.i32(0), op.set(8),
    op.loop,
    op.get(4), op.get(8), op.add,
    op.get(4), op.get(8), op.add, op.v128Load(0),
    prod(0), prod(1), op.f32x4Add, prod(2), prod(3), op.f32x4Add, op.f32x4Add,
    op.f32x4Add, op.v128Store(0),
    op.get(8), op.i32(16), op.add, op.tee(8), op.get(9), op.ltU, op.brIf(0),
    op.end,
    op.get(1), op.i32(16), op.add, op.set(1),
    op.get(2), op.i32(16), op.add, op.set(2),
    op.get(6), op.i32(4), op.add, op.tee(6), op.get(7), op.ltU, op.brIf(0),
    op.end,
    op.end,
    // the remaining columns one at a time
    op.block, op.get(6), op.get(3), op.geU, op.brIf(0),
    op.loop,
    op.get(0), op.get(1), op.i32Load(0), op.add, op.set(C[0]!),
    op.get(2), op.load32Splat(0), op.set(S[0]!),
    op.i32(0), op.set(8),
    op.loop,
    op.get(4), op.get(8), op.add,
    op.get(4), op.get(8), op.add, op.v128Load(0),
    prod(0), op.f32x4Add, op.v128Store(0),
    op.get(8), op.i32(16), op.add, op.tee(8), op.get(9), op.ltU, op.brIf(0),
    op.end,
    op.get(1), op.i32(4), op.add, op.set(1),
    op.get(2), op.i32(4), op.add, op.set(2),
    op.get(6), op.i32(1), op.add, op.tee(6), op.get(3), op.ltU, op.brIf(0),
    op.end,
    op.end,
    op.end,
  ],
};
