import type { MatvecEngine } from './matvec-engine.js';
import { packedIndex } from './pack.js';
import { fillRows, projectRows, type RowProduct } from './row-products.js';

/**
 * Zero-input skipping (the patent's input-sequence sparsity on the CPU): the input projection of an
 * input vector with few non-zeros reads only the W columns of its non-zero inputs, from a column-major
 * copy of W ([k][j*4 + g], each column one xp row's worth of floats, zcols in wasm/column-module.ts).
 * Decided per (t, b) input vector: a vector with at most ZERO_SKIP_MAX_DENSITY * I non-zeros takes the
 * column path, the others the dense product. A column costs about what a k-quad of the blocked dense
 * product costs per input, divided by four, plus streaming the column from memory; the threshold is
 * where the two met in packages/runtime/scripts/bench-zero-skip.mjs (a column per non-zero against
 * the blocked dense projection of the same rows).
 */
export const ZERO_SKIP_MAX_DENSITY = 0.3;

/**
 * Does a row of X (I floats each, in X's own order) have at most ZERO_SKIP_MAX_DENSITY * I non-zeros?
 * Stops at the first such row, and counts a row only until it has more (a dense input reads about
 * that fraction of each row: the whole scan took 2.6% of the bundled keyword-spotting example's run).
 */
export function hasSparseRow(x: ArrayLike<number>, rows: number, I: number): boolean {
  const limit = ZERO_SKIP_MAX_DENSITY * I;
  for (let r = 0; r < rows; r++) {
    let nz = 0;
    let k = r * I;
    for (const end = k + I; k < end && nz <= limit; k++) if (x[k] !== 0) nz++;
    if (nz <= limit) return true;
  }
  return false;
}

/** Writes the column-major copy of the packed W section at wOff into new kept engine memory; returns its offset. */
export function reserveColumns(e: MatvecEngine, wOff: number, H: number, I: number): number {
  const H4 = 4 * H;
  const off = e.reserve(I * H4);
  const m = e.mem;
  for (let k = 0; k < I; k++)
    for (let j = 0; j < H; j++) for (let g = 0; g < 4; g++) m[off + k * H4 + j * 4 + g] = m[wOff + packedIndex(j, k, g, I)]!;
  return off;
}

/**
 * Sparse rows gathered per section of projectSkipping: their non-zeros' column offsets and values are
 * held at once, so their column products can run as one section, split over units on threads.
 */
const SKIP_CHUNK = 32;

/** Floats of scratch `projectSkipping` needs: SKIP_CHUNK rows' column offsets and values. */
export const skipScratch = (I: number): number => SKIP_CHUNK * 2 * Math.ceil(I / 4) * 4;

/**
 * xp row r = bias + W x_r for r < rows (as projectRows), rows with at most maxDensity * I non-zeros
 * over the columns at colsOff, the others through `dense` all at once. tmpOff: skipScratch(I) floats.
 * The sparse rows go in chunks of SKIP_CHUNK, each chunk's column products one section
 * (MatvecEngine.parallel); a thread's part computes its units of every row of the chunk, with the
 * same additions in the same order as the whole call, so the results do not depend on the threads.
 */
export function projectSkipping(e: MatvecEngine, dense: RowProduct, colsOff: number, rows: number, rowOff: (r: number) => number, biasOff: number, H: number, I: number, xpOff: number, tmpOff: number, maxDensity = ZERO_SKIP_MAX_DENSITY): void {
  const m = e.mem;
  const ints = e.ints();
  const H4 = 4 * H;
  const stride = Math.ceil(I / 4) * 4;
  const limit = maxDensity * I;
  const scale = H4 * e.sparseUnit;
  const xs = new Int32Array(rows);
  const outs = new Int32Array(rows);
  const chunkOut = new Int32Array(SKIP_CHUNK);
  const chunkNz = new Int32Array(SKIP_CHUNK);
  let n = 0;
  let c = 0;
  const flush = () => {
    e.parallel(() => {
      for (let i = 0; i < c; i++) e.zcols(colsOff, tmpOff + 2 * i * stride, tmpOff + (2 * i + 1) * stride, chunkNz[i]!, chunkOut[i]!, H);
    });
    c = 0;
  };
  fillRows(m, xpOff, biasOff, H4, rows);
  for (let r = 0; r < rows; r++) {
    const out = xpOff + r * H4;
    const x = rowOff(r);
    let nz = 0;
    for (let k = 0; k < I; k++) if (m[x + k] !== 0) nz++;
    if (nz > limit) {
      xs[n] = x;
      outs[n++] = out;
      continue;
    }
    const ks = tmpOff + 2 * c * stride;
    const xv = ks + stride;
    let i = 0;
    for (let k = 0; k < I; k++) {
      const v = m[x + k]!;
      if (v !== 0) {
        ints[ks + i] = k * scale;
        m[xv + i++] = v;
      }
    }
    chunkOut[c] = out;
    chunkNz[c++] = i;
    if (c === SKIP_CHUNK) flush();
  }
  if (c > 0) flush();
  dense(n, xs, outs);
}

/** Column-major copies of W kept with a node's prepared engine, per direction (built on first need). */
export type ColumnCopies = (number | undefined)[];

/**
 * The input projection of direction d over the dense packed W at wOff: with zero skipping when some
 * row of this call's X is sparse enough (the column copy is then built once and kept in `copies`),
 * else the plain dense product. Call before the run lays out its scratch (reserve moves scratchOff).
 */
export function denseProjection(e: MatvecEngine, copies: ColumnCopies, d: number, x: ArrayLike<number>, xRows: number, wOff: number, biasOff: number, H: number, I: number, dense: RowProduct) {
  const skip = hasSparseRow(x, xRows, I);
  if (skip && copies[d] === undefined) copies[d] = reserveColumns(e, wOff, H, I);
  const cols = copies[d]!;
  return {
    scratch: skip ? skipScratch(I) : 0,
    project: skip
      ? (rows: number, rowOff: (r: number) => number, xpOff: number, tmpOff: number) => projectSkipping(e, dense, cols, rows, rowOff, biasOff, H, I, xpOff, tmpOff)
      : (rows: number, rowOff: (r: number) => number, xpOff: number) => projectRows(e, dense, rows, rowOff, biasOff, H, xpOff),
  };
}
