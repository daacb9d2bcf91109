/**
 * Padding-aware load-balanced pruning. Every PE keeps the same number K of
 * weights as `pruneBalanced`, but the kept set is chosen so that no run of
 * zero rows before a kept weight in a PE's column (PE-local row order) is
 * longer than `maxGap`; with maxGap = 2^relIndexBits - 1 the relative-indexed
 * CSC layout then needs no padding entries. Zeros after a column's last kept
 * weight are free (the column length is stored), so they are not constrained.
 *
 * Per PE, two candidates, the one keeping more total |w| wins:
 * - greedy: 1. start from the K largest weights (plain balanced pruning);
 *   2. in every over-long gap keep the fewest weights that split it into gaps
 *   of at most maxGap, among those the largest-magnitude ones (a small dynamic
 *   program over the gap); 3. drop as many kept weights as were added,
 *   smallest magnitude first, each only if dropping it leaves no gap longer
 *   than maxGap (a column's last weight can always go: its gap becomes
 *   trailing), so K is unchanged;
 * - Lagrangian relaxation of the K constraint (max-gap-lagrange.ts), which is
 *   much better when many gaps are over-long (high sparsity); when it keeps
 *   exactly K at one price its set is optimal, and the greedy one is not made.
 * Weights that are zero in the input are never kept; a gap that holds only such
 * zeros cannot be filled and keeps its padding.
 */
import { rowToPe, rowsOfPes } from '@lstmc/target';
import { smallestMask } from './select.js';
import { lagrangeKeep } from './max-gap-lagrange.js';

export interface MaxGapPruneResult {
  readonly data: Float32Array;
  /** Sum of |w| kept by plain balanced pruning and by this one (the difference is the magnitude given up). */
  readonly keptPlain: number;
  readonly kept: number;
  /** Weights kept that plain balanced pruning drops (as many of its kept weights are dropped instead). */
  readonly moved: number;
}

/** The fewest, then largest, positions of [a, b] (mag > 0) so that every gap, bounds a-1 and b+1 included, is <= maxGap. */
function fillGap(mag: Float64Array, a: number, b: number, maxGap: number): number[] | undefined {
  // State j = "last kept position is j", j in [a-1, b+1]; index j - (a - 1).
  const n = b - a + 3;
  const count = new Int32Array(n).fill(-1);
  const sum = new Float64Array(n);
  const parent = new Int32Array(n).fill(-1);
  count[0] = 0;
  for (let k = 1; k < n; k++) {
    const j = a - 1 + k;
    const inside = j <= b;
    if (inside && !(mag[j] > 0)) continue;
    for (let i = Math.max(0, k - maxGap - 1); i < k; i++) {
      if (count[i] < 0) continue;
      const c = count[i] + (inside ? 1 : 0);
      const s = sum[i] + (inside ? mag[j] : 0);
      if (count[k] < 0 || c < count[k] || (c === count[k] && s > sum[k])) {
        count[k] = c;
        sum[k] = s;
        parent[k] = i;
      }
    }
  }
  if (count[n - 1] < 0) return undefined;
  const out: number[] = [];
  for (let k = parent[n - 1]; k > 0; k = parent[k]) out.push(a - 1 + k);
  return out;
}

/** Plain balanced pruning's kept count per PE. */
function keepPerPe(rows: number, cols: number, sparsity: number, pes: number): number {
  return Math.round(((1 - sparsity) * rows * cols) / Math.min(pes, rows));
}

