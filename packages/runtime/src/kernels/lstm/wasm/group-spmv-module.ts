import { locals, op, type WasmFunc } from './wasm-encoder.js';

/**
 * Structured-sparse products over row groups (group-sparse.ts): the four rows of one gate ga of
 * four consecutive hidden units 4m..4m+3 share one list of columns, so each entry is one column index
 * and an f32x4 of the four rows' weights, and one index load serves four multiply-adds in one SIMD
 * lane each. Groups are numbered gi = 4m + ga; the gi-th entry range is [gptr[gi], gptr[gi+1]).
 *
 *   gspN(gptr, cols, vals, x_0..x_{N-1}, out_0..out_{N-1}, H)     for N = 1, 2, 4 vectors:
 *     out_v[(4m + l)*4 + ga] += sum over the group's entries p of vals[p][l] * x_v[cols[p]]
 *     for every unit 4m + l < H
 *
 * gptr: byte address of 4*ceil(H/4) + 1 int32 entry indices; cols: byte address of the entries' x
 * byte offsets (4k, int32); vals: 16-byte aligned byte address of the entries' f32x4 weights; x and out
 * are byte addresses (out in the packed [j][g] row layout of pack.ts). Accumulation in f32 lanes in a
 * fixed order (per vector, U partial sums over entries p = k mod U, the last entries into the first,
 * then summed pairwise; U = 4 in gsp1, 2 in gsp2, 1 in gsp4), so results do not depend on the host. The caller validates the arrays at load (every index in range).
 */

/** out + og + offset (a float) += lane l of the f32x4 in local a. */
const addLane = (a: number, l: number, out: number, og: number, offset: number) => [
  ...op.get(out), ...op.get(og), ...op.add,
  ...op.get(out), ...op.get(og), ...op.add, ...op.f32Load(offset), ...op.get(a), ...op.f32x4ExtractLane(l), ...op.f32Add,
  ...op.f32Store(offset),
];

/**
 * out[og + 16l] += lane l of the f32x4 in local a, for the lanes whose unit exists (u + l < H): the
 * four units of a group are 16 bytes apart in the packed [j][g] output row.
 */
export const scatterLanes = (a: number, out: number, og: number, u: number, H: number) => [0, 1, 2, 3].flatMap((l) => {
  const store = addLane(a, l, out, og, 16 * l);
  return l === 0 ? store : [...op.get(u), ...op.i32(l), ...op.add, ...op.get(H), ...op.ltU, ...op.if, ...store, ...op.end];
});

/**
 * The loops over groups shared by the row-group kernels: for unit quads u = 0, 4, .. < H and gates
 * ga = 0..3, `body` runs with the locals gptr at the group's gptr entry and og = the byte offset of its
 * first output float within a row (64m + 4ga); `extra` advances any further per-group pointer. With
 * `wide` (the 16-unit kernels), u counts 16-unit blocks, u = 0, 1, .. < H (H then holds the blocks),
 * and og = 256b + 4ga.
 */
export const groupLoops = (l: { u: number; og: number; ga: number; gptr: number; H: number }, body: number[][], extra: number[][] = [], wide = false): number[][] => [
  op.i32(0), op.set(l.u),
  op.i32(0), op.set(l.og),
  op.block, op.get(l.H), op.eqz, op.brIf(0),
  op.loop, // unit quads, or blocks of 16 units
  op.i32(0), op.set(l.ga),
  op.loop, // gates
  ...body,
  op.get(l.gptr), op.i32(4), op.add, op.set(l.gptr),
  op.get(l.og), op.i32(4), op.add, op.set(l.og),
  ...extra,
  op.get(l.ga), op.i32(1), op.add, op.tee(l.ga), op.i32(4), op.ltU, op.brIf(0),
  op.end,
  // 4 gates * 4 bytes done: the next quad is 64 bytes on, the next block 256
  op.get(l.og), op.i32(wide ? 240 : 48), op.add, op.set(l.og),
  op.get(l.u), op.i32(wide ? 1 : 4), op.add, op.tee(l.u), op.get(l.H), op.ltU, op.brIf(0),
  op.end, op.end,
];

