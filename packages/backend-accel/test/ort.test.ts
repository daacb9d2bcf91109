import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '@lstmc/ir';
import { defaultTarget } from '@lstmc/target';
import { compileAccel, simulateProgram } from '../src/index.js';
import { optimize } from './pipeline.js';
import { randomModel, type ModelSpec } from './random-model.js';

/**
 * The accelerator's outputs against onnxruntime's float32 on random stacked
 * LSTMs (data nobody here computed): within the fixed-point error of 16-bit
 * activations, for every mode choice.
 */
const SPECS: ModelSpec[] = [
  { input: 8, T: 7, B: 3, seed: 41, sparsity: 0.5, inputSparsity: 0.4, layers: [{ hidden: 12, direction: 'bidirectional' }, { hidden: 9, direction: 'forward' }] },
  { input: 16, T: 5, B: 2, seed: 42, sparsity: 0.9, layers: [{ hidden: 16, direction: 'reverse', peephole: true }, { hidden: 8, direction: 'bidirectional', clip: 1.5 }] },
  { input: 6, T: 9, B: 1, seed: 43, sparsity: 0.2, layers: [{ hidden: 10, direction: 'forward', inputForget: true }, { hidden: 10, direction: 'forward' }, { hidden: 4, direction: 'forward' }] },
];

describe('accelerator vs onnxruntime float32 on random stacked LSTMs', () => {
  for (const [k, spec] of SPECS.entries()) {
    for (const pipeline of ['select-mode{weight-threshold=1,input-test=off}', 'select-mode{weight-threshold=0.1,input-threshold=0.2,input-test=runtime}']) {
      it(`model ${k}, ${pipeline}`, async () => {
        const { graph, inputs } = randomModel(spec);
        const x = inputs.get('X')!;
        const sess = await ort.InferenceSession.create(exportOnnx(graph));
        const want = await sess.run({ X: new ort.Tensor('float32', x.data as Float32Array, [...x.dims]) });
        const g = await optimize(graph, defaultTarget, [], `fold,sparsity,${pipeline},quantize{x-max=2,c-max=4}`);
        const sim = simulateProgram(compileAccel(g, defaultTarget), new Map([['X', { dims: x.dims, data: x.data as Float32Array }]]));
        for (const name of graph.outputs) {
          const w = want[name].data as Float32Array;
          const got = sim.outputs.get(name)!;
          expect(got.dims).toEqual([...want[name].dims]);
          let err = 0;
          for (let i = 0; i < w.length; i++) err = Math.max(err, Math.abs(got.data[i] - w[i]));
          expect(err, name).toBeLessThan(1e-3);
        }
      });
    }
  }
});
