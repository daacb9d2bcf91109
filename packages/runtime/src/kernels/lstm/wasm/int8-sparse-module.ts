import { groupLoops, scatterLanes, scatterQuarter } from './group-spmv-module.js';
import { locals, op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * The int8 sparse products (layouts in int8-sparse.ts): int8 weights with one f32 scale per row, the
 * vector int16 (xq, one scale sx), products summed exactly in int32 and scaled once per row. The
 * caller bounds |xq| so that 127 * max|xq| * (terms per sum) < 2^31 (no int32 overflow).
 *
 *   gsq1(gptr, recs, scales, xq, out, H, sx)     row groups (group-sparse.ts): group gi = 4m + ga
 *     out[(4m + l)*4 + ga] += f32(sum over the group's entries of w[l] * xq[k]) * scales[gi][l] * sx
 *   Entries go in pairs, one 16-byte record per pair: the two columns as byte offsets 2k into xq
 *   (int32 each), then 8 int8 weights (w0[l], w1[l]) for l = 0..3, so one i32x4.dot_i16x8_s does the
 *   eight multiply-adds of the pair. gptr: 4*ceil(H/4) + 1 int32 pair indices; scales: f32x4 per group.
 *
 *   gswqV(gptr, recs, scales, xq_0..xq_{V-1}, out_0..out_{V-1}, blocks, sx_0..sx_{V-1}), V = 1, 2:
 *     wide row groups (16 units of one gate; group gi = 4b + ga for blocks b < `blocks`):
 *     out_v[(16b + u)*4 + ga] += f32(sum over the group's entries of w[u] * xq_v[k]) * scales[gi][u] * sx_v
 *   Entries in pairs, one 40-byte record per pair: the two columns 2k0, 2k1 (int32 each), then 32 int8
 *   weights (w0[u], w1[u]) for u = 0..15, so each quarter of the group (units 4q..4q+3, bytes 8 + 8q)
 *   is one i16x8.load8x8_s and one i32x4.dot_i16x8_s against the pair's splatted inputs, and the
 *   column loads and the input pair serve sixteen units. gptr: 4*blocks + 1 int32 pair indices;
 *   scales: 16 f32 per group. The two vectors of gswq2 share every record load.
 *
 *   spq1(ptr, recs, xq, scales, out, rows, sx)   compressed rows, one int32 per non-zero: (2k << 8) | (w & 0xff)
 *     out[r] += f32(sum over row r's non-zeros of w * xq[k]) * scales[r] * sx
 *   ptr: rows + 1 int32 byte offsets (4p) of each row's first non-zero from recs.
 *
 * Byte addresses; recs and scales of gsq1 16-byte aligned. Validated at load (every index in range).
 */
function gsq1(): WasmFunc {
  const [P_GPTR, P_RECS, P_SCALES, P_XQ, P_OUT, P_H, P_SX] = [0, 1, 2, 3, 4, 5, 6];
  const L = locals([T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f32]);
  const u = L.i32();
  const og = L.i32();
  const ga = L.i32();
  const q = L.i32();
  const qe = L.i32();
  const acc = L.v128();
  const r = L.v128();
  const sxv = L.v128();
  return L.func('gsq1', [
    op.get(P_SX), op.f32x4Splat, op.set(sxv),
    ...groupLoops({ u, og, ga, gptr: P_GPTR, H: P_H }, [
      op.get(P_RECS), op.get(P_GPTR), op.i32Load(0), op.i32(4), op.shl, op.add, op.set(q),
      op.get(P_RECS), op.get(P_GPTR), op.i32Load(4), op.i32(4), op.shl, op.add, op.set(qe),
      op.v128Zero, op.set(acc),
      op.block, op.get(q), op.get(qe), op.geU, op.brIf(0),
      op.loop,
      op.get(acc),
      op.get(q), op.i16x8Load8x8S(8),
      op.get(P_XQ), op.get(q), op.i32Load(0), op.add, op.i32Load16U(0),
      op.get(P_XQ), op.get(q), op.i32Load(4), op.add, op.i32Load16U(0), op.i32(16), op.shl, op.or,
      op.i32x4Splat, op.i32x4DotI16x8S, op.i32x4Add, op.set(acc),
      op.get(q), op.i32(16), op.add, op.tee(q), op.get(qe), op.ltU, op.brIf(0),
      op.end, op.end,
      op.get(acc), op.f32x4ConvertI32x4S, op.get(P_SCALES), op.v128Load(0), op.f32x4Mul, op.get(sxv), op.f32x4Mul, op.set(r),
      scatterLanes(r, P_OUT, og, u, P_H),
    ], [op.get(P_SCALES), op.i32(16), op.add, op.set(P_SCALES)]),
  ]);
}

function spq1(): WasmFunc {
  const [P_PTR, P_RECS, P_XQ, P_SCALES, P_OUT, P_ROWS, P_SX] = [0, 1, 2, 3, 4, 5, 6];
  const L = locals([T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f32]);
  const q = L.i32();
  const end = L.i32();
  const qe = L.i32();
  const acc = L.i32();
  const v = L.i32();
  /** acc += extend8(v) * xq[v >> 8], v = the non-zero at q + 4k */
  const mac = (k: number) => [
    ...op.get(acc),
    ...op.get(q), ...op.i32Load(4 * k), ...op.tee(v), ...op.i32Extend8S,
    ...op.get(P_XQ), ...op.get(v), ...op.i32(8), ...op.shrU, ...op.add, ...op.i32Load16S(0),
    ...op.mul, ...op.add, ...op.set(acc),
  ];
  return L.func('spq1', [
    op.block, op.get(P_ROWS), op.eqz, op.brIf(0),
    op.loop,
    op.get(P_PTR), op.i32Load(0), op.get(P_RECS), op.add, op.set(q),
    op.get(P_PTR), op.i32Load(4), op.get(P_RECS), op.add, op.set(end),
    op.get(end), op.get(q), op.sub, op.i32(-16), op.and, op.get(q), op.add, op.set(qe),
    op.i32(0), op.set(acc),
    op.block, op.get(q), op.get(qe), op.geU, op.brIf(0),
    op.loop,
    mac(0), mac(1), mac(2), mac(3),
    op.get(q), op.i32(16), op.add, op.tee(q), op.get(qe), op.ltU, op.brIf(0),
    op.end, op.end,
    op.block, op.get(q), op.get(end), op.geU, op.brIf(0),
    op.loop,
    mac(0),
    op.get(q), op.i32(4), op.add, op.tee(q), op.get(end), op.ltU, op.brIf(0),
    op.end, op.end,
    op.get(P_OUT),
    op.get(P_OUT), op.f32Load(0),
    op.get(acc), op.f32ConvertI32S, op.get(P_SCALES), op.f32Load(0), op.f32Mul, op.get(P_SX), op.f32Mul,
    op.f32Add, op.f32Store(0),
    op.get(P_OUT), op.i32(4), op.add, op.set(P_OUT),
    op.get(P_SCALES), op.i32(4), op.add, op.set(P_SCALES),
    op.get(P_PTR), op.i32(4), op.add, op.set(P_PTR),
    op.get(P_ROWS), op.i32(1), op.sub, op.tee(P_ROWS), op.brIf(0),
    op.end, op.end,
  ]);
}

function gswq(V: 1 | 2): WasmFunc {
  const P_GPTR = 0, P_RECS = 1, P_SCALES = 2;
  const XQ = Array.from({ length: V }, (_v, i) => 3 + i);
  const O = Array.from({ length: V }, (_v, i) => 3 + V + i);
  const P_NB = 3 + 2 * V;
  const SX = Array.from({ length: V }, (_v, i) => 4 + 2 * V + i);
  const L = locals([...Array.from({ length: 4 + 2 * V }, () => T.i32), ...SX.map(() => T.f32)]);
  const [blk, og, ga, q, qe, c0, c1] = L.many(7, T.i32);
  const acc = L.many(4 * V, T.v128); // acc[4v + quarter]
  const xs = L.many(V, T.v128);
  const [w, r] = L.many(2, T.v128);
  const pair = [
    ...op.get(q), ...op.i32Load(0), ...op.set(c0),
    ...op.get(q), ...op.i32Load(4), ...op.set(c1),
    // vector v's pair of inputs (xq[k0] | xq[k1] << 16) in every int32 lane
    ...XQ.flatMap((x, v) => [
      ...op.get(x), ...op.get(c0), ...op.add, ...op.i32Load16U(0),
      ...op.get(x), ...op.get(c1), ...op.add, ...op.i32Load16U(0), ...op.i32(16), ...op.shl, ...op.or,
      ...op.i32x4Splat, ...op.set(xs[v]!),
    ]),
    ...[0, 1, 2, 3].flatMap((qq) => [
      ...op.get(q), ...op.i16x8Load8x8S(8 + 8 * qq), ...op.set(w),
      ...xs.flatMap((xv, v) => [...op.get(acc[4 * v + qq]!), ...op.get(w), ...op.get(xv), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...op.set(acc[4 * v + qq]!)]),
    ]),
  ];
  // out_v + og + 64qq + 16l += lane l of f32(acc[4v + qq]) * scales[4qq..] * sx_v
  const finish = (v: number) => [0, 1, 2, 3].flatMap((qq) => [
    ...op.get(acc[4 * v + qq]!), ...op.f32x4ConvertI32x4S, ...op.get(P_SCALES), ...op.v128Load(16 * qq), ...op.f32x4Mul,
    ...op.get(SX[v]!), ...op.f32x4Splat, ...op.f32x4Mul, ...op.set(r),
    ...scatterQuarter(r, O[v]!, og, qq),
  ]);
  return L.func(`gswq${V}`, groupLoops({ u: blk, og, ga, gptr: P_GPTR, H: P_NB }, [
    op.get(P_RECS), op.get(P_GPTR), op.i32Load(0), op.i32(40), op.mul, op.add, op.set(q),
    op.get(P_RECS), op.get(P_GPTR), op.i32Load(4), op.i32(40), op.mul, op.add, op.set(qe),
    ...acc.map((a) => [...op.v128Zero, ...op.set(a)]),
    op.block, op.get(q), op.get(qe), op.geU, op.brIf(0),
    op.loop,
    pair,
    op.get(q), op.i32(40), op.add, op.tee(q), op.get(qe), op.ltU, op.brIf(0),
    op.end, op.end,
    ...XQ.map((_x, v) => finish(v)),
  ], [[...op.get(P_SCALES), ...op.i32(64), ...op.add, ...op.set(P_SCALES)]], true));
}

export const INT8_SPARSE_FUNCS: readonly WasmFunc[] = [gsq1(), spq1(), gswq(1), gswq(2)];