/** out + og + 64q + 16l += lane l of the f32x4 in local a, l = 0..3: quarter q (units 4q..4q+3) of a 16-unit group's outputs. */
export const scatterQuarter = (a: number, out: number, og: number, q: number) => [0, 1, 2, 3].flatMap((l) => addLane(a, l, out, og, 64 * q + 16 * l));

/** One group-sparse kernel for V vectors with U entries per inner iteration (V*U accumulators). */
function gspFunc(V: 1 | 2 | 4, U: 1 | 2 | 4): WasmFunc {
  const P_GPTR = 0, P_COLS = 1, P_VALS = 2;
  const X = Array.from({ length: V }, (_v, i) => 3 + i);
  const O = Array.from({ length: V }, (_v, i) => 3 + V + i);
  const P_H = 3 + 2 * V;
  const L = locals(4 + 2 * V);
  const u = L.i32(); // first unit of the quad
  const og = L.i32(); // byte offset of the group's first output float within a row (64m + 4ga)
  const ga = L.i32();
  const pc = L.i32(); // current column entry address
  const pe = L.i32(); // end of the group's column entries
  const pu = L.i32(); // end of the unrolled part
  const pv = L.i32(); // current value entry address
  const e0 = L.i32(); // entry index scratch
  const acc = Array.from({ length: V * U }, () => L.v128()); // acc[v*U + k]
  const w = L.v128();
  /** acc[v*U + k] += vals[pv + 16k] * splat(x_v[cols[pc + 4k]]) for every vector v. */
  const entry = (k: number) => [
    ...op.get(pv), ...op.v128Load(16 * k), ...op.set(w),
    ...op.get(pc), ...op.i32Load(4 * k), ...op.set(e0),
    ...X.flatMap((x, v) => [
      ...op.get(w), ...op.get(x), ...op.get(e0), ...op.add, ...op.load32Splat(0), ...op.mulAdd(acc[v * U + k]!), ...op.set(acc[v * U + k]!),
    ]),
  ];
  const scatter = (a: number, out: number) => scatterLanes(a, out, og, u, P_H);
  return L.func(`gsp${V}`, [
    ...groupLoops({ u, og, ga, gptr: P_GPTR, H: P_H }, [
      // entries [gptr[0], gptr[1]) of this group
      op.get(P_GPTR), op.i32Load(0), op.set(e0),
      op.get(P_COLS), op.get(e0), op.i32(2), op.shl, op.add, op.set(pc),
      op.get(P_VALS), op.get(e0), op.i32(4), op.shl, op.add, op.set(pv),
      op.get(P_COLS), op.get(P_GPTR), op.i32Load(4), op.i32(2), op.shl, op.add, op.set(pe),
      op.get(pe), op.get(pc), op.sub, op.i32(-4 * U), op.and, op.get(pc), op.add, op.set(pu),
      ...acc.map((a) => [...op.v128Zero, ...op.set(a)]),
      op.block, op.get(pc), op.get(pu), op.geU, op.brIf(0),
      op.loop,
      ...Array.from({ length: U }, (_v, k) => entry(k)),
      op.get(pv), op.i32(16 * U), op.add, op.set(pv),
      op.get(pc), op.i32(4 * U), op.add, op.tee(pc), op.get(pu), op.ltU, op.brIf(0),
      op.end, op.end,
      // the last (fewer than U) entries one at a time, into each vector's first accumulator
      ...(U > 1 ? [
        op.block, op.get(pc), op.get(pe), op.geU, op.brIf(0),
        op.loop,
        entry(0),
        op.get(pv), op.i32(16), op.add, op.set(pv),
        op.get(pc), op.i32(4), op.add, op.tee(pc), op.get(pe), op.ltU, op.brIf(0),
        op.end, op.end,
      ] : []),
      ...X.map((_x, v) => {
        const a = (k: number) => acc[v * U + k]!;
        // fixed pairwise order: (a0 + a1) + (a2 + a3)
        const add = (i: number, j: number) => [...op.get(a(i)), ...op.get(a(j)), ...op.f32x4Add, ...op.set(a(i))];
        const sum = U === 4 ? [...add(0, 1), ...add(2, 3), ...add(0, 2)] : U === 2 ? add(0, 1) : [];
        return [...sum, ...scatter(a(0), O[v]!)];
      }),
    ]),
  ]);
}

