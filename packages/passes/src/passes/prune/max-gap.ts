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
import { smallestMagnitudesCut } from './select.js';
import { droppable, lagrangeKeep, lagrangeKeepAt, type Magnitudes } from './max-gap-lagrange.js';

export interface MaxGapPruneResult {
  readonly data: Float32Array;
  /** Sum of |w| kept by plain balanced pruning and by this one (the difference is the magnitude given up). */
  readonly keptPlain: number;
  readonly kept: number;
  /** Weights kept that plain balanced pruning drops (as many of its kept weights are dropped instead). */
  readonly moved: number;
}

/** The fewest, then largest, positions of [a, b] (mag > 0) so that every gap, bounds a-1 and b+1 included, is <= maxGap. */
function fillGap(mag: Magnitudes, a: number, b: number, maxGap: number): number[] | undefined {
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

/**
 * How far below K a PE's price search may stop (the rest is added greedily, largest first): one in a
 * thousand. The kept |w| then differs from the search run to K by far less (measured on random
 * 4096x1024 matrices at 90% and 95%: under 0.01%), and the search takes a few passes over the PE
 * instead of dozens.
 */
export const SEARCH_SLACK = 1e-3;

/**
 * How far (relative) the Lagrangian kept set may lie below its dual bound before the greedy candidate
 * is made too: the greedy set can beat it by at most that much.
 */
const GREEDY_GAP = 1e-3;

/**
 * Shares keeping fewer weights search their own price: their prices vary more from PE to PE, and
 * the search is cheap for them.
 */
const QUICK_MIN_KEEP = 1000;

/** How the predicted price follows the quick passes' excess: relative step per excess over K, and its bound. */
const PRICE_GAIN = 0.05;
const PRICE_STEP = 2.5e-3;

export function pruneBalancedMaxGap(a: Float32Array, rows: number, cols: number, sparsity: number, pes: number, maxGap: number): MaxGapPruneResult {
  return maxGapPrune(a, rows, cols, sparsity, pes, maxGap, true);
}

/** pruneBalancedMaxGap's pruned matrix alone (the same array), without the statistics beside it. */
export function pruneBalancedGapless(a: Float32Array, rows: number, cols: number, sparsity: number, pes: number, maxGap: number): Float32Array {
  return maxGapPrune(a, rows, cols, sparsity, pes, maxGap, false).data;
}

function maxGapPrune(a: Float32Array, rows: number, cols: number, sparsity: number, pes: number, maxGap: number, stats: boolean): MaxGapPruneResult {
  const K = keepPerPe(rows, cols, sparsity, pes);
  const out = new Float32Array(a.length);
  const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const shares = rowsOfPes(rowToPe(rows, pes));
  const largest = Math.max(0, ...shares.map((r) => r.length)) * cols;
  const peBits = new Uint32Array(largest);
  const scratch = new Uint32Array(largest);
  let keptPlain = 0;
  let kept = 0;
  let moved = 0;
  // Prices over the cut (the largest magnitude plain pruning drops): the PEs' shares are alike, so the
  // PEs after the first start at the first one's (where a search starts changes how long it takes, not
  // where it ends).
  let ratio: number | undefined;
  // Column-major within a PE: index c * L + l, so a column is contiguous.
  const plainAll = new Uint8Array(largest);
  const cutValue = new Float32Array(1);
  const cutBits = new Uint32Array(cutValue.buffer);
  for (const peRows of shares) {
    const L = peRows.length;
    if (L === 0) continue;
    const n = L * cols;
    const share = peBits.subarray(0, n);
    // The magnitudes as float32 (the bits of |w|) and as their bit patterns (integer order is value order).
    const mag = new Float32Array(share.buffer, share.byteOffset, n);
    // Column-major, gathered 16 rows at a time (a cache line per column).
    for (let l0 = 0; l0 < L; l0 += 16) {
      const l1 = Math.min(L, l0 + 16);
      for (let c = 0; c < cols; c++)
        for (let l = l0; l < l1; l++) share[c * L + l] = bits[peRows[l] * cols + c] & 0x7fffffff;
    }
    const cut = smallestMagnitudesCut(share, n - K, scratch);
    let t: number | undefined;
    if (cut) {
      cutBits[0] = cut.threshold;
      if (cutValue[0] > 0) t = cutValue[0];
    }
    const plain = plainAll.subarray(0, n);
    keptPlain += plainKept(share, mag, L, cut, plain);
    // Nothing to repair: the PE's rows are written as pruneBalanced writes them (the same bytes: zeros it
    // does not drop keep their sign).
    if (!longGapIn(plain, L, cols, maxGap)) {
      kept += writePlain(a, out, bits, peRows, cols, cut);
      continue;
    }
    // The first PE searches for its price; the others solve once at the predicted one, then add the few
    // missing or drop the few extra greedily.
    const relaxed =
      ratio === undefined || t === undefined || K < QUICK_MIN_KEEP
        ? lagrangeKeep(mag, L, cols, K, maxGap, t, Math.floor(K * SEARCH_SLACK))
        : lagrangeKeepAt(mag, L, cols, K, maxGap, t * ratio);
    // The first PE's searched price over its cut predicts the others'; a PE whose pass kept too many
    // (too few) moves the prediction up (down) a little: 1% of price per 20% of K, at most 0.25%.
    if (ratio === undefined) {
      if (t !== undefined && relaxed.price > 0) ratio = relaxed.price / t;
    } else ratio *= 1 + Math.max(-PRICE_STEP, Math.min(PRICE_STEP, (PRICE_GAIN * relaxed.excess) / K));
    let chosen = relaxed.keep;
    let sum = writeKept(a, out, peRows, cols, mag, chosen);
    // An optimal relaxed set (or one within GREEDY_GAP of the bound) is what the greedy one could at best
    // (nearly) tie with: the greedy one is then not made.
    if (!relaxed.optimal && sum < relaxed.bound * (1 - GREEDY_GAP)) {
      const greedy = greedyKeep(mag, plain, L, cols, maxGap);
      if (!(sum > sumOf(mag, greedy) && count(relaxed.keep) === count(greedy))) {
        chosen = greedy;
        for (const r of peRows) out.fill(0, r * cols, (r + 1) * cols);
        sum = writeKept(a, out, peRows, cols, mag, chosen);
      }
    }
    kept += sum;
    if (stats) for (let k = 0; k < n; k++) if (chosen[k] && !plain[k]) moved++;
  }
  return { data: out, keptPlain, kept, moved };
}

/** Whether a kept set (column-major, columns of L) has a run of more than maxGap unkept rows before a kept one. */
function longGapIn(keep: Uint8Array, L: number, cols: number, maxGap: number): boolean {
  for (let c = 0, base = 0; c < cols; c++, base += L) {
    let prev = -1;
    for (let l = 0; l < L; l++)
      if (keep[base + l]) {
        if (l - prev - 1 > maxGap) return true;
        prev = l;
      }
  }
  return false;
}

/**
 * Plain balanced pruning's kept set of one PE into `plain` (column-major): every non-zero magnitude
 * above the cut, and those equal to it but the first `ties` in PE-local row-major order (the K largest,
 * ties as pruneBalanced breaks them). Returns their sum.
 */
function plainKept(share: Uint32Array, mag: Float32Array, L: number, cut: { threshold: number; ties: number } | undefined, plain: Uint8Array): number {
  const n = share.length;
  const thr = cut ? cut.threshold : -1;
  let sum = 0;
  let equal = 0;
  for (let k = 0; k < n; k++) {
    const b = share[k];
    const keepIt = b > thr && mag[k] > 0;
    plain[k] = keepIt ? 1 : 0;
    if (keepIt) sum += mag[k];
    else if (b === thr) equal++;
  }
  // Equal to the cut and not all of them dropped: the first `ties` in row-major order are.
  if (cut && cut.ties < equal) {
    const at: number[] = [];
    for (let k = 0; k < n; k++) if (share[k] === thr) at.push(k);
    if (cut.ties > 0) at.sort((x, y) => (x % L) - (y % L) || x - y); // row-major: row, then column
    at.forEach((k, j) => {
      if (j < cut.ties || !(mag[k] > 0)) return;
      plain[k] = 1;
      sum += mag[k];
    });
  }
  return sum;
}

/** A PE's rows as pruneBalanced leaves them: copied, then the magnitudes below the cut and the first `ties` equal to it (row-major) zeroed; returns the kept |w|. */
function writePlain(a: Float32Array, out: Float32Array, bits: Uint32Array, peRows: Int32Array, cols: number, cut: { threshold: number; ties: number } | undefined): number {
  const thr = cut ? cut.threshold : -1;
  let ties = cut ? cut.ties : 0;
  let sum = 0;
  for (const r of peRows)
    for (let i = r * cols; i < (r + 1) * cols; i++) {
      const b = bits[i] & 0x7fffffff;
      if (b < thr || (b === thr && ties-- > 0)) continue;
      out[i] = a[i];
      sum += Math.abs(a[i]);
    }
  return sum;
}

/** Copies a PE's kept weights (column-major `keep`) from `a` into `out`, row by row; returns their |w| sum. */
function writeKept(a: Float32Array, out: Float32Array, peRows: Int32Array, cols: number, mag: Float32Array, keep: Uint8Array): number {
  const L = peRows.length;
  let sum = 0;
  // 16 rows at a time, as the gather: keep is read a cache line per column.
  for (let l0 = 0; l0 < L; l0 += 16) {
    const l1 = Math.min(L, l0 + 16);
    for (let c = 0; c < cols; c++)
      for (let l = l0, k = c * L + l0; l < l1; l++, k++)
        if (keep[k]) {
          const at = peRows[l] * cols + c;
          out[at] = a[at];
          sum += mag[k];
        }
  }
  return sum;
}

/** Steps 2 and 3 on a copy of `start` (the plain kept set). Exported for tests. */
export function greedyKeep(mag: Magnitudes, start: Uint8Array, L: number, cols: number, maxGap: number): Uint8Array {
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

function sumOf(mag: Magnitudes, k: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < k.length; i++) if (k[i]) s += mag[i];
  return s;
}

function count(k: Uint8Array): number {
  let n = 0;
  for (const v of k) n += v;
  return n;
}
