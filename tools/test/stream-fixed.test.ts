import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareTensors, decodeRtTensorProto } from '@lstmc/backend-js';
import { loadModel, type RtTensor } from '@lstmc/runtime';
import { cli, REPO } from './helpers.js';

// Streaming on torch exports with a fixed sequence length (torch's default without dynamic_axes):
// the time axis of an input that only LSTMs read takes any chunk length; the chunk outputs,
// concatenated, equal torch's output over the whole sequence.

const CORPUS = join(REPO, 'tools/test/corpus/torch');
const pb = (path: string) => decodeRtTensorProto(readFileSync(path), path).tensor;

/** Elements [from, to) of axis `axis` of a float tensor. */
function sliceAxis(t: RtTensor, axis: number, from: number, to: number): RtTensor {
  const outer = t.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = t.shape[axis]!;
  const data = new Float32Array(outer * (to - from) * inner);
  const src = t.data as Float32Array;
  for (let o = 0; o < outer; o++) data.set(src.subarray((o * n + from) * inner, (o * n + to) * inner), o * (to - from) * inner);
  return { dtype: 'f32', shape: t.shape.map((d, i) => (i === axis ? to - from : d)), data };
}

function concatAxis(ts: readonly RtTensor[], axis: number): RtTensor {
  const outer = ts[0]!.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = ts[0]!.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const total = ts.reduce((a, t) => a + t.shape[axis]!, 0);
  const data = new Float32Array(outer * total * inner);
  let off = 0;
  for (const t of ts) {
    const n = t.shape[axis]!;
    const src = t.data as Float32Array;
    for (let o = 0; o < outer; o++) data.set(src.subarray(o * n * inner, (o + 1) * n * inner), (o * total + off) * inner);
    off += n;
  }
  return { dtype: 'f32', shape: ts[0]!.shape.map((d, i) => (i === axis ? total : d)), data };
}

const CASES = [
  { name: 'lstm-1l-uni-tm-noh0-fix-op14-fold', axis: 0 },
  { name: 'lstm-1l-uni-tm-noh0-fix-op11-nofold', axis: 0 },
  { name: 'lstm-1l-uni-bf-noh0-fix-op11-nofold', axis: 1 },
  { name: 'lstm-2l-uni-tm-noh0-fix-op17-nofold', axis: 0 },
];

describe('streaming a fixed-length torch export', () => {
  for (const c of CASES)
    it(`${c.name}: chunks of 3, 1 and the rest equal torch's whole-sequence output`, async () => {
      const dir = join(CORPUS, c.name);
      const tmp = mkdtempSync(join(tmpdir(), 'lstmc-stream-'));
      try {
        const lrg = join(tmp, 'model.lrg');
        const r = await cli('compile', join(dir, 'model.onnx'), '--target', 'js', '-o', lrg);
        expect(r.code, r.stderr).toBe(0);
        const model = loadModel(readFileSync(lrg));
        const x = pb(join(dir, 'test_data_set_0/input_0.pb'));
        const want = pb(join(dir, 'test_data_set_0/output_0.pb'));
        const T = x.shape[c.axis]!;
        const stream = model.createStream();
        const name = model.inputs[0]!.name;
        const outName = model.outputs[0]!.name;
        const cuts = [0, 3, 4, T];
        const parts = cuts.slice(1).map((end, i) => stream.push({ [name]: sliceAxis(x, c.axis, cuts[i]!, end) })[outName]!);
        expect(parts[1]!.shape[c.axis]).toBe(1);
        const cmp = compareTensors(concatAxis(parts, c.axis), want);
        expect(cmp.ok ? cmp.maxAbsError : cmp.reason).toBeLessThanOrEqual(1e-4);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
});
