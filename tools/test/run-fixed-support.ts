/**
 * Shared by the run-fixed tests: ONNX conformance LSTM cases with their
 * weights bound as initializers (the quantize pass and the accelerator need
 * constant weights; ONNX's node tests feed them as inputs), and the two
 * fixed-point executions of one pipeline-processed graph.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTensorProto, isDiagnosticError, loadOnnxFile, updateGraph, type Graph, type Tensor } from '@lstmc/ir';
import { lowerToRuntime, makeRuntimeEvaluator } from '@lstmc/backend-js';
import { loadModel, type RtTensor } from '@lstmc/runtime';
import { writeRuntimeGraph } from '@lstmc/runtime/writer';
import { PRESETS, builtinRegistry, parsePipeline, runPipeline, type PassResult } from '@lstmc/passes';
import { defaultTarget, type Target } from '@lstmc/target';
import { expect } from 'vitest';
import { fixedWidths } from '../src/numerics.js';
import { CONFORMANCE } from './helpers.js';

export interface LstmCase {
  readonly name: string;
  readonly graph: Graph;
  /** The remaining graph inputs (X, sequence_lens, initial states) by name. */
  readonly inputs: Map<string, Tensor>;
  /** The official outputs by graph output name. */
  readonly expected: Map<string, Tensor>;
}

/** LSTM input slots that hold weights (W, R, B, P). */
const WEIGHT_SLOTS = [1, 2, 3, 7];

export function conformanceLstmCases(): LstmCase[] {
  const out: LstmCase[] = [];
  for (const suite of ['onnx-node', 'onnx-node-pr2923']) {
    const root = join(CONFORMANCE, suite);
    if (!existsSync(root)) throw new Error(`conformance data missing: ${root}`);
    for (const name of readdirSync(root).filter((d) => d.startsWith('test_lstm')).sort()) {
      const g0 = loadOnnxFile(join(root, name, 'model.onnx'));
      const data = join(root, name, 'test_data_set_0');
      const read = (f: string) => decodeTensorProto(readFileSync(join(data, f)), f).tensor;
      const fed = g0.inputs.filter((i) => !g0.initializers.has(i));
      const inputs = new Map(fed.map((n, k) => [n, read(`input_${k}.pb`)] as const));
      const expected = new Map(g0.outputs.map((n, k) => [n, read(`output_${k}.pb`)] as const));
      const lstm = g0.nodes.find((n) => n.op === 'LSTM')!;
      const weights = new Set(WEIGHT_SLOTS.map((s) => lstm.inputs[s]).filter((v): v is string => !!v && inputs.has(v)));
      const inits = new Map(g0.initializers);
      for (const w of weights) {
        inits.set(w, inputs.get(w)!);
        inputs.delete(w);
      }
      out.push({ name: `${suite}/${name}`, graph: updateGraph(g0, { inputs: g0.inputs.filter((i) => !weights.has(i)), initializers: inits }), inputs, expected });
    }
  }
  return out;
}

export async function runPasses(g: Graph, text: string, target: Target, calibration: ReadonlyMap<string, Tensor>[]): Promise<{ graph: Graph; results: readonly PassResult[] }> {
  const r = await runPipeline(g, parsePipeline(text, builtinRegistry()), { target, calibration, evaluate: makeRuntimeEvaluator() });
  return { graph: r.graph, results: r.results };
}

export const asRt = (t: Tensor): RtTensor => ({ dtype: t.dtype, shape: [...t.dims], data: t.data }) as RtTensor;

/** The `--numerics fixed` runtime path: lower with lstm.fixed, write and re-read the .lrg, run. */
export function runFixed(g: Graph, target: Target, inputs: ReadonlyMap<string, Tensor>): Record<string, RtTensor> {
  const model = loadModel(writeRuntimeGraph(lowerToRuntime(g, { fixed: fixedWidths(target) })));
  return model.run(Object.fromEntries([...inputs].map(([k, v]) => [k, asRt(v)])));
}

/** The float32 runtime path on the same graph. */
export function runFloat(g: Graph, inputs: ReadonlyMap<string, Tensor>): Record<string, RtTensor> {
  const model = loadModel(writeRuntimeGraph(lowerToRuntime(g)));
  return model.run(Object.fromEntries([...inputs].map(([k, v]) => [k, asRt(v)])));
}

/**
 * A conformance case through -O accel on the default target with its own
 * inputs as calibration; undefined for the cases the accelerator refuses
 * (activations without a look-up table), after checking they are refused by
 * name.
 */
export async function accelGraph(c: LstmCase): Promise<Graph | undefined> {
  try {
    return (await runPasses(c.graph, PRESETS.accel, defaultTarget, [c.inputs])).graph;
  } catch (e) {
    expect(isDiagnosticError(e) && e.code).toBe('E-QUANT-UNSUPPORTED');
    expect(c.name).toMatch(/activations/);
    return undefined;
  }
}
