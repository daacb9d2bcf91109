import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, isKnownOp, loadOnnxFile, verifyGraph, zeroFraction } from '../src/index.js';
import { REPO_ROOT } from './onnx-paths.js';

const DIR = join(REPO_ROOT, 'examples', 'kws-lstm');
const MODEL = join(DIR, 'model.onnx');

describe('bundled torch-exported example (examples/kws-lstm)', () => {
  const g = loadOnnxFile(MODEL);

  it('imports with every op known and every value typed', () => {
    expect(verifyGraph(g, { file: MODEL })).toEqual([]);
    const opaque = g.nodes.filter((n) => !isKnownOp(n.op, n.domain)).map((n) => `${n.name} (${n.op})`);
    expect(opaque).toEqual([]);
    for (const n of g.nodes)
      for (const o of n.outputs) {
        if (!o) continue;
        const t = g.values.get(o)?.type;
        expect(t, o).toBeDefined();
        expect(t!.dtype, o).not.toBe('unknown');
        expect(t!.shape, `${o} has unknown rank`).toBeDefined();
      }
  });

  it('is the 2-layer LSTM + Linear + Softmax network with symbolic seq/batch', () => {
    const lstms = g.nodes.filter((n) => n.op === 'LSTM');
    expect(lstms).toHaveLength(2);
    expect(g.values.get('features')!.type.shape).toEqual(['seq', 'batch', 40]);
    expect(g.values.get('probs')!.type.shape).toEqual(['batch', 12]);
    expect(g.nodes.map((n) => n.op)).toEqual(expect.arrayContaining(['Shape', 'Gather', 'ConstantOfShape', 'Gemm', 'Softmax']));
    for (const l of lstms) {
      expect(g.initializers.get(l.inputs[1])!.dims).toEqual([1, 256, l === lstms[0] ? 40 : 64]);
      expect(g.initializers.get(l.inputs[2])!.dims).toEqual([1, 256, 64]);
      // Pruned by magnitude to ~80% exact zeros (gen.py).
      expect(zeroFraction(g.initializers.get(l.inputs[1])!)).toBeCloseTo(0.8, 2);
      expect(zeroFraction(g.initializers.get(l.inputs[2])!)).toBeCloseTo(0.8, 2);
    }
  });

  it("torch's reference output agrees with onnxruntime on the same model", async () => {
    const x = decodeTensorProto(readFileSync(join(DIR, 'test_data_set_0', 'input_0.pb')), 'input_0.pb');
    const y = decodeTensorProto(readFileSync(join(DIR, 'test_data_set_0', 'output_0.pb')), 'output_0.pb');
    expect(x.name).toBe('features');
    expect(x.tensor.dims).toEqual([25, 2, 40]);
    expect(y.tensor.dims).toEqual([2, 12]);
    const session = await ort.InferenceSession.create(readFileSync(MODEL));
    const out = await session.run({ features: new ort.Tensor('float32', x.tensor.data as Float32Array, [...x.tensor.dims]) });
    const got = out.probs.data as Float32Array;
    const want = y.tensor.data as Float32Array;
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5 + 1e-3 * Math.abs(want[i]));
  });
});
