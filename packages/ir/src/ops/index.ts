import type { OpDef } from '../op-def.js';
import { Add, Div, Identity, Mul, Relu, Sigmoid, Softmax, Sub, Tanh } from './elementwise.js';
import { Cast, Constant, ConstantOfShape } from './constant.js';
import { Concat, Gather, Slice, Squeeze, Unsqueeze } from './indexing.js';
import { Gemm, MatMul } from './linalg.js';
import { LSTM } from './lstm.js';
import { Reshape, Shape, Transpose } from './shape.js';

/**
 * The op table: every op lstmc understands (domain ai.onnx), described once.
 * Any other op is imported as an opaque node, kept for inspection; backends
 * refuse opaque nodes by name.
 */
export const OPS = {
  LSTM,
  Constant,
  Shape,
  Gather,
  Unsqueeze,
  Squeeze,
  Concat,
  Slice,
  ConstantOfShape,
  Reshape,
  Transpose,
  MatMul,
  Gemm,
  Add,
  Sub,
  Mul,
  Div,
  Relu,
  Sigmoid,
  Tanh,
  Softmax,
  Identity,
  Cast,
} as const satisfies Record<string, OpDef>;

export type OpKind = keyof typeof OPS;

export const OP_KINDS = Object.keys(OPS) as OpKind[];

/** The op's definition when it is a known ai.onnx op, else undefined (opaque). */
export function opDef(op: string, domain: string): OpDef | undefined {
  if (domain !== '' && domain !== 'ai.onnx') return undefined;
  return Object.prototype.hasOwnProperty.call(OPS, op) ? OPS[op as OpKind] : undefined;
}

export function isKnownOp(op: string, domain: string): op is OpKind {
  return opDef(op, domain) !== undefined;
}

export { LSTM_ACTIVATIONS, LSTM_DIRECTIONS, LSTM_INPUTS } from './lstm.js';
export type { LstmActivation, LstmDirection, LstmAttrs } from './lstm.js';
export { constantValue } from './constant.js';
export { clampSlice } from './indexing.js';
