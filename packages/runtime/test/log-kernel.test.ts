import { describe, expect, it } from 'vitest';
import { BUILTIN_KERNELS, KERNEL_EXPORTS, OP_KERNELS, logKernel, parseAttrs, type RtTensor } from '../src/index.js';
import { Rng } from '@lstmc/testing';

// Log's runtime kernel: float32 data on the engine's logv (its accuracy over every float is
// matvec-engine.test.ts's; its results against onnxruntime are kernels-ort's Log cases), the others
// through the reference, and where the registry and runtime-entry find it.
const rng = new Rng(95);
const attrs = parseAttrs(logKernel.attrs, { opset: { type: 'int', value: 13 } }, 'log');
const run = (x: RtTensor, matvec: 'wasm-simd' | 'js') => {
  const env = { matvec } as const;
  const prepared = logKernel.prepare!(attrs, [null], env);
  return { prepared, y: logKernel.run({ attrs, inputs: [x], wanted: [true], nodeName: 'log', env, prepared })[0]! };
};

describe('the Log kernel', () => {
  it('runs float32 data of any length on the engine: the shape kept, each value within 1 ulp of the reference evaluation', () => {
    for (const shape of [[1, 129, 8], [3], [1], [2, 5, 7], [0]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const x: RtTensor = { dtype: 'f32', shape, data: Float32Array.from({ length: n }, () => Math.exp(rng.next() * 40 - 20)) };
      const { prepared, y } = run(x, 'wasm-simd');
      expect(prepared, 'an engine').toBeDefined();
      const ref = OP_KERNELS.Log!.run({ attrs, inputs: [x], wanted: [true], nodeName: 'log', env: { matvec: 'wasm-simd' } })[0]!;
      expect(y.shape).toEqual(shape);
      const [got, want] = [y.data as Float32Array, ref.data as Float32Array];
      expect(got.length).toBe(n);
      for (let i = 0; i < n; i++) expect(Math.abs(got[i]! - want[i]!), `${shape}: ${i}`).toBeLessThanOrEqual(Math.abs(want[i]!) * 2 ** -23 + 2 ** -149);
    }
  });

  it('runs float64 data, and any data with matvec js, through the reference: its bits', () => {
    const x64: RtTensor = { dtype: 'f64', shape: [4], data: Float64Array.of(0.5, 2, 1e-300, 7) };
    const ref = OP_KERNELS.Log!.run({ attrs, inputs: [x64], wanted: [true], nodeName: 'log', env: { matvec: 'wasm-simd' } })[0]!;
    expect(run(x64, 'wasm-simd').y).toEqual(ref);
    const x32: RtTensor = { dtype: 'f32', shape: [2], data: Float32Array.of(0.3, 9) };
    const js = run(x32, 'js');
    expect(js.prepared).toBeUndefined();
    expect(js.y).toEqual(OP_KERNELS.Log!.run({ attrs, inputs: [x32], wanted: [true], nodeName: 'log', env: { matvec: 'js' } })[0]);
  });

  it('is the built-in Log, and the one runtime-entry imports by name', () => {
    expect(BUILTIN_KERNELS.Log).toBe(logKernel);
    expect(OP_KERNELS.Log).not.toBe(logKernel);
    expect(KERNEL_EXPORTS.Log).toBe('logKernel');
  });
});
