/**
 * The kept set of one PE for padding-aware pruning by Lagrangian relaxation:
 * "keep exactly K weights, no gap > maxGap, largest total |w|" couples the
 * columns only through K, so for a price lam per kept weight every column is
 * solved alone — the best chain of kept positions by sum(|w| - lam), each
 * position at most maxGap zeros after the previous one (or the column start),
 * trailing zeros free — by a dynamic program with a sliding-window maximum.
 * Bisection on lam finds the cheapest price at which at most K are kept; the
 * few still missing are added greedily, largest first, where they open no
 * over-long gap. sum over columns + lam K bounds every feasible kept set from
 * above, so the result is close to optimal when few are added.
 */

/** Best chain per column at price lam: writes keep (0/1) when `keep` is given; returns the kept count. */
function solve(mag: Float64Array, L: number, cols: number, maxGap: number, lam: number, keep?: Uint8Array): number {
  const f = new Float64Array(L);
  const cnt = new Int32Array(L);
  const parent = new Int32Array(L);
  const dq = new Int32Array(L);
  let total = 0;
  for (let c = 0; c < cols; c++) {
    const base = c * L;
    let head = 0;
    let tail = 0; // dq[head..tail) holds candidate predecessors, f decreasing
    let best = 0;
    let bestEnd = -1;
    for (let j = 0; j < L; j++) {
      while (head < tail && dq[head] < j - maxGap - 1) head++;
      const m = mag[base + j];
      if (m > 0) {
        let prev = j <= maxGap ? 0 : Number.NEGATIVE_INFINITY;
        let p = -1;
        if (head < tail && f[dq[head]] > prev) {
          prev = f[dq[head]];
          p = dq[head];
        }
        f[j] = m - lam + prev;
        cnt[j] = (p >= 0 ? cnt[p] : 0) + 1;
        parent[j] = p;
      } else f[j] = Number.NEGATIVE_INFINITY;
      if (f[j] > Number.NEGATIVE_INFINITY) {
        while (head < tail && f[dq[tail - 1]] <= f[j]) tail--;
        dq[tail++] = j;
        if (f[j] > best) {
          best = f[j];
          bestEnd = j;
        }
      }
    }
    if (bestEnd >= 0) {
      total += cnt[bestEnd];
      if (keep) for (let j = bestEnd; j >= 0; j = parent[j]) keep[base + j] = 1;
    }
  }
  return total;
}

/** Kept positions (column-major, index c * L + l) of one PE: exactly min(K, keepable) weights, no gap > maxGap. */
export function lagrangeKeep(mag: Float64Array, L: number, cols: number, K: number, maxGap: number): Uint8Array {
  let hi = 0;
  for (const m of mag) hi = Math.max(hi, m);
  hi = hi * 2 + 1; // nothing is worth keeping at this price
  let lo = 0;
  for (let it = 0; it < 50 && hi - lo > 1e-12 * hi; it++) {
    const mid = (lo + hi) / 2;
    if (solve(mag, L, cols, maxGap, mid) <= K) hi = mid;
    else lo = mid;
  }
  const keep = new Uint8Array(L * cols);
  let n = solve(mag, L, cols, maxGap, hi, keep);
  // Add the largest weights that open no over-long gap: a position is addable when the zeros
  // between it and the previous kept weight of its column (or the column start) are <= maxGap.
  while (n < K) {
    let pick = -1;
    for (let c = 0; c < cols; c++) {
      const base = c * L;
      let prev = -1;
      for (let l = 0; l < L; l++) {
        if (keep[base + l]) {
          prev = l;
          continue;
        }
        if (l - prev - 1 > maxGap) break; // no later position of this column is addable
        if (mag[base + l] > 0 && (pick < 0 || mag[base + l] > mag[pick])) pick = base + l;
      }
    }
    if (pick < 0) break;
    keep[pick] = 1;
    n++;
  }
  return keep;
}
