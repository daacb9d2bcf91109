import { describe, expect, it } from 'vitest';
import { createModel, type RtAttr, type RtDType, type RtTensor, type RuntimeModel } from '../src/index.js';
import { tensorMismatch } from '@lstmc/testing';
import { buildOnnxModel, type OnnxAttr } from './helpers/onnx-builder.js';
import { ortSession, runOrt } from './helpers/ort.js';
import { Inputs, b8, i32, i64, type OpCase } from './helpers/ort-case.js';
import { elementwiseCases } from './helpers/ort-cases-elementwise.js';
import { refusedForms } from './helpers/ort-cases-refused.js';
import { nnCases } from './helpers/ort-cases-nn.js';
import { tensorCases } from './helpers/ort-cases-tensor.js';

/**
 * Every non-LSTM kernel against onnxruntime-node on small single-op ONNX models with random data,
 * every output of the op compared. Float outputs within 1e-5 (scaled: relative above magnitude 1;
 * NaN matches NaN), integer and bool outputs exactly.
 */
const x = new Inputs(2024);
const f = (...shape: number[]): RtTensor => x.f(shape);
const randInts = (n: number, lo: number, hi: number) => x.ints(n, lo, hi);
const nonZero = (n: number) => x.nonZero(n);

function toRtAttr(a: OnnxAttr): RtAttr {
  if ('i' in a) return { type: 'int', value: a.i };
  if ('f' in a) return { type: 'float', value: a.f };
  if ('s' in a) return { type: 'string', value: a.s };
  if ('ints' in a) return { type: 'ints', value: a.ints };
  if ('floats' in a) return { type: 'floats', value: a.floats };
  if ('strings' in a) return { type: 'strings', value: a.strings };
  return { type: 'tensor', value: a.t };
}

const binary = (op: string): OpCase[] => [
  { name: `${op} same shape`, op, inputs: [f(2, 3, 4), f(2, 3, 4)] },
  { name: `${op} trailing broadcast`, op, inputs: [f(2, 3, 4), f(4)] },
  { name: `${op} two-sided broadcast`, op, inputs: [f(2, 1, 4), f(3, 1)] },
  { name: `${op} scalar`, op, inputs: [f(), f(2, 3)] },
  { name: `${op} i64`, op, inputs: [i64([2, 3], nonZero(6)), i64([3], nonZero(3))] },
  { name: `${op} i32`, op, inputs: [i32([4, 1], nonZero(4)), i32([1, 3], nonZero(3))] },
];

