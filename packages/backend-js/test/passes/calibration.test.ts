/** What the calibration traces see when the graph runs on the JS runtime (the evaluator lstmc's commands inject). */
import { describe, expect, it } from 'vitest';
import { ANN, builtinRegistry, getFloats, lstmNodes, parsePipeline, runPipeline, traceLayers } from '@lstmc/passes';
import { calibrationX, lstmGraph } from '../../../passes/test/helpers/graphs.js';
import { makeRuntimeEvaluator } from '../../src/index.js';

describe('calibration input sparsity (JS runtime evaluator)', () => {
  it('measures what each layer sees: Relu zeros for layer 0, h_(t-1) for R', async () => {
    const g = lstmGraph({ input: 12, hidden: 5, layers: 2, dirs: 2, reluInput: true, seq: 7, batch: 3 });
    const samples = [calibrationX(7, 3, 12, 5), calibrationX(7, 3, 12, 6)];
    // Independent expectation for layer 0: the Relu zeroes exactly the non-positive inputs.
    let nonPos = 0;
    let n = 0;
    for (const s of samples) for (const v of s.get('X')!.data as Float32Array) (n++, v <= 0 && nonPos++);
    const run = await runPipeline(g, parsePipeline('sparsity{input=calibration}', builtinRegistry()), { calibration: samples, evaluate: makeRuntimeEvaluator() });
    const [l0, l1] = lstmNodes(run.graph);
    expect(getFloats(l0, ANN.inputSparsityW)).toEqual([nonPos / n, nonPos / n]);
    // Layer 1 reads LSTM outputs (never exactly zero) and every h_(t-1) starts from a zero state: 1 step of 7.
    expect(getFloats(l1, ANN.inputSparsityW)![0]).toBe(0);
    for (const s of getFloats(l1, ANN.inputSparsityR)!) expect(s).toBeCloseTo(1 / 7, 10);
    expect(run.results[0].counters['calibration-samples']).toBe(2);
    expect(run.graph.metadata['lstmc.properties']).toBe('input-sparsity,weight-sparsity');
  });

  it('traces Y of layers whose Y output is not used, and matches the runtime values', async () => {
    const g = lstmGraph({ input: 4, hidden: 3, layers: 2, seq: 3, batch: 1 });
    const traces = await traceLayers(g, [calibrationX(3, 1, 4, 9)], makeRuntimeEvaluator());
    expect(traces).toHaveLength(2);
    expect(traces[0].y[0].dims).toEqual([3, 1, 1, 3]);
    // Layer 1's X is layer 0's Y reshaped: same numbers.
    expect(Array.from(traces[1].x[0].data as Float32Array)).toEqual(Array.from(traces[0].y[0].data as Float32Array));
  });
});