/**
 * gswN(gptr, cols, vals, x_0..x_{N-1}, out_0..out_{N-1}, blocks), N = 1, 2: the wide row groups of
 * group-sparse.ts (WideGroupSparse), 16 units of one gate per group, 16 weights (four f32x4, unit
 * 16b + 4q + l in lane l of vector q) per entry: each column index and each input load serve sixteen
 * rows. Group gi = 4b + ga for blocks b < `blocks`; every unit exists (the tail of H that does not fill
 * 16 units runs as four-unit groups):
 *     out_v[(16b + u)*4 + ga] += sum over the group's entries p of vals[p][u] * x_v[cols[p]]
 * One accumulator per vector and weight vector, in entry order, so results do not depend on the host.
 */
function gswFunc(V: 1 | 2): WasmFunc {
  const P_GPTR = 0, P_COLS = 1, P_VALS = 2;
  const X = Array.from({ length: V }, (_v, i) => 3 + i);
  const O = Array.from({ length: V }, (_v, i) => 3 + V + i);
  const P_NB = 3 + 2 * V;
  const L = locals(4 + 2 * V);
  const blk = L.i32();
  const og = L.i32(); // byte offset of the group's first output float within a row (256b + 4ga)
  const ga = L.i32();
  const pc = L.i32();
  const pe = L.i32();
  const pv = L.i32();
  const e0 = L.i32();
  const acc = Array.from({ length: 4 * V }, () => L.v128()); // acc[4v + q]
  const xs = Array.from({ length: V }, () => L.v128());
  const w = L.v128();
  const entry = [
    ...op.get(pc), ...op.i32Load(0), ...op.set(e0),
    ...X.flatMap((x, v) => [...op.get(x), ...op.get(e0), ...op.add, ...op.load32Splat(0), ...op.set(xs[v]!)]),
    ...[0, 1, 2, 3].flatMap((q) => [
      ...op.get(pv), ...op.v128Load(16 * q), ...op.set(w),
      ...X.flatMap((_x, v) => [...op.get(w), ...op.get(xs[v]!), ...op.mulAdd(acc[4 * v + q]!), ...op.set(acc[4 * v + q]!)]),
    ]),
  ];
  return L.func(`gsw${V}`, groupLoops({ u: blk, og, ga, gptr: P_GPTR, H: P_NB }, [
    op.get(P_GPTR), op.i32Load(0), op.set(e0),
    op.get(P_COLS), op.get(e0), op.i32(2), op.shl, op.add, op.set(pc),
    op.get(P_VALS), op.get(e0), op.i32(6), op.shl, op.add, op.set(pv),
    op.get(P_COLS), op.get(P_GPTR), op.i32Load(4), op.i32(2), op.shl, op.add, op.set(pe),
    ...acc.map((a) => [...op.v128Zero, ...op.set(a)]),
    op.block, op.get(pc), op.get(pe), op.geU, op.brIf(0),
    op.loop,
    entry,
    op.get(pv), op.i32(64), op.add, op.set(pv),
    op.get(pc), op.i32(4), op.add, op.tee(pc), op.get(pe), op.ltU, op.brIf(0),
    op.end, op.end,
    ...O.flatMap((o, v) => [0, 1, 2, 3].map((q) => scatterQuarter(acc[4 * v + q]!, o, og, q))),
  ], [], true));
}

// gsp1 takes four entries per iteration (measured 4% faster than two); gsp4 with two spilled
// registers and ran 40% slower than with one.
export const GROUP_SPMV_FUNCS: readonly WasmFunc[] = [gspFunc(1, 4), gspFunc(2, 2), gspFunc(4, 1), gswFunc(1), gswFunc(2)];