export function pruneBalancedMaxGap(a: Float32Array, rows: number, cols: number, sparsity: number, pes: number, maxGap: number): MaxGapPruneResult {
  const K = keepPerPe(rows, cols, sparsity, pes);
  const out = new Float32Array(a.length);
  let keptPlain = 0;
  let kept = 0;
  let moved = 0;
  for (const peRows of rowsOfPes(rowToPe(rows, pes))) {
    const L = peRows.length;
    if (L === 0) continue;
    const n = L * cols;
    // Column-major within the PE: index c * L + l, so a column is contiguous.
    const mag = new Float64Array(n);
    peRows.forEach((r, l) => {
      for (let c = 0; c < cols; c++) mag[c * L + l] = Math.abs(a[r * cols + c]);
    });
    // Plain balanced pruning keeps the K largest (ties: lower row-major index first, as pruneBalanced).
    const scores = new Float32Array(n);
    peRows.forEach((_, l) => {
      for (let c = 0; c < cols; c++) scores[l * cols + c] = mag[c * L + l];
    });
    const drop = smallestMask(scores, n - K);
    const keep = new Uint8Array(n);
    let smallestKept = Number.POSITIVE_INFINITY;
    for (let l = 0; l < L; l++)
      for (let c = 0; c < cols; c++)
        if (!drop[l * cols + c] && mag[c * L + l] > 0) {
          keep[c * L + l] = 1;
          keptPlain += mag[c * L + l];
          smallestKept = Math.min(smallestKept, mag[c * L + l]);
        }
    const plain = keep.slice();
    const relaxed = lagrangeKeep(mag, L, cols, K, maxGap, Number.isFinite(smallestKept) ? smallestKept : undefined);
    // An optimal relaxed set is what the greedy one could at best tie with: the greedy one is then not made.
    const greedy = relaxed.optimal ? relaxed.keep : greedyKeep(mag, keep, L, cols, maxGap);
    const chosen = relaxed.optimal || (sumOf(mag, relaxed.keep) > sumOf(mag, greedy) && count(relaxed.keep) === count(greedy)) ? relaxed.keep : greedy;
    for (let i = 0; i < n; i++) if (chosen[i] && !plain[i]) moved++;
    keep.set(chosen);
    peRows.forEach((r, l) => {
      for (let c = 0; c < cols; c++)
        if (keep[c * L + l]) {
          out[r * cols + c] = a[r * cols + c];
          kept += mag[c * L + l];
        }
    });
  }
  return { data: out, keptPlain, kept, moved };
}

/** Steps 2 and 3 on a copy of `start` (the plain kept set). Exported for tests. */
export function greedyKeep(mag: Float64Array, start: Uint8Array, L: number, cols: number, maxGap: number): Uint8Array {
  const keep = start.slice();
  const n = keep.length;
  // 2. Fill over-long gaps.
  let added = 0;
  for (let c = 0; c < cols; c++) {
    const base = c * L;
    const col = mag.subarray(base, base + L);
    let prev = -1;
    for (let l = 0; l < L; l++) {
      if (!keep[base + l]) continue;
      if (l - prev - 1 > maxGap) {
        for (const j of fillGap(col, prev + 1, l - 1, maxGap) ?? []) {
          keep[base + j] = 1;
          added++;
        }
      }
      prev = l;
    }
  }
  // 3. Drop as many, smallest first, where no gap grows beyond maxGap.
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => keep[i])
    .sort((x, y) => mag[x] - mag[y] || y - x);
  let toDrop = added;
  while (toDrop > 0) {
    let progress = false;
    for (const i of order) {
      if (toDrop === 0) break;
      if (!keep[i] || !droppable(keep, i, L, maxGap)) continue;
      keep[i] = 0;
      toDrop--;
      progress = true;
    }
    if (!progress) throw new Error('max-gap pruning: no droppable weight (a column always has a droppable last weight)');
  }
  return keep;
}

function sumOf(mag: Float64Array, k: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < k.length; i++) if (k[i]) s += mag[i];
  return s;
}

function count(k: Uint8Array): number {
  let n = 0;
  for (const v of k) n += v;
  return n;
}

/** Whether dropping kept position i (column-major, column length L) leaves every gap <= maxGap. */
function droppable(keep: Uint8Array, i: number, L: number, maxGap: number): boolean {
  const base = i - (i % L);
  let next = -1;
  for (let j = i + 1; j < base + L; j++)
    if (keep[j]) {
      next = j;
      break;
    }
  if (next < 0) return true; // the column's last weight: its gap becomes trailing
  let prev = base - 1;
  for (let j = i - 1; j >= base; j--)
    if (keep[j]) {
      prev = j;
      break;
    }
  return next - prev - 1 <= maxGap;
}