const CASES: OpCase[] = [
  ...binary('Add'),
  ...binary('Sub'),
  ...binary('Mul'),
  ...binary('Div'),
  { name: 'Relu', op: 'Relu', inputs: [f(3, 4, 5)] },
  { name: 'Sigmoid', op: 'Sigmoid', inputs: [f(3, 4, 5)] },
  { name: 'Tanh', op: 'Tanh', inputs: [f(3, 4, 5)] },
  { name: 'Identity', op: 'Identity', inputs: [f(2, 5)] },
  { name: 'Softmax axis 1 (opset 13)', op: 'Softmax', inputs: [f(2, 3, 4)], attrs: { axis: { i: 1 } }, opset: 13 },
  { name: 'Softmax default axis (opset 13)', op: 'Softmax', inputs: [f(2, 3, 4)], opset: 13 },
  { name: 'Softmax axis 1 (opset 11, flatten)', op: 'Softmax', inputs: [f(2, 3, 4)], attrs: { axis: { i: 1 } }, opset: 11 },
  { name: 'Softmax default axis (opset 11, flatten)', op: 'Softmax', inputs: [f(2, 3, 4)], opset: 11 },
  { name: 'MatMul 2-D', op: 'MatMul', inputs: [f(3, 4), f(4, 5)] },
  { name: 'MatMul batched x 2-D', op: 'MatMul', inputs: [f(2, 3, 4), f(4, 5)] },
  { name: 'MatMul broadcast batch', op: 'MatMul', inputs: [f(2, 1, 3, 4), f(5, 4, 2)] },
  { name: 'MatMul vector x matrix', op: 'MatMul', inputs: [f(4), f(4, 5)] },
  { name: 'MatMul matrix x vector', op: 'MatMul', inputs: [f(2, 3, 4), f(4)] },
  { name: 'MatMul vector x vector', op: 'MatMul', inputs: [f(4), f(4)] },
  { name: 'Gemm plain', op: 'Gemm', inputs: [f(3, 4), f(4, 5)] },
  { name: 'Gemm transA transB alpha beta C[N]', op: 'Gemm', inputs: [f(4, 3), f(5, 4), f(5)], attrs: { transA: { i: 1 }, transB: { i: 1 }, alpha: { f: 0.5 }, beta: { f: 2 } } },
  { name: 'Gemm C[M,1]', op: 'Gemm', inputs: [f(3, 4), f(4, 5), f(3, 1)], attrs: { transB: { i: 0 } } },
  { name: 'Gemm C[M,N] transB', op: 'Gemm', inputs: [f(3, 4), f(5, 4), f(3, 5)], attrs: { transB: { i: 1 }, beta: { f: -1 } } },
  { name: 'Gemm C scalar', op: 'Gemm', inputs: [f(3, 4), f(4, 5), f()] },
  // Constant weights: the Gemm and MatMul kernels' matvec engine (matmul-kernel.ts), or their reference where the engine does not apply.
  { name: 'Gemm nn.Linear (transB, C[N]), constant weights', op: 'Gemm', inputs: [f(9, 7), f(13, 7), f(13)], attrs: { transB: { i: 1 } }, constInputs: [1, 2] },
  { name: 'Gemm nn.Linear, C an input, constant B', op: 'Gemm', inputs: [f(2, 64), f(12, 64), f(12)], attrs: { transB: { i: 1 } }, constInputs: [1] },
  { name: 'Gemm C[M,1], constant weights', op: 'Gemm', inputs: [f(3, 5), f(5, 6), f(3, 1)], constInputs: [1, 2] },
  { name: 'Gemm C[M,N] transB, constant weights', op: 'Gemm', inputs: [f(3, 4), f(5, 4), f(3, 5)], attrs: { transB: { i: 1 } }, constInputs: [1] },
  { name: 'Gemm C scalar, no C, constant weights', op: 'Gemm', inputs: [f(4, 3), f(3, 2), f()], constInputs: [1, 2] },
  { name: 'Gemm without C, constant weights', op: 'Gemm', inputs: [f(1, 33), f(33, 4)], constInputs: [1] },
  { name: 'Gemm alpha beta transA, constant weights (reference)', op: 'Gemm', inputs: [f(4, 3), f(5, 4), f(5)], attrs: { transA: { i: 1 }, transB: { i: 1 }, alpha: { f: 0.5 }, beta: { f: 2 } }, constInputs: [1, 2] },
  { name: 'Gemm beta -1, constant weights (reference for C)', op: 'Gemm', inputs: [f(3, 4), f(4, 5), f(5)], attrs: { beta: { f: -1 } }, constInputs: [1] },
  { name: 'MatMul batched x 2-D, constant weights', op: 'MatMul', inputs: [f(2, 3, 9), f(9, 6)], constInputs: [1] },
  { name: 'MatMul vector x matrix, constant weights', op: 'MatMul', inputs: [f(5), f(5, 3)], constInputs: [1] },
  { name: 'MatMul 2-D, constant weights', op: 'MatMul', inputs: [f(8, 64), f(64, 17)], constInputs: [1] },
  { name: 'MatMul matrix x vector, constant vector (reference)', op: 'MatMul', inputs: [f(2, 3, 4), f(4)], constInputs: [1] },
  { name: 'MatMul broadcast batch, constant 3-D weights (reference)', op: 'MatMul', inputs: [f(2, 1, 3, 4), f(5, 4, 2)], constInputs: [1] },
  { name: 'Transpose perm', op: 'Transpose', inputs: [f(2, 3, 4)], attrs: { perm: { ints: [2, 0, 1] } } },
  { name: 'Transpose default', op: 'Transpose', inputs: [f(2, 3, 4)] },
  { name: 'Transpose i64', op: 'Transpose', inputs: [i64([2, 3], randInts(6, -9, 9))], attrs: { perm: { ints: [1, 0] } } },
  { name: 'Reshape 0 and -1', op: 'Reshape', inputs: [f(2, 3, 4), i64([2], [0, -1])] },
  { name: 'Reshape explicit', op: 'Reshape', inputs: [f(2, 3, 4), i64([3], [4, 1, 6])] },
  { name: 'Concat axis 1', op: 'Concat', inputs: [f(2, 3), f(2, 1), f(2, 4)], attrs: { axis: { i: 1 } } },
  { name: 'Concat axis -3 i64', op: 'Concat', inputs: [i64([1, 2, 2], [1, 2, 3, 4]), i64([2, 2, 2], randInts(8, 0, 9))], attrs: { axis: { i: -3 } } },
  { name: 'Slice clamped, steps', op: 'Slice', inputs: [f(5, 6), i64([2], [1, -4]), i64([2], [4, 100]), i64([2], [0, 1]), i64([2], [1, 2])] },
  { name: 'Slice negative step', op: 'Slice', inputs: [f(5, 6), i64([1], [-1]), i64([1], [-100]), i64([1], [1]), i64([1], [-2])] },
  { name: 'Slice default axes', op: 'Slice', inputs: [f(4, 5, 3), i64([2], [1, 0]), i64([2], [3, -1])] },
  { name: 'Slice empty', op: 'Slice', inputs: [f(4, 5), i64([1], [3]), i64([1], [1])] },
  { name: 'Slice i32 indices', op: 'Slice', inputs: [f(4, 5), i32([1], [1]), i32([1], [3]), i32([1], [1])] },
  // whole rows kept: dims merged into runs of 8*32 copied as blocks (Silero VAD's STFT halves), and i64 runs
  { name: 'Slice outer axis, long runs', op: 'Slice', inputs: [f(3, 40, 8), i64([1], [5]), i64([1], [37]), i64([1], [1])] },
  { name: 'Slice outer axis, long runs, i64', op: 'Slice', inputs: [i64([2, 9, 4], randInts(72, -9, 9)), i64([1], [1]), i64([1], [8]), i64([1], [1])] },
  { name: 'Slice two axes, inner step 3', op: 'Slice', inputs: [f(4, 6, 20), i64([2], [1, 2]), i64([2], [3, 20]), i64([2], [0, 2]), i64([2], [1, 3])] },
  { name: 'Transpose 4-D, inner dims kept', op: 'Transpose', inputs: [f(3, 2, 4, 5)], attrs: { perm: { ints: [1, 0, 2, 3] } } },
  { name: 'Gather axis 0 negative indices', op: 'Gather', inputs: [f(5, 4), i64([2, 3], [0, -1, 2, -5, 4, 1])] },
  { name: 'Gather axis 1', op: 'Gather', inputs: [f(3, 4, 2), i64([2], [3, 0])], attrs: { axis: { i: 1 } } },
  { name: 'Gather scalar index from shape', op: 'Gather', inputs: [i64([3], [7, 5, 3]), i64([], [1])] },
  { name: 'Gather i32 indices', op: 'Gather', inputs: [f(5, 2), i32([3], [4, 0, -2])] },
  { name: 'Unsqueeze axes input', op: 'Unsqueeze', inputs: [f(2, 3), i64([2], [0, 3])], opset: 13 },
  { name: 'Unsqueeze axes attribute', op: 'Unsqueeze', inputs: [f(2, 3)], attrs: { axes: { ints: [-1, 1] } }, opset: 11 },
  { name: 'Squeeze axes input', op: 'Squeeze', inputs: [f(1, 3, 1, 2), i64([1], [-2])], opset: 13 },
  { name: 'Squeeze all', op: 'Squeeze', inputs: [f(1, 3, 1, 2)], opset: 13 },
  { name: 'Squeeze axes attribute', op: 'Squeeze', inputs: [f(1, 3, 1)], attrs: { axes: { ints: [0] } }, opset: 11 },
  { name: 'Shape', op: 'Shape', inputs: [f(2, 3, 4)], outputs: ['i64'] },
  { name: 'Shape start end', op: 'Shape', inputs: [f(2, 3, 4, 5)], attrs: { start: { i: 1 }, end: { i: -1 } }, outputs: ['i64'], opset: 15 },
  { name: 'Shape start past end', op: 'Shape', inputs: [f(2, 3)], attrs: { start: { i: -10 }, end: { i: 10 } }, outputs: ['i64'], opset: 15 },
  { name: 'ConstantOfShape default', op: 'ConstantOfShape', inputs: [i64([3], [2, 3, 1])], outputs: ['f32'] },
  { name: 'ConstantOfShape i64 value', op: 'ConstantOfShape', inputs: [i64([2], [2, 2])], attrs: { value: { t: i64([1], [7]) } }, outputs: ['i64'] },
  { name: 'Constant tensor', op: 'Constant', inputs: [], attrs: { value: { t: f(2, 2) } } },
  { name: 'Constant value_ints', op: 'Constant', inputs: [], attrs: { value_ints: { ints: [3, -1, 4] } }, outputs: ['i64'], opset: 13 },
  { name: 'Constant value_float', op: 'Constant', inputs: [], attrs: { value_float: { f: 1.25 } }, opset: 13 },
  { name: 'Cast f32 -> i32 (truncates)', op: 'Cast', inputs: [f(3, 4)], attrs: { to: { i: 6 } }, outputs: ['i32'] },
  { name: 'Cast f32 -> i64', op: 'Cast', inputs: [f(7)], attrs: { to: { i: 7 } }, outputs: ['i64'] },
  { name: 'Cast i64 -> f32', op: 'Cast', inputs: [i64([3], [-5, 0, 123456789])], attrs: { to: { i: 1 } }, outputs: ['f32'] },
  { name: 'Cast f32 -> bool', op: 'Cast', inputs: [{ dtype: 'f32', shape: [4], data: Float32Array.of(0, -0.5, 2, 0) }], attrs: { to: { i: 9 } }, outputs: ['bool'] },
  { name: 'Cast bool -> f32', op: 'Cast', inputs: [b8([3], [1, 0, 1])], attrs: { to: { i: 1 } }, outputs: ['f32'] },
  { name: 'Cast i32 -> f64', op: 'Cast', inputs: [i32([2], [-3, 9])], attrs: { to: { i: 11 } }, outputs: ['f64'] },
  { name: 'Cast i64 -> i32', op: 'Cast', inputs: [i64([2], [-3, 70000])], attrs: { to: { i: 6 } }, outputs: ['i32'] },
  ...elementwiseCases(x),
  ...tensorCases(x),
  ...nnCases(x),
];

