/**
 * Test-only: random LSTM configurations, built both as an ONNX model (for onnxruntime-node) and as a
 * RuntimeModel using lstm.dense.f32 (weights packed by packLstmWeights, or at run time by lstm.pack.f32).
 */
import { lstmPackedShape, packLstmWeights, type RtNode, type RtTensor, type RtValue, type RuntimeModel } from '../../src/index.js';
import { buildOnnxModel, type OnnxAttr, type OnnxIo } from './onnx-builder.js';
import type { Rng } from '@lstmc/testing';

export const ACTIVATIONS = ['Relu', 'Tanh', 'Sigmoid', 'Affine', 'LeakyRelu', 'ThresholdedRelu', 'ScaledTanh', 'HardSigmoid', 'Elu', 'Softsign', 'Softplus'] as const;

export interface LstmConfig {
  direction: 'forward' | 'reverse' | 'bidirectional';
  H: number;
  I: number;
  T: number;
  B: number;
  layout: 0 | 1;
  clip?: number;
  activations?: string[];
  alpha?: number[];
  beta?: number[];
  inputForget: boolean;
  bias: boolean;
  peepholes: boolean;
  seqLens?: Int32Array;
  initialH: boolean;
  initialC: boolean;
  /** Which of Y, Y_h, Y_c are requested. */
  outputs: [boolean, boolean, boolean];
  /** Pack weights at run time with lstm.pack.f32 instead of at build time. */
  runtimePack: boolean;
}

export interface LstmData {
  X: Float32Array;
  W: Float32Array;
  R: Float32Array;
  B: Float32Array | null;
  P: Float32Array | null;
  h0: Float32Array | null;
  c0: Float32Array | null;
}

export function randomLstmConfig(rng: Rng): LstmConfig {
  const direction = rng.pick(['forward', 'reverse', 'bidirectional'] as const);
  const D = direction === 'bidirectional' ? 2 : 1;
  const B = rng.int(1, 5);
  const T = rng.int(1, 20);
  const cfg: LstmConfig = {
    direction,
    H: rng.int(1, 64),
    I: rng.int(1, 48),
    T,
    B,
    layout: rng.bool(0.3) ? 1 : 0,
    inputForget: rng.bool(0.2),
    bias: rng.bool(0.8),
    peepholes: rng.bool(0.3),
    initialH: rng.bool(0.4),
    initialC: rng.bool(0.4),
    outputs: [false, false, false],
    runtimePack: rng.bool(0.2),
  };
  if (rng.bool(0.3)) cfg.clip = rng.uniform(0.2, 3);
  if (rng.bool(0.4)) {
    cfg.activations = Array.from({ length: 3 * D }, () => rng.pick(ACTIVATIONS));
    if (rng.bool(0.5)) cfg.alpha = Array.from({ length: rng.int(1, 3 * D) }, () => rng.uniform(0.1, 1.5));
    if (rng.bool(0.5)) cfg.beta = Array.from({ length: rng.int(1, 3 * D) }, () => rng.uniform(0.1, 1.5));
  }
  if (rng.bool(0.4)) cfg.seqLens = Int32Array.from({ length: B }, () => (rng.bool(0.15) ? 0 : rng.int(1, T)));
  while (!cfg.outputs.some(Boolean)) cfg.outputs = [rng.bool(), rng.bool(), rng.bool()];
  return cfg;
}

/**
 * Makes some configurations big enough for the batched products' blocking: batch 6..40 (30%), and
 * hidden 64..300 / input 64..300 (20%; more than 64 k-quads split the reduction, more than 64 KiB of
 * weights split the units). Call before drawing the data.
 */
export function widenLstmConfig(cfg: LstmConfig, rng: Rng): LstmConfig {
  if (rng.bool(0.3)) cfg.B = rng.int(6, 40);
  if (cfg.seqLens) cfg.seqLens = Int32Array.from({ length: cfg.B }, () => rng.int(0, cfg.T));
  if (rng.bool(0.2)) (cfg.H = rng.int(64, 300), cfg.I = rng.int(64, 300));
  return cfg;
}

export function numDirections(c: LstmConfig): number {
  return c.direction === 'bidirectional' ? 2 : 1;
}

export function randomLstmData(c: LstmConfig, rng: Rng): LstmData {
  const D = numDirections(c);
  const { H, I, T, B } = c;
  const ws = 1 / Math.sqrt(H + I);
  return {
    X: rng.f32(T * B * I),
    W: rng.f32(D * 4 * H * I, -ws, ws),
    R: rng.f32(D * 4 * H * H, -ws, ws),
    B: c.bias ? rng.f32(D * 8 * H, -0.5, 0.5) : null,
    P: c.peepholes ? rng.f32(D * 3 * H, -0.5, 0.5) : null,
    h0: c.initialH ? rng.f32(D * B * H) : null,
    c0: c.initialC ? rng.f32(D * B * H) : null,
  };
}

