/**
 * Valid inputs the mutators start from: stacked LSTM models with random sizes and attributes
 * (direction, peepholes, clip, input_forget, sparsity), exported to ONNX, and what lstmc makes of
 * them (textual IR, runtime graph, accelerator binary, its listing) with one input sample.
 */
import fc from 'fast-check';
import { exportOnnx, printGraph, type Graph, type Tensor } from '@lstmc/ir';
import { compileToRuntimeGraph } from '@lstmc/backend-js';
import { compileAccelBinary, listing, readLxb } from '@lstmc/backend-accel';
import { builtinRegistry, parsePipeline, presetPipeline, runPipeline } from '@lstmc/passes';
import { defaultTarget, type Target } from '@lstmc/target';
import { makeRuntimeEvaluator } from '@lstmc/backend-js';
import { randomModel, type ModelSpec } from '../../../packages/backend-accel/test/random-model.js';

const direction = fc.constantFrom('forward' as const, 'reverse' as const, 'bidirectional' as const);

export const layerSpec = fc.record(
  {
    hidden: fc.integer({ min: 1, max: 5 }),
    direction,
    peephole: fc.boolean(),
    clip: fc.option(fc.double({ min: 0.1, max: 10, noNaN: true }), { nil: undefined }),
    inputForget: fc.boolean(),
  },
  { requiredKeys: ['hidden', 'direction'] },
);

export const modelSpec: fc.Arbitrary<ModelSpec> = fc.record({
  input: fc.integer({ min: 1, max: 5 }),
  T: fc.integer({ min: 1, max: 4 }),
  B: fc.integer({ min: 1, max: 2 }),
  layers: fc.array(layerSpec, { minLength: 1, maxLength: 2 }),
  sparsity: fc.double({ min: 0, max: 0.95, noNaN: true }),
  inputSparsity: fc.double({ min: 0, max: 0.9, noNaN: true }),
  seed: fc.nat(),
});

export interface Base {
  readonly spec: ModelSpec;
  readonly graph: Graph;
  readonly inputs: ReadonlyMap<string, Tensor>;
}

export function base(spec: ModelSpec): Base {
  const { graph, inputs } = randomModel(spec);
  return { spec, graph, inputs };
}

export const onnxBytes = (b: Base): Uint8Array => exportOnnx(b.graph);
export const lirText = (b: Base): string => printGraph(b.graph);

async function pipeline(g: Graph, text: string, target: Target = defaultTarget): Promise<Graph> {
  return (await runPipeline(g, parsePipeline(text, builtinRegistry()), { target, evaluate: makeRuntimeEvaluator() })).graph;
}

export async function lrgBytes(b: Base): Promise<Uint8Array> {
  return compileToRuntimeGraph(await pipeline(b.graph, presetPipeline('js')), { verify: false });
}

export async function lxbBytes(b: Base, target: Target = defaultTarget): Promise<Uint8Array> {
  return compileAccelBinary(await pipeline(b.graph, presetPipeline('accel'), target), target).bytes;
}

export async function asmText(b: Base): Promise<string> {
  return listing(readLxb(await lxbBytes(b)));
}

export { pipeline as runTextPipeline };
