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
 * above, so the result is close to optimal when few are added, and optimal
 * when none is: a price at which exactly K are kept ends the search.
 *
 * The search is fast because a column's kept count never rises with the price
 * (for lam1 < lam2 and chains S1, S2 best at each, adding their optimality
 * conditions gives (lam2 - lam1)(|S1| - |S2|) >= 0): a column whose count is
 * the same at both ends of the bracket keeps it inside, so only the others are
 * solved again, and the bracket starts around the price of the K-th largest
 * weight. The final kept set is one full solve at the final price.
 */

import { kthSmallest } from './select.js';

/** Scratch arrays of one column's dynamic program (length L). */
interface Scratch {
  readonly f: Float64Array;
  readonly cnt: Int32Array;
  readonly parent: Int32Array;
  readonly dq: Int32Array;
}

/** Best chain of column c (positions c*L ..) at price lam: writes keep (0/1) when given; returns its count. */
export function solveColumn(mag: Float64Array, L: number, c: number, maxGap: number, lam: number, s: Scratch, keep?: Uint8Array): number {
  const { f, cnt, parent, dq } = s;
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
  if (bestEnd < 0) return 0;
  if (keep) for (let j = bestEnd; j >= 0; j = parent[j]) keep[base + j] = 1;
  return cnt[bestEnd];
}

export interface LagrangeKeep {
  /** Kept positions (column-major, index c * L + l). */
  readonly keep: Uint8Array;
  /** Exactly K were kept at one price: no kept set of K weights has a larger total |w|. */
  readonly optimal: boolean;
}

/**
 * Kept positions (column-major, index c * L + l) of one PE: exactly min(K, keepable) weights, no gap > maxGap.
 * `hint`: the K-th largest of `mag`, when known.
 */
export function lagrangeKeep(mag: Float64Array, L: number, cols: number, K: number, maxGap: number, hint?: number): LagrangeKeep {
  const s: Scratch = { f: new Float64Array(L), cnt: new Int32Array(L), parent: new Int32Array(L), dq: new Int32Array(L) };
  let max = 0;
  for (const m of mag) max = Math.max(max, m);
  // Per column, its count at the bracket's ends: 0 at lo = 0 is not known yet (-1), 0 at hi (nothing is worth keeping there).
  let lo = 0;
  let hi = max * 2 + 1;
  const atLo = new Int32Array(cols).fill(-1);
  const atHi = new Int32Array(cols);
  const at = new Int32Array(cols);
  // Whether a column's counts at both ends are taken for its count inside (false: every column is solved).
  let stable = true;
  /** The count at lam (columns stable between the ends are not solved), into `at`. */
  const countAt = (lam: number): number => {
    let n = 0;
    for (let c = 0; c < cols; c++) {
      at[c] = stable && atLo[c] === atHi[c] ? atHi[c] : solveColumn(mag, L, c, maxGap, lam, s);
      n += at[c];
    }
    return n;
  };
  let exact = false;
  const probe = (lam: number): void => {
    const n = countAt(lam);
    if (n <= K) {
      hi = lam;
      atHi.set(at);
      exact = n === K;
    } else {
      lo = lam;
      atLo.set(at);
    }
  };
  // Start around the price of the K-th largest weight (`hint`, when the caller knows it), widening the
  // bracket by 2^k percent until it holds K. Where the search starts changes how long it takes, not where it ends.
  const t = hint ?? (K >= 1 && K <= mag.length ? kthSmallest(Float64Array.from(mag), mag.length - K + 1) : 0);
  if (t > 0 && t < hi) {
    probe(t);
    const down = hi === t; // at most K are kept at t: the price sought is below
    for (let k = 0; !exact && k < 40; k++) {
      const step = 1 + 0.01 * 2 ** k;
      const next = down ? t / step : t * step;
      if (!(next > lo && next < hi)) break;
      probe(next);
      if (down ? lo === next : hi === next) break;
    }
  }
  for (let it = 0; !exact && it < 50 && hi - lo > 1e-12 * hi; it++) probe((lo + hi) / 2);
  let keep = new Uint8Array(L * cols);
  let n = 0;
  for (let c = 0; c < cols; c++) n += solveColumn(mag, L, c, maxGap, hi, s, keep);
  if (n > K) {
    // Rounding (or ties) broke a column's monotone count: search again above hi, solving every column.
    stable = false;
    exact = false;
    lo = hi;
    hi = max * 2 + 1;
    for (let it = 0; !exact && it < 50 && hi - lo > 1e-12 * hi; it++) probe((lo + hi) / 2);
    keep = new Uint8Array(L * cols);
    n = 0;
    for (let c = 0; c < cols; c++) n += solveColumn(mag, L, c, maxGap, hi, s, keep);
  }
  const optimal = n === K;
  if (n < K) fillUp(mag, L, cols, maxGap, keep, K - n);
  return { keep, optimal };
}

/**
 * Adds `missing` weights, each time the largest addable one (the first of equals in column-major
 * order): a position is addable when the zeros between it and the previous kept weight of its
 * column (or the column start) are <= maxGap. Returns how many could not be added.
 */
function fillUp(mag: Float64Array, L: number, cols: number, maxGap: number, keep: Uint8Array, missing: number): number {
  // Each column's best addable position (-1: none); only the column that gains a weight changes.
  const bestOf = (c: number): number => {
    const base = c * L;
    let pick = -1;
    let prev = -1;
    for (let l = 0; l < L; l++) {
      if (keep[base + l]) {
        prev = l;
        continue;
      }
      if (l - prev - 1 > maxGap) break; // no later position of this column is addable
      if (mag[base + l] > 0 && (pick < 0 || mag[base + l] > mag[pick])) pick = base + l;
    }
    return pick;
  };
  const best = Int32Array.from({ length: cols }, (_, c) => bestOf(c));
  for (; missing > 0; missing--) {
    let pick = -1;
    for (let c = 0; c < cols; c++) {
      const b = best[c];
      if (b >= 0 && (pick < 0 || mag[b] > mag[pick])) pick = b;
    }
    if (pick < 0) break;
    keep[pick] = 1;
    const c = Math.floor(pick / L);
    best[c] = bestOf(c);
  }
  return missing;
}
