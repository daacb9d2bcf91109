/** The delta pass on calibration data, evaluated on the JS runtime as lstmc's commands do. */
import { describe, expect, it } from 'vitest';
import { makeTensor } from '@lstmc/ir';
import { ANN, builtinRegistry, getFloats, getStrings, lstmNodes, parsePipeline, runPipeline } from '@lstmc/passes';
import { rng } from '@lstmc/testing';
import { lstmGraph } from '../../../passes/test/helpers/graphs.js';
import { makeRuntimeEvaluator } from '../../src/index.js';

/** A slowly varying input (random walk with small steps): what delta updates exploit. */
function slowInput(T: number, B: number, I: number, seed: number) {
  const r = rng(seed);
  const x = new Float32Array(T * B * I);
  for (let k = 0; k < B * I; k++) {
    let v = r() * 2 - 1;
    for (let t = 0; t < T; t++) {
      v += (r() - 0.5) * 0.1;
      x[t * B * I + k] = v;
    }
  }
  return new Map([['X', makeTensor('f32', [T, B, I], x)]]);
}

describe('delta on calibration data', () => {
  it('threshold 0 changes nothing; a larger threshold gains sparsity at some output error', async () => {
    const g = lstmGraph({ input: 6, hidden: 4, seq: 20, batch: 2 });
    const calibration = [slowInput(20, 2, 6, 1), slowInput(20, 2, 6, 2)];
    const reg = builtinRegistry();
    const exact = await runPipeline(g, parsePipeline('delta{threshold=0}', reg), { calibration, evaluate: makeRuntimeEvaluator() });
    const n0 = lstmNodes(exact.graph)[0];
    expect(getFloats(n0, ANN.deltaError)).toEqual([0]);
    expect(getFloats(n0, ANN.deltaSparsity)![0]).toBe(0);
    const coarse = await runPipeline(g, parsePipeline('delta{threshold=0.2}', reg), { calibration, evaluate: makeRuntimeEvaluator() });
    const n1 = lstmNodes(coarse.graph)[0];
    expect(getFloats(n1, ANN.deltaSparsity)![0]).toBeGreaterThan(0.5);
    const err = getFloats(n1, ANN.deltaError)![0];
    expect(err).toBeGreaterThan(0);
    expect(err).toBeLessThan(0.5);
    await expect(runPipeline(g, parsePipeline(`delta{threshold=0.2,error-budget=${err / 2}}`, reg), { calibration, evaluate: makeRuntimeEvaluator() })).rejects.toMatchObject({ code: 'E-DELTA-BUDGET' });
  });

  it('select-mode with a static input test uses the delta sparsity for W', async () => {
    const g = lstmGraph({ input: 6, hidden: 4, seq: 20, batch: 2 });
    const calibration = [slowInput(20, 2, 6, 3)];
    const run = await runPipeline(
      g,
      parsePipeline('sparsity{input=calibration},delta{threshold=0.3},select-mode{input-test=static,weight-threshold=0.9,input-threshold=0.5}', builtinRegistry()),
      { calibration, evaluate: makeRuntimeEvaluator() },
    );
    const n = lstmNodes(run.graph)[0];
    expect(getFloats(n, ANN.inputSparsityW)![0]).toBe(0);
    expect(getFloats(n, ANN.deltaSparsity)![0]).toBeGreaterThan(0.5);
    expect(getStrings(n, ANN.modeW)).toEqual(['sparse-input']);
  });
});
