import type { DType } from '../dtype.js';
import { allocData, makeTensor, numel, type Tensor, type TensorData } from '../tensor.js';
import { isStaticShape, typesEqual, tensorType } from '../types.js';
import type { AstLiteral, AstTensor } from './ast.js';
import { type BuildContext, buildType, failAt, type LocExtra, TEXT_ERROR_CODES } from './build-context.js';
import { f16BitsToNumber, numberToF16Bits } from '../onnx/half.js';
import { parseFloatBits } from './number-format.js';
import { tensorHash } from './tensor-text.js';

const INT_RANGES = {
  i8: [-(2n ** 7n), 2n ** 7n - 1n],
  u8: [0n, 2n ** 8n - 1n],
  bool: [0n, 2n ** 8n - 1n],
  i16: [-(2n ** 15n), 2n ** 15n - 1n],
  u16: [0n, 2n ** 16n - 1n],
  i32: [-(2n ** 31n), 2n ** 31n - 1n],
  u32: [0n, 2n ** 32n - 1n],
  i64: [-(2n ** 63n), 2n ** 63n - 1n],
  u64: [0n, 2n ** 64n - 1n],
} as const satisfies Partial<Record<DType, readonly [bigint, bigint]>>;

type IntDType = keyof typeof INT_RANGES;

function isIntDType(d: DType): d is IntDType {
  return Object.prototype.hasOwnProperty.call(INT_RANGES, d);
}

/** A `dense<[...]> : type` or `dense_resource<key, sha256 = h> : type` literal as a Tensor. */
export function buildTensor(ctx: BuildContext, lit: AstTensor, extra: LocExtra = {}): Tensor {
  const type = buildType(ctx, lit.type, extra);
  if (type.dtype === 'unknown') failAt(ctx, TEXT_ERROR_CODES.dtype, 'a tensor literal cannot have the unknown element type', lit.type.dtype.pos, extra);
  if (!isStaticShape(type.shape))
    failAt(ctx, TEXT_ERROR_CODES.type, `a tensor literal needs a static shape, got ${lit.type.shape ? 'symbolic dims' : 'unknown rank'}`, lit.type.pos, extra);
  const dims = type.shape;
  if (lit.kind === 'resource') {
    const t = ctx.resources?.get(lit.key.value);
    if (!t) failAt(ctx, TEXT_ERROR_CODES.resource, `resource '${lit.key.value}' was not supplied (pass it in parseGraph's resources)`, lit.key.pos, extra);
    if (!typesEqual(tensorType(t.dtype, t.dims, t.fixed), type))
      failAt(ctx, TEXT_ERROR_CODES.resourceMismatch, `resource '${lit.key.value}' is ${t.dtype}[${t.dims.join(', ')}], the text says otherwise`, lit.type.pos, extra);
    if (tensorHash(t) !== lit.hash.value)
      failAt(ctx, TEXT_ERROR_CODES.resourceMismatch, `resource '${lit.key.value}' has sha256 prefix ${tensorHash(t)}, the text says ${lit.hash.value}`, lit.hash.pos, extra);
    return t;
  }
  const n = numel(dims);
  if (lit.elems.length !== n)
    failAt(ctx, TEXT_ERROR_CODES.count, `${lit.elems.length} elements for shape [${dims.join(', ')}] (${n} expected)`, lit.pos, extra);
  const data = decodeElems(ctx, type.dtype, lit.elems, extra);
  return makeTensor(type.dtype, dims, data, type.fixed);
}

/** f16/bf16 live widened in float32 storage; a literal must be a value of the narrow type. */
function isHalfValue(dtype: 'f16' | 'bf16', f32bits: number, v: number): boolean {
  if (Number.isNaN(v)) return true;
  if (dtype === 'bf16') return (f32bits & 0xffff) === 0;
  return Object.is(f16BitsToNumber(numberToF16Bits(v)), v);
}

function decodeElems(ctx: BuildContext, dtype: DType, elems: readonly AstLiteral[], extra: LocExtra): TensorData {
  if (dtype === 'string') {
    return elems.map((e) => {
      if (e.kind !== 'string') failAt(ctx, TEXT_ERROR_CODES.literal, `a string tensor takes string literals, got '${e.text}'`, e.pos, extra);
      return e.text;
    });
  }
  const data = allocData(dtype, elems.length);
  for (const e of elems) if (e.kind === 'string') failAt(ctx, TEXT_ERROR_CODES.literal, `a ${dtype} tensor takes numbers, got a string`, e.pos, extra);
  if (data instanceof Float32Array || data instanceof Float64Array) {
    const width = data instanceof Float32Array ? 32 : 64;
    // Bits are written through an integer view so NaN payloads survive.
    const view = width === 32 ? new Uint32Array(data.buffer) : new BigUint64Array(data.buffer);
    elems.forEach((e, i) => {
      const r = parseFloatBits(e.text, width, ctx.scratch);
      if (!r.ok) failAt(ctx, TEXT_ERROR_CODES.literal, r.reason, e.pos, extra);
      if (view instanceof Uint32Array) view[i] = Number(r.bits);
      else view[i] = r.bits;
      if ((dtype === 'f16' || dtype === 'bf16') && !isHalfValue(dtype, Number(r.bits), data[i]!))
        failAt(ctx, TEXT_ERROR_CODES.literal, `${e.text} is not exactly representable in ${dtype}`, e.pos, extra);
    });
    return data;
  }
  if (!isIntDType(dtype)) throw new Error(`buildTensor: no decoder for ${dtype}`);
  const [lo, hi] = INT_RANGES[dtype];
  elems.forEach((e, i) => {
    if (e.kind !== 'int') failAt(ctx, TEXT_ERROR_CODES.literal, `a ${dtype} tensor takes integers, got '${e.text}'`, e.pos, extra);
    const v = BigInt(e.text);
    if (v < lo || v > hi) failAt(ctx, TEXT_ERROR_CODES.literal, `${e.text} is out of range for ${dtype}`, e.pos, extra);
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) data[i] = v;
    else (data as Int32Array)[i] = Number(v);
  });
  return data;
}
