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

/** |w| of one PE, column-major (float32 as the weights are, or float64). */
export type Magnitudes = Float32Array | Float64Array;

/** Scratch arrays of one column's dynamic program (length L). */
export interface Scratch {
  readonly f: Float64Array;
  readonly cnt: Int32Array;
  readonly parent: Int32Array;
  readonly dq: Int32Array;
  /** Filler positions of the chain being built. */
  readonly fill: Int32Array;
  /** solveColumn's chain value (sum of |w| - lam over the chain; 0 for the empty chain). */
  readonly best: Float64Array;
}

/** Scratch for columns of L rows. */
export function columnScratch(L: number): Scratch {
  return { f: new Float64Array(L + 1), cnt: new Int32Array(L + 1), parent: new Int32Array(L + 1), dq: new Int32Array(L + 1), fill: new Int32Array(L), best: new Float64Array(1) };
}

/**
 * Best chain of column c (positions c*L ..) at price lam: writes keep (0/1) when given; returns its count.
 *
 * A best chain holds every weight above the price up to its last one (adding such a weight between two
 * kept ones keeps every gap legal and raises the value), so the column is walked once: between two
 * consecutive weights above the price (or the column start and the first) a gap longer than maxGap is
 * bridged by the cheapest fillers (weights at or below the price, cost lam - |w| each, none zero), a
 * small dynamic program over that gap only; the chain ends after the weight where its running value is
 * largest (ties: the earliest), and a gap nothing can bridge ends the walk.
 */
export function solveColumn(mag: Magnitudes, L: number, c: number, maxGap: number, lam: number, s: Scratch, keep?: Uint8Array): number {
  const { f, parent, dq, fill } = s;
  const base = c * L;
  let value = 0;
  let cnt = 0;
  let last = -1;
  let best = 0;
  let bestCnt = 0;
  let bestEnd = -1;
  let fills = 0; // fillers recorded in `fill` (positions, in column order)
  let bestFills = 0;
  for (let j = 0; j < L; j++) {
    const m = mag[base + j];
    if (!(m > lam)) continue;
    const len = j - last;
    if (len - 1 > maxGap) {
      const one = len - 1 <= 2 * maxGap + 1 ? oneFiller(mag, base, last, len, maxGap, lam) : -1;
      if (one > 0) {
        value -= lam - mag[base + last + one];
        fill[fills++] = last + one;
        cnt++;
      } else {
        if (!bridge(mag, base, last, len, maxGap, lam, s)) break;
        value -= f[len];
        const first = fills;
        for (let k = parent[len]; k > 0; k = parent[k]) fill[fills++] = last + k;
        cnt += fills - first;
      }
    }
    value += m - lam;
    cnt++;
    last = j;
    if (keep) keep[base + j] = 1;
    if (value > best) {
      best = value;
      bestCnt = cnt;
      bestEnd = j;
      bestFills = fills;
    }
  }
  s.best[0] = best;
  if (keep) {
    // The weights above the price were marked as they were walked: unmark those after the chain's end.
    for (let j = bestEnd + 1; j <= last; j++) keep[base + j] = 0;
    for (let q = 0; q < bestFills; q++) keep[base + fill[q]] = 1;
  }
  return bestEnd < 0 ? 0 : bestCnt;
}

/**
 * For a gap one filler can bridge (len - 1 <= 2 maxGap + 1 zeros after row `last`): the node k of the
 * largest |w| at rows last + k, k in [len - maxGap - 1, maxGap + 1] (the later of equals, as `bridge`
 * picks), when that one filler is the cheapest bridge: any bridge of two or more costs at least
 * 2 (lam - the gap's largest |w|). -1 otherwise (then `bridge` decides).
 */
function oneFiller(mag: Magnitudes, base: number, last: number, len: number, maxGap: number, lam: number): number {
  const lo = len - maxGap - 1;
  let bk = -1;
  let bw = 0;
  let gmax = 0;
  for (let k = 1; k < len; k++) {
    const w = mag[base + last + k];
    if (w > gmax) gmax = w;
    if (k >= lo && k <= maxGap + 1 && w > 0 && w >= bw) {
      bw = w;
      bk = k;
    }
  }
  return bk > 0 && lam - bw < 2 * (lam - gmax) ? bk : -1;
}

/**
 * The cheapest bridge of the gap after row `last` of the column at `base` up to row last + len:
 * nodes k = 0 (at last) .. len, steps of at most maxGap + 1, node k < len costing lam - |w| (none
 * zero); into s.f (costs) and s.parent. False when nothing bridges it.
 */
function bridge(mag: Magnitudes, base: number, last: number, len: number, maxGap: number, lam: number, s: Scratch): boolean {
  const { f, parent, dq } = s;
  let head = 0;
  let tail = 0;
  f[0] = 0;
  dq[tail++] = 0;
  for (let k = 1; k <= len; k++) {
    while (head < tail && dq[head] < k - maxGap - 1) head++;
    if (head === tail) return false;
    const from = dq[head];
    if (k === len) {
      f[k] = f[from];
      parent[k] = from;
      return true;
    }
    const w = mag[base + last + k];
    if (!(w > 0)) continue;
    const fk = f[from] + (lam - w);
    f[k] = fk;
    parent[k] = from;
    while (head < tail && f[dq[tail - 1]] >= fk) tail--;
    dq[tail++] = k;
  }
  return false;
}