function f32(shape: number[], data: Float32Array): RtTensor<'f32'> {
  return { dtype: 'f32', shape, data };
}

/** Transposes the first two axes of a [a, b, rest] row-major array. */
export function swap01(data: Float32Array, a: number, b: number, rest: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) out.set(data.subarray((i * b + j) * rest, (i * b + j + 1) * rest), (j * a + i) * rest);
  return out;
}

function attrsOf(c: LstmConfig): Record<string, OnnxAttr> {
  const a: Record<string, OnnxAttr> = { hidden_size: { i: c.H }, direction: { s: c.direction } };
  if (c.clip !== undefined) a['clip'] = { f: c.clip };
  if (c.activations) a['activations'] = { strings: c.activations };
  if (c.alpha) a['activation_alpha'] = { floats: c.alpha };
  if (c.beta) a['activation_beta'] = { floats: c.beta };
  if (c.inputForget) a['input_forget'] = { i: 1 };
  return a;
}

/** The ONNX model (always layout 0; layout-1 configs are compared on transposed data). */
export function lstmOnnxModel(c: LstmConfig, d: LstmData): Uint8Array {
  const D = numDirections(c);
  const { H, I, T, B } = c;
  const inputs: OnnxIo[] = [{ name: 'X', dtype: 'f32', dims: [T, B, I] }];
  const names = ['X', 'W', 'R', d.B ? 'B' : '', c.seqLens ? 'sequence_lens' : '', d.h0 ? 'initial_h' : '', d.c0 ? 'initial_c' : '', d.P ? 'P' : ''];
  while (names[names.length - 1] === '') names.pop();
  if (c.seqLens) inputs.push({ name: 'sequence_lens', dtype: 'i32', dims: [B] });
  if (d.h0) inputs.push({ name: 'initial_h', dtype: 'f32', dims: [D, B, H] });
  if (d.c0) inputs.push({ name: 'initial_c', dtype: 'f32', dims: [D, B, H] });
  const initializers = [
    { name: 'W', ...f32([D, 4 * H, I], d.W) },
    { name: 'R', ...f32([D, 4 * H, H], d.R) },
    ...(d.B ? [{ name: 'B', ...f32([D, 8 * H], d.B) }] : []),
    ...(d.P ? [{ name: 'P', ...f32([D, 3 * H], d.P) }] : []),
  ];
  const outNames = ['Y', 'Y_h', 'Y_c'].map((n, i) => (c.outputs[i] ? n : ''));
  while (outNames[outNames.length - 1] === '') outNames.pop();
  const outDims = [[T, D, B, H], [D, B, H], [D, B, H]];
  const outputs: OnnxIo[] = outNames.flatMap((n, i) => (n ? [{ name: n, dtype: 'f32' as const, dims: outDims[i]! }] : []));
  return buildOnnxModel({ nodes: [{ op: 'LSTM', inputs: names, outputs: outNames, attrs: attrsOf(c) }], inputs, outputs, initializers, opset: 14 });
}

/** Feeds for the ONNX model (layout 0). */
export function lstmOnnxFeeds(c: LstmConfig, d: LstmData): Record<string, RtTensor> {
  const D = numDirections(c);
  const { H, I, T, B } = c;
  const feeds: Record<string, RtTensor> = { X: f32([T, B, I], d.X) };
  if (c.seqLens) feeds['sequence_lens'] = { dtype: 'i32', shape: [B], data: c.seqLens };
  if (d.h0) feeds['initial_h'] = f32([D, B, H], d.h0);
  if (d.c0) feeds['initial_c'] = f32([D, B, H], d.c0);
  return feeds;
}

