import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportOnnx, loadOnnxFile, makeNode, makeTensor, updateGraph, type Attrs, type Graph } from '@lstmc/ir';
import { createModel, type RtTensor } from '@lstmc/runtime';
import { lowerToRuntime } from '../../src/index.js';
import { maxAbsDiff, readPbs, REPO } from '../helpers.js';
import { ortSession, runOrt } from '../support/ort.js';

/**
 * The LSTM rule's kernel choice from the select-mode annotations, on the kws example with its LSTM
 * weights magnitude-pruned to 90% (set here, not by the passes package, which depends on this one).
 */
const DIR = join(REPO, 'examples/kws-lstm');
const features = readPbs(join(DIR, 'test_data_set_0'), 'input')[0]!.tensor as RtTensor<'f32'>;

function prune(data: Float32Array, sparsity: number): Float32Array {
  const th = Float32Array.from(data, Math.abs).sort()[Math.floor(sparsity * data.length)]!;
  return data.map((v) => (Math.abs(v) < th ? 0 : v));
}

const base = loadOnnxFile(join(DIR, 'model.onnx'));
const lstms = base.nodes.filter((n) => n.op === 'LSTM');
const initializers = new Map(base.initializers);
for (const n of lstms) for (const i of [1, 2]) {
  const t = initializers.get(n.inputs[i]!)!;
  initializers.set(n.inputs[i]!, makeTensor('f32', t.dims, prune(t.data as Float32Array, 0.9)));
}
const pruned = updateGraph(base, { initializers });

/** The pruned graph with these mode annotations on every LSTM (per direction, one direction here). */
function annotated(W: string | undefined, R: string | undefined): Graph {
  const extra: Attrs = {
    ...(W ? { 'lstmc.mode.W': { kind: 'strings', value: [W] } } : {}),
    ...(R ? { 'lstmc.mode.R': { kind: 'strings', value: [R] } } : {}),
  };
  return updateGraph(pruned, { nodes: pruned.nodes.map((n) => (n.op === 'LSTM' ? makeNode({ ...n, attrs: { ...n.attrs, ...extra } }) : n)) });
}

describe('LSTM lowering: dense or sparse kernel from the mode annotations', () => {
  const cases: [string | undefined, string | undefined, string, number, number][] = [
    [undefined, undefined, 'lstm.dense.f32', 0, 0],
    ['dense', 'dense', 'lstm.dense.f32', 0, 0],
    ['sparse-input', 'sparse-input', 'lstm.dense.f32', 0, 0],
    ['sparse-weight', 'dense', 'lstm.sparse.f32', 1, 0],
    ['sparse-input', 'sparse-both', 'lstm.sparse.f32', 0, 1],
    ['sparse-both', 'sparse-weight', 'lstm.sparse.f32', 1, 1],
  ];
  it('picks the kernel per matrix and matches onnxruntime on the pruned model within 1e-5', async () => {
    const want = (await runOrt(await ortSession(exportOnnx(pruned)), { features })).probs!;
    for (const [W, R, kernel, sw, sr] of cases) {
      const rt = lowerToRuntime(annotated(W, R));
      const nodes = rt.nodes.filter((n) => n.kernel.startsWith('lstm.'));
      expect(nodes.map((n) => n.kernel), `${W} ${R}`).toEqual([kernel, kernel]);
      if (kernel === 'lstm.sparse.f32') {
        for (const n of nodes) expect([n.attrs['sparse_w']!.value, n.attrs['sparse_r']!.value]).toEqual([sw, sr]);
        // The compressed arrays were folded at compile time: no packing node is left.
        expect(rt.nodes.some((n) => n.kernel === 'lstm.sparse.pack.f32')).toBe(false);
      }
      for (const matvec of ['auto', 'js'] as const) {
        const got = createModel(rt, { matvec }).run({ features }).probs!;
        expect(maxAbsDiff(got, want), `${W} ${R} ${matvec}`).toBeLessThanOrEqual(1e-5);
      }
    }
  });
});

describe('LSTM lowering: int8 weights from the weights annotations (select-mode{cost=cpu,int8=...})', () => {
  /** The pruned graph with modes and weight precisions per matrix on every LSTM. */
  function withWeights(W: string, R: string, wW: string, wR: string): Graph {
    const g = annotated(W, R);
    const extra: Attrs = { 'lstmc.mode.W.weights': { kind: 'strings', value: [wW] }, 'lstmc.mode.R.weights': { kind: 'strings', value: [wR] } };
    return updateGraph(g, { nodes: g.nodes.map((n) => (n.op === 'LSTM' ? makeNode({ ...n, attrs: { ...n.attrs, ...extra } }) : n)) });
  }

  it('sets int8_w / int8_r on the dense and sparse kernels; the int8 model stays within 0.01 of onnxruntime and differs from f32', async () => {
    const want = (await runOrt(await ortSession(exportOnnx(pruned)), { features })).probs!;
    const f32 = createModel(lowerToRuntime(annotated('sparse-weight', 'dense'))).run({ features }).probs!;
    for (const [W, R, wW, wR, kernel] of [
      ['sparse-weight', 'dense', 'int8', 'f32', 'lstm.sparse.f32'],
      ['sparse-weight', 'sparse-weight', 'int8', 'int8', 'lstm.sparse.f32'],
      ['dense', 'dense', 'f32', 'int8', 'lstm.dense.f32'],
    ] as const) {
      const rt = lowerToRuntime(withWeights(W, R, wW, wR));
      for (const n of rt.nodes.filter((x) => x.kernel.startsWith('lstm.') && !x.kernel.includes('pack'))) {
        expect(n.kernel).toBe(kernel);
        expect(n.attrs['int8_w']?.value ?? 0).toBe(wW === 'int8' ? 1 : 0);
        expect(n.attrs['int8_r']?.value ?? 0).toBe(wR === 'int8' ? 1 : 0);
      }
      for (const matvec of ['auto', 'js'] as const) {
        const got = createModel(rt, { matvec }).run({ features }).probs!;
        expect(maxAbsDiff(got, want), `${W} ${R} ${wW} ${wR} ${matvec}`).toBeLessThanOrEqual(0.01);
        expect(maxAbsDiff(got, f32)).toBeGreaterThan(0);
      }
    }
  });
});
