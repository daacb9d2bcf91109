/**
 * Real torch exports (fixtures/partition, written by make.py with torch's own
 * outputs) through -O accel with their test data as calibration, then the
 * partition, codegen, the .lxb and the simulator: the placement is the golden
 * expected-placement.txt of each folder (LSTMC_UPDATE_GOLDEN=1 rewrites it),
 * the simulator equals `--numerics fixed` (the whole graph lowered to the JS
 * runtime with lstm.fixed) bit for bit, and both are within the quantization
 * error the quantize pass reports (plus the float32 run's own distance to
 * torch) of torch's outputs.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, loadOnnxFile, type Graph, type Tensor } from '@lstmc/ir';
import { ANN, getFloats } from '@lstmc/passes';
import { lowerToRuntime } from '@lstmc/backend-js';
import { loadModel, type RtTensor } from '@lstmc/runtime';
import { writeRuntimeGraph } from '@lstmc/runtime/writer';
import { defaultTarget } from '@lstmc/target';
import { compileAccel, partitionGraph, placementTable, readLxb, simulateProgram, stageOrder, writeLxb } from '../src/index.js';
import { optimize } from './pipeline.js';

const DIR = join(import.meta.dirname, 'fixtures', 'partition');
const MODELS = readdirSync(DIR).filter((d) => existsSync(join(DIR, d, 'model.onnx'))).sort();

function testData(name: string, g: Graph): { inputs: Map<string, Tensor>; expected: Map<string, Tensor> } {
  const data = join(DIR, name, 'test_data_set_0');
  const read = (f: string) => decodeTensorProto(readFileSync(join(data, f)), f).tensor;
  const fed = g.inputs.filter((i) => !g.initializers.has(i));
  return { inputs: new Map(fed.map((n, k) => [n, read(`input_${k}.pb`)])), expected: new Map(g.outputs.map((n, k) => [n, read(`output_${k}.pb`)])) };
}

const asRt = (t: Tensor): RtTensor => ({ dtype: t.dtype, shape: [...t.dims], data: t.data }) as RtTensor;

/**
 * The error bound: the sum of the per-layer errors the quantize pass reports
 * (lstmc.q.error, measured on the same data), times what a Gemm + Softmax head
 * can amplify it by (||W||inf / 2: softmax's Jacobian has inf-norm <= 1/2).
 */
function errorBound(g: Graph): number {
  const layers = g.nodes.filter((n) => n.op === 'LSTM').map((n) => getFloats(n, ANN.qError)?.[0]);
  expect(layers.every((e) => e !== undefined), 'quantize reported an error for every layer').toBe(true);
  const sum = layers.reduce((a, b) => a! + b!, 0)!;
  const gemm = g.nodes.find((n) => n.op === 'Gemm');
  if (!g.nodes.some((n) => n.op === 'Softmax') || !gemm) return sum;
  const w = g.initializers.get(gemm.inputs[1])!;
  const [rows, cols] = gemm.attrs.transB?.value === 1 ? w.dims : [w.dims[1], w.dims[0]];
  const at = (r: number, c: number) => Number((w.data as Float32Array)[gemm.attrs.transB?.value === 1 ? r * cols + c : c * rows + r]);
  let norm = 0;
  for (let r = 0; r < rows; r++) norm = Math.max(norm, Array.from({ length: cols }, (_, c) => Math.abs(at(r, c))).reduce((a, b) => a + b, 0));
  return sum * Math.max(1, norm / 2);
}

describe('torch exports on the accelerator: partition, simulator == --numerics fixed, torch within the reported error', () => {
  for (const name of MODELS) {
    it(name, async () => {
      const g0 = loadOnnxFile(join(DIR, name, 'model.onnx'));
      const { inputs, expected } = testData(name, g0);
      const g = await optimize(g0, defaultTarget, [inputs]);

      const part = partitionGraph(g);
      const text = `${[...placementTable(part).rows.map((r) => r.join(' | ')), '', ...stageOrder(part)].join('\n')}\n`;
      const golden = join(DIR, name, 'expected-placement.txt');
      if (process.env.LSTMC_UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
      expect(part.placements.filter((p) => p.op === 'LSTM').every((p) => p.where === 'accel')).toBe(true);

      const program = readLxb(writeLxb(compileAccel(g, defaultTarget, {}, part))).program;
      const sim = simulateProgram(program, new Map([...inputs].map(([k, v]) => [k, { dims: v.dims, data: Array.from(v.data as ArrayLike<number>) }])));
      const fixed = loadModel(writeRuntimeGraph(lowerToRuntime(g, { fixed: { actBits: defaultTarget.actBits, accBits: defaultTarget.accBits, lutEntries: defaultTarget.lutEntries } })));
      const rt = fixed.run(Object.fromEntries([...inputs].map(([k, v]) => [k, asRt(v)])));
      const float = loadModel(writeRuntimeGraph(lowerToRuntime(g))).run(Object.fromEntries([...inputs].map(([k, v]) => [k, asRt(v)])));
      // |sim - torch| <= |sim - float32| (what quantize reports) + |float32 - torch| (measured here, within 1e-4)
      const bound = errorBound(g);
      for (const o of g.outputs) {
        const s = sim.outputs.get(o)!;
        const r = rt[o]!;
        expect(r.shape, `${o} shape`).toEqual([...s.dims]);
        const bad = Array.from(r.data as Float32Array).findIndex((v, i) => v !== s.data[i]);
        expect(bad, `${o}: first element where the simulator (${s.data[bad]}) and --numerics fixed (${r.data[bad]}) differ`).toBe(-1);
        const want = expected.get(o)!;
        expect([...want.dims]).toEqual([...s.dims]);
        const w = want.data as Float32Array;
        const f = float[o]!.data as Float32Array;
        let err = 0;
        let floatErr = 0;
        for (let i = 0; i < s.data.length; i++) {
          err = Math.max(err, Math.abs(s.data[i] - w[i]));
          floatErr = Math.max(floatErr, Math.abs(f[i] - w[i]));
        }
        expect(floatErr, `${o}: float32 run vs torch`).toBeLessThanOrEqual(1e-4);
        expect(err, `${o}: max abs error vs torch`).toBeLessThanOrEqual(bound + floatErr);
        expect(err, `${o}: not bit-identical to torch (the fixed point is really used)`).toBeGreaterThan(0);
      }
    });
  }
});
