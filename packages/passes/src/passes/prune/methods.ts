/**
 * Pruning methods on one matrix (rows x cols, row-major). Each returns a new
 * array; the input is not modified.
 */
import { rowToPe, rowsOfPes } from '@lstmc/target';
import { magnitudeBits, smallestMagnitudes, smallestMask, zerosFor } from './select.js';

/** Unstructured magnitude pruning: exactly round(s*n) zeros (or the existing zeros, if more). */
export function pruneMagnitude(a: Float32Array, sparsity: number): Float32Array {
  const mags = magnitudeBits(a);
  const take = smallestMagnitudes(mags, zerosFor(a.length, sparsity), new Uint32Array(a.length));
  const out = a.slice();
  for (let i = 0; i < a.length; i++) if (take(mags[i])) out[i] = 0;
  return out;
}

/** Whole rows with the smallest L2 norm: round(s*rows) rows zeroed. */
export function pruneRows(a: Float32Array, rows: number, cols: number, sparsity: number): Float32Array {
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += a[r * cols + c] ** 2;
    norms[r] = s;
  }
  const mask = smallestMask(norms, zerosFor(rows, sparsity));
  const out = a.slice();
  for (let r = 0; r < rows; r++) if (mask[r]) out.fill(0, r * cols, (r + 1) * cols);
  return out;
}

/**
 * Blocks of bh x bw (edge blocks smaller) with the smallest mean squared
 * value are zeroed, in ascending order, until at least round(s*n) elements
 * are covered by zeroed blocks.
 */
export function pruneBlocks(a: Float32Array, rows: number, cols: number, sparsity: number, bh: number, bw: number): Float32Array {
  const br = Math.ceil(rows / bh);
  const bc = Math.ceil(cols / bw);
  const score = new Float64Array(br * bc);
  const size = new Int32Array(br * bc);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const b = Math.floor(r / bh) * bc + Math.floor(c / bw);
      score[b] += a[r * cols + c] ** 2;
      size[b]++;
    }
  for (let b = 0; b < score.length; b++) score[b] /= size[b];
  const order = Array.from(score.keys()).sort((x, y) => score[x] - score[y] || x - y);
  const want = zerosFor(a.length, sparsity);
  const out = a.slice();
  let covered = 0;
  for (const b of order) {
    if (covered >= want) break;
    const r0 = Math.floor(b / bc) * bh;
    const c0 = (b % bc) * bw;
    for (let r = r0; r < Math.min(rows, r0 + bh); r++) out.fill(0, r * cols + c0, r * cols + Math.min(cols, c0 + bw));
    covered += size[b];
  }
  return out;
}

/**
 * Load-balance-aware pruning (ESE): rows are mapped to PEs as the target maps
 * them (row r on PE r mod pes), and every PE keeps the same number of
 * non-zeros, K = round((1-s) * n / min(pes, rows)), its largest-magnitude weights (a PE
 * whose share is smaller than K keeps its whole share).
 */
export function pruneBalanced(a: Float32Array, rows: number, cols: number, sparsity: number, pes: number): Float32Array {
  // PEs beyond the row count hold nothing; the kept weights are shared by those that hold rows.
  const keep = Math.round(((1 - sparsity) * rows * cols) / Math.min(pes, rows));
  const out = a.slice();
  const shares = rowsOfPes(rowToPe(rows, pes));
  const largest = Math.max(0, ...shares.map((r) => r.length)) * cols;
  const mags = new Uint32Array(largest);
  const scratch = new Uint32Array(largest);
  const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
  for (const peRows of shares) {
    // The share's magnitudes in PE-local order (its rows in order, each row's columns): the order ties are broken in.
    const n = peRows.length * cols;
    let i = 0;
    for (const r of peRows) for (let c = 0; c < cols; c++) mags[i++] = bits[r * cols + c] & 0x7fffffff;
    const share = mags.subarray(0, n);
    const take = smallestMagnitudes(share, n - keep, scratch);
    i = 0;
    for (const r of peRows) for (let c = 0; c < cols; c++) if (take(share[i++])) out[r * cols + c] = 0;
  }
  return out;
}

/**
 * Balanced pruning in row groups: the rows of `group` consecutive units of one gate (rows
 * gate*H + u, u = group*m .. group*m + group-1; fewer in a gate's last group) keep the same columns,
 * the round((1-s)*cols) with the largest sum of squares over the group. Every row keeps the same
 * count, so every PE holds the same number of non-zeros when the PEs hold equally many rows (as
 * pruneBalanced), and the JS runtime's row-group kernels read one column index per group of 4.
 */
export function pruneBalancedGroups(a: Float32Array, rows: number, cols: number, sparsity: number, hidden: number, group: number): Float32Array {
  const keep = Math.round((1 - sparsity) * cols);
  const out = new Float32Array(a.length);
  const score = new Float64Array(cols);
  for (let g0 = 0; g0 < rows; g0 += hidden)
    for (let u0 = 0; u0 < hidden; u0 += group) {
      const r0 = g0 + u0;
      const r1 = g0 + Math.min(hidden, u0 + group);
      score.fill(0);
      for (let r = r0; r < r1; r++) for (let c = 0; c < cols; c++) score[c] += a[r * cols + c] ** 2;
      const drop = smallestMask(score, cols - keep);
      for (let r = r0; r < r1; r++) for (let c = 0; c < cols; c++) if (!drop[c]) out[r * cols + c] = a[r * cols + c];
    }
  return out;
}

/** Non-zeros of each PE's share of a matrix under the modulo row mapping. */
export function nnzPerPe(a: ArrayLike<number>, rows: number, cols: number, pes: number): Int32Array {
  const out = new Int32Array(pes);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) if (a[r * cols + c] !== 0) out[r % pes]++;
  return out;
}
