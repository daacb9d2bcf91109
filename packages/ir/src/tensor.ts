import type { DType } from './dtype.js';
import { DTYPES } from './dtype.js';
import type { FixedPoint } from './types.js';
import { alloc, numel, type AttrValue, type OpAttrs, type OpData, type OpTensor } from '@lstmc/ops';

/** Storage of a tensor's elements, chosen by dtype (the op definitions' storage). */
export type TensorData = OpData;

/**
 * A constant tensor (initializer, Constant value, attribute). Immutable by
 * convention: nothing writes into `data` after construction.
 * f16/bf16 are widened to float32 storage at import (the dtype is kept).
 */
export interface Tensor {
  readonly dtype: DType;
  readonly dims: readonly number[];
  readonly data: TensorData;
  readonly fixed?: FixedPoint;
}

export { numel } from '@lstmc/ops';

export function allocData(dtype: DType, n: number): TensorData {
  return alloc(dtype, n);
}

export function makeTensor(dtype: DType, dims: readonly number[], data?: TensorData | readonly number[], fixed?: FixedPoint): Tensor {
  const n = numel(dims);
  let d: TensorData;
  if (data === undefined) d = allocData(dtype, n);
  else if (Array.isArray(data) && dtype !== 'string') {
    d = allocData(dtype, n);
    const arr = data as readonly number[];
    if (d instanceof BigInt64Array || d instanceof BigUint64Array) arr.forEach((v, i) => ((d as BigInt64Array)[i] = BigInt(v)));
    else arr.forEach((v, i) => ((d as Float32Array)[i] = v));
  } else d = data as TensorData;
  if (d.length !== n) throw new Error(`makeTensor: ${d.length} elements for dims [${dims.join(',')}]`);
  return Object.freeze({ dtype, dims: Object.freeze([...dims]), data: d, ...(fixed ? { fixed } : {}) });
}

/** Element i as a JS number (i64 converted; exact below 2^53). */
export function elemAsNumber(t: Tensor, i: number): number {
  const v = (t.data as ArrayLike<number | bigint | string>)[i];
  return typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number.NaN : (v as number);
}

export function tensorToNumbers(t: Tensor): number[] {
  const out: number[] = [];
  for (let i = 0; i < t.data.length; i++) out.push(elemAsNumber(t, i));
  return out;
}

export function tensorBytes(t: Tensor): number {
  return numel(t.dims) * DTYPES[t.dtype].bytes;
}

/** Fraction of elements that are exactly zero (0 for an empty tensor). */
export function zeroFraction(t: Tensor): number {
  const n = t.data.length;
  if (n === 0) return 0;
  let z = 0;
  for (let i = 0; i < n; i++) if (elemAsNumber(t, i) === 0) z++;
  return z / n;
}

/** The reference evaluations' view of a constant: the same data, `dims` named `shape`. */
export function toOpTensor(t: Tensor): OpTensor {
  return { dtype: t.dtype, shape: t.dims, data: t.data };
}

export function fromOpTensor(t: OpTensor, fixed?: FixedPoint): Tensor {
  return makeTensor(t.dtype, t.shape, t.data, fixed);
}

/** Parsed attribute values as op definitions see them: tensor values as OpTensor. */
export function opAttrValues(attrs: Readonly<Record<string, unknown>>): OpAttrs {
  const out: Record<string, AttrValue | undefined> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = isTensor(v) ? toOpTensor(v) : (v as AttrValue | undefined);
  return out;
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && 'dims' in v && 'data' in v && 'dtype' in v;
}

export type { OpTensor, OpData } from '@lstmc/ops';
