import { locals, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * dwc(w, b, x, o, C, kT, dil, L, row, pad, nv, os): a depthwise 1-D convolution of stride 1, four
 * output positions to a vector:
 *
 *   o[c][4v + l] = f32( b[c] + s ),   s = (...((w[c][0] r[4v + l]) + w[c][1] r[4v + l + d]) + ...)
 *
 * for c < C, v < nv, l < 4, over kT taps in order, d the dilation, r channel c's row with its padding:
 * each sum from zero in float32 (a multiply-add site, fused in the relaxed module), the bias added
 * last, as the channel's own GEMM of K = kT would sum. Byte addresses w (C rows of kT weights), b (C
 * biases), x (C input rows of L floats, back to back), o (C output rows of nv vectors, os floats
 * apart: a row's last vector may spill into the next row, which is stored after it, and the last
 * row's up to three floats past its end), row (the padded row: the caller zeroes it, and each channel
 * is copied in at row + pad bytes, so the zeros around it stay); dil = 4d bytes. A row's reads reach
 * 16nv + (kT - 1) dil bytes.
 */
export const dwc: WasmFunc = (() => {
  const [W, B, X, O, C, KT, DIL, LEN, ROW, PAD, NV, OS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const L = locals(12);
  const [c, wc, wEnd, xr, orow, v, xp, wp] = L.many(8, T.i32);
  const [acc, bias] = L.many(2, T.v128);
  return L.func('dwc', [
    op.block,
    op.get(C), op.eqz, op.brIf(0), op.get(KT), op.eqz, op.brIf(0), op.get(NV), op.eqz, op.brIf(0),
    op.i32(0), op.set(c),
    op.get(W), op.set(wc),
    op.get(X), op.set(xr),
    op.get(O), op.set(orow),
    op.loop,
    op.get(ROW), op.get(PAD), op.add, op.get(xr), op.get(LEN), op.i32(2), op.shl, op.memoryCopy,
    op.get(B), op.get(c), op.i32(2), op.shl, op.add, op.load32Splat(0), op.set(bias),
    op.get(wc), op.get(KT), op.i32(2), op.shl, op.add, op.set(wEnd),
    op.i32(0), op.set(v),
    op.loop,
    op.v128Zero, op.set(acc),
    op.get(ROW), op.get(v), op.i32(4), op.shl, op.add, op.set(xp),
    op.get(wc), op.set(wp),
    op.loop,
    op.get(xp), op.v128Load(0), op.get(wp), op.load32Splat(0), op.mulAdd(acc), op.set(acc),
    op.get(xp), op.get(DIL), op.add, op.set(xp),
    op.get(wp), op.i32(4), op.add, op.tee(wp), op.get(wEnd), op.ltU, op.brIf(0),
    op.end,
    op.get(orow), op.get(v), op.i32(4), op.shl, op.add,
    op.get(bias), op.get(acc), op.f32x4Add, op.v128Store(0),
    op.get(v), op.i32(1), op.add, op.tee(v), op.get(NV), op.ltU, op.brIf(0),
    op.end,
    op.get(wEnd), op.set(wc),
    op.get(xr), op.get(LEN), op.i32(2), op.shl, op.add, op.set(xr),
    op.get(orow), op.get(OS), op.i32(2), op.shl, op.add, op.set(orow),
    op.get(c), op.i32(1), op.add, op.tee(c), op.get(C), op.ltU, op.brIf(0),
    op.end,
    op.end,
  ]);
})();
