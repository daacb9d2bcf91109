/**
 * Every torch export of the real-model corpus (tools/test/corpus: torch 1.13's
 * and torch 2's, torch's own outputs) on the accelerator: -O accel with test_data_set_0 as calibration,
 * compiled (LSTM layers as microcode, the rest in host segments), simulated;
 * the simulator equals `--numerics fixed` bit for bit, and torch's outputs are
 * within the error the quantize pass reports (the sum over layers of its
 * measured max abs error of each layer's h vs float32 on the same data; for
 * outputs computed from Y_c, of h or c, whichever is larger) plus the float32
 * run's own distance to torch. Heads (Linear, Softmax, LogSoftmax,
 * LayerNorm, ...) do not amplify the error on this corpus.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, producers, type Graph, type Tensor } from '@lstmc/ir';
import { ANN, PRESETS, getFloats } from '@lstmc/passes';
import { compileAccel, partitionGraph, readLxb, simulateProgram, writeLxb } from '@lstmc/backend-accel';
import { defaultTarget } from '@lstmc/target';
import { loadModel } from '../src/load-model.js';
import { bindInputs, shapeInputs } from '../src/bind-inputs.js';
import { REPO } from './helpers.js';
import { runFixed, runFloat, runPasses } from './run-fixed-support.js';

const CORPUS = join(REPO, 'tools/test/corpus');
const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { torch: { name: string; path: string }[] };
const torch2 = (JSON.parse(readFileSync(join(CORPUS, 'torch2', 'manifest.json'), 'utf8')) as { models: { name: string; path: string }[] }).models;

/** True when `v` is computed from an LSTM's Y_c. */
function fromCellState(g: Graph, v: string): boolean {
  const prod = producers(g);
  const seen = new Set<string>();
  const stack = [v];
  while (stack.length) {
    const x = stack.pop()!;
    if (!x || seen.has(x)) continue;
    seen.add(x);
    const p = prod.get(x);
    if (!p) continue;
    if (p.op === 'LSTM') {
      if (p.outputs[2] === x) return true;
      continue;
    }
    stack.push(...p.inputs);
  }
  return false;
}

/** Sum of the per-layer errors quantize reports (lstmc.q.error: [h, c], fixed vs float32 on the calibration data). */
function reportedError(g: Graph, cell: boolean): number {
  const of = (e: readonly number[] | undefined) => (e ? (cell ? Math.max(e[0]!, e[1]!) : e[0]!) : Infinity);
  return g.nodes.filter((n) => n.op === 'LSTM').reduce((a, n) => a + of(getFloats(n, ANN.qError)), 0);
}

/**
 * -O accel on `g0` with `inputs` as calibration; every LSTM on the accelerator; the simulator equals
 * --numerics fixed bit for bit; `expected(k)` (output k) within the reported error.
 */
async function checkOnAccel(g0: Graph, inputs: Map<string, Tensor>, expected: (k: number) => Float32Array): Promise<void> {
  const g = (await runPasses(g0, PRESETS.accel, defaultTarget, [inputs])).graph;
  const part = partitionGraph(g);
  const lstms = part.placements.filter((p) => p.op === 'LSTM');
  expect(lstms.length).toBeGreaterThan(0);
  expect(lstms.map((p) => p.where)).toEqual(lstms.map(() => 'accel'));
  const program = readLxb(writeLxb(compileAccel(g, defaultTarget, {}, part))).program;
  const sim = simulateProgram(program, new Map([...inputs].map(([k, v]) => [k, { dims: v.dims, data: Array.from(v.data as ArrayLike<number | bigint>, Number) }])));
  const fixed = runFixed(g, defaultTarget, inputs);
  const float = runFloat(g, inputs);
  g.outputs.forEach((o, k) => {
    const s = sim.outputs.get(o)!;
    const r = Array.from(fixed[o]!.data as Float32Array);
    expect([...fixed[o]!.shape], `${o} shape`).toEqual([...s.dims]);
    const bad = r.findIndex((v, i) => v !== s.data[i]);
    expect(bad, `${o}: first element where the simulator (${s.data[bad]}) and --numerics fixed (${r[bad]}) differ`).toBe(-1);
    const want = expected(k);
    const f = float[o]!.data as Float32Array;
    let err = 0;
    let floatErr = 0;
    for (let i = 0; i < r.length; i++) {
      err = Math.max(err, Math.abs(r[i] - want[i]));
      floatErr = Math.max(floatErr, Math.abs(f[i] - want[i]));
    }
    expect(floatErr, `${o}: float32 run vs the reference`).toBeLessThanOrEqual(1e-4);
    const reported = reportedError(g, fromCellState(g, o));
    const bound = reported + floatErr;
    expect(err, `${o}: max abs error vs the reference (quantize reported ${reported.toExponential(3)} over the layers)`).toBeLessThanOrEqual(bound);
  });
}

describe('corpus torch exports on the accelerator: simulator == --numerics fixed, torch within the reported error', () => {
  for (const e of [...manifest.torch, ...torch2]) {
    it(e.path, async () => {
      const dir = join(CORPUS, e.path);
      const g0 = loadModel(join(dir, 'model.onnx'), REPO);
      const read = (f: string) => decodeTensorProto(readFileSync(join(dir, 'test_data_set_0', f)), f).tensor;
      const fed = g0.inputs.filter((i) => !g0.initializers.has(i));
      const inputs = new Map<string, Tensor>(fed.map((n, k) => [n, read(`input_${k}.pb`)]));
      await checkOnAccel(g0, inputs, (k) => read(`output_${k}.pb`).data as Float32Array);
    });
  }
});

// Silero VAD specialized as deployed (16 kHz, one chunk of the test data's length): the sample-rate
// If folds on the bound `sr`, the decoder's shape Ifs on the static shapes, so its LSTMs leave the
// branches and run as microcode. Reference: onnxruntime-node's outputs on the unspecialized model.
describe('Silero VAD specialized with --bind sr=16000 --input-shape: LSTMs on the accelerator, simulator == --numerics fixed', () => {
  for (const m of ['v5', 'v4-legacy', '16k-op15'])
    it(m, async () => {
      const dir = join(CORPUS, 'silero', m, 'test_data_set_0');
      const file = (f: string) => join(dir, f);
      const read = (f: string) => decodeTensorProto(readFileSync(file(f)), f).tensor;
      const all = new Map<string, Tensor>();
      for (let k = 0; existsSync(file(`input_${k}.pb`)); k++) {
        const t = decodeTensorProto(readFileSync(file(`input_${k}.pb`)), `input_${k}.pb`);
        all.set(t.name, t.tensor);
      }
      const loaded = loadModel(join(CORPUS, 'silero', m, 'model.onnx'), REPO);
      const shapes = [...all].filter(([n]) => n !== 'sr').map(([n, t]) => `${n}=${t.dims.join(',')}`);
      const g0 = bindInputs(shapeInputs(loaded, shapes, m), ['sr=16000'], m);
      const inputs = new Map([...all].filter(([n]) => n !== 'sr'));
      await checkOnAccel(g0, inputs, (k) => read(`output_${k}.pb`).data as Float32Array);
    });
});
