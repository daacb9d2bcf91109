import { type Attrs, type Dim, type Graph, type Node, type Tensor, type ValueInfo, inferTypes, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import type { RtTensor } from '@lstmc/runtime';
import type { Rng } from '../support/rng.js';

/**
 * Activations drawn for the gate function f. With input_forget the forget gate is 1 - f(x), which
 * leaves [0, 1] unless f stays in [0, 1]: with Tanh it reaches 2 and c grows like 2^T, a
 * degenerate model whose float32 results no two implementations share. Without input_forget any
 * activation bounded by 1 in magnitude keeps c bounded.
 */
const UNIT = ['Sigmoid', 'HardSigmoid'] as const;
const BOUNDED = [...UNIT, 'Tanh', 'ScaledTanh', 'Softsign'] as const;
const ANY = [...BOUNDED, 'Relu', 'Affine', 'LeakyRelu', 'ThresholdedRelu', 'Elu', 'Softplus'] as const;

/** Where a tensor comes from in the generated model. */
export type Source = 'initializer' | 'input';
/** Initial states: absent, fed, constant, or built from Shape(X) by the subgraph torch exports. */
export type StateSource = 'none' | 'input' | 'initializer' | 'zeros-subgraph';

export interface LstmCase {
  readonly seed: number;
  readonly direction: 'forward' | 'reverse' | 'bidirectional';
  readonly H: number;
  readonly I: number;
  readonly T: number;
  readonly B: number;
  readonly layout: 0 | 1;
  readonly clip?: number;
  readonly activations?: string[];
  readonly alpha?: number[];
  readonly beta?: number[];
  readonly inputForget: boolean;
  readonly bias: boolean;
  readonly peepholes: boolean;
  readonly seqLens?: Int32Array;
  readonly weights: Source;
  readonly states: StateSource;
  readonly symbolicDims: boolean;
  /** Requested outputs Y, Y_h, Y_c. */
  readonly outputs: readonly [boolean, boolean, boolean];
}

export function randomCase(rng: Rng, seed: number): LstmCase {
  const direction = rng.pick(['forward', 'reverse', 'bidirectional'] as const);
  const D = direction === 'bidirectional' ? 2 : 1;
  const T = rng.int(1, 20);
  const B = rng.int(1, 5);
  const layout = rng.bool(0.3) ? 1 : 0;
  const inputForget = rng.bool(0.2);
  let activations: string[] | undefined;
  let alpha: number[] | undefined;
  let beta: number[] | undefined;
  if (rng.bool(0.4)) {
    activations = [];
    for (let d = 0; d < D; d++) activations.push(rng.pick(inputForget ? UNIT : BOUNDED), rng.pick(ANY), rng.pick(ANY));
    if (rng.bool(0.6)) alpha = Array.from({ length: rng.int(1, 3 * D) }, () => rng.uniform(0.1, 1));
    if (rng.bool(0.6)) beta = Array.from({ length: rng.int(1, 3 * D) }, () => rng.uniform(0.1, 1));
  }
  let outputs: [boolean, boolean, boolean] = [false, false, false];
  while (!outputs.some(Boolean)) outputs = [rng.bool(), rng.bool(), rng.bool()];
  const states = rng.pick(layout === 0 ? (['none', 'input', 'initializer', 'zeros-subgraph'] as const) : (['none', 'input', 'initializer'] as const));
  return {
    seed,
    direction,
    H: rng.int(1, 64),
    I: rng.int(1, 48),
    T,
    B,
    layout,
    ...(rng.bool(0.3) ? { clip: rng.uniform(0.2, 3) } : {}),
    ...(activations ? { activations } : {}),
    ...(alpha ? { alpha } : {}),
    ...(beta ? { beta } : {}),
    inputForget,
    bias: rng.bool(0.8),
    peepholes: rng.bool(0.3),
    // Shorter lengths, some zero: ONNX leaves those outputs zero and the states at their initial values.
    ...(rng.bool(0.4) ? { seqLens: Int32Array.from({ length: B }, () => (rng.bool(0.2) ? 0 : rng.int(1, T))) } : {}),
    weights: rng.bool(0.15) ? 'input' : 'initializer',
    states,
    symbolicDims: rng.bool(0.4),
    outputs,
  };
}

export interface CaseData {
  readonly X: Float32Array;
  readonly W: Float32Array;
  readonly R: Float32Array;
  readonly Bias: Float32Array | null;
  readonly P: Float32Array | null;
  readonly h0: Float32Array | null;
  readonly c0: Float32Array | null;
}

export function randomData(c: LstmCase, rng: Rng): CaseData {
  const D = c.direction === 'bidirectional' ? 2 : 1;
  const { H, I, T, B } = c;
  const s = 1 / Math.sqrt(H + I);
  const stated = c.states === 'input' || c.states === 'initializer';
  return {
    X: rng.f32(T * B * I),
    W: rng.f32(D * 4 * H * I, -s, s),
    R: rng.f32(D * 4 * H * H, -s, s),
    Bias: c.bias ? rng.f32(D * 8 * H, -0.5, 0.5) : null,
    P: c.peepholes ? rng.f32(D * 3 * H, -0.5, 0.5) : null,
    h0: stated ? rng.f32(D * B * H) : null,
    c0: stated && rng.bool(0.7) ? rng.f32(D * B * H) : null,
  };
}

/** Swaps the first two axes of a row-major [a, b, rest] array. */
export function swap01(x: Float32Array, a: number, b: number, rest: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) out.set(x.subarray((i * b + j) * rest, (i * b + j + 1) * rest), (j * a + i) * rest);
  return out;
}

