import type { MatvecEngine } from './matvec-engine.js';

/**
 * The one thing the float32 LSTM kernels differ in: how a weight matrix (W or R of one direction,
 * 4H rows in the packed [j][g] order) multiplies a set of vectors. For i < n:
 *   mem[outs[i] + j*4 + g] += (M x)[g*H + j],   x at mem[xs[i]] (zero padded to a multiple of 4)
 * The step skeleton (recurrence.ts) calls it once per step with every active batch entry, the input
 * projection once with every (t, b) row, so a product sees all the vectors that share its weights and
 * can order the work for its layout (register blocking over vectors, cache blocking over units).
 */
export type RowProduct = ((n: number, xs: Int32Array, outs: Int32Array) => void) & {
  /** A dense product's weights (offset, k-quads, floats between units), for the one-call recurrence (MatvecEngine.steps). */
  readonly dense?: { readonly wOff: number; readonly Kq: number; readonly ws: number };
};

/**
 * Weight bytes of one cache block of units, per part of a threaded section (MatvecEngine.sectionParts;
 * the L2 of the benchmark machine is 1 MiB per core). Blocking the
 * reduction dimension as well (k-quads in blocks of 64) measured slower: every block then pays the
 * lane reduction and a read-modify-write of the outputs (docs/runtime-format.md, Execution).
 */
const UNIT_BLOCK_BYTES = 256 * 1024;

/**
 * Dense packed weights (pack.ts section at wOff, K columns). One or two vectors: one mv1/mv2 pass over
 * the whole matrix. More: units go in blocks of about UNIT_BLOCK_BYTES of weights per section part, and
 * every vector pair passes over a block while it is in cache, so the matrix is read from memory once per call, not
 * n/2 times.
 */
export function denseProduct(e: MatvecEngine, wOff: number, H: number, K: number): RowProduct {
  const Kq = Math.ceil(K / 4);
  const ws = 16 * Kq;
  const unitsPerBlock = Math.max(1, Math.floor(UNIT_BLOCK_BYTES / (4 * ws)));
  const product = (n: number, xs: Int32Array, outs: Int32Array): void => {
    const block = unitsPerBlock * e.sectionParts();
    e.parallel(() => {
      for (let j0 = 0; j0 < H; j0 += n <= 2 ? H : block) {
        const units = n <= 2 ? H : Math.min(block, H - j0);
        const w = wOff + j0 * ws;
        let i = 0;
        for (; i + 2 <= n; i += 2) e.mv2(w, xs[i]!, xs[i + 1]!, outs[i]! + 4 * j0, outs[i + 1]! + 4 * j0, units, Kq, ws);
        if (i < n) e.mv1(w, xs[i]!, outs[i]! + 4 * j0, units, Kq, ws);
      }
    });
  };
  return Object.assign(product, { dense: { wOff, Kq, ws } });
}

/** Compressed rows in the engine's pair layout (row pointers at ptrOff, pairs at pairOff): vector pairs share every pair load. */
export function csrProduct(e: MatvecEngine, ptrOff: number, pairOff: number, rows: number): RowProduct {
  return (n, xs, outs) => e.parallel(() => {
    let i = 0;
    for (; i + 2 <= n; i += 2) e.spmv2(ptrOff, pairOff, xs[i]!, xs[i + 1]!, outs[i]!, outs[i + 1]!, rows);
    if (i < n) e.spmv1(ptrOff, pairOff, xs[i]!, outs[i]!, rows);
  });
}

/**
 * Cache-block boundaries of a row-group layout of `count` unit blocks (four groups each, gptr entry
 * 4b at block b's first entry): 0, then a cut wherever the entries since the last cut would take more
 * than about `parts` * UNIT_BLOCK_BYTES (entryBytes each), then count.
 */
function blockCuts(gptr: Int32Array, count: number, entryBytes: number, parts: number): number[] {
  const cuts = [0];
  for (let b = 0; b < count; b++) if (entryBytes * (gptr[4 * (b + 1)]! - gptr[4 * cuts[cuts.length - 1]!]!) > parts * UNIT_BLOCK_BYTES) cuts.push(b + 1);
  if (cuts[cuts.length - 1] !== count) cuts.push(count);
  return cuts;
}

/** blockCuts for the engine's current section parts (MatvecEngine.sectionParts), recomputed when they change. */
export function cutsBySectionParts(e: MatvecEngine, gptr: Int32Array, count: number, entryBytes: number): () => number[] {
  let parts = 0;
  let cuts: number[] = [];
  return () => {
    const p = e.sectionParts();
    if (p !== parts) cuts = blockCuts(gptr, count, entryBytes, (parts = p));
    return cuts;
  };
}

