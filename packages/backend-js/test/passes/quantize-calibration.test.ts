/** The quantize pass's error measurement on calibration data, evaluated on the JS runtime as lstmc's commands do. */
import { describe, expect, it } from 'vitest';
import { ANN, builtinRegistry, getFloats, getStrings, lstmNodes, parsePipeline, runPipeline } from '@lstmc/passes';
import { calibrationX, lstmGraph } from '../../../passes/test/helpers/graphs.js';
import { makeRuntimeEvaluator } from '../../src/index.js';

const reg = builtinRegistry();

describe('quantize on calibration data', () => {
  it('int16 weights keep every layer output within 1e-2 of float32 on calibration data', async () => {
    const g = lstmGraph({ input: 10, hidden: 8, layers: 2, dirs: 2, seq: 6, batch: 2 });
    const calibration = [calibrationX(6, 2, 10, 1), calibrationX(6, 2, 10, 2)];
    const run = await runPipeline(g, parsePipeline('quantize', reg), { calibration, evaluate: makeRuntimeEvaluator() });
    for (const n of lstmNodes(run.graph)) {
      const err = getFloats(n, ANN.qError)![0];
      expect(err).toBeGreaterThan(0);
      expect(err).toBeLessThan(1e-2);
      const [w0] = getStrings(n, ANN.qW)!;
      const t = run.graph.initializers.get(w0)!;
      expect(t.dtype).toBe('i16');
      expect(t.fixed?.frac).toBeGreaterThan(10);
    }
    expect(run.results[0].reports[0].rows).toHaveLength(4);
  });

  it('int8 weights are coarser: larger error than int16, and the budget check fails with E-QUANT-BUDGET', async () => {
    const g = lstmGraph({ input: 10, hidden: 8, seq: 6, batch: 2 });
    const calibration = [calibrationX(6, 2, 10, 3)];
    const e16 = getFloats(lstmNodes((await runPipeline(g, parsePipeline('quantize{weight-bits=16}', reg), { calibration, evaluate: makeRuntimeEvaluator() })).graph)[0], ANN.qError)![0];
    const e8 = getFloats(lstmNodes((await runPipeline(g, parsePipeline('quantize{weight-bits=8}', reg), { calibration, evaluate: makeRuntimeEvaluator() })).graph)[0], ANN.qError)![0];
    expect(e8).toBeGreaterThan(e16);
    await expect(runPipeline(g, parsePipeline(`quantize{weight-bits=8,error-budget=${e16}}`, reg), { calibration, evaluate: makeRuntimeEvaluator() })).rejects.toMatchObject({
      code: 'E-QUANT-BUDGET',
    });
  });
});

describe('quantize error on layout 1', () => {
  it('a layout=1 layer measures the same error as its layout=0 twin', async () => {
    const { makeGraph, makeNode, makeTensor, inferTypes, tensorType } = await import('@lstmc/ir');
    const g0 = lstmGraph({ input: 5, hidden: 3, dirs: 2, seq: 4, batch: 3, seed: 21 });
    const n0 = g0.nodes[0];
    const g1 = inferTypes(
      makeGraph({
        inputs: ['X'],
        outputs: g0.outputs,
        initializers: g0.initializers,
        values: [['X', { name: 'X', type: tensorType('f32', [3, 4, 5]) }]],
        nodes: [makeNode({ ...n0, attrs: { ...n0.attrs, layout: { kind: 'int', value: 1 } } })],
      }),
    );
    const x0 = calibrationX(4, 3, 5, 77).get('X')!;
    const d0 = x0.data as Float32Array;
    const d1 = new Float32Array(d0.length);
    for (let t = 0; t < 4; t++) for (let b = 0; b < 3; b++) for (let i = 0; i < 5; i++) d1[(b * 4 + t) * 5 + i] = d0[(t * 3 + b) * 5 + i];
    const x1 = makeTensor('f32', [3, 4, 5], d1);
    const e0 = getFloats(lstmNodes((await runPipeline(g0, parsePipeline('quantize', reg), { calibration: [new Map([['X', x0]])], evaluate: makeRuntimeEvaluator() })).graph)[0], ANN.qError)![0];
    const e1 = getFloats(lstmNodes((await runPipeline(g1, parsePipeline('quantize', reg), { calibration: [new Map([['X', x1]])], evaluate: makeRuntimeEvaluator() })).graph)[0], ANN.qError)![0];
    expect(e0).toBeGreaterThan(0);
    expect(e1).toBe(e0);
  });
});
