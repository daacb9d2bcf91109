import type { Attrs } from '../src/attr.js';
import { type Graph, makeGraph, makeNode, type ValueInfo } from '../src/graph.js';
import { makeTensor, type Tensor } from '../src/tensor.js';
import { type Dim, tensorType } from '../src/types.js';
import type { DType } from '../src/dtype.js';

/**
 * Hand-built graphs that exercise every corner of the text form: every
 * attribute kind, every dtype, symbolic and unknown dims, fixed-point types,
 * names that need quoting, omitted inputs/outputs, subgraphs that use outer
 * values, and float bit patterns (NaN payloads, -0, infinities, subnormals).
 */

function vi(name: string, dtype: DType, shape: readonly Dim[] | undefined, frac?: number): [string, ValueInfo] {
  return [name, { name, type: tensorType(dtype, shape, frac === undefined ? undefined : { frac }) }];
}

function f32Bits(bits: readonly number[]): Float32Array {
  const u = new Uint32Array(bits);
  return new Float32Array(u.buffer);
}

function f64Bits(bits: readonly bigint[]): Float64Array {
  const u = new BigUint64Array(bits);
  return new Float64Array(u.buffer);
}

function ramp(n: number, scale: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * 0.7) * scale;
  return a;
}

/** One initializer of every dtype, with the extreme values of each. */
export function allDTypeInitializers(): [string, Tensor][] {
  return [
    ['t_f32', makeTensor('f32', [12], f32Bits([0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fc00001, 0xffc00000, 0x7f800001, 0x00000001, 0x7f7fffff, 0x3dcccccd, 0xbf800000]))],
    ['t_f64', makeTensor('f64', [8], f64Bits([0n, 0x8000000000000000n, 0x7ff0000000000000n, 0x7ff8000000000000n, 0x7ff8000000000123n, 0x0000000000000001n, 0x3fb999999999999an, 0x7fefffffffffffffn]))],
    ['t_f16', makeTensor('f16', [3], [0.5, -65504, 6.103515625e-5])],
    ['t_bf16', makeTensor('bf16', [2], [1.5, -3.3895313892515355e38])],
    ['t_i8', makeTensor('i8', [3], [-128, 0, 127])],
    ['t_u8', makeTensor('u8', [2], [0, 255])],
    ['t_i16', makeTensor('i16', [2], [-32768, 32767])],
    ['t_u16', makeTensor('u16', [2], [0, 65535])],
    ['t_i32', makeTensor('i32', [2], [-2147483648, 2147483647])],
    ['t_u32', makeTensor('u32', [2], [0, 4294967295])],
    ['t_i64', makeTensor('i64', [3], new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 0n]))],
    ['t_u64', makeTensor('u64', [2], new BigUint64Array([0n, 2n ** 64n - 1n]))],
    ['t_bool', makeTensor('bool', [3], [1, 0, 1])],
    ['t_string', makeTensor('string', [2, 2], ['plain', 'quote " and \\ backslash', 'line\nbreak \u0001 ctl', 'ünïcödé 🎉'])],
    ['t_scalar', makeTensor('f32', [], [2.5])],
    ['t_empty', makeTensor('f32', [0, 3])],
    ['t_fixed', makeTensor('i16', [2], [256, -512], { frac: 8 })],
    ['t_fixed_neg', makeTensor('i8', [1], [3], { frac: -2 })],
  ];
}

/** Every attribute kind, including the empty lists and float attributes that are not float32. */
export function allAttrKinds(sub: Graph): Attrs {
  return {
    i: { kind: 'int', value: -7 },
    i_big: { kind: 'int', value: 9223372036854775807 },
    f: { kind: 'float', value: Math.fround(0.1) },
    f_64: { kind: 'float', value: 0.1 },
    f_neg0: { kind: 'float', value: -0 },
    f_inf: { kind: 'float', value: -Infinity },
    f_nan: { kind: 'float', value: Number.NaN },
    s: { kind: 'string', value: 'He said "hi"\t\\' },
    s_empty: { kind: 'string', value: '' },
    ints: { kind: 'ints', value: [1, -2, 3] },
    floats: { kind: 'floats', value: [0.5, Math.fround(1 / 3), 1] },
    floats_64: { kind: 'floats', value: [0.5, 1 / 3] },
    strings: { kind: 'strings', value: ['Sigmoid', 'Tanh', ''] },
    e_ints: { kind: 'ints', value: [] },
    e_floats: { kind: 'floats', value: [] },
    e_strings: { kind: 'strings', value: [] },
    e_graphs: { kind: 'graphs', value: [] },
    t: { kind: 'tensor', value: makeTensor('i64', [2], [3, -1]) },
    t_big: { kind: 'tensor', value: makeTensor('f32', [10, 10], ramp(100, 0.25)) },
    g: { kind: 'graph', value: sub },
    gs: { kind: 'graphs', value: [sub, sub] },
    'needs quoting': { kind: 'int', value: 1 },
    input: { kind: 'int', value: 2 },
  };
}

/** A subgraph that reads an outer value (`x`) and has its own initializer and untyped output. */
export function branchGraph(name: string, outer: string): Graph {
  return makeGraph({
    name,
    opsets: {},
    inputs: [],
    outputs: ['b_out'],
    initializers: [['b_one', makeTensor('f32', [1], [1])]],
    values: [vi('b_one', 'f32', [1]), vi('b_out', 'f32', ['batch', 4]), vi(outer, 'f32', ['batch', 4])],
    nodes: [makeNode({ op: 'Add', name: `${name}/add`, inputs: [outer, 'b_one'], outputs: ['b_out'] })],
  });
}

