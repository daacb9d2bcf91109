/** `auto` thresholds from the target's cost model. */
import { type MatrixShape, type MatvecMode, type Target, breakEvenSparsity, expectedMatvecCycles, usesSparseInput } from '@lstmc/target';

export function autoWeightThreshold(shape: MatrixShape, t: Target): number {
  return breakEvenSparsity(shape, t, 0);
}

const GRID = 1000;

/**
 * The input sparsity from which `high` is cheaper than `low` for this shape
 * and weight sparsity (resolution 0.001); Infinity when it never is.
 * The cost of a mode that skips zero inputs falls monotonically as input
 * sparsity grows (fewer columns processed) and a mode that does not skip
 * costs the same at every input sparsity, so the smallest grid point where
 * `high` wins is found by bisection.
 */
export function autoInputThreshold(shape: MatrixShape, t: Target, ws: number, low: MatvecMode, high: MatvecMode): number {
  const cost = (m: MatvecMode, s: number) => expectedMatvecCycles(shape, m, ws, s, t);
  const lowFixed = usesSparseInput(low) ? undefined : cost(low, 0);
  const cheaper = (k: number) => cost(high, k / GRID) < (lowFixed ?? cost(low, k / GRID));
  if (!cheaper(GRID)) return Number.POSITIVE_INFINITY;
  let lo = -1; // cheaper(lo) is false (or lo is below the grid)
  let hi = GRID; // cheaper(hi) is true
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cheaper(mid)) hi = mid;
    else lo = mid;
  }
  return hi / GRID;
}
