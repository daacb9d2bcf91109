/** Resolution of every threshold the cost model derives (0.001). */
export const THRESHOLD_GRID = 1000;

/**
 * The smallest sparsity s on the 0.001 grid with `cheaper(s)` true, assuming
 * `cheaper` is monotone in s (false below the threshold, true from it on);
 * Infinity when even s = 1 is not cheaper.
 */
export function sparsityThreshold(cheaper: (s: number) => boolean): number {
  if (!cheaper(1)) return Number.POSITIVE_INFINITY;
  let lo = -1; // cheaper(lo / GRID) is false (or lo is below the grid)
  let hi = THRESHOLD_GRID; // cheaper(hi / GRID) is true
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cheaper(mid / THRESHOLD_GRID)) hi = mid;
    else lo = mid;
  }
  return hi / THRESHOLD_GRID;
}
