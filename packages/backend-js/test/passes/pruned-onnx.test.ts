/**
 * Pruned models stay valid ONNX: for random LSTM configurations and every
 * pruning method, the exported pruned model runs in onnxruntime-node, and
 * our runtime on the pruned IR matches it within 1e-5.
 */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { exportOnnx, loadOnnxFile, updateGraph } from '@lstmc/ir';
import { createModel } from '@lstmc/runtime';
import { defaultTarget, withParams } from '@lstmc/target';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinRegistry, lstmNodes, parsePipeline, runPipeline, stripAllAnnotations } from '@lstmc/passes';
import { calibrationX, lstmGraph } from '../../../passes/test/helpers/graphs.js';
import { lowerToRuntime } from '../../src/index.js';
import { rng } from '@lstmc/testing';

const METHODS = ['magnitude', 'row', 'block', 'balanced'] as const;

describe('pruned models in onnxruntime', () => {
  it('24 random configurations x methods: ORT on the exported model == our runtime (1e-5)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lstmc-pruned-'));
    for (let seed = 1; seed <= 24; seed++) {
      const r = rng(seed);
      const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
      const cfg = { input: int(1, 16), hidden: int(1, 12), dirs: (r() < 0.4 ? 2 : 1) as 1 | 2, seq: int(1, 8), batch: int(1, 3), layers: int(1, 2), seed };
      const method = METHODS[seed % METHODS.length];
      const sparsity = Math.round(r() * 95) / 100;
      const g = updateGraph(lstmGraph(cfg), { opsets: { '': 17 } });
      const text = `prune{method=${method},sparsity=${sparsity}${method === 'block' ? ',block=2x3' : ''}}`;
      const pes = int(1, 16);
      const run = await runPipeline(g, parsePipeline(text, builtinRegistry()), { target: withParams(defaultTarget, { pes }) });
      const file = join(dir, `m${seed}.onnx`);
      writeFileSync(file, exportOnnx(stripAllAnnotations(run.graph)));
      const back = loadOnnxFile(file);
      expect(back.nodes.map((n) => n.op)).toEqual(g.nodes.map((n) => n.op));
      if (method === 'magnitude')
        for (const n of lstmNodes(back)) {
          const w = back.initializers.get(n.inputs[1])!;
          const zeros = Array.from(w.data as Float32Array).filter((v) => v === 0).length;
          expect(zeros).toBe(Math.round(sparsity * (w.data.length / cfg.dirs)) * cfg.dirs);
        }
      const x = calibrationX(cfg.seq, cfg.batch, cfg.input, seed + 100).get('X')!;
      const session = await ort.InferenceSession.create(file);
      const want = await session.run({ X: new ort.Tensor('float32', x.data as Float32Array, [...x.dims]) });
      const got = createModel(lowerToRuntime(back)).run({ X: { dtype: 'f32', shape: [...x.dims], data: x.data as Float32Array } });
      for (const name of g.outputs) {
        const a = got[name].data as Float32Array;
        const b = want[name].data as Float32Array;
        expect(a.length, `seed ${seed} ${name}`).toBe(b.length);
        let err = 0;
        for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
        expect(err, `seed ${seed} ${text} ${JSON.stringify(cfg)}`).toBeLessThanOrEqual(1e-5);
      }
    }
  });
});
