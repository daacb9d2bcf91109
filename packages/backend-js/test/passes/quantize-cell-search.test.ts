/**
 * The quantize pass's c-max=auto search: `c-search=bounded` (the default: a candidate stops once
 * its error reaches the best so far, and the W·x products are shared between candidates) must
 * choose exactly what `c-search=exhaustive` (every candidate run in full, as before) chooses, with
 * the same error, saturation counts and quantized tensors, on models of every kind the pass
 * handles: stacked and bidirectional layers, peepholes with clip, sequence lengths and initial
 * states, int8 weights, pruned weights, several calibration samples, and the bundled examples.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Graph, type Tensor, decodeTensorProto, inferTypes, loadOnnxFile, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { ANN, builtinRegistry, getFloats, lstmNodes, parsePipeline, presetPipeline, runPipeline } from '@lstmc/passes';
import { calibrationX, lstmGraph, randomTensor } from '../../../passes/test/helpers/graphs.js';
import { makeRuntimeEvaluator } from '../../src/index.js';

const reg = builtinRegistry();
const EXAMPLES = fileURLToPath(new URL('../../../../examples/', import.meta.url));

/** One forward LSTM with peepholes, clip, sequence_lens and initial h and c (all as graph inputs but X). */
function peepholeGraph(I: number, H: number, T: number, B: number, seed: number): Graph {
  const inits = new Map<string, Tensor>([
    ['W', randomTensor([1, 4 * H, I], seed + 1)],
    ['R', randomTensor([1, 4 * H, H], seed + 2)],
    ['B', randomTensor([1, 8 * H], seed + 3, 0, 0.1)],
    ['L', makeTensor('i32', [B], Array.from({ length: B }, (_, b) => T - (b % T)))],
    ['P', randomTensor([1, 3 * H], seed + 4, 0, 0.5)],
  ]);
  return inferTypes(
    makeGraph({
      name: 'peephole',
      inputs: ['X', 'h0', 'c0'],
      outputs: ['Y', 'Y_h', 'Y_c'],
      initializers: inits,
      values: [
        ['X', { name: 'X', type: tensorType('f32', [T, B, I]) }],
        ['h0', { name: 'h0', type: tensorType('f32', [1, B, H]) }],
        ['c0', { name: 'c0', type: tensorType('f32', [1, B, H]) }],
      ],
      nodes: [
        makeNode({
          op: 'LSTM',
          name: 'lstm0',
          inputs: ['X', 'W', 'R', 'B', 'L', 'h0', 'c0', 'P'],
          outputs: ['Y', 'Y_h', 'Y_c'],
          attrs: { hidden_size: { kind: 'int', value: H }, clip: { kind: 'float', value: 6 } },
        }),
      ],
    }),
  );
}

interface Case {
  readonly name: string;
  readonly graph: Graph;
  readonly calibration: Map<string, Tensor>[];
  /** Passes before quantize (and its options). */
  readonly before?: string;
  readonly quantize?: string;
}

