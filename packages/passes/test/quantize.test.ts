import { describe, expect, it } from 'vitest';
import { defaultTarget, withParams } from '@lstmc/target';
import { ANN, builtinRegistry, getFloats, getStrings, lstmNodes, parsePipeline, runPipeline } from '../src/index.js';
import { lstmGraph } from './helpers/graphs.js';

const reg = builtinRegistry();

/** The quantize pass without calibration data; with it (run on the JS runtime): backend-js test/passes/quantize-calibration.test.ts. */
describe('quantize', () => {
  it('without calibration data uses assumed ranges and reports no error', async () => {
    const g = lstmGraph({ input: 4, hidden: 3 });
    const run = await runPipeline(g, parsePipeline('quantize', reg), { target: withParams(defaultTarget, { weightBits: 8 }) });
    const n = lstmNodes(run.graph)[0];
    expect(getFloats(n, ANN.qError)).toBeUndefined();
    expect(run.graph.initializers.get(getStrings(n, ANN.qW)![0])!.dtype).toBe('i8');
    expect(run.results[0].reports[0].rows[0][7]).toBe('n/a');
  });

  it('encode after quantize stores the integer weights', async () => {
    const g = lstmGraph({ input: 8, hidden: 4 });
    const run = await runPipeline(g, parsePipeline('prune{sparsity=0.7},quantize,encode', reg));
    const n = lstmNodes(run.graph)[0];
    const [base] = getStrings(n, ANN.encW)!;
    expect(run.graph.initializers.get(`${base}.values`)!.dtype).toBe('i16');
  });
});
