import { op } from './wasm-encoder.js';

/** The params and loop locals of a product over two input vectors in the packed layout (pairLoops). */
export interface PairLoopLocals {
  /** Params: the weights, the unit count, the k-quads per unit, the bytes between units. */
  readonly W: number;
  readonly H: number;
  readonly KQ: number;
  readonly WS: number;
  /** i32 locals: the unit, its weight pointer, the byte offset into each x, 16*Kq, the byte offset into each output, the unit's first weight. */
  readonly j: number;
  readonly p: number;
  readonly xo: number;
  readonly xEnd: number;
  readonly jo: number;
  readonly pj: number;
}

/**
 * The loops of mv2: for each unit j < H, `accs` zeroed, then for each k-quad `quad` (which
 * reads x at X + xo and the unit's four gate quads at p, p + 16, ...), then `finish` (which writes the
 * unit's outputs at O + jo); the pointers advance by a quad (64 bytes of weights, 16 of x) and by a unit.
 */
export function pairLoops(r: PairLoopLocals, accs: readonly number[], quad: readonly number[][], finish: readonly number[][]): number[][] {
  return [
    op.get(r.KQ), op.i32(4), op.shl, op.set(r.xEnd), // 16*Kq (byte offset into each x)
    op.get(r.W), op.set(r.pj),
    op.i32(0), op.set(r.jo),
    op.i32(0), op.set(r.j),
    op.block, op.get(r.H), op.eqz, op.brIf(0),
    op.loop,
    ...accs.map((v) => [...op.v128Zero, ...op.set(v)]),
    op.get(r.pj), op.set(r.p),
    op.i32(0), op.set(r.xo),
    op.block, op.get(r.xEnd), op.eqz, op.brIf(0),
    op.loop,
    ...quad,
    op.get(r.p), op.i32(64), op.add, op.set(r.p),
    op.get(r.xo), op.i32(16), op.add, op.tee(r.xo), op.get(r.xEnd), op.ltU, op.brIf(0),
    op.end, op.end,
    ...finish,
    op.get(r.jo), op.i32(16), op.add, op.set(r.jo),
    op.get(r.pj), op.get(r.WS), op.add, op.set(r.pj),
    op.get(r.j), op.i32(1), op.add, op.tee(r.j), op.get(r.H), op.ltU, op.brIf(0),
    op.end, op.end,
  ];
}