function cases(): Case[] {
  const kws = (m: string): Case => {
    const x = decodeTensorProto(readFileSync(`${EXAMPLES}${m}/test_data_set_0/input_0.pb`), 'input_0.pb').tensor;
    const accel = presetPipeline('accel').split(',');
    const at = accel.indexOf('quantize');
    return { name: `${m}, -O accel`, graph: loadOnnxFile(`${EXAMPLES}${m}/model.onnx`), calibration: [new Map([['features', x]])], before: accel.slice(0, at).join(',') };
  };
  const peep = (B: number, seeds: number[], scale: number): Case => ({
    name: `peepholes, clip, sequence_lens, initial states, batch ${B}, |x| ~ ${scale}`,
    graph: peepholeGraph(6, 5, 7, B, seeds[0]),
    calibration: seeds.map(
      (s) =>
        new Map([
          ['X', randomTensor([7, B, 6], s + 5, 0, scale)],
          ['h0', randomTensor([1, B, 5], s + 6, 0, 0.5)],
          ['c0', randomTensor([1, B, 5], s + 7, 0, 2)],
        ]),
    ),
  });
  const big = (scale: number, seed: number) => {
    const x = calibrationX(12, 2, 10, seed);
    const t = x.get('X')!;
    return new Map([['X', makeTensor('f32', [...t.dims], Float32Array.from(t.data as Float32Array, (v) => v * scale))]]);
  };
  return [
    { name: '2 stacked bidirectional layers, 2 samples', graph: lstmGraph({ input: 10, hidden: 8, layers: 2, dirs: 2, seq: 6, batch: 2 }), calibration: [calibrationX(6, 2, 10, 1), calibrationX(6, 2, 10, 2)] },
    { name: 'int8 weights', graph: lstmGraph({ input: 10, hidden: 8, seq: 6, batch: 2, seed: 3 }), calibration: [calibrationX(6, 2, 10, 3)], quantize: '{weight-bits=8}' },
    { name: 'large inputs (the cell state outgrows the first candidates)', graph: lstmGraph({ input: 10, hidden: 12, seq: 12, batch: 2, seed: 5 }), calibration: [big(6, 5), big(12, 6)] },
    { name: 'pruned 90% balanced, reverse-free stack of 3', graph: lstmGraph({ input: 16, hidden: 16, layers: 3, seq: 8, batch: 1, seed: 7 }), calibration: [calibrationX(8, 1, 16, 7)], before: 'prune{method=balanced,sparsity=0.9},sparsity' },
    { name: 'sparse inputs through a Relu', graph: lstmGraph({ input: 12, hidden: 6, seq: 9, batch: 3, seed: 9, reluInput: true }), calibration: [calibrationX(9, 3, 12, 9, 0.5)] },
    peep(2, [11, 12], 1),
    peep(3, [13], 8),
    kws('kws-lstm'),
    kws('kws-lstm-sparse'),
  ];
}

const reports = (r: Awaited<ReturnType<typeof runPipeline>>) => r.results.map((p) => p.reports);

describe('quantize c-search=bounded chooses what c-search=exhaustive chooses', () => {
  const seen = { stopped: 0, candidates: 0, cFracs: new Set<string>() };
  for (const c of cases()) {
    it(c.name, { timeout: 60_000 }, async () => {
      const pipe = (search: string) => parsePipeline(`${c.before ? `${c.before},` : ''}quantize${(c.quantize ?? '{}').replace('}', `${c.quantize ? ',' : ''}c-search=${search}}`)}`, reg);
      const opts = { calibration: c.calibration, evaluate: makeRuntimeEvaluator() };
      const fast = await runPipeline(c.graph, pipe('bounded'), opts);
      const full = await runPipeline(c.graph, pipe('exhaustive'), opts);
      // The same graph (the chosen formats, quantized tensors and error annotations) and the same report.
      expect(fast.graph).toEqual(full.graph);
      expect(reports(fast)).toEqual(reports(full));
      const q = fast.results.find((p) => p.pass === 'quantize')!;
      expect(full.results.find((p) => p.pass === 'quantize')!.counters['c-candidates-stopped']).toBe(0);
      const layers = lstmNodes(fast.graph);
      seen.stopped += q.counters['c-candidates-stopped'];
      seen.candidates += 6 * layers.length;
      for (const n of layers) {
        expect(getFloats(n, ANN.qError)![0]).toBeGreaterThan(0);
        seen.cFracs.add(`${getFloats(n, ANN.qCFrac)}`);
      }
    });
  }
  it('the cases exercise the search: some candidates stop early, and the chosen c differs between layers', () => {
    expect(seen.stopped).toBeGreaterThan(0);
    expect(seen.stopped).toBeLessThan(seen.candidates);
    expect(seen.cFracs.size).toBeGreaterThan(1);
  });
});