export interface LagrangeKeep {
  /** Kept positions (column-major, index c * L + l). */
  readonly keep: Uint8Array;
  /** Exactly K were kept at one price: no kept set of K weights has a larger total |w|. */
  readonly optimal: boolean;
  /** The final price (the search's upper end). */
  readonly price: number;
  /** price * K + the sum of the columns' best chain values at that price: no feasible set of K weights keeps more |w|. */
  readonly bound: number;
  /** lagrangeKeepAt: how many more than K its first pass kept at the price it was given (negative: fewer); 0 for lagrangeKeep. */
  readonly excess: number;
}

/**
 * Kept positions (column-major, index c * L + l) of one PE: exactly min(K, keepable) weights, no gap > maxGap.
 * `hint`: where the price search starts (the K-th largest of `mag` when not given; a price near the one
 * sought makes the search short). `slack`: the search may end at a price keeping up to `slack` fewer
 * than K, the rest added greedily (0: it ends only at K or when the bracket cannot shrink).
 */
export function lagrangeKeep(mag: Magnitudes, L: number, cols: number, K: number, maxGap: number, hint?: number, slack = 0): LagrangeKeep {
  const s = columnScratch(L);
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
      exact = K - n <= slack;
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
  let chains = 0;
  for (let c = 0; c < cols; c++) {
    n += solveColumn(mag, L, c, maxGap, hi, s, keep);
    chains += s.best[0];
  }
  if (n > K) {
    // Rounding (or ties) broke a column's monotone count: search again above hi, solving every column.
    stable = false;
    exact = false;
    lo = hi;
    hi = max * 2 + 1;
    for (let it = 0; !exact && it < 50 && hi - lo > 1e-12 * hi; it++) probe((lo + hi) / 2);
    keep = new Uint8Array(L * cols);
    n = 0;
    chains = 0;
    for (let c = 0; c < cols; c++) {
      n += solveColumn(mag, L, c, maxGap, hi, s, keep);
      chains += s.best[0];
    }
  }
  const optimal = n === K;
  if (n < K) fillUp(mag, L, cols, maxGap, keep, K - n);
  return { keep, optimal, price: hi, bound: hi * K + chains, excess: 0 };
}

/**
 * The kept positions of one PE from a price known to be close to the one sought (the previous PE's,
 * relative to its K-th largest weight): every column solved at `price`, raised by 0.2%, 0.4%, 0.8%, ...
 * while more than K would be kept, then the missing ones added greedily as in lagrangeKeep. One pass
 * over the PE when the price is good (lagrangeKeep's search takes several); the kept |w| is within
 * what the greedy additions give up of lagrangeKeep's (measured: under 0.01% on random 4096x1024
 * matrices at 90% and 95%).
 */
export function lagrangeKeepAt(mag: Magnitudes, L: number, cols: number, K: number, maxGap: number, price: number): LagrangeKeep {
  const s = columnScratch(L);
  const keep = new Uint8Array(L * cols);
  let lam = price;
  let n = 0;
  let chains = 0;
  let excess = 0;
  for (let k = 0; ; k++) {
    n = 0;
    chains = 0;
    for (let c = 0; c < cols; c++) {
      n += solveColumn(mag, L, c, maxGap, lam, s, keep);
      chains += s.best[0];
    }
    // A few too many: the smallest that can go without opening an over-long gap go.
    if (k === 0) excess = n - K;
    if (n > K && n - K <= K * QUICK_DROP) n -= dropSmallest(mag, L, maxGap, keep, n - K, lam);
    if (n <= K || k >= 40) break;
    keep.fill(0);
    lam *= 1 + 0.002 * 2 ** k;
  }
  const optimal = n === K;
  if (n < K) fillUp(mag, L, cols, maxGap, keep, K - n);
  return { keep, optimal, price: lam, bound: lam * K + chains, excess };
}

/** lagrangeKeepAt drops up to this fraction of K greedily when its price keeps too many (more: a higher price). */
const QUICK_DROP = 0.02;

/**
 * Drops up to `excess` kept weights, smallest first, each only where dropping it leaves no gap longer
 * than maxGap (a column's last weight can always go). The candidates are the kept weights below
 * 1.01 x lam, the price the set was solved at (a best chain's weights above the price are the largest).
 * Returns how many were dropped.
 */
function dropSmallest(mag: Magnitudes, L: number, maxGap: number, keep: Uint8Array, excess: number, lam: number): number {
  const limit = lam * 1.01;
  const cand: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i] && mag[i] < limit) cand.push(i);
  cand.sort((x, y) => mag[x] - mag[y] || x - y);
  let dropped = 0;
  for (let pass = 0; pass < 4 && dropped < excess; pass++)
    for (const i of cand) {
      if (dropped === excess) break;
      if (!keep[i] || !droppable(keep, i, L, maxGap)) continue;
      keep[i] = 0;
      dropped++;
    }
  return dropped;
}

/**
 * Adds `missing` weights, each time the largest addable one (the first of equals in column-major
 * order): a position is addable when the zeros between it and the previous kept weight of its
 * column (or the column start) are <= maxGap. Returns how many could not be added.
 */
function fillUp(mag: Magnitudes, L: number, cols: number, maxGap: number, keep: Uint8Array, missing: number): number {
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

/** Whether dropping kept position i (column-major, column length L) leaves every gap <= maxGap. */
export function droppable(keep: Uint8Array, i: number, L: number, maxGap: number): boolean {
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