/** The runtime model of the config (in its own layout) and feeds converted to that layout. */
export function lstmRuntimeModel(c: LstmConfig, d: LstmData): { model: RuntimeModel; feeds: Record<string, RtTensor> } {
  const D = numDirections(c);
  const { H, I, T, B } = c;
  const l1 = c.layout === 1;
  const values: RtValue[] = [];
  const add = (v: RtValue) => values.push(v) - 1;
  const feeds: Record<string, RtTensor> = {};
  const graphInputs: number[] = [];
  const xShape = l1 ? [B, T, I] : [T, B, I];
  const x = add({ name: 'X', dtype: 'f32', shape: l1 ? ['batch', 'seq', I] : ['seq', 'batch', I] });
  graphInputs.push(x);
  feeds['X'] = f32(xShape, l1 ? swap01(d.X, T, B, I) : d.X);
  const nodes: RtNode[] = [];
  let packed: number;
  if (c.runtimePack) {
    const w = add({ name: 'W', dtype: 'f32', shape: [D, 4 * H, I], data: f32([D, 4 * H, I], d.W) });
    const r = add({ name: 'R', dtype: 'f32', shape: [D, 4 * H, H], data: f32([D, 4 * H, H], d.R) });
    const b = d.B ? add({ name: 'B', dtype: 'f32', shape: [D, 8 * H], data: f32([D, 8 * H], d.B) }) : -1;
    const p = d.P ? add({ name: 'P', dtype: 'f32', shape: [D, 3 * H], data: f32([D, 3 * H], d.P) }) : -1;
    packed = add({ name: 'packed', dtype: 'f32', shape: lstmPackedShape(D, H, I) });
    nodes.push({ kernel: 'lstm.pack.f32', name: 'pack', inputs: [w, r, b, p], outputs: [packed], attrs: { hidden_size: { type: 'int', value: H } } });
  } else {
    const data = packLstmWeights({ W: d.W, R: d.R, B: d.B, P: d.P, numDirections: D, hiddenSize: H, inputSize: I });
    packed = add({ name: 'packed', dtype: 'f32', shape: lstmPackedShape(D, H, I), data: f32(lstmPackedShape(D, H, I), data) });
  }
  let sl = -1;
  if (c.seqLens) {
    sl = add({ name: 'sequence_lens', dtype: 'i32', shape: ['batch'] });
    graphInputs.push(sl);
    feeds['sequence_lens'] = { dtype: 'i32', shape: [B], data: c.seqLens };
  }
  const stateShape = l1 ? ['batch', D, H] : [D, 'batch', H];
  const state = (name: string, data: Float32Array | null) => {
    if (!data) return -1;
    const v = add({ name, dtype: 'f32', shape: stateShape });
    graphInputs.push(v);
    feeds[name] = f32(l1 ? [B, D, H] : [D, B, H], l1 ? swap01(data, D, B, H) : data);
    return v;
  };
  const h0 = state('initial_h', d.h0);
  const c0 = state('initial_c', d.c0);
  const outShapes = [l1 ? ['batch', 'seq', D, H] : ['seq', D, 'batch', H], stateShape, stateShape];
  const outs = ['Y', 'Y_h', 'Y_c'].map((n, i) => (c.outputs[i] ? add({ name: n, dtype: 'f32', shape: outShapes[i]! }) : -1));
  const attrs: RtNode['attrs'] = {
    hidden_size: { type: 'int', value: H },
    input_size: { type: 'int', value: I },
    direction: { type: 'string', value: c.direction },
    layout: { type: 'int', value: c.layout },
    input_forget: { type: 'int', value: c.inputForget ? 1 : 0 },
    ...(c.clip !== undefined ? { clip: { type: 'float', value: c.clip } } : {}),
    ...(c.activations ? { activations: { type: 'strings', value: c.activations } } : {}),
    ...(c.alpha ? { activation_alpha: { type: 'floats', value: c.alpha } } : {}),
    ...(c.beta ? { activation_beta: { type: 'floats', value: c.beta } } : {}),
  };
  nodes.push({ kernel: 'lstm.dense.f32', name: 'lstm', inputs: [x, packed, sl, h0, c0], outputs: outs, attrs, mode: { W: 'dense', R: 'dense' } });
  return { model: { values, inputs: graphInputs, outputs: outs.filter((o) => o >= 0), nodes }, feeds };
}

/** Converts an ORT (layout 0) output to the config's layout. */
export function toLayout(c: LstmConfig, name: string, t: RtTensor): RtTensor {
  if (c.layout === 0) return t;
  const D = numDirections(c);
  const { H, T, B } = c;
  if (name === 'Y') {
    // [T, D, B, H] -> [B, T, D, H]
    const src = t.data as Float32Array;
    const out = new Float32Array(src.length);
    for (let s = 0; s < T; s++) for (let d = 0; d < D; d++) for (let b = 0; b < B; b++) {
      out.set(src.subarray(((s * D + d) * B + b) * H, ((s * D + d) * B + b + 1) * H), ((b * T + s) * D + d) * H);
    }
    return f32([B, T, D, H], out);
  }
  return f32([B, D, H], swap01(t.data as Float32Array, D, B, H));
}
