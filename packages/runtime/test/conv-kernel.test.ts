import { describe, expect, it } from 'vitest';
import { BUILTIN_KERNELS, KERNEL_EXPORTS, OP_KERNELS, convKernel, parseAttrs, type RtTensor } from '../src/index.js';
import { Rng } from '@lstmc/testing';

// Conv's runtime kernel: which path a node takes, the order its engine path sums in (its results
// against onnxruntime are kernels-ort's "constant weights" cases), and where the registry and
// runtime-entry find it.
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

  it('runs depthwise 1-D Convs of stride 1 on the engine (dwc): each output the bias plus the float32 sum of its taps in order from zero, padding and dilation included, those bits exactly', () => {
    const env = { matvec: 'wasm-simd' } as const;
    for (const [pads, dil, bias] of [[[2, 2], 1, true], [[0, 3], 2, false], [[4, 1], 3, true]] as const) {
      const a = parseAttrs(convKernel.attrs, { group: { type: 'int', value: 6 }, pads: { type: 'ints', value: [...pads] }, dilations: { type: 'ints', value: [dil] }, opset: { type: 'int', value: 11 } }, 'conv');
      const [W, B] = [f32([6, 1, 5]), bias ? f32([6]) : undefined];
      const prepared = convKernel.prepare!(a, [null, W, B ?? null], env) as { depthwise?: unknown };
      expect(prepared.depthwise, 'depthwise weights packed').toBeDefined();
      for (const len of [9, 9, 14, 13, 31]) {
        const X = f32([2, 6, len]);
        const call = { attrs: a, inputs: B ? [X, W, B] : [X, W], wanted: [true], nodeName: 'conv', env };
        const fast = convKernel.run({ ...call, prepared })[0]!;
        const ref = OP_KERNELS.Conv!.run(call)[0]!;
        expect(fast.shape, `pads ${pads} dilation ${dil} length ${len}`).toEqual(ref.shape);
        expectOrderedSums(fast.data as Float32Array, X, W, B, { pad: pads[0], stride: 1, dil, group: 6 }, ref.data as Float32Array);
      }
    }
  });

  it('runs other groups of fewer than four channels (a stride of 2, two spatial dims, two channels per group) with the reference arithmetic on its kept plan: the reference bits', () => {
    const env = { matvec: 'wasm-simd' } as const;
    const cases = [
      { attrs: { group: { type: 'int', value: 6 }, strides: { type: 'ints', value: [2] }, pads: { type: 'ints', value: [2, 2] } }, W: [6, 1, 5], X: (len: number) => [1, 6, len] },
      { attrs: { group: { type: 'int', value: 4 }, pads: { type: 'ints', value: [1, 1, 1, 1] } }, W: [4, 1, 3, 3], X: (len: number) => [1, 4, len, 5] },
      { attrs: { group: { type: 'int', value: 3 } }, W: [6, 1, 3], X: (len: number) => [1, 3, len] },
    ] as const;
    for (const k of cases) {
      const a = parseAttrs(convKernel.attrs, { ...k.attrs, opset: { type: 'int', value: 11 } } as Parameters<typeof parseAttrs>[1], 'conv');
      const [W, B] = [f32([...k.W]), f32([k.W[0]])];
      const prepared = convKernel.prepare!(a, [null, W, B], env);
      for (const len of [9, 9, 14]) {
        const call = { attrs: a, inputs: [f32([...k.X(len)]), W, B], wanted: [true], nodeName: 'conv', env };
        expect(convKernel.run({ ...call, prepared })[0]).toEqual(OP_KERNELS.Conv!.run(call)[0]);
      }
    }
  });

  it('the engine path adds to the bias each output\'s float32 sum from zero of its products in im2col order (channel-major, then tap), padding taps included: those bits exactly, within the sum\'s error bound of the float64 reference', () => {
    const X = f32([2, 5, 40]);
    const W = f32([9, 5, 7]);
    const B = f32([9]);
    const env = { matvec: 'wasm-simd' } as const;
    const prepared = convKernel.prepare!(attrs, [null, W, B], env);
    const call = { attrs, inputs: [X, W, B], wanted: [true], nodeName: 'conv', env };
    const fast = convKernel.run({ ...call, prepared })[0]!.data as Float32Array;
    expect(fast.length).toBe(2 * 9 * 36);
    expectOrderedSums(fast, X, W, B, { pad: 1, stride: 1 }, OP_KERNELS.Conv!.run(call)[0]!.data as Float32Array);
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
      expect(fast.shape, `length ${len}`).toEqual(ref.shape);
      expectOrderedSums(fast.data as Float32Array, X, W, undefined, { pad: 8, stride: 4 }, ref.data as Float32Array);
    }
  });

  it('is the built-in Conv, and the one runtime-entry imports by name', () => {
    expect(BUILTIN_KERNELS.Conv).toBe(convKernel);
    expect(OP_KERNELS.Conv).not.toBe(convKernel);
    expect(KERNEL_EXPORTS.Conv).toBe('convKernel');
  });
});

/**
 * A 1-D Conv's outputs summed as the engine paths document: per output, s = 0, then s = f32(s + f32(w x))
 * over its group's channels and, within a channel, taps (a tap in the padding adds w * 0), and the output
 * f32(bias + s).
 * Those bits, exactly; and each within the float32 sum's error bound (K u sum |w x|) of the float64 reference.
 */
function expectOrderedSums(got: Float32Array, X: RtTensor, W: RtTensor, B: RtTensor | undefined, { pad, stride, dil = 1, group = 1 }: { pad: number; stride: number; dil?: number; group?: number }, ref: Float32Array): void {
  const [N, , L] = X.shape as [number, number, number];
  const [M, C, kw] = W.shape as [number, number, number];
  const outL = got.length / (N * M);
  expect(outL, 'output length').toBe(ref.length / (N * M));
  const [x, w] = [X.data as Float32Array, W.data as Float32Array];
  const f = Math.fround;
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++)
      for (let o = 0; o < outL; o++) {
        let s = 0;
        let mag = 0;
        for (let c = 0; c < C; c++)
          for (let t = 0; t < kw; t++) {
            const i = o * stride + t * dil - pad;
            const v = i >= 0 && i < L ? x[(n * C * group + Math.floor(m / (M / group)) * C + c) * L + i]! : 0;
            s = f(s + f(w[(m * C + c) * kw + t]! * v));
            mag += Math.abs(w[(m * C + c) * kw + t]! * v);
          }
        const at = (n * M + m) * outL + o;
        const b = B ? (B.data as Float32Array)[m]! : 0;
        expect(got[at], `batch ${n} channel ${m} position ${o}`).toBe(f(b + s));
        expect(Math.abs(got[at]! - ref[at]!), `batch ${n} channel ${m} position ${o} against float64`).toBeLessThanOrEqual((C * kw + 1) * 2 ** -24 * (mag + Math.abs(b)) + Math.abs(ref[at]!) * 2 ** -23);
      }
}
