import type { OpDef } from './def.js';
import { Cast, Constant, ConstantOfShape } from './ops/constant.js';
import { Conv } from './ops/conv.js';
import * as E from './ops/elementwise.js';
import { Concat, Expand, Gather, Range, Slice, Split, Squeeze, Tile, Unsqueeze } from './ops/indexing.js';
import { Gemm, MatMul } from './ops/linalg.js';
import { LSTM } from './ops/lstm.js';
import { BatchNormalization, LayerNormalization, LogSoftmax, Softmax } from './ops/normalization.js';
import { Pad } from './ops/pad.js';
import { ReduceL2, ReduceMax, ReduceMean, ReduceMin, ReduceProd, ReduceSum, ReduceSumSquare } from './ops/reduce.js';
import { Flatten, Reshape, Shape, Size, Transpose } from './ops/shape.js';

/**
 * The op table: every op lstmc understands (domain ai.onnx), described once.
 * Any other op is imported as an opaque node, kept for inspection; backends
 * refuse opaque nodes by name. Adding an op is one entry here plus its file.
 */
export const OPS = {
  LSTM,
  Constant,
  ConstantOfShape,
  Cast,
  Shape,
  Size,
  Reshape,
  Flatten,
  Transpose,
  Gather,
  Unsqueeze,
  Squeeze,
  Concat,
  Slice,
  Split,
  Expand,
  Tile,
  Range,
  Pad,
  MatMul,
  Gemm,
  Conv,
  Add: E.Add,
  Sub: E.Sub,
  Mul: E.Mul,
  Div: E.Div,
  Pow: E.Pow,
  Max: E.Max,
  Min: E.Min,
  Equal: E.Equal,
  Less: E.Less,
  Greater: E.Greater,
  LessOrEqual: E.LessOrEqual,
  GreaterOrEqual: E.GreaterOrEqual,
  And: E.And,
  Or: E.Or,
  Xor: E.Xor,
  Not: E.Not,
  Where: E.Where,
  Relu: E.Relu,
  Sigmoid: E.Sigmoid,
  Tanh: E.Tanh,
  Exp: E.Exp,
  Log: E.Log,
  Sqrt: E.Sqrt,
  Reciprocal: E.Reciprocal,
  Erf: E.Erf,
  Floor: E.Floor,
  Ceil: E.Ceil,
  Round: E.Round,
  Sin: E.Sin,
  Cos: E.Cos,
  Neg: E.Neg,
  Abs: E.Abs,
  Sign: E.Sign,
  Softsign: E.Softsign,
  Softplus: E.Softplus,
  LeakyRelu: E.LeakyRelu,
  Elu: E.Elu,
  Selu: E.Selu,
  HardSigmoid: E.HardSigmoid,
  HardSwish: E.HardSwish,
  Gelu: E.Gelu,
  Clip: E.Clip,
  Identity: E.Identity,
  Dropout: E.Dropout,
  Softmax,
  LogSoftmax,
  BatchNormalization,
  LayerNormalization,
  ReduceSum,
  ReduceMean,
  ReduceMax,
  ReduceMin,
  ReduceProd,
  ReduceL2,
  ReduceSumSquare,
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
