/**
 * The Lagrangian search of padding-aware pruning as it was before the fast search
 * (src/passes/prune/max-gap-lagrange.ts): plain bisection on the price over the whole
 * bracket, every column solved at every step, and one scan of the whole PE per added
 * weight. The column dynamic program is the shared `solveColumn`.
 */
import { columnScratch, solveColumn } from '../../src/passes/prune/max-gap-lagrange.js';

export function referenceLagrangeKeep(mag: Float64Array, L: number, cols: number, K: number, maxGap: number): Uint8Array {
  const s = columnScratch(L);
  const solve = (lam: number, keep?: Uint8Array) => {
    let n = 0;
    for (let c = 0; c < cols; c++) n += solveColumn(mag, L, c, maxGap, lam, s, keep);
    return n;
  };
  let hi = 0;
  for (const m of mag) hi = Math.max(hi, m);
  hi = hi * 2 + 1;
  let lo = 0;
  for (let it = 0; it < 50 && hi - lo > 1e-12 * hi; it++) {
    const mid = (lo + hi) / 2;
    if (solve(mid) <= K) hi = mid;
    else lo = mid;
  }
  const keep = new Uint8Array(L * cols);
  let n = solve(hi, keep);
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
        if (l - prev - 1 > maxGap) break;
        if (mag[base + l] > 0 && (pick < 0 || mag[base + l] > mag[pick])) pick = base + l;
      }
    }
    if (pick < 0) break;
    keep[pick] = 1;
    n++;
  }
  return keep;
}
