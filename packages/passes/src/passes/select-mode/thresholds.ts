/** `auto` thresholds from the target's cost model. */
import {
  type LayerSparsity,
  type LayoutChoice,
  type MatrixShape,
  type MatvecMode,
  type Target,
  bestWeightLayouts,
  expectedMatvecCycles,
  layerWeightThreshold,
  layoutsLabel,
  sparsityThreshold,
  usesSparseInput,
} from '@lstmc/target';

export interface AutoWeightThresholds {
  /** The cheapest weight layouts of the layer step. */
  readonly choice: LayoutChoice;
  /** Per matrix: the weight sparsity at which its layout flips, the other matrix keeping its chosen layout. */
  readonly thresholds: { readonly W: number; readonly R: number };
}

/**
 * Weight thresholds of one layer direction for `weight-threshold=auto`. The
 * four combinations of dense/sparse W and R are costed as whole steps
 * (`bestWeightLayouts`: the shared weight SRAM decides whether the layer
 * streams its weights every step); each matrix's threshold is where its own
 * layout flips given the other's choice (`layerWeightThreshold`). At the
 * layer's own sparsities `ws >= threshold` reproduces the cheapest combination
 * (up to the 0.001 grid), so the patent's rule applied with these thresholds
 * makes the cost model's choice.
 */
export function autoWeightThresholds(layer: LayerSparsity, t: Target): AutoWeightThresholds {
  const choice = bestWeightLayouts(layer, t);
  return {
    choice,
    thresholds: { W: layerWeightThreshold(layer, 'W', choice.sparseR, t), R: layerWeightThreshold(layer, 'R', choice.sparseW, t) },
  };
}

/** Report row: layer, sparsities, expected step cycles of each layout combination, the cheapest, thresholds. */
export function layerReportRow(label: string, layer: LayerSparsity, a: AutoWeightThresholds): (string | number)[] {
  const th = (v: number) => (Number.isFinite(v) ? v : 'never');
  return [label, layer.weightSparsityW, layer.weightSparsityR, ...a.choice.costs.map((c) => c.cycles), layoutsLabel(a.choice), th(a.thresholds.W), th(a.thresholds.R)];
}

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
  return sparsityThreshold((s) => cost(high, s) < (lowFixed ?? cost(low, s)));
}
