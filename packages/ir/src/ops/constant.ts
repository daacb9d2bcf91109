import type { InferContext } from '../op-def.js';
import type { Attr } from '../attr.js';
import type { OpDef } from '../op-def.js';
import { isDType, DTYPE_NAMES, dtypeFromOnnx } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { makeTensor } from '../tensor.js';
import { tensorType } from '../types.js';
import { req, sameAs } from './util.js';

const VALUE_ATTRS = ['value', 'value_float', 'value_floats', 'value_int', 'value_ints', 'value_string', 'value_strings'] as const;

/** The tensor a Constant node holds, whichever of its value attributes is set. */
export function constantValue(attrs: Readonly<Record<string, Attr>>): Tensor | undefined {
  const set = VALUE_ATTRS.filter((k) => attrs[k] !== undefined);
  if (set.length !== 1) return undefined;
  const a = attrs[set[0]];
  switch (a.kind) {
    case 'tensor':
      return a.value;
    case 'float':
      return makeTensor('f32', [], [a.value]);
    case 'floats':
      return makeTensor('f32', [a.value.length], a.value);
    case 'int':
      return makeTensor('i64', [], [a.value]);
    case 'ints':
      return makeTensor('i64', [a.value.length], a.value);
    case 'string':
      return makeTensor('string', [], [a.value]);
    case 'strings':
      return makeTensor('string', [a.value.length], [...a.value]);
    default:
      return undefined;
  }
}

export const Constant: OpDef = {
  summary: 'a constant tensor given by exactly one value attribute',
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
    const t = constantValue(ctx.node.attrs);
    if (!t) ctx.fail('E-IR-ATTR-VALUE', 'Constant needs exactly one of value, value_float(s), value_int(s), value_string(s)', 'value');
    if (t.dims.length === 1 && (t.dtype === 'i64' || t.dtype === 'i32')) ctx.setShapeValue(0, Array.from(t.data as ArrayLike<number | bigint>, Number));
    return [tensorType(t.dtype, t.dims)];
  },
};

export const Cast: OpDef = {
  summary: 'element type conversion',
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attrs: { to: { kind: 'int', required: true }, saturate: { kind: 'int', default: 1 } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    const to = dtypeFromOnnx(ctx.attrs.to as number);
    if (!to || !isDType(to)) ctx.fail('E-IR-ATTR-VALUE', `Cast to unsupported type code ${ctx.attrs.to as number} (known: ${DTYPE_NAMES.join(', ')})`, 'to');
    const sv = ctx.shapeValue(0);
    if (sv && (to === 'i64' || to === 'i32')) ctx.setShapeValue(0, sv);
    return [tensorType(to, x.shape)];
  },
};

export const ConstantOfShape: OpDef = {
  summary: 'a tensor of the given shape filled with one value',
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attrs: { value: { kind: 'tensor' } },
  infer(ctx: InferContext) {
    const s = req(ctx, 0);
    if (s.dtype !== 'i64') ctx.fail('E-IR-DTYPE', `ConstantOfShape input must be i64, got ${s.dtype}`, 'input 0');
    const v = ctx.attrs.value as Tensor | undefined;
    const dtype = v?.dtype ?? 'f32';
    const dims = ctx.shapeValue(0);
    if (dims) {
      for (const d of dims) if (typeof d === 'number' && d < 0) ctx.fail('E-IR-SHAPE', `ConstantOfShape with negative dim ${d}`);
      return [tensorType(dtype, dims)];
    }
    const n = s.shape?.[0];
    return [tensorType(dtype, typeof n === 'number' ? Array.from({ length: n }, () => ctx.fresh('d')) : undefined)];
  },
};

export { sameAs };