/**
 * The case as an IR graph in the given layout (X, states and outputs in that layout; the data is
 * always held in layout 0 and transposed here), and the feeds for its graph inputs.
 */
export function buildCase(c: LstmCase, d: CaseData, layout: 0 | 1): { graph: Graph; feeds: Record<string, RtTensor> } {
  const D = c.direction === 'bidirectional' ? 2 : 1;
  const { H, I, T, B } = c;
  const l1 = layout === 1;
  const seq: Dim = c.symbolicDims ? 'seq' : T;
  const batch: Dim = c.symbolicDims ? 'batch' : B;
  const inputs: string[] = [];
  const values: [string, ValueInfo][] = [];
  const inits: [string, Tensor][] = [];
  const feeds: Record<string, RtTensor> = {};
  const nodes: Node[] = [];
  const input = (name: string, dims: Dim[], data: Float32Array | Int32Array, shape: number[]) => {
    inputs.push(name);
    const dtype = data instanceof Int32Array ? 'i32' : 'f32';
    values.push([name, { name, type: tensorType(dtype, dims) }]);
    feeds[name] = { dtype, shape, data } as RtTensor;
  };
  const tensorOrInput = (src: Source, name: string, shape: number[], data: Float32Array) => {
    if (src === 'initializer') inits.push([name, makeTensor('f32', shape, data)]);
    else input(name, shape, data, shape);
  };
  input('X', l1 ? [batch, seq, I] : [seq, batch, I], l1 ? swap01(d.X, T, B, I) : d.X, l1 ? [B, T, I] : [T, B, I]);
  tensorOrInput(c.weights, 'W', [D, 4 * H, I], d.W);
  tensorOrInput(c.weights, 'R', [D, 4 * H, H], d.R);
  if (d.Bias) tensorOrInput(c.weights, 'B', [D, 8 * H], d.Bias);
  if (c.seqLens) input('sequence_lens', [batch], c.seqLens, [B]);
  const stateShape = l1 ? [B, D, H] : [D, B, H];
  const state = (name: string, data: Float32Array | null): string => {
    if (!data) return '';
    const v = l1 ? swap01(data, D, B, H) : data;
    if (c.states === 'initializer') inits.push([name, makeTensor('f32', stateShape, v)]);
    else input(name, l1 ? [batch, D, H] : [D, batch, H], v, stateShape);
    return name;
  };
  let h0 = state('initial_h', d.h0);
  let c0 = state('initial_c', d.c0);
  if (c.states === 'zeros-subgraph') {
    inits.push(['dirs', makeTensor('i64', [1], [D])], ['hid', makeTensor('i64', [1], [H])], ['one', makeTensor('i64', [], [1])], ['axes0', makeTensor('i64', [1], [0])]);
    nodes.push(
      makeNode({ op: 'Shape', name: 'shape', inputs: ['X'], outputs: ['x_shape'] }),
      makeNode({ op: 'Gather', name: 'gather', inputs: ['x_shape', 'one'], outputs: ['b'], attrs: { axis: { kind: 'int', value: 0 } } }),
      makeNode({ op: 'Unsqueeze', name: 'unsqueeze', inputs: ['b', 'axes0'], outputs: ['b1'] }),
      makeNode({ op: 'Concat', name: 'concat', inputs: ['dirs', 'b1', 'hid'], outputs: ['state_shape'], attrs: { axis: { kind: 'int', value: 0 } } }),
      makeNode({ op: 'ConstantOfShape', name: 'zeros', inputs: ['state_shape'], outputs: ['zeros'] }),
    );
    h0 = 'zeros';
    c0 = 'zeros';
  }
  const P = d.P ? 'P' : '';
  if (d.P) tensorOrInput(c.weights, 'P', [D, 3 * H], d.P);
  const slots = ['X', 'W', 'R', d.Bias ? 'B' : '', c.seqLens ? 'sequence_lens' : '', h0, c0, P];
  while (slots[slots.length - 1] === '') slots.pop();
  const outs = ['Y', 'Y_h', 'Y_c'].map((n, i) => (c.outputs[i] ? n : ''));
  while (outs[outs.length - 1] === '') outs.pop();
  const attrs: Record<string, Attrs[string]> = {
    hidden_size: { kind: 'int', value: H },
    direction: { kind: 'string', value: c.direction },
    layout: { kind: 'int', value: layout },
    input_forget: { kind: 'int', value: c.inputForget ? 1 : 0 },
  };
  if (c.clip !== undefined) attrs.clip = { kind: 'float', value: c.clip };
  if (c.activations) attrs.activations = { kind: 'strings', value: c.activations };
  if (c.alpha) attrs.activation_alpha = { kind: 'floats', value: c.alpha };
  if (c.beta) attrs.activation_beta = { kind: 'floats', value: c.beta };
  nodes.push(makeNode({ op: 'LSTM', name: 'lstm', inputs: slots, outputs: outs, attrs }));
  const graph = inferTypes(
    makeGraph({ name: `lstm_case_${c.seed}`, inputs, outputs: outs.filter(Boolean), initializers: inits, values, nodes, opsets: { '': 14 } }),
  );
  return { graph, feeds };
}

/** An output of the layout-0 twin in the layout of the case (Y: [T,D,B,H] -> [B,T,D,H]; states: [D,B,H] -> [B,D,H]). */
export function toLayout1(name: string, t: RtTensor, c: LstmCase): RtTensor {
  const D = c.direction === 'bidirectional' ? 2 : 1;
  const { H, T, B } = c;
  const x = t.data as Float32Array;
  if (name !== 'Y') return { dtype: 'f32', shape: [B, D, H], data: swap01(x, D, B, H) };
  const out = new Float32Array(x.length);
  for (let s = 0; s < T; s++) for (let d = 0; d < D; d++) for (let b = 0; b < B; b++) out.set(x.subarray(((s * D + d) * B + b) * H, ((s * D + d) * B + b + 1) * H), ((b * T + s) * D + d) * H);
  return { dtype: 'f32', shape: [B, T, D, H], data: out };
}
