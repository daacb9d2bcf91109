/** Softmax, LogSoftmax, BatchNormalization (inference), LayerNormalization. */
import type { EvalContext, InferContext, OpDef } from '../def.js';
import { FLOAT_TYPES, broadcast, expectDType, normAxis, req, sameAs } from '../infer-util.js';
import { allocatorOf, numel, type NumberData, type OpTensor } from '../tensor.js';
import { tensorType } from '../types.js';
import { broadcastShapesOrUndefined } from '../broadcast.js';
import { broadcastTo, evalAxis } from './indexing.js';

/**
 * Normalizes `x` along one axis (opset >= 13) or, for opsets < 13, over the flattened dims from
 * `axis` on (default axis 1), row by row: out = log ? x - m - log(s) : e^(x - m) / s.
 */
function softmaxEval(ctx: EvalContext, log: boolean): OpTensor {
  const x = ctx.inputs[0]!;
  const r = x.shape.length;
  const src = x.data as NumberData;
  const out = allocatorOf(ctx)(x.dtype, src.length) as NumberData;
  if (r === 0) {
    out[0] = log ? 0 : 1;
    return { dtype: x.dtype, shape: x.shape, data: out };
  }
  const old = ctx.opset < 13;
  const axis = evalAxis(ctx, (ctx.attrs.axis as number | undefined) ?? (old ? 1 : -1), r);
  const outer = numel(x.shape.slice(0, axis));
  const len = old ? numel(x.shape.slice(axis)) : x.shape[axis]!;
  const inner = old ? 1 : numel(x.shape.slice(axis + 1));
  if (len === 0 || outer === 0) return { dtype: x.dtype, shape: x.shape, data: out };
  for (let o = 0; o < outer; o++)
    for (let q = 0; q < inner; q++) {
      const base = o * len * inner + q;
      let m = -Infinity;
      for (let k = 0; k < len; k++) m = Math.max(m, src[base + k * inner]!);
      let s = 0;
      for (let k = 0; k < len; k++) s += Math.exp(src[base + k * inner]! - m);
      const ls = Math.log(s);
      for (let k = 0; k < len; k++) {
        const v = src[base + k * inner]! - m;
        out[base + k * inner] = log ? v - ls : Math.exp(v) / s;
      }
    }
  return { dtype: x.dtype, shape: x.shape, data: out };
}

function softmaxLike(log: boolean): OpDef {
  return {
    inputs: [{ name: 'input' }],
    outputs: [{ name: 'output' }],
    attrs: { axis: { kind: 'int' } },
    infer(ctx: InferContext) {
      const x = expectDType(ctx, 0, FLOAT_TYPES);
      const axis = (ctx.attrs.axis as number | undefined) ?? (ctx.opset >= 13 ? -1 : 1);
      if (x.shape && x.shape.length > 0) normAxis(ctx, axis, x.shape.length);
      return [sameAs(x)];
    },
    eval: (ctx) => [softmaxEval(ctx, log)],
  };
}

/** Softmax along an axis (opset < 13: over the flattened trailing dims). */
export const Softmax = /* @__PURE__ */ softmaxLike(false);
/** Log of softmax along an axis (opset < 13: over the flattened trailing dims). */
export const LogSoftmax = /* @__PURE__ */ softmaxLike(true);

/** Per-channel parameters of BatchNormalization as numbers (channel axis 1). */
function channelVector(ctx: EvalContext, i: number, c: number): NumberData {
  const t = ctx.inputs[i]!;
  if (t.data.length !== c) ctx.fail(`BatchNormalization input ${i} has ${t.data.length} values for ${c} channels`);
  return t.data as NumberData;
}

