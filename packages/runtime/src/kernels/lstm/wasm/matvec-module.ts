import { cell4 } from './cell-module.js';
import { mvc } from './channel-sum-module.js';
import { dwc } from './depthwise-module.js';
import { logv } from './log-module.js';
import { VECTOR_FUNCS } from './vector-module.js';
import { STEP_CALLEES, steps } from './steps-module.js';
import { zcols } from './column-module.js';
import { mvq1, mvq2, qvec } from './int8-module.js';
import { reduce4 } from './reduce.js';
import { GROUP_SPMV_FUNCS } from './group-spmv-module.js';
import { SPMV_FUNCS } from './spmv-module.js';
import { GATHER_F32 } from './gather-module.js';
import { INT8_SPARSE_FUNCS } from './int8-sparse-module.js';
import { encodeModuleSites, locals, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * The WebAssembly SIMD matrix-vector kernels over the packed LSTM layout (pack.ts). Unit j's weights
 * are a run of Kq blocks of 16 floats, block q holding, for each gate g = 0..3, the four weights of
 * k = 4q..4q+3 (a "k-quad"); x is read four floats at a time. With 16-byte lanes in f32x4:
 *
 *   out[j] (f32x4 of the four gates) += ( sum_q dot(w[j][q][g], x[4q..4q+3]) )_g
 *
 * mv1(w, x, out, H, Kq, ws)                  one input vector
 * mv2(w, x0, x1, out0, out1, H, Kq, ws)      two input vectors sharing every weight load
 *
 * Unit j's weights start at w + j*ws (ws = 64*Kq bytes for a whole row; larger when the caller splits
 * the quads into blocks and offsets w and x to the block). All pointers are byte addresses in the
 * exported memory, 16-byte aligned; x must be readable (and finite) up to 4*Kq floats.
 * Accumulation is in f32 in a fixed order (per gate: lane-wise partial sums over the quads, in mv1 two
 * quads added per step, then a fixed pairwise reduction of the lanes), so results are identical on every host.
 */

/** acc += v128.load(ptr + offset) * vec */
const mac = (acc: number, ptr: number, offset: number, vec: number) => [
  ...op.get(ptr), ...op.v128Load(offset), ...op.get(vec), ...op.mulAdd(acc), ...op.set(acc),
];

const GATES = [0, 1, 2, 3] as const;

/**
 * mv1(w, x, out, H, Kq, ws): two quads per iteration with one accumulator per gate (the two products
 * are added first). V8 keeps everything in the 16 xmm registers this way. Measured slower (18-20
 * GMAC/s here, 14-15 for these): eight accumulators (two per gate, one FMA each per iteration; no
 * spills, but 8 chains of 4-cycle FMAs), two units per pass sharing the x loads (spills).
 */
const mv1: WasmFunc = (() => {
  const [W, X, OUT, H, KQ, WS] = [0, 1, 2, 3, 4, 5];
  const L = locals(6);
  const [j, p, xp, xEnd2, xEnd, outp, pj] = L.many(7, T.i32);
  const a = L.many(4, T.v128);
  const [xv0, xv1, t0, t1] = L.many(4, T.v128);
  return L.func('mv1', [
    op.get(X), op.get(KQ), op.i32(4), op.shl, op.add, op.set(xEnd), // x + 16*Kq
    op.get(X), op.get(KQ), op.i32(-2), op.and, op.i32(4), op.shl, op.add, op.set(xEnd2), // x + 16*(Kq & ~1)
    op.get(W), op.set(pj),
    op.get(OUT), op.set(outp),
    op.i32(0), op.set(j),
    op.block, op.get(H), op.eqz, op.brIf(0),
    op.loop,
    ...a.map((v) => [...op.v128Zero, ...op.set(v)]),
    op.get(X), op.set(xp),
    op.get(pj), op.set(p),
    op.block, op.get(xp), op.get(xEnd2), op.geU, op.brIf(0),
    op.loop,
    op.get(xp), op.v128Load(0), op.set(xv0),
    op.get(xp), op.v128Load(16), op.set(xv1),
    // acc_g += w[q][g]*x[q] + w[q+1][g]*x[q+1]: one dependent add per gate and iteration
    // (w[q+1][g]*x[q+1] + t0, a multiply-add site, with t0 = w[q][g]*x[q]: the same sum as t0 + t1)
    ...GATES.map((g) => [
      ...op.get(p), ...op.v128Load(16 * g), ...op.get(xv0), ...op.f32x4Mul, ...op.set(t0),
      ...op.get(a[g]!),
      ...op.get(p), ...op.v128Load(64 + 16 * g), ...op.get(xv1), ...op.mulAdd(t0),
      ...op.f32x4Add, ...op.set(a[g]!),
    ]),
    op.get(p), op.i32(128), op.add, op.set(p),
    op.get(xp), op.i32(32), op.add, op.tee(xp), op.get(xEnd2), op.ltU, op.brIf(0),
    op.end, op.end,
    // odd Kq: the last quad
    op.block, op.get(xp), op.get(xEnd), op.geU, op.brIf(0),
    op.get(xp), op.v128Load(0), op.set(xv0),
    ...GATES.map((g) => mac(a[g]!, p, 16 * g, xv0)),
    op.end,
    op.get(outp), op.get(outp), op.v128Load(0), reduce4(a, t0, t1), op.f32x4Add, op.v128Store(0),
    op.get(outp), op.i32(16), op.add, op.set(outp),
    op.get(pj), op.get(WS), op.add, op.set(pj),
    op.get(j), op.i32(1), op.add, op.tee(j), op.get(H), op.ltU, op.brIf(0),
    op.end, op.end,
  ]);
})();

