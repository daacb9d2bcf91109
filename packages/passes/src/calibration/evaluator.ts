/**
 * Graph evaluation for calibration: computes named values of a graph for one
 * calibration sample. The pass manager passes an evaluator to passes through
 * their context; the default one runs the graph with the JS backend and
 * runtime (see default-evaluator.ts).
 */
import type { Graph, Tensor } from '@lstmc/ir';
import type { CalibrationSample } from '../pass.js';

export type GraphEvaluator = (g: Graph, sample: CalibrationSample, wanted: readonly string[]) => Promise<ReadonlyMap<string, Tensor>>;

/** Values available without executing anything: graph inputs from the sample and initializers. */
export function trivialValues(g: Graph, sample: CalibrationSample, wanted: readonly string[]): Map<string, Tensor> | undefined {
  const out = new Map<string, Tensor>();
  for (const w of wanted) {
    const t = sample.get(w) ?? g.initializers.get(w);
    if (!t) return undefined;
    out.set(w, t);
  }
  return out;
}
