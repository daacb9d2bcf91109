import { describe, expect, it } from 'vitest';
import { BUILTIN_KERNELS, KERNEL_EXPORTS, OP_KERNELS, convKernel, parseAttrs, type RtTensor } from '../src/index.js';
import { Rng } from '@lstmc/testing';

// Conv's runtime kernel: which path a node takes (its results against onnxruntime are kernels-ort's
// "constant weights" cases), and where the registry and runtime-entry find it.
const rng = new Rng(77);
const f32 = (shape: number[]): RtTensor => ({ dtype: 'f32', shape, data: rng.f32(shape.reduce((a, b) => a * b, 1), -1, 1) });
const attrs = parseAttrs(convKernel.attrs, { pads: { type: 'ints', value: [1, 1] }, opset: { type: 'int', value: 11 } }, 'conv');

describe('the Conv kernel', () => {
  it('puts float32 constant weights into the WebAssembly engine at load; js, other dtypes, weights that are inputs and groups of fewer than four channels run the reference arithmetic', () => {
    const packed = (a: typeof attrs, W: RtTensor | null, matvec: 'wasm-simd' | 'js' = 'wasm-simd') => (convKernel.prepare!(a, [null, W, null], { matvec }) as { packed?: unknown }).packed;
    const W = f32([6, 3, 3]);
    expect(packed(attrs, W)).toBeDefined();
    expect(packed(attrs, W, 'js')).toBeUndefined();
    expect(packed(attrs, null)).toBeUndefined();
    const W64: RtTensor = { dtype: 'f64', shape: [6, 3, 3], data: Float64Array.from(W.data as Float32Array) };
    expect(packed(attrs, W64)).toBeUndefined();
    const depthwise = parseAttrs(convKernel.attrs, { group: { type: 'int', value: 6 }, opset: { type: 'int', value: 11 } }, 'conv');
    expect(packed(depthwise, f32([6, 1, 5]))).toBeUndefined();
    expect(packed(parseAttrs(convKernel.attrs, { group: { type: 'int', value: 2 }, opset: { type: 'int', value: 11 } }, 'conv'), f32([8, 3, 3]))).toBeDefined();
  });

  it('runs groups of fewer than four channels (depthwise) with the reference arithmetic on its kept plan: the reference bits', () => {
    const a = parseAttrs(convKernel.attrs, { group: { type: 'int', value: 6 }, pads: { type: 'ints', value: [2, 2] }, opset: { type: 'int', value: 11 } }, 'conv');
    const [W, B] = [f32([6, 1, 5]), f32([6])];
    const env = { matvec: 'wasm-simd' } as const;
    const prepared = convKernel.prepare!(a, [null, W, B], env);
    for (const len of [9, 9, 14]) {
      const call = { attrs: a, inputs: [f32([1, 6, len]), W, B], wanted: [true], nodeName: 'conv', env };
      expect(convKernel.run({ ...call, prepared })[0]).toEqual(OP_KERNELS.Conv!.run(call)[0]);
    }
  });

  it('the engine path sums in float64 as the reference evaluation does: its float32 results, or one rounding away where the order of the additions tips it', () => {
    const X = f32([2, 5, 40]);
    const W = f32([9, 5, 7]);
    const B = f32([9]);
    const env = { matvec: 'wasm-simd' } as const;
    const prepared = convKernel.prepare!(attrs, [null, W, B], env);
    expect(prepared).toBeDefined();
    const call = { attrs, inputs: [X, W, B], wanted: [true], nodeName: 'conv', env };
    const fast = convKernel.run({ ...call, prepared })[0]!.data as Float32Array;
    const ref = OP_KERNELS.Conv!.run(call)[0]!.data as Float32Array;
    expect(fast.length).toBe(2 * 9 * 36);
    let same = 0;
    for (let i = 0; i < fast.length; i++) {
      if (fast[i] === ref[i]) same++;
      expect(Math.abs(fast[i]! - ref[i]!), `output ${i}`).toBeLessThanOrEqual(Math.abs(ref[i]!) * 2 ** -23);
    }
    expect(same / fast.length).toBeGreaterThan(0.99);
  });

  it('keeps the plan of the last input shape, and makes a new one when the shape changes', () => {
    const a = parseAttrs(convKernel.attrs, { pads: { type: 'ints', value: [8, 8] }, strides: { type: 'ints', value: [4] }, opset: { type: 'int', value: 11 } }, 'conv');
    const W = f32([5, 2, 24]);
    const env = { matvec: 'wasm-simd' } as const;
    const prepared = convKernel.prepare!(a, [null, W, null], env);
    for (const len of [60, 60, 41, 60]) {
      const X = f32([1, 2, len]);
      const call = { attrs: a, inputs: [X, W], wanted: [true], nodeName: 'conv', env };
      const fast = convKernel.run({ ...call, prepared })[0]!;
      const ref = OP_KERNELS.Conv!.run(call)[0]!;
      expect(fast.shape).toEqual(ref.shape);
      const [y, r] = [fast.data as Float32Array, ref.data as Float32Array];
      for (let i = 0; i < y.length; i++) expect(Math.abs(y[i]! - r[i]!), `length ${len}, output ${i}`).toBeLessThanOrEqual(Math.abs(r[i]!) * 2 ** -23);
    }
  });

  it('is the built-in Conv, and the one runtime-entry imports by name', () => {
    expect(BUILTIN_KERNELS.Conv).toBe(convKernel);
    expect(OP_KERNELS.Conv).not.toBe(convKernel);
    expect(KERNEL_EXPORTS.Conv).toBe('convKernel');
  });
});
