import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { decodeTensorProto, loadOnnxFile, zeroFraction } from '@lstmc/ir';
import { loadModel, readRuntimeGraph } from '@lstmc/runtime';
import { cli, REPO } from './helpers.js';

const KWS = join(REPO, 'examples/kws-lstm');
/** The weight-threshold of the -O js preset. */
const THRESHOLD = 0.8;

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
  it('the kws example pruned to 90% runs both layers on lstm.sparse.f32 and matches onnxruntime on the pruned ONNX within 1e-5', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lstmc-sparse-'));
    const pruned = join(d, 'kws90.onnx');
    expect((await cli('prune', join(KWS, 'model.onnx'), '--sparsity', '0.9', '-q', '-o', pruned)).code).toBe(0);
    const nodes = await compileAndCompare(pruned, join(d, 'kws90.lrg'));
    expect(nodes.map((n) => [n.kernel, n.attrs['sparse_w']?.value, n.attrs['sparse_r']?.value])).toEqual([
      ['lstm.sparse.f32', 1, 1],
      ['lstm.sparse.f32', 1, 1],
    ]);
  });

  it('the unpruned example: each matrix compressed exactly when its own sparsity reaches the threshold', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lstmc-sparse-'));
    const onnx = join(KWS, 'model.onnx');
    const nodes = await compileAndCompare(onnx, join(d, 'kws.lrg'));
    const g = loadOnnxFile(onnx);
    const expected = g.nodes
      .filter((n) => n.op === 'LSTM')
      .map((n) => [1, 2].map((i) => (zeroFraction(g.initializers.get(n.inputs[i]!)!) >= THRESHOLD ? 1 : 0)))
      .map(([w, r]) => (w || r ? ['lstm.sparse.f32', w, r] : ['lstm.dense.f32', undefined, undefined]));
    expect(nodes.map((n) => [n.kernel, n.attrs['sparse_w']?.value, n.attrs['sparse_r']?.value])).toEqual(expected);
  });
});
