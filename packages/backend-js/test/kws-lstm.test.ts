import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOnnxFile } from '@lstmc/ir';
import { loadModel, type RtTensor } from '@lstmc/runtime';
import { writeRuntimeGraph } from '@lstmc/runtime/writer';
import { lowerToRuntime } from '../src/index.js';
import { REPO, maxAbsDiff, readPbs } from './helpers.js';
import { ortSession, runOrt } from './support/ort.js';
import { Rng } from './support/rng.js';

/**
 * examples/kws-lstm: a 2-layer LSTM exported by torch with symbolic seq and batch, whose zero
 * initial states come from a Shape/Gather/Concat/ConstantOfShape subgraph kept in the runtime graph.
 */
const DIR = join(REPO, 'examples/kws-lstm');
const onnxBytes = readFileSync(join(DIR, 'model.onnx'));
const model = loadModel(writeRuntimeGraph(lowerToRuntime(loadOnnxFile(join(DIR, 'model.onnx')))));
const features = readPbs(join(DIR, 'test_data_set_0'), 'input')[0]!.tensor as RtTensor<'f32'>;

/** Frames [t0, t1) of a [seq, batch, 40] tensor. */
function frames(x: RtTensor<'f32'>, t0: number, t1: number): RtTensor<'f32'> {
  const per = x.shape[1]! * x.shape[2]!;
  return { dtype: 'f32', shape: [t1 - t0, x.shape[1]!, x.shape[2]!], data: x.data.slice(t0 * per, t1 * per) };
}

describe('examples/kws-lstm through the JS backend', () => {
  it("matches torch's output in test_data_set_0 within 1e-5", () => {
    const want = readPbs(join(DIR, 'test_data_set_0'), 'output')[0]!;
    const got = model.run({ features });
    expect(want.name).toBe('probs');
    expect(maxAbsDiff(got.probs!, want.tensor)).toBeLessThanOrEqual(1e-5);
  });

  it('runs with other seq and batch sizes, equal to onnxruntime on the same model.onnx', async () => {
    const s = await ortSession(onnxBytes);
    const rng = new Rng(0x4b5);
    for (const [T, B] of [[1, 1], [3, 4], [17, 1], [40, 3]] as const) {
      const x: RtTensor<'f32'> = { dtype: 'f32', shape: [T, B, 40], data: rng.f32(T * B * 40, -2, 2) };
      const want = (await runOrt(s, { features: x })).probs!;
      const got = model.run({ features: x }).probs!;
      expect(got.shape).toEqual([B, 12]);
      expect(maxAbsDiff(got, want), `seq ${T} batch ${B}`).toBeLessThanOrEqual(1e-5);
    }
  });

  it('a stream fed chunk by chunk equals whole-sequence runs on every prefix within 1e-6', () => {
    const T = features.shape[0]!;
    for (const chunks of [[7, 7, 11], [1, 24], Array.from({ length: T }, () => 1)]) {
      const stream = model.createStream();
      let t = 0;
      for (const n of chunks) {
        const got = stream.push({ features: frames(features, t, t + n) }).probs!;
        t += n;
        const whole = model.run({ features: frames(features, 0, t) }).probs!;
        expect(maxAbsDiff(got, whole), `chunks ${chunks.join(',')} at t=${t}`).toBeLessThanOrEqual(1e-6);
      }
      expect(t).toBe(T);
    }
  });
});