/** A graph with a bit of everything. */
export function kitchenSink(): Graph {
  const sub = branchGraph('then_branch', 'x');
  const inits = allDTypeInitializers();
  inits.push(['W', makeTensor('f32', [1, 16, 8], ramp(128, 0.5))]);
  inits.push(['x', makeTensor('f32', [1, 4], [0, 0, 0, 0])]); // also an input: a default value
  inits.push(['untyped_init', makeTensor('i32', [1], [5])]);
  inits.push(['retyped_init', makeTensor('f32', [2], [1, 2])]);
  return makeGraph({
    name: 'kitchen sink',
    opsets: { '': 17, 'com.microsoft': 1, 'ai.onnx.ml': 3 },
    metadata: { producer: 'hand', 'odd "key"': 'v\u00e9', '': 'empty key' },
    inputs: ['x', 'seq in', 'cond', 'no_type'],
    outputs: ['/lstm/LSTM_output_0', 'y_c', 'x'],
    initializers: inits,
    values: [
      vi('x', 'f32', ['batch', 4]),
      vi('seq in', 'f32', ['seq len', '?', 3, 'input', '3']),
      vi('cond', 'bool', []),
      vi('orphan', 'f32', undefined),
      ...inits.filter(([k]) => k !== 'x' && k !== 'untyped_init' && k !== 'retyped_init').map(([k, t]) => vi(k, t.dtype, t.dims, t.fixed?.frac)),
      vi('retyped_init', 'f32', ['n']),
      vi('/lstm/LSTM_output_0', 'f32', ['seq len', 1, 'batch', 4]),
      vi('onnx::Y_h', 'f32', [1, 'batch', 4]),
      vi('y_c', 'i16', [1, 'batch', 4], 12),
      vi('if_out', 'f32', ['batch', 4]),
    ],
    nodes: [
      makeNode({
        op: 'LSTM',
        name: 'LSTM_0',
        inputs: ['seq in', 'W', 'W', '', '', 'x', ''],
        outputs: ['/lstm/LSTM_output_0', 'onnx::Y_h', ''],
        attrs: { hidden_size: { kind: 'int', value: 4 }, activations: { kind: 'strings', value: ['Sigmoid', 'Tanh', 'Tanh'] }, clip: { kind: 'float', value: Math.fround(0.1) } },
      }),
      makeNode({ op: 'If', name: 'if', inputs: ['cond'], outputs: ['if_out'], attrs: { then_branch: { kind: 'graph', value: sub }, else_branch: { kind: 'graph', value: branchGraph('else', 'onnx::Y_h') } } }),
      makeNode({ op: 'FusedThing', domain: 'com.microsoft', name: '', inputs: ['if_out', '', 'onnx::Y_h'], outputs: ['', 'y_c'], attrs: allAttrKinds(sub) }),
      makeNode({ op: 'input', domain: 'my domain', name: 'keyword op', inputs: ['no_type', 'untyped_init', 'retyped_init'], outputs: [] }),
      makeNode({ op: 'none', name: 'weird "name"\n', inputs: [], outputs: ['untyped result', 'dup_type'] }),
    ],
  });
}

/** The smallest graph: no inputs, no nodes. */
export function emptyGraph(): Graph {
  return makeGraph({ name: 'main', opsets: { '': 22 }, inputs: [], outputs: [], values: [], nodes: [] });
}

/** A Loop with a body that uses an outer value and nests an If whose branches use the loop's values. */
export function nestedLoop(): Graph {
  const inner = (name: string, v: string) =>
    makeGraph({
      name,
      opsets: {},
      inputs: [],
      outputs: [`${name}_o`],
      values: [vi(`${name}_o`, 'f32', [4])],
      nodes: [makeNode({ op: 'Identity', name: `${name}_id`, inputs: [v], outputs: [`${name}_o`] })],
    });
  const body = makeGraph({
    name: 'body',
    opsets: {},
    inputs: ['iter', 'cond_in', 'acc'],
    outputs: ['cond_out', 'acc_out'],
    values: [vi('iter', 'i64', []), vi('cond_in', 'bool', []), vi('acc', 'f32', [4]), vi('cond_out', 'bool', []), vi('acc_out', 'f32', [4])],
    nodes: [
      makeNode({ op: 'Identity', name: 'c', inputs: ['cond_in'], outputs: ['cond_out'] }),
      makeNode({
        op: 'If',
        name: 'inner_if',
        inputs: ['cond_in'],
        outputs: ['acc_out'],
        attrs: { then_branch: { kind: 'graph', value: inner('t', 'acc') }, else_branch: { kind: 'graph', value: inner('e', 'bias') } },
      }),
    ],
  });
  return makeGraph({
    name: 'loop',
    opsets: { '': 13 },
    inputs: ['n', 'c0', 'a0'],
    outputs: ['a_final'],
    initializers: [['bias', makeTensor('f32', [4], [0.25, 0.5, 0.75, 1])]],
    values: [vi('n', 'i64', []), vi('c0', 'bool', []), vi('a0', 'f32', [4]), vi('bias', 'f32', [4]), vi('a_final', 'f32', [4])],
    nodes: [makeNode({ op: 'Loop', name: 'loop0', inputs: ['n', 'c0', 'a0'], outputs: ['a_final'], attrs: { body: { kind: 'graph', value: body } } })],
  });
}

export const SAMPLES: Readonly<Record<string, () => Graph>> = { kitchenSink, emptyGraph, nestedLoop };
