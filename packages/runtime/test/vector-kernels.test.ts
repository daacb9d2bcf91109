import { describe, expect, it } from 'vitest';
import { BUILTIN_KERNELS, KERNEL_EXPORTS, OP_KERNELS, VECTOR_MIN, parseAttrs, type AnyKernel, type RtTensor } from '../src/index.js';
import type { KernelEnv } from '../src/kernels/kernel.js';
import type { VectorEngine as MatvecEngine } from '../src/kernels/vector-engine.js';
import { Rng } from '@lstmc/testing';

// The element-wise kernels on WebAssembly SIMD (vector-kernels.ts): the reference's bits on every
// path, which path a call takes, and the engine a model's kernels share. Their results against
// onnxruntime are kernels-ort's "floats" cases.
const rng = new Rng(96);
const SPECIAL = [0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -1e-40, 3.4e38, -3.4e38, 1, -1];
const f32 = (shape: number[], special = true): RtTensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = rng.f32(n, -4, 4);
  if (special) for (let i = 0; i < n; i += 7) data[i] = SPECIAL[(i / 7) % SPECIAL.length]!;
  return { dtype: 'f32', shape, data };
};
const one = (v: number, shape: number[] = []): RtTensor => ({ dtype: 'f32', shape, data: Float32Array.of(v) });

/** A's bits equal B's, NaN for NaN (the payload of a NaN is not specified). */
function expectBits(got: RtTensor, want: RtTensor, what: string): void {
  expect(got.shape, what).toEqual(want.shape);
  const [g, w] = [got.data as Float32Array, want.data as Float32Array];
  expect(g.length, what).toBe(w.length);
  const [gb, wb] = [new Uint32Array(g.buffer, g.byteOffset, g.length), new Uint32Array(w.buffer, w.byteOffset, w.length)];
  for (let i = 0; i < g.length; i++) if (!(Number.isNaN(g[i]) && Number.isNaN(w[i]))) expect(gb[i], `${what}: element ${i} (${g[i]} vs ${w[i]})`).toBe(wb[i]);
}

/** Runs `op`'s built-in kernel on a counting engine: its output, and how many engine calls it made. */
function run(op: string, inputs: RtTensor[], env: KernelEnv = { matvec: 'wasm-simd' }): { y: RtTensor; calls: number; prepared: unknown } {
  const k = BUILTIN_KERNELS[op]! as AnyKernel;
  const attrs = parseAttrs(k.attrs, { opset: { type: 'int', value: 14 } }, 'n');
  const e = k.prepare!(attrs, inputs.map(() => null), env) as MatvecEngine | undefined;
  let calls = 0;
  const counting = e && Object.assign(Object.create(e) as MatvecEngine, {
    vbin: (...a: Parameters<MatvecEngine['vbin']>) => (calls++, e.vbin(...a)),
    vun: (...a: Parameters<MatvecEngine['vun']>) => (calls++, e.vun(...a)),
  });
  const y = k.run({ attrs, inputs, wanted: [true], nodeName: 'n', env, prepared: counting })[0]!;
  return { y, calls, prepared: e };
}
const reference = (op: string, inputs: RtTensor[]): RtTensor => {
  const k = OP_KERNELS[op]!;
  return k.run({ attrs: parseAttrs(k.attrs, { opset: { type: 'int', value: 14 } }, 'n'), inputs, wanted: [true], nodeName: 'n', env: { matvec: 'wasm-simd' } })[0]!;
};

