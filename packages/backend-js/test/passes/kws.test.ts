/** The bundled torch-exported keyword-spotting model through the accel pipeline, calibrated on the runtime as lstmc's commands do. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, loadOnnxFile } from '@lstmc/ir';
import { ANN, builtinRegistry, getFloats, getStrings, lstmNodes, parsePipeline, presetPipeline, runPipeline } from '@lstmc/passes';
import { createModel } from '@lstmc/runtime';
import { lowerToRuntime, makeRuntimeEvaluator } from '../../src/index.js';

const KWS = fileURLToPath(new URL('../../../../examples/kws-lstm/', import.meta.url));

describe('kws-lstm through -O accel', () => {
  it('keeps the float network exact, measures 80% sparsity, quantizes within 1e-2', async () => {
    const g = loadOnnxFile(`${KWS}model.onnx`);
    const x = decodeTensorProto(readFileSync(`${KWS}test_data_set_0/input_0.pb`), 'input_0.pb').tensor;
    const want = decodeTensorProto(readFileSync(`${KWS}test_data_set_0/output_0.pb`), 'output_0.pb').tensor.data as Float32Array;
    const calibration = [new Map([['features', x]])];
    const run = await runPipeline(g, parsePipeline(presetPipeline('accel'), builtinRegistry()), { calibration, evaluate: makeRuntimeEvaluator() });
    const probs = createModel(lowerToRuntime(run.graph)).run({ features: { dtype: 'f32', shape: [...x.dims], data: x.data as Float32Array } }).probs.data as Float32Array;
    expect(Math.max(...Array.from(probs, (v, i) => Math.abs(v - want[i])))).toBeLessThanOrEqual(1e-5);
    const layers = lstmNodes(run.graph);
    expect(layers).toHaveLength(2);
    for (const n of layers) {
      for (const s of [...getFloats(n, ANN.sparsityW)!, ...getFloats(n, ANN.sparsityR)!]) expect(s).toBeCloseTo(0.8, 2);
      expect(getFloats(n, ANN.qError)![0]).toBeLessThan(1e-2);
      expect(getStrings(n, ANN.modeW)).toHaveLength(1);
    }
  });
});
