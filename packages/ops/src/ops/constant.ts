import type { EvalContext, InferContext, OpAttrs, OpDef } from '../def.js';
import { DTYPE_NAMES, dtypeFromOnnx } from '../dtype.js';
import { req } from '../infer-util.js';
import { formatFloat, parseFloatText } from '../float-text.js';
import { isNarrowFloat, roundToNarrowFloat } from '../narrow-float.js';
import { alloc, allocatorOf, type Allocator, fromNumbers, isBigData, type NumberData, type OpTensor } from '../tensor.js';
import { tensorType } from '../types.js';

export const CONSTANT_VALUE_ATTRS = ['value', 'value_float', 'value_floats', 'value_int', 'value_ints', 'value_string', 'value_strings'] as const;

/** The tensor a Constant node's parsed attributes hold, whichever one value attribute is set. */
export function constantOf(attrs: OpAttrs): OpTensor | undefined {
  const set = CONSTANT_VALUE_ATTRS.filter((k) => attrs[k] !== undefined);
  if (set.length !== 1) return undefined;
  const k = set[0]!;
  const v = attrs[k]!;
  switch (k) {
    case 'value':
      return v as OpTensor;
    case 'value_float':
      return fromNumbers('f32', [], [v as number]);
    case 'value_floats':
      return fromNumbers('f32', [(v as number[]).length], v as number[]);
    case 'value_int':
      return fromNumbers('i64', [], [v as number]);
    case 'value_ints':
      return fromNumbers('i64', [(v as number[]).length], v as number[]);
    case 'value_string':
      return { dtype: 'string', shape: [], data: [v as string] };
    case 'value_strings':
      return { dtype: 'string', shape: [(v as string[]).length], data: [...(v as string[])] };
  }
}

/** A constant tensor given by exactly one value attribute. */
export const Constant: OpDef = {
  inputs: [],
  outputs: [{ name: 'output' }],
  attrs: {
    value: { kind: 'tensor' },
    value_float: { kind: 'float' },
    value_floats: { kind: 'floats' },
    value_int: { kind: 'int' },
    value_ints: { kind: 'ints' },
    value_string: { kind: 'string' },
    value_strings: { kind: 'strings' },
    sparse_value: { kind: 'tensor' },
  },
  infer(ctx: InferContext) {
    const t = constantOf(ctx.attrs);
    if (!t) ctx.fail('E-IR-ATTR-VALUE', 'Constant needs exactly one of value, value_float(s), value_int(s), value_string(s)', 'value');
    if (t.shape.length === 1 && (t.dtype === 'i64' || t.dtype === 'i32')) ctx.setShapeValue(0, Array.from(t.data as ArrayLike<number | bigint>, Number));
    return [tensorType(t.dtype, t.shape)];
  },
  eval: (ctx) => [constantOf(ctx.attrs) ?? ctx.fail('Constant has no usable value attribute')],
};

const FLOAT_DTYPES = /* @__PURE__ */ new Set(['f32', 'f64', 'f16', 'bf16']);

/** Converts one tensor to `to` as ONNX Cast does: float to integer truncates toward zero, integers wrap, anything to bool is x != 0. */
export function castTensor(x: OpTensor, to: OpTensor['dtype'], allocate: Allocator = alloc): OpTensor {
  if (x.dtype === to) return x;
  const n = x.data.length;
  const out = allocate(to, n);
  const src = x.data as ArrayLike<number | bigint | string>;
  if (to === 'string') {
    const o = out as string[];
    const float = FLOAT_DTYPES.has(x.dtype);
    for (let i = 0; i < n; i++) o[i] = float ? formatFloat(Number(src[i]), x.dtype) : String(src[i]);
    return { dtype: to, shape: x.shape, data: o };
  }
  if (isBigData(out)) {
    const width = to === 'u64' ? BigInt.asUintN : BigInt.asIntN;
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      if (typeof v === 'bigint') out[i] = width(64, v);
      else {
        const t = Math.trunc(typeof v === 'string' ? parseFloatText(v) : Number(v));
        out[i] = Number.isFinite(t) ? width(64, BigInt(t)) : 0n;
      }
    }
  } else {
    const o = out as NumberData;
    const toFloat = FLOAT_DTYPES.has(to);
    const narrow = isNarrowFloat(to) ? to : undefined;
    for (let i = 0; i < n; i++) {
      const raw = src[i]!;
      if (to === 'bool') o[i] = typeof raw === 'string' ? (raw !== '' && Number(raw) !== 0 ? 1 : 0) : raw != 0 ? 1 : 0;
      else if (typeof raw === 'bigint') o[i] = narrow ? roundToNarrowFloat(Number(raw), narrow) : toFloat ? Number(raw) : Number(BigInt.asIntN(32, raw));
      else {
        const v = typeof raw === 'string' ? parseFloatText(raw) : Number(raw);
        o[i] = narrow ? roundToNarrowFloat(v, narrow) : toFloat ? v : Math.trunc(v);
      }
    }
    // Float32Array rounds f32 on store (f16/bf16, held in it too, are rounded above); Float64Array keeps
    // f64 sources; typed integer arrays wrap as C casts do.
  }
  return { dtype: to, shape: x.shape, data: out };
}