/** Inference batch norm over channel axis 1: (x - mean) / sqrt(var + epsilon) * scale + B. */
export const BatchNormalization: OpDef = {
  inputs: [{ name: 'X' }, { name: 'scale' }, { name: 'B' }, { name: 'input_mean' }, { name: 'input_var' }],
  outputs: [{ name: 'Y' }, { name: 'running_mean', optional: true }, { name: 'running_var', optional: true }],
  attrs: {
    epsilon: { kind: 'float', default: 1e-5 },
    momentum: { kind: 'float', default: 0.9 },
    training_mode: { kind: 'int', default: 0, min: 0, max: 1 },
    spatial: { kind: 'int', default: 1, min: 1, max: 1 },
    is_test: { kind: 'int' },
    consumed_inputs: { kind: 'ints' },
  },
  infer(ctx: InferContext) {
    const x = expectDType(ctx, 0, FLOAT_TYPES);
    if (ctx.attrs.training_mode === 1)
      ctx.fail('E-IR-UNSUPPORTED', 'BatchNormalization in training mode (training_mode=1) is not supported; export the model in eval mode', 'training_mode');
    if (ctx.node.outputs.filter((o) => o).length > 1)
      ctx.fail('E-IR-UNSUPPORTED', 'BatchNormalization in training mode (running statistics outputs) is not supported', 'running_mean');
    const c = x.shape?.[1];
    for (let i = 1; i < 5; i++) {
      const t = req(ctx, i);
      if (t.shape && (t.shape.length !== 1 || (typeof c === 'number' && typeof t.shape[0] === 'number' && t.shape[0] !== c)))
        ctx.fail('E-IR-SHAPE', `BatchNormalization input ${i} must be [C] = [${c ?? '?'}], got [${t.shape.join(', ')}]`, `input ${i}`);
    }
    if (x.shape && x.shape.length < 2) ctx.fail('E-IR-SHAPE', `BatchNormalization input must have rank >= 2, got ${x.shape.length}`, 'X');
    return [sameAs(x)];
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const c = x.shape[1] ?? ctx.fail('BatchNormalization input must have rank >= 2');
    const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => channelVector(ctx, i, c));
    const eps = ctx.attrs.epsilon as number;
    const inner = numel(x.shape.slice(2));
    const src = x.data as NumberData;
    const out = allocatorOf(ctx)(x.dtype, src.length) as NumberData;
    for (let i = 0; i < src.length; i++) {
      const ch = Math.floor(i / inner) % c;
      out[i] = ((src[i]! - mean![ch]!) / Math.sqrt(variance![ch]! + eps)) * scale![ch]! + bias![ch]!;
    }
    return [{ dtype: x.dtype, shape: x.shape, data: out }];
  },
};

/** Normalize over the dims from axis on: (x - mean) / sqrt(var + epsilon) * scale + B (broadcast). */
export const LayerNormalization: OpDef = {
  since: 17,
  inputs: [{ name: 'X' }, { name: 'Scale' }, { name: 'B', optional: true }],
  outputs: [{ name: 'Y' }, { name: 'Mean', optional: true }, { name: 'InvStdDev', optional: true }],
  attrs: { axis: { kind: 'int', default: -1 }, epsilon: { kind: 'float', default: 1e-5 }, stash_type: { kind: 'int', default: 1 } },
  infer(ctx: InferContext) {
    const x = expectDType(ctx, 0, FLOAT_TYPES);
    if (!x.shape) return [sameAs(x), sameAs(x, undefined), sameAs(x, undefined)];
    const axis = normAxis(ctx, ctx.attrs.axis as number, x.shape.length);
    const tail = x.shape.slice(axis);
    for (const i of [1, 2]) {
      const t = ctx.inputs[i];
      if (t?.shape && broadcast(ctx, [tail, t.shape])!.length !== tail.length)
        ctx.fail('E-IR-SHAPE', `LayerNormalization input ${i} [${t.shape.join(', ')}] does not broadcast to [${tail.join(', ')}]`, `input ${i}`);
    }
    const stat = x.shape.map((d, i) => (i < axis ? d : 1));
    return [sameAs(x), tensorType('f32', stat), tensorType('f32', stat)];
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const r = x.shape.length;
    const axis = evalAxis(ctx, ctx.attrs.axis as number, r);
    const len = numel(x.shape.slice(axis));
    const rows = numel(x.shape.slice(0, axis));
    const eps = ctx.attrs.epsilon as number;
    const tail = x.shape.slice(axis);
    // Scale and B broadcast to the normalized dims [axis, rank).
    const param = (i: number) => {
      const t = ctx.inputs[i];
      if (!t) return undefined;
      const b = broadcastShapesOrUndefined([tail, t.shape]);
      if (!b || b.length !== tail.length || b.some((d, k) => d !== tail[k]))
        ctx.fail(`LayerNormalization input ${i} [${t.shape.join(',')}] does not broadcast to [${tail.join(',')}]`);
      return broadcastTo(t, tail).data as NumberData;
    };
    const scale = param(1)!;
    const bias = param(2);
    const src = x.data as NumberData;
    const out = allocatorOf(ctx)(x.dtype, src.length) as NumberData;
    const statShape = x.shape.map((d, i) => (i < axis ? d : 1));
    const means = new Float32Array(rows);
    const inv = new Float32Array(rows);
    for (let row = 0; row < rows; row++) {
      const base = row * len;
      let m = 0;
      for (let k = 0; k < len; k++) m += src[base + k]!;
      m /= len;
      let v = 0;
      for (let k = 0; k < len; k++) v += (src[base + k]! - m) ** 2;
      const is = 1 / Math.sqrt(v / len + eps);
      means[row] = m;
      inv[row] = is;
      for (let k = 0; k < len; k++)
        out[base + k] = (src[base + k]! - m) * is * scale[k]! + (bias ? bias[k]! : 0);
    }
    return [{ dtype: x.dtype, shape: x.shape, data: out }, { dtype: 'f32', shape: statShape, data: means }, { dtype: 'f32', shape: statShape, data: inv }];
  },
};

/** The ops of this file, as the op table takes them: adding an op here is the whole change. */
export const NORMALIZATION_OPS = { Softmax, LogSoftmax, BatchNormalization, LayerNormalization } as const satisfies Record<string, OpDef>;
