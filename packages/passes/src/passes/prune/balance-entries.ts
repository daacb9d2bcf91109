/**
 * Load balancing by encoded entries (non-zeros plus the padding entries of
 * the relative-indexed column layout), which is what sets each PE's cycles in
 * sparse-weight mode. Every PE keeps its largest weights; the number kept is
 * chosen per PE so that all PEs hold the same number of entries.
 *
 * entries(K) never decreases as K grows: a weight kept inside a gap adds one
 * entry and removes at most one padding entry, a weight kept after a column's
 * last one adds its entry plus the padding of the gap before it. So bisection
 * finds, per PE, the largest K whose entries fit the target (the rounded mean
 * of the nnz-balanced layout); a PE lands at most a few entries below it.
 */
import { rowToPe, rowsOfPes } from '@lstmc/target';

/** Encoded entries of one PE's share when the weights ranked below `keep` are kept. */
function entriesOf(rank: Int32Array, nRows: number, cols: number, keep: number, span: number): number {
  let total = 0;
  for (let c = 0; c < cols; c++) {
    let gap = 0;
    for (let l = 0; l < nRows; l++) {
      if (rank[l * cols + c] < keep) {
        total += 1 + Math.floor(gap / span);
        gap = 0;
      } else gap++;
    }
  }
  return total;
}

export function pruneBalancedEntries(a: Float32Array, rows: number, cols: number, sparsity: number, pes: number, relIndexBits: number): Float32Array {
  const span = 2 ** relIndexBits;
  const active = Math.min(pes, rows);
  const keep0 = Math.round(((1 - sparsity) * rows * cols) / active);
  const shares = rowsOfPes(rowToPe(rows, pes)).filter((r) => r.length > 0);
  // Rank of every element within its PE share, largest magnitude first (ties: lower index first).
  const ranks = shares.map((peRows) => {
    const n = peRows.length * cols;
    const order = Array.from({ length: n }, (_, i) => i);
    const mag = (i: number) => Math.abs(a[peRows[Math.floor(i / cols)] * cols + (i % cols)]);
    // Zeros never count as kept weights: they sort last.
    order.sort((x, y) => mag(y) - mag(x) || x - y);
    const rank = new Int32Array(n);
    order.forEach((i, r) => (rank[i] = mag(i) === 0 ? n : r));
    return rank;
  });
  const target = Math.round(shares.reduce((s, peRows, p) => s + entriesOf(ranks[p], peRows.length, cols, Math.min(keep0, peRows.length * cols), span), 0) / shares.length);
  const out = a.slice();
  shares.forEach((peRows, p) => {
    const n = peRows.length * cols;
    let lo = 0; // entriesOf(lo) <= target
    let hi = n + 1; // entriesOf(hi) > target (or beyond the share)
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (entriesOf(ranks[p], peRows.length, cols, mid, span) <= target) lo = mid;
      else hi = mid;
    }
    peRows.forEach((r, l) => {
      for (let c = 0; c < cols; c++) if (ranks[p][l * cols + c] >= lo) out[r * cols + c] = 0;
    });
  });
  return out;
}