/** mv2(w, x0, x1, o0, o1, H, Kq, ws): one accumulator per gate and vector. */
const mv2: WasmFunc = (() => {
  const [W, X0, X1, O0, O1, H, KQ, WS] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = locals(8);
  const [j, p, xo, xEnd, jo, pj] = L.many(6, T.i32);
  const a = L.many(4, T.v128);
  const b = L.many(4, T.v128);
  const [xv0, xv1, wv, t0, t1] = L.many(5, T.v128);
  return L.func('mv2', [
    op.get(KQ), op.i32(4), op.shl, op.set(xEnd), // 16*Kq (byte offset into each x)
    op.get(W), op.set(pj),
    op.i32(0), op.set(jo),
    op.i32(0), op.set(j),
    op.block, op.get(H), op.eqz, op.brIf(0),
    op.loop,
    ...[...a, ...b].map((v) => [...op.v128Zero, ...op.set(v)]),
    op.get(pj), op.set(p),
    op.i32(0), op.set(xo),
    op.block, op.get(xEnd), op.eqz, op.brIf(0),
    op.loop,
    op.get(X0), op.get(xo), op.add, op.v128Load(0), op.set(xv0),
    op.get(X1), op.get(xo), op.add, op.v128Load(0), op.set(xv1),
    ...GATES.flatMap((g) => [
      [...op.get(p), ...op.v128Load(16 * g), ...op.set(wv)],
      [...op.get(wv), ...op.get(xv0), ...op.mulAdd(a[g]!), ...op.set(a[g]!)],
      [...op.get(wv), ...op.get(xv1), ...op.mulAdd(b[g]!), ...op.set(b[g]!)],
    ]),
    op.get(p), op.i32(64), op.add, op.set(p),
    op.get(xo), op.i32(16), op.add, op.tee(xo), op.get(xEnd), op.ltU, op.brIf(0),
    op.end, op.end,
    op.get(O0), op.get(jo), op.add, op.get(O0), op.get(jo), op.add, op.v128Load(0), reduce4(a, t0, t1), op.f32x4Add, op.v128Store(0),
    op.get(O1), op.get(jo), op.add, op.get(O1), op.get(jo), op.add, op.v128Load(0), reduce4(b, t0, t1), op.f32x4Add, op.v128Store(0),
    op.get(jo), op.i32(16), op.add, op.set(jo),
    op.get(pj), op.get(WS), op.add, op.set(pj),
    op.get(j), op.i32(1), op.add, op.tee(j), op.get(H), op.ltU, op.brIf(0),
    op.end, op.end,
  ]);
})();

/**
 * The module bytes (mv1, mv2, cell4 of cell-module.ts, spmv1, spmv2, spmmT, tback and xpose of spmv-module.ts,
 * gsp1, gsp2, gsp4, gsw1 and gsw2 of group-spmv-module.ts, zcols of column-module.ts, mvq1, mvq2 and qvec of int8-module.ts,
 * gsq1, spq1, gswq1 and gswq2 of int8-sparse-module.ts, mvc of channel-sum-module.ts, dwc of depthwise-module.ts, logv of log-module.ts, the element-wise functions of vector-module.ts, steps of steps-module.ts, gxf of gather-module.ts), with
 * `pages` 64 KiB pages of initial memory; with `sharedMax`, over an imported shared memory of at most
 * that many pages (encodeModule).
 */
export function matvecModuleBytes(pages: number, sharedMax?: number): Uint8Array<ArrayBuffer> {
  return matvecModuleSites(pages, sharedMax).bytes;
}

/** matvecModuleBytes, and the offsets of its multiply-add sites (wasm-encoder.ts encodeModuleSites). */
export function matvecModuleSites(pages: number, sharedMax?: number): { bytes: Uint8Array<ArrayBuffer>; fmaSites: number[] } {
  const funcs = [mv1, mv2, cell4, ...SPMV_FUNCS, ...GROUP_SPMV_FUNCS, zcols, mvq1, mvq2, ...INT8_SPARSE_FUNCS, qvec, GATHER_F32, mvc, dwc, logv, ...VECTOR_FUNCS, steps];
  for (const [name, at] of Object.entries(STEP_CALLEES)) if (funcs[at]!.name !== name) throw new Error(`steps calls function ${at} as ${name}, which is ${funcs[at]!.name}`);
  return encodeModuleSites(funcs, pages, sharedMax);
}