describe('element-wise kernels on WebAssembly SIMD', () => {
  for (const op of ['Add', 'Sub', 'Mul', 'Div'])
    it(`${op}: one shape, a scalar on either side (rank 0 and [1, 1, 1]): the engine, the reference's bits (zeros, infinities, NaN, subnormals, overflow), lengths off four`, () => {
      for (const shape of [[VECTOR_MIN], [65], [1, 129, 8], [4, 1031]]) {
        const cases: [string, RtTensor[]][] = [
          ['one shape', [f32(shape), f32(shape)]],
          ['scalar right', [f32(shape), one(-0.75)]],
          ['scalar left', [one(3e38), f32(shape)]],
          ['[1, 1, 1] right', [f32(shape), one(2.5, shape.map(() => 1))]],
          ['NaN scalar', [f32(shape), one(Number.NaN)]],
        ];
        for (const [what, inputs] of cases) {
          const r = run(op, inputs);
          expect(r.calls, `${op} ${what} [${shape}]: the engine`).toBe(1);
          expectBits(r.y, reference(op, inputs), `${op} ${what} [${shape}]`);
        }
      }
    });

  for (const op of ['Relu', 'Sqrt', 'Neg', 'Abs'])
    it(`${op}: the engine from ${VECTOR_MIN} floats, the reference's bits (negatives, zeros of both signs, infinities, NaN)`, () => {
      for (const shape of [[VECTOR_MIN], [3, 50], [1, 258, 8]]) {
        const x = f32(shape);
        const r = run(op, [x]);
        expect(r.calls, `${op} [${shape}]`).toBe(1);
        expectBits(r.y, reference(op, [x]), `${op} [${shape}]`);
      }
    });

  it('Pow with an exponent of the one value 2 squares on the engine; other exponents run the reference', () => {
    const x = f32([1, 129, 8]);
    for (const e2 of [one(2), one(2, [1])]) {
      const r = run('Pow', [x, e2]);
      expect(r.calls).toBe(1);
      expectBits(r.y, reference('Pow', [x, e2]), 'Pow 2');
    }
    for (const e of [one(3), one(0.5), { dtype: 'f32', shape: [2], data: Float32Array.of(2, 2) } as RtTensor]) {
      const inputs = e.data.length === 2 ? [f32([4, 2]), e] : [x, e];
      const r = run('Pow', inputs);
      expect(r.calls, `Pow by [${String(e.data)}]`).toBe(0);
      expectBits(r.y, reference('Pow', inputs), `Pow by [${String(e.data)}]`);
    }
  });

  for (const op of ['Add', 'Sub', 'Mul', 'Div'])
    it(`${op}: broadcast along the last dim or over the leading ones (LayerNorm's x - mean, x * gamma; both sides, two-sided), and a scalar of higher rank: the engine, the reference's bits`, () => {
      const cases: [string, RtTensor[]][] = [
        ['one per row', [f32([2, 25, 40]), f32([2, 25, 1])]],
        ['one per row, left', [f32([2, 25, 1]), f32([2, 25, 40])]],
        ['a row repeated', [f32([2, 25, 40]), f32([40])]],
        ['a row repeated, [1, 1, 40], left', [f32([1, 1, 40]), f32([2, 25, 40])]],
        ['two-sided', [f32([129, 1]), f32([1, 8])]],
        ['two-sided, rows repeated', [f32([1, 8]), f32([129, 1])]],
        ['rank-1 row of the leading dims', [f32([1, 129, 8]), f32([1, 129, 1])]],
        ['a scalar of higher rank', [f32([129, 8]), one(1.5, [1, 1, 1])]],
        ['fewer leading dims', [f32([129, 8]), f32([1, 129, 8])]],
      ];
      for (const [what, inputs] of cases) {
        const r = run(op, inputs);
        expect(r.calls, `${op} ${what}: the engine`).toBe(1);
        expectBits(r.y, reference(op, inputs), `${op} ${what}`);
      }
    });

  it('runs the reference below VECTOR_MIN elements, for a broadcast along a middle axis or with rows off a multiple of four, other dtypes, and with matvec js', () => {
    const cases: [string, string, RtTensor[]][] = [
      ['Add', 'small', [f32([VECTOR_MIN - 1]), f32([VECTOR_MIN - 1])]],
      ['Relu', 'small', [f32([7])]],
      ['Mul', 'along a middle axis', [f32([2, 3, 8]), f32([1, 3, 1])]],
      ['Sub', 'rows of 13 floats', [f32([6, 13]), f32([13])]],
      ['Div', 'one per row of 13', [f32([6, 13]), f32([6, 1])]],
      ['Add', 'float64', [{ dtype: 'f64', shape: [100], data: new Float64Array(100).fill(0.1) }, { dtype: 'f64', shape: [100], data: new Float64Array(100).fill(0.2) }]],
    ];
    for (const [op, what, inputs] of cases) {
      const r = run(op, inputs);
      expect(r.calls, `${op} ${what}`).toBe(0);
      expect(r.y, `${op} ${what}`).toEqual(reference(op, inputs));
    }
    const js = run('Add', [f32([100]), f32([100])], { matvec: 'js' });
    expect(js.prepared).toBeUndefined();
  });

  it("a model's kernels share one engine (KernelEnv.shared), made on first use", () => {
    const shared = new Map<string, unknown>();
    let made = 0;
    const env: KernelEnv = { matvec: 'wasm-simd', shared: <T>(key: string, make: () => T): T => (shared.has(key) ? (shared.get(key) as T) : (made++, shared.set(key, make()), shared.get(key) as T)) };
    const engines = ['Add', 'Relu', 'Pow', 'Log'].map((op) => run(op, op === 'Add' || op === 'Pow' ? [f32([100]), one(2)] : [f32([100], false)], env).prepared);
    expect(made).toBe(1);
    expect(new Set(engines).size).toBe(1);
  });

  it('are the built-in kernels of their ops, and the ones runtime-entry imports by name', () => {
    for (const [op, exported] of [['Add', 'addKernel'], ['Sub', 'subKernel'], ['Mul', 'mulKernel'], ['Div', 'divKernel'], ['Pow', 'powKernel'], ['Relu', 'reluKernel'], ['Sqrt', 'sqrtKernel'], ['Neg', 'negKernel'], ['Abs', 'absKernel']]) {
      expect(BUILTIN_KERNELS[op]!.name).toBe(op);
      expect(BUILTIN_KERNELS[op]).not.toBe(OP_KERNELS[op]);
      expect(KERNEL_EXPORTS[op]).toBe(exported);
    }
  });
});
