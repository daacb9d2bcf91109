import type { Graph, Tensor } from '@lstmc/ir';
import { builtinRegistry, parsePipeline, PRESETS, runPipeline } from '@lstmc/passes';
import type { Target } from '@lstmc/target';

/** Run a pipeline (default: the -O accel preset) with the given calibration samples. */
export async function optimize(g: Graph, target: Target, calibration: ReadonlyMap<string, Tensor>[], text: string = PRESETS.accel): Promise<Graph> {
  const run = await runPipeline(g, parsePipeline(text, builtinRegistry()), { target, calibration });
  return run.graph;
}