/** Element types of the case's outputs. */
function outputTypes(c: OpCase): RtDType[] {
  if (c.outputs) return c.outputs;
  const t = c.inputs.find((t) => t)?.dtype ?? (c.attrs?.['value'] && 't' in c.attrs['value'] ? c.attrs['value'].t.dtype : 'f32');
  return [t];
}

function runtimeModel(c: OpCase): RuntimeModel {
  const values: RuntimeModel['values'][number][] = [];
  const inputs: number[] = [];
  const nodeInputs = c.inputs.map((t, i) => {
    if (!t) return -1;
    const constant = c.constInputs?.includes(i) ?? false;
    if (!constant) inputs.push(values.length);
    values.push({ name: `in${i}`, dtype: t.dtype, shape: [...t.shape], ...(constant ? { data: t } : {}) });
    return values.length - 1;
  });
  const outs = outputTypes(c).map((dtype, k) => values.push({ name: `out${k}`, dtype, shape: null }) - 1);
  // Runtime nodes of table ops carry the ONNX attributes plus the opset whose semantics they follow.
  const attrs: Record<string, RtAttr> = { ...Object.fromEntries(Object.entries(c.attrs ?? {}).map(([k, a]) => [k, toRtAttr(a)])), opset: { type: 'int', value: c.opset ?? 17 } };
  return { values, inputs, outputs: outs, nodes: [{ kernel: c.op, name: c.name, inputs: nodeInputs, outputs: outs, attrs }] };
}

