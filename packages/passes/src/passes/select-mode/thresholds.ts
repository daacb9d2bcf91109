/** `auto` thresholds from the target's cost model. */
import { type MatrixShape, type MatvecMode, type Target, breakEvenSparsity, expectedMatvecCycles } from '@lstmc/target';

export function autoWeightThreshold(shape: MatrixShape, t: Target): number {
  return breakEvenSparsity(shape, t, 0);
}

const GRID = 1000;

/**
 * The input sparsity from which `high` is cheaper than `low` for this shape
 * and weight sparsity (resolution 0.001); Infinity when it never is.
 */
export function autoInputThreshold(shape: MatrixShape, t: Target, ws: number, low: MatvecMode, high: MatvecMode): number {
  const cheaper = (s: number) => expectedMatvecCycles(shape, high, ws, s, t) < expectedMatvecCycles(shape, low, ws, s, t);
  if (!cheaper(1)) return Number.POSITIVE_INFINITY;
  let k = GRID;
  while (k > 0 && cheaper((k - 1) / GRID)) k--;
  return k / GRID;
}