/** Element type conversion (to = ONNX TensorProto data type code). */
export const Cast: OpDef = {
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attrs: { to: { kind: 'int', required: true }, saturate: { kind: 'int', default: 1 }, round_mode: { kind: 'string', default: 'up' } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    const to = dtypeFromOnnx(ctx.attrs.to as number);
    if (!to || to === 'unknown') ctx.fail('E-IR-ATTR-VALUE', `Cast to unsupported type code ${ctx.attrs.to as number} (known: ${DTYPE_NAMES.join(', ')})`, 'to');
    const sv = ctx.shapeValue(0);
    if (sv && (to === 'i64' || to === 'i32')) ctx.setShapeValue(0, sv);
    return [tensorType(to, x.shape)];
  },
  eval(ctx: EvalContext) {
    const to = dtypeFromOnnx(ctx.attrs.to as number);
    if (!to || to === 'unknown') ctx.fail(`Cast to unsupported type code ${ctx.attrs.to as number}`);
    return [castTensor(ctx.inputs[0]!, to, ctx.alloc)];
  },
};

/** A tensor of the given shape filled with one value (default f32 zero). */
export const ConstantOfShape: OpDef = {
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attrs: { value: { kind: 'tensor' } },
  infer(ctx: InferContext) {
    const s = req(ctx, 0);
    if (s.dtype !== 'i64') ctx.fail('E-IR-DTYPE', `ConstantOfShape input must be i64, got ${s.dtype}`, 'input 0');
    const v = ctx.attrs.value as OpTensor | undefined;
    if (v && v.data.length !== 1) ctx.fail('E-IR-ATTR-VALUE', `ConstantOfShape value must hold one element, got ${v.data.length}`, 'value');
    const dtype = v?.dtype ?? 'f32';
    const dims = ctx.shapeValue(0);
    if (dims) {
      for (const d of dims) if (typeof d === 'number' && d < 0) ctx.fail('E-IR-SHAPE', `ConstantOfShape with negative dim ${d}`);
      return [tensorType(dtype, dims)];
    }
    const n = s.shape?.[0];
    return [tensorType(dtype, typeof n === 'number' ? Array.from({ length: n }, () => ctx.fresh('d')) : undefined)];
  },
  eval(ctx: EvalContext) {
    const shape = Array.from(ctx.inputs[0]!.data as BigInt64Array, Number);
    if (shape.some((d) => d < 0)) ctx.fail(`ConstantOfShape with negative dim in [${shape.join(',')}]`);
    const v = ctx.attrs.value as OpTensor | undefined;
    const dtype = v?.dtype ?? 'f32';
    let n = 1;
    for (const d of shape) n *= d;
    const out = allocatorOf(ctx)(dtype, n) as unknown as { fill(x: unknown): void };
    if (v) out.fill(v.data[0]);
    return [{ dtype, shape, data: out as unknown as OpTensor['data'] }];
  },
};

/** The ops of this file, as the op table takes them: adding an op here is the whole change. */
export const CONSTANT_OPS = { Constant, ConstantOfShape, Cast } as const satisfies Record<string, OpDef>;