/** The case as an ONNX model; omitted optional inputs are empty names, the present ones after them keep their slots. */
function onnxModel(c: OpCase): Uint8Array {
  const names = outputTypes(c).map((_, k) => `out${k}`);
  const last = c.inputs.reduce((n, t, i) => (t ? i + 1 : n), 0);
  return buildOnnxModel({
    nodes: [{ op: c.op, inputs: c.inputs.slice(0, last).map((t, i) => (t ? `in${i}` : '')), outputs: names, ...(c.attrs ? { attrs: c.attrs } : {}) }],
    inputs: c.inputs.flatMap((t, i) => (t ? [{ name: `in${i}`, dtype: t.dtype, dims: [...t.shape] }] : [])),
    outputs: names.map((name, k) => ({ name, dtype: outputTypes(c)[k]!, dims: null })),
    opset: c.opset ?? 17,
  });
}

describe('kernels against onnxruntime-node', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const feeds: Record<string, RtTensor> = {};
      c.inputs.forEach((t, i) => t && (feeds[`in${i}`] = t));
      const want = await runOrt(onnxModel(c), feeds);
      for (const i of c.constInputs ?? []) delete feeds[`in${i}`];
      const got = createModel(runtimeModel(c)).run(feeds);
      for (const name of outputTypes(c).map((_, k) => `out${k}`)) {
        expect([...got[name]!.shape], `${name} shape`).toEqual([...want[name]!.shape]);
        expect(tensorMismatch(got[name]!, want[name]!, 1e-5), name).toBeUndefined();
      }
    });
  }
});

describe('op forms that do not exist at the opset: onnxruntime-node and the runtime both refuse them', () => {
  for (const c of refusedForms(x))
    it(c.name, async () => {
      await expect(ortSession(onnxModel(c))).rejects.toThrow();
      expect(() => createModel(runtimeModel(c))).toThrow(expect.objectContaining({ code: 'E-RT-GRAPH', message: expect.stringMatching(/opset/) }));
    });
});
