import type { Graph, Tensor } from '@lstmc/ir';
import { makeRuntimeEvaluator } from '@lstmc/backend-js';
import { builtinRegistry, parsePipeline, PRESETS, runPipeline } from '@lstmc/passes';
import type { Target } from '@lstmc/target';

/** Run a pipeline (default: the -O accel preset) with the given calibration samples, evaluated on the JS runtime as lstmc's commands do. */
export async function optimize(g: Graph, target: Target, calibration: ReadonlyMap<string, Tensor>[], text: string = PRESETS.accel): Promise<Graph> {
  const run = await runPipeline(g, parsePipeline(text, builtinRegistry()), { target, calibration, evaluate: makeRuntimeEvaluator() });
  return run.graph;
}