/** Where one matrix's row-group layout (group-sparse.ts) sits in engine memory. */
export interface GroupPlacement {
  readonly gptrOff: number;
  readonly colsOff: number;
  readonly valsOff: number;
  /** The layout's gptr array (to cut unit blocks of about UNIT_BLOCK_BYTES of entries). */
  readonly gptr: Int32Array;
}

/**
 * Row groups: up to four vectors per pass (gsp4). With more than four vectors the units go in blocks
 * of about UNIT_BLOCK_BYTES of entries, each block passed over by every vector while it is in cache.
 */
export function groupProduct(e: MatvecEngine, g: GroupPlacement, H: number): RowProduct {
  const quads = Math.ceil(H / 4);
  // Block boundaries in unit quads: each block's entries take at most about UNIT_BLOCK_BYTES (20 bytes each) per part.
  const cutsNow = cutsBySectionParts(e, g.gptr, quads, 20);
  let outsB = new Int32Array(0);
  return (n, xs, outs) => {
    const cuts = cutsNow();
    e.parallel(() => {
      if (n <= 4 || cuts.length <= 2) return e.gsp(g.gptrOff, g.colsOff, g.valsOff, H, n, xs, outs);
      if (outsB.length < n) outsB = new Int32Array(n);
      for (let c = 0; c + 1 < cuts.length; c++) {
        const u0 = 4 * cuts[c]!;
        const units = Math.min(H, 4 * cuts[c + 1]!) - u0;
        for (let i = 0; i < n; i++) outsB[i] = outs[i]! + 4 * u0;
        e.gsp(g.gptrOff + u0, g.colsOff, g.valsOff, units, n, xs, outsB);
      }
    });
  };
}

/** Where a wide row-group layout (group-sparse.ts WideGroupSparse) sits: its 16-unit groups, and the four-unit tail. */
export interface WidePlacement extends GroupPlacement {
  readonly blocks: number;
  readonly tail: GroupPlacement | null;
}

/**
 * Wide row groups: vector pairs per pass (gsw2), over blocks of about UNIT_BLOCK_BYTES of entries when
 * there are more than two vectors; the units after the last 16-unit block through groupProduct.
 */
export function wideGroupProduct(e: MatvecEngine, g: WidePlacement, H: number): RowProduct {
  const u0 = 16 * g.blocks;
  const tail = g.tail ? groupProduct(e, g.tail, H - u0) : null;
  // Block boundaries in 16-unit blocks: each holds at most about UNIT_BLOCK_BYTES of entries (68 bytes each) per part.
  const cutsNow = cutsBySectionParts(e, g.gptr, g.blocks, 68);
  let outsB = new Int32Array(0);
  return (n, xs, outs) => {
    const cuts = cutsNow();
    e.parallel(() => {
      if (outsB.length < n) outsB = new Int32Array(n);
      const step = n <= 2 ? cuts.length - 1 : 1;
      for (let c = 0; c + 1 < cuts.length; c += step) {
        const b0 = cuts[c]!;
        const b1 = cuts[Math.min(c + step, cuts.length - 1)]!;
        for (let i = 0; i < n; i++) outsB[i] = outs[i]! + 64 * b0;
        e.gsw(g.gptrOff + 4 * b0, g.colsOff, g.valsOff, b1 - b0, n, xs, outsB);
      }
      if (tail) {
        for (let i = 0; i < n; i++) outsB[i] = outs[i]! + 4 * u0;
        tail(n, xs, outsB);
      }
    });
  };
}

/** rows copies of the `len` floats at `src` from `dst` on: one copy of them, then copies of what is there, doubling (log2(rows) calls). */
export function fillRows(m: Float32Array, dst: number, src: number, len: number, rows: number): void {
  if (rows <= 0) return;
  m.copyWithin(dst, src, src + len);
  for (let done = 1; done < rows; done *= 2) {
    const n = Math.min(done, rows - done);
    m.copyWithin(dst + done * len, dst, dst + n * len);
  }
}

/**
 * Input projection of every (t, b) row at once: mem[xpOff + r*4H ..] = bias + W x_r for r < rows,
 * x_r at rowOff(r).
 */
export function projectRows(e: MatvecEngine, product: RowProduct, rows: number, rowOff: (r: number) => number, biasOff: number, H: number, xpOff: number): void {
  const m = e.mem;
  const H4 = 4 * H;
  const xs = new Int32Array(rows);
  const outs = new Int32Array(rows);
  fillRows(m, xpOff, biasOff, H4, rows);
  for (let r = 0; r < rows; r++) {
    xs[r] = rowOff(r);
    outs[r] = xpOff + r * H4;
  }
  product(rows, xs, outs);
}
