import { describe, expect, it } from 'vitest';
import { isDiagnosticError } from '@lstmc/ir';
import { defaultTarget } from '@lstmc/target';
import { compileAccel, readLxb, simulateProgram, writeLxb } from '../src/index.js';
import { lstmCases } from './conformance.js';
import { optimize } from './pipeline.js';
import { referenceFixed } from './reference.js';

describe('ONNX conformance LSTMs on the accelerator (default target)', () => {
  it('finds every LSTM case of ../shared/conformance (4 official + 14 from PR 2923)', () => {
    expect(lstmCases()).toHaveLength(18);
  });
  for (const c of lstmCases()) {
    it(c.name, async () => {
      let program;
      let g = c.graph;
      try {
        // quantize ranges from the data itself (no calibration run needed)
        const x = c.inputs.get(c.graph.nodes.find((n) => n.op === 'LSTM')!.inputs[0])!.data as Float32Array;
        const xMax = Math.max(...Array.from(x, Math.abs));
        g = await optimize(c.graph, defaultTarget, [], `fold,sparsity,select-mode,quantize{x-max=${xMax},c-max=4},encode{which=sparse-weight}`);
        program = compileAccel(g, defaultTarget);
      } catch (e) {
        // activations other than Sigmoid/Tanh are refused by name
        expect(isDiagnosticError(e) && e.diagnostic.code).toMatch(/^E-(ACCEL|QUANT)-UNSUPPORTED$/);
        expect(c.name).toMatch(/activations/);
        return;
      }
      const bytes = writeLxb(program);
      expect(writeLxb(program)).toEqual(bytes);
      const back = readLxb(bytes).program;
      const inputs = new Map([...c.inputs].map(([k, v]) => [k, { dims: v.dims, data: v.data as ArrayLike<number> }]));
      const sim = simulateProgram(back, inputs);
      // bit-exact with the shared fixed-point semantics
      const ref = referenceFixed(g, defaultTarget, c.inputs);
      for (const [k, v] of sim.raw) expect(Array.from(v.data), k).toEqual(Array.from(ref.get(k)!));
      // and close to the float32 ONNX outputs
      for (const [name, want] of c.expected) {
        const got = sim.outputs.get(name)!;
        expect(got.dims).toEqual(want.dims);
        const w = want.data as Float32Array;
        let err = 0;
        for (let i = 0; i < w.length; i++) err = Math.max(err, Math.abs(got.data[i] - w[i]));
        expect(err, name).toBeLessThan(2e-3);
      }
    });
  }
});
