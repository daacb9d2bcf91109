/**
 * Graph evaluation: computes named values of a graph for one sample (graph
 * input name -> tensor, e.g. a calibration sample). Passes
 * declare only this interface; executing a graph is a back end's job, so
 * whoever runs a pipeline injects an evaluator (`runPipeline`'s `evaluate`
 * option): lstmc's commands give `makeRuntimeEvaluator()` of
 * @lstmc/backend-js, which runs the graph on the JS runtime.
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

/**
 * `ctx.evaluate` of a pipeline run given no evaluator: the values available
 * without executing anything, else `E-PASS-NO-EVALUATOR` raised through
 * `fail` (the pass context's, so the diagnostic names the pass and plugin).
 */
export function missingEvaluator(fail: (code: string, message: string) => never): GraphEvaluator {
  return async (g, sample, wanted) => {
    const trivial = trivialValues(g, sample, wanted);
    if (trivial) return trivial;
    const computed = wanted.filter((w) => !sample.has(w) && !g.initializers.has(w));
    const what = `'${computed[0]}'${computed.length > 1 ? ` and ${computed.length - 1} more value(s)` : ''}`;
    return fail(
      'E-PASS-NO-EVALUATOR',
      `needs to run graph '${g.name}' to compute ${what}, and this pipeline run has no graph evaluator: give runPipeline an \`evaluate\` option (lstmc's commands give makeRuntimeEvaluator() of @lstmc/backend-js)`,
    );
  };
}
