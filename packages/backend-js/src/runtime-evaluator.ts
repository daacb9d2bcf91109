/**
 * The graph evaluator that lstmc's commands give the pass manager
 * (`runPipeline(g, p, { evaluate })`, the `GraphEvaluator` interface of
 * @lstmc/passes): lowers the graph with this backend (every wanted value made
 * a graph output) and runs it with the runtime. Calibration uses it to trace
 * what each layer sees. Each
 * evaluator keeps its own cache of compiled models, keyed by graph identity,
 * so one pipeline run compiles a graph once for all samples.
 */
import { type Graph, type Tensor, fail, updateGraph } from '@lstmc/ir';
import { type GraphEvaluator, trivialValues } from '@lstmc/passes';
import { type Model, type TensorMap, createModel, hasWasmSimd, isRuntimeError } from '@lstmc/runtime';
import { irToRtTensor, lowerToRuntime, rtToIrTensor } from './lower/index.js';

export function makeRuntimeEvaluator(): GraphEvaluator {
  const cache = new Map<Graph, Map<string, Model>>();
  const modelFor = (g: Graph, outputs: readonly string[]): Model => {
    let byOutputs = cache.get(g);
    if (!byOutputs) {
      cache.clear();
      cache.set(g, (byOutputs = new Map()));
    }
    const key = outputs.join('\u0000');
    let m = byOutputs.get(key);
    if (!m) {
      // The plain SIMD module, not the relaxed one: calibration, and so the compiled output, is the
      // same bits on every host with WebAssembly SIMD.
      m = createModel(lowerToRuntime(updateGraph(g, { outputs }), { verify: false }), { matvec: hasWasmSimd() ? 'wasm-simd' : 'js' });
      byOutputs.set(key, m);
    }
    return m;
  };
  return async (g, sample, wanted) => {
    const trivial = trivialValues(g, sample, wanted);
    if (trivial) return trivial;
    const computed = wanted.filter((w) => !sample.has(w) && !g.initializers.has(w));
    try {
      const model = modelFor(g, computed);
      const feed: TensorMap = {};
      for (const name of g.inputs) {
        const t = sample.get(name);
        if (!t) fail('E-CALIB-INPUT', `calibration sample lacks graph input '${name}'`, { field: name });
        feed[name] = irToRtTensor(t, { field: name });
      }
      const out = model.run(feed);
      const result = new Map<string, Tensor>();
      for (const w of wanted) result.set(w, sample.get(w) ?? g.initializers.get(w) ?? rtToIrTensor(out[w]));
      return result;
    } catch (e) {
      if (isRuntimeError(e)) fail('E-CALIB-EVAL', `running the graph on calibration data failed: ${e.message}`);
      throw e;
    }
  };
}
