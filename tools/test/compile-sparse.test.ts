import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { decodeTensorProto, loadOnnxFile } from '@lstmc/ir';
import { ANN, builtinRegistry, getFloats, getStrings, parsePipeline, presetPipeline, runPipeline } from '@lstmc/passes';
import { loadModel, readRuntimeGraph } from '@lstmc/runtime';
import { cli, REPO } from './helpers.js';

const KWS = join(REPO, 'examples/kws-lstm');

/**
 * The kernel and sparse flags each LSTM should lower to: from the modes -O js records (the CPU cost
 * model's decisions, tested in packages/passes/test/select-mode-cpu.test.ts), checked to be the
 * patent's rule with the recorded thresholds.
 */
async function expectedKernels(onnx: string) {
  const run = await runPipeline(loadOnnxFile(onnx), parsePipeline(presetPipeline('js'), builtinRegistry()));
  return run.graph.nodes
    .filter((n) => n.op === 'LSTM')
    .map((n) => {
      const [w, r] = (['W', 'R'] as const).map((m) => {
        const sparse = getStrings(n, m === 'W' ? ANN.modeW : ANN.modeR)![0] === 'sparse-weight';
        const ws = getFloats(n, m === 'W' ? ANN.sparsityW : ANN.sparsityR)![0]!;
        expect(sparse).toBe(ws >= getFloats(n, m === 'W' ? ANN.modeWeightThresholdW : ANN.modeWeightThresholdR)![0]!);
        return sparse ? 1 : 0;
      });
      return w || r ? ['lstm.sparse.f32', w, r] : ['lstm.dense.f32', undefined, undefined];
    });
}

/** `lstmc compile --target js -O js` of an ONNX model; the runtime graph's LSTM nodes; output vs onnxruntime. */
async function compileAndCompare(onnx: string, out: string) {
  const r = await cli('compile', onnx, '--target', 'js', '-O', 'js', '-o', out);
  expect(r.code, r.stderr).toBe(0);
  const bytes = readFileSync(out);
  const nodes = readRuntimeGraph(bytes).nodes.filter((n) => n.kernel.startsWith('lstm.'));
  const x = decodeTensorProto(readFileSync(join(KWS, 'test_data_set_0/input_0.pb')), 'input_0.pb').tensor;
  const session = await ort.InferenceSession.create(onnx);
  const want = (await session.run({ features: new ort.Tensor('float32', x.data as Float32Array, [...x.dims]) })).probs.data as Float32Array;
  for (const matvec of ['auto', 'js'] as const) {
    const got = loadModel(bytes, { matvec }).run({ features: { dtype: 'f32', shape: [...x.dims], data: x.data as Float32Array } }).probs!.data as Float32Array;
    expect(got.length).toBe(want.length);
    expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i]!))), `${onnx} ${matvec}`).toBeLessThanOrEqual(1e-5);
  }
  return nodes;
}

describe('lstmc compile --target js -O js: sparse kernel for pruned layers', () => {
  it('the kws example pruned to 90%: each matrix on the kernel the CPU cost model chose (some sparse), matching onnxruntime on the pruned ONNX within 1e-5', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lstmc-sparse-'));
    const pruned = join(d, 'kws90.onnx');
    expect((await cli('prune', join(KWS, 'model.onnx'), '--sparsity', '0.9', '-q', '-o', pruned)).code).toBe(0);
    const nodes = await compileAndCompare(pruned, join(d, 'kws90.lrg'));
    const expected = await expectedKernels(pruned);
    expect(nodes.map((n) => [n.kernel, n.attrs['sparse_w']?.value, n.attrs['sparse_r']?.value])).toEqual(expected);
    expect(expected.some((e) => e[0] === 'lstm.sparse.f32')).toBe(true);
  });

  it('the unpruned example: each matrix compressed exactly when the cost model chose it', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lstmc-sparse-'));
    const onnx = join(KWS, 'model.onnx');
    const nodes = await compileAndCompare(onnx, join(d, 'kws.lrg'));
    expect(nodes.map((n) => [n.kernel, n.attrs['sparse_w']?.value, n.attrs['sparse_r']?.value])).toEqual(await expectedKernels(onnx));
  });
});
