/**
 * select-mode{cost=cpu} with int8 weights: the error it measures on calibration data, against
 * onnxruntime running the float model, and the error budget it holds the layers to. The model is
 * the bundled torch export (two LSTM layers), its test input the calibration data.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Graph, decodeTensorProto, exportOnnx, loadOnnxFile, updateGraph } from '@lstmc/ir';
import { ANN, builtinRegistry, getFloats, getStrings, lstmNodes, parsePipeline, runPipeline } from '@lstmc/passes';
import { createModel, type RtTensor } from '@lstmc/runtime';
import { lowerToRuntime, makeRuntimeEvaluator } from '../../src/index.js';
import { ortSession, runOrt } from '../support/ort.js';

const KWS = fileURLToPath(new URL('../../../../examples/kws-lstm/', import.meta.url));
const x = decodeTensorProto(readFileSync(`${KWS}test_data_set_0/input_0.pb`), 'input_0.pb').tensor;
const feeds: Record<string, RtTensor> = { features: { dtype: 'f32', shape: [...x.dims], data: x.data as Float32Array } };
const calibration = [new Map([['features', x]])];

/** The graph with every LSTM's Y and Y_c as outputs too. */
function withLayerOutputs(g: Graph): Graph {
  return updateGraph(g, { outputs: [...g.outputs, ...lstmNodes(g).flatMap((n) => [n.outputs[0]!, n.outputs[2]!])] });
}

const maxDiff = (a: RtTensor, b: RtTensor) => Math.max(...Array.from(a.data as Float32Array, (v, i) => Math.abs(v - Number(b.data[i]))));

async function selectInt8(g: Graph, options: string, withCalibration = true) {
  const run = await runPipeline(g, parsePipeline(`fold,sparsity,select-mode{cost=cpu,int8=on${options}}`, builtinRegistry()), {
    calibration: withCalibration ? calibration : [],
    evaluate: makeRuntimeEvaluator(),
  });
  const step = run.results.find((r) => r.pass === 'select-mode')!;
  return { graph: run.graph, reports: step.reports };
}

describe('select-mode{cost=cpu,int8=on}: the int8 error on calibration data', () => {
  it("measures each layer's h and c error and the outputs' error as onnxruntime's float model and the compiled int8 model differ", async () => {
    const g = withLayerOutputs(loadOnnxFile(`${KWS}model.onnx`));
    const want = await runOrt(await ortSession(exportOnnx(g)), feeds);
    const { graph, reports } = await selectInt8(g, '');
    const got = createModel(lowerToRuntime(graph)).run(feeds);
    const layers = lstmNodes(graph);
    expect(layers).toHaveLength(2);
    for (const n of layers) {
      expect(getStrings(n, ANN.modeWeightsW)).toEqual(['int8']);
      expect(getStrings(n, ANN.modeWeightsR)).toEqual(['int8']);
      const [h, c] = getFloats(n, ANN.modeInt8Error)!;
      // the int8 error is far above float32 rounding, and is what separates the compiled model from onnxruntime
      const dh = maxDiff(got[n.outputs[0]!]!, want[n.outputs[0]!]!);
      const dc = maxDiff(got[n.outputs[2]!]!, want[n.outputs[2]!]!);
      expect(h).toBeGreaterThan(1e-4);
      expect(Math.abs(h! - dh), n.name).toBeLessThan(1e-5);
      expect(Math.abs(c! - dc), n.name).toBeLessThan(1e-5);
    }
    const table = reports.find((r) => r.title.startsWith('select-mode: int8 weights against f32'))!;
    expect(table.title).toContain('error-budget=none');
    expect(table.rows.map((r) => r[5])).toEqual(['int8', 'int8']);
    const outputs = reports.find((r) => r.title.startsWith('select-mode: graph outputs'))!;
    const probs = outputs.rows.find((r) => r[0] === 'probs')!;
    expect(Math.abs((probs[1] as number) - maxDiff(got.probs!, want.probs!))).toBeLessThan(1e-5);
  });

  it('error-budget keeps f32 weights for the layers above it, the first in graph order first', async () => {
    const g = loadOnnxFile(`${KWS}model.onnx`);
    const all = await selectInt8(g, '');
    const [e0, e1] = lstmNodes(all.graph).map((n) => getFloats(n, ANN.modeInt8Error)![0]!);
    // the second layer (fed by the first's int8 output) errs more than the first
    expect(e1).toBeGreaterThan(e0!);
    const budget = (e0! + e1) / 2;
    const held = await selectInt8(g, `,error-budget=${budget}`);
    const [l0, l1] = lstmNodes(held.graph);
    expect(getStrings(l0!, ANN.modeWeightsW)).toEqual(['int8']);
    expect(getFloats(l0!, ANN.modeInt8Error)![0]).toBeCloseTo(e0!, 7);
    expect(getStrings(l1!, ANN.modeWeightsW)).toEqual(['f32']);
    expect(getStrings(l1!, ANN.modeWeightsR)).toEqual(['f32']);
    expect(getFloats(l1!, ANN.modeInt8Error)).toBeUndefined();
    const table = held.reports.find((r) => r.title.startsWith('select-mode: int8 weights against f32'))!;
    expect(table.rows.map((r) => r[5])).toEqual(['int8', 'f32 (int8 over the budget)']);
    // and the lowering follows: the second LSTM kernel has no int8 weights
    const kernels = lowerToRuntime(held.graph).nodes.filter((n) => n.kernel.startsWith('lstm.'));
    expect(kernels.map((n) => [n.attrs.int8_w?.value ?? 0, n.attrs.int8_r?.value ?? 0])).toEqual([[1, 1], [0, 0]]);
    // a budget below both errors: every layer back on f32, and the model as the f32 one
    const none = await selectInt8(g, `,error-budget=${e0! / 2}`);
    expect(none.reports.find((r) => r.title.startsWith('select-mode: int8 weights against f32'))!.rows.map((r) => r[5])).toEqual(['f32 (int8 over the budget)', 'f32 (int8 over the budget)']);
    for (const n of lstmNodes(none.graph)) expect(getStrings(n, ANN.modeWeightsW)).toEqual(['f32']);
  });

  it('without calibration data the choice stands and the report says the error was not measured', async () => {
    const { graph, reports } = await selectInt8(loadOnnxFile(`${KWS}model.onnx`), ',error-budget=1e-9', false);
    for (const n of lstmNodes(graph)) {
      expect(getStrings(n, ANN.modeWeightsW)).toEqual(['int8']);
      expect(getFloats(n, ANN.modeInt8Error)).toBeUndefined();
    }
    const table = reports.find((r) => r.title.startsWith('select-mode: int8 weights against f32'))!;
    for (const r of table.rows) expect(String(r[5])).toContain('not measured: no calibration data');
  });
});
