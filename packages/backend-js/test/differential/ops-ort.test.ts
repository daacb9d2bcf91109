import { describe, expect, it } from 'vitest';
import { type Attr, type Graph, type Node, type Tensor, exportOnnx, importOnnx, inferTypes, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { loadModel, type RtTensor } from '@lstmc/runtime';
import { writeRuntimeGraph } from '@lstmc/runtime/writer';
import { lowerToRuntime } from '../../src/index.js';
import { maxAbsDiff } from '../helpers.js';
import { ortSession, runOrt } from '../support/ort.js';
import { Rng } from '../support/rng.js';

/**
 * The lowering rules that rewrite an op (old-opset forms the ONNX node tests in ../shared do not
 * cover: Slice with attributes, Softmax before opset 13, Squeeze/Unsqueeze with an axes attribute,
 * Cast codes) and folded shape chains, checked against onnxruntime-node on the same ONNX bytes.
 */
interface OpCase {
  readonly name: string;
  readonly opset: number;
  readonly inputs: readonly [string, readonly number[]][];
  readonly inits?: readonly [string, Tensor][];
  readonly nodes: readonly Node[];
  readonly outputs: readonly string[];
  /** The runtime kernels the lowered graph must consist of, when the case is about folding. */
  readonly kernels?: readonly string[];
}

const i64 = (v: number[]) => makeTensor('i64', [v.length], v);
const ints = (value: number[]): Attr => ({ kind: 'ints', value });
const int = (value: number): Attr => ({ kind: 'int', value });
const node = (op: string, inputs: string[], outputs: string[], attrs: Record<string, Attr> = {}) => makeNode({ op, name: `${op}_${outputs[0]}`, inputs, outputs, attrs });

const CASES: OpCase[] = [
  {
    name: 'Slice opset 9 (attributes, negative and clamped bounds)',
    opset: 9,
    inputs: [['x', [4, 6, 5]]],
    nodes: [node('Slice', ['x'], ['y'], { starts: ints([1, -4]), ends: ints([100, -1]), axes: ints([0, 2]) })],
    outputs: ['y'],
  },
  {
    name: 'Slice opset 13 (inputs with steps)',
    opset: 13,
    inputs: [['x', [5, 7]]],
    inits: [['s', i64([4, 0])], ['e', i64([-100, 7])], ['a', i64([0, 1])], ['st', i64([-2, 3])]],
    nodes: [node('Slice', ['x', 's', 'e', 'a', 'st'], ['y'])],
    outputs: ['y'],
  },
  { name: 'Softmax opset 11 default axis (flattened trailing dims)', opset: 11, inputs: [['x', [2, 3, 4]]], nodes: [node('Softmax', ['x'], ['y'])], outputs: ['y'] },
  { name: 'Softmax opset 12 axis 2', opset: 12, inputs: [['x', [2, 3, 4]]], nodes: [node('Softmax', ['x'], ['y'], { axis: int(2) })], outputs: ['y'] },
  { name: 'Softmax opset 13 default axis', opset: 13, inputs: [['x', [2, 3, 4]]], nodes: [node('Softmax', ['x'], ['y'])], outputs: ['y'] },
  {
    name: 'Unsqueeze/Squeeze opset 11 (axes attribute)',
    opset: 11,
    inputs: [['x', [3, 1, 4]]],
    nodes: [node('Squeeze', ['x'], ['s'], { axes: ints([1]) }), node('Unsqueeze', ['s'], ['y'], { axes: ints([0, 3]) })],
    outputs: ['y'],
  },
  {
    name: 'Cast f32 -> i32 -> f32, f32 -> i64',
    opset: 13,
    inputs: [['x', [7]]],
    nodes: [node('Mul', ['x', 'k'], ['xs']), node('Cast', ['xs'], ['i'], { to: int(6) }), node('Cast', ['i'], ['y'], { to: int(1) }), node('Cast', ['xs'], ['l'], { to: int(7) })],
    inits: [['k', makeTensor('f32', [], [5])]],
    outputs: ['y', 'l'],
  },
  {
    name: 'Reshape with 0 and -1, Transpose, Gemm with transB, Relu, Div',
    opset: 13,
    inputs: [['x', [2, 3, 4]]],
    inits: [['shape', i64([0, -1])], ['w', makeTensor('f32', [5, 12], new Rng(3).f32(60))], ['c', makeTensor('f32', [5], new Rng(4).f32(5))], ['d', makeTensor('f32', [1], [4])]],
    nodes: [
      node('Transpose', ['x'], ['t'], { perm: ints([0, 2, 1]) }),
      node('Reshape', ['t', 'shape'], ['r']),
      node('Gemm', ['r', 'w', 'c'], ['g'], { transB: int(1), alpha: { kind: 'float', value: 0.5 } }),
      node('Relu', ['g'], ['rg']),
      node('Div', ['rg', 'd'], ['y']),
    ],
    outputs: ['y'],
  },
  {
    name: 'shape chain of a static input folded: Shape/Gather/Unsqueeze/Concat/ConstantOfShape/Add',
    opset: 13,
    inputs: [['x', [3, 2]]],
    inits: [['zero', makeTensor('i64', [], [0])], ['ax', i64([0])], ['extra', i64([2])]],
    nodes: [
      node('Shape', ['x'], ['sh']),
      node('Gather', ['sh', 'zero'], ['b']),
      node('Unsqueeze', ['b', 'ax'], ['b1']),
      node('Concat', ['extra', 'b1'], ['zs'], { axis: int(0) }),
      node('ConstantOfShape', ['zs'], ['z'], { value: { kind: 'tensor', value: makeTensor('f32', [1], [0.25]) } }),
      node('Transpose', ['x'], ['xt']),
      node('Add', ['xt', 'z'], ['y']),
    ],
    outputs: ['y', 'sh'],
    kernels: ['Transpose', 'Add'],
  },
  {
    name: 'MatMul batched with broadcast, Sub, Sigmoid, Tanh, Identity',
    opset: 13,
    inputs: [['a', [2, 3, 4]], ['b', [4, 5]]],
    nodes: [node('MatMul', ['a', 'b'], ['m']), node('Sigmoid', ['m'], ['s']), node('Tanh', ['m'], ['t']), node('Sub', ['s', 't'], ['d']), node('Identity', ['d'], ['y'])],
    outputs: ['y'],
  },
];

function graphOf(c: OpCase): Graph {
  return inferTypes(
    makeGraph({
      name: 'case',
      inputs: c.inputs.map(([n]) => n),
      outputs: [...c.outputs],
      initializers: c.inits ?? [],
      values: c.inputs.map(([n, dims]) => [n, { name: n, type: tensorType('f32', dims) }]),
      nodes: [...c.nodes],
      opsets: { '': c.opset },
    }),
  );
}

describe('rewritten and folded ops against onnxruntime-node', () => {
  for (const c of CASES)
    it(c.name, async () => {
      const bytes = exportOnnx(graphOf(c));
      const rng = new Rng(c.name.length);
      const feeds: Record<string, RtTensor> = {};
      for (const [n, dims] of c.inputs) feeds[n] = { dtype: 'f32', shape: [...dims], data: rng.f32(dims.reduce((a, b) => a * b, 1), -3, 3) };
      const want = await runOrt(await ortSession(bytes), feeds);
      const lowered = lowerToRuntime(importOnnx(bytes, { file: 'case.onnx' }));
      if (c.kernels) expect(lowered.nodes.map((n) => n.kernel)).toEqual(c.kernels);
      const got = loadModel(writeRuntimeGraph(lowered)).run(feeds);
      for (const o of c.outputs) {
        expect(got[o]!.dtype, o).toBe(want[o]!.dtype);
        expect(maxAbsDiff(got[o]!, want[o]!), o).toBeLessThanOrEqual(1e-6);
      }
    });
});
