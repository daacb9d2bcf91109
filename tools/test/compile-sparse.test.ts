import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { decodeTensorProto } from '@lstmc/ir';
import { loadModel, readRuntimeGraph } from '@lstmc/runtime';
import { cli, REPO } from './helpers.js';

const KWS = join(REPO, 'examples/kws-lstm');

/** The kws example, pruned by `lstmc prune`, compiled with `-O js` and run through lstm.sparse.f32. */
describe('lstmc compile --target js -O js on a pruned model', () => {
  it('runs both layers on lstm.sparse.f32 and matches onnxruntime on the pruned ONNX within 1e-5', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lstmc-sparse-'));
    const pruned = join(d, 'kws90.onnx');
    expect((await cli('prune', join(KWS, 'model.onnx'), '--sparsity', '0.9', '-q', '-o', pruned)).code).toBe(0);
    const out = join(d, 'kws90.lrg');
    const r = await cli('compile', pruned, '--target', 'js', '-O', 'js', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    const bytes = readFileSync(out);
    const nodes = readRuntimeGraph(bytes).nodes.filter((n) => n.kernel.startsWith('lstm.'));
    expect(nodes.map((n) => [n.kernel, n.attrs['sparse_w']?.value, n.attrs['sparse_r']?.value])).toEqual([
      ['lstm.sparse.f32', 1, 1],
      ['lstm.sparse.f32', 1, 1],
    ]);
    const x = decodeTensorProto(readFileSync(join(KWS, 'test_data_set_0/input_0.pb')), 'input_0.pb').tensor;
    const session = await ort.InferenceSession.create(pruned);
    const want = (await session.run({ features: new ort.Tensor('float32', x.data as Float32Array, [...x.dims]) })).probs.data as Float32Array;
    for (const matvec of ['auto', 'js'] as const) {
      const got = loadModel(bytes, { matvec }).run({ features: { dtype: 'f32', shape: [...x.dims], data: x.data as Float32Array } }).probs!.data as Float32Array;
      expect(got.length).toBe(want.length);
      expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i]!))), matvec).toBeLessThanOrEqual(1e-5);
    }
    // The unpruned example (80% zeros, below the preset's 0.85 threshold) stays dense under -O js.
    const dense = join(d, 'kws.lrg');
    expect((await cli('compile', join(KWS, 'model.onnx'), '--target', 'js', '-O', 'js', '-o', dense)).code).toBe(0);
    expect(readRuntimeGraph(readFileSync(dense)).nodes.filter((n) => n.kernel.startsWith('lstm.')).map((n) => n.kernel)).toEqual(['lstm.dense.f32', 'lstm.dense.f32']);
  });
});
