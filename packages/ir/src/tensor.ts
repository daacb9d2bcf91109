import type { DType } from './dtype.js';
import { DTYPES } from './dtype.js';
import type { FixedPoint } from './types.js';

/** Storage of a tensor's elements, chosen by dtype. */
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | readonly string[];

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

export function numel(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function allocData(dtype: DType, n: number): TensorData {
  switch (dtype) {
    case 'f32':
    case 'f16':
    case 'bf16':
      return new Float32Array(n);
    case 'f64':
      return new Float64Array(n);
    case 'i8':
      return new Int8Array(n);
    case 'u8':
    case 'bool':
      return new Uint8Array(n);
    case 'i16':
      return new Int16Array(n);
    case 'u16':
      return new Uint16Array(n);
    case 'i32':
      return new Int32Array(n);
    case 'u32':
      return new Uint32Array(n);
    case 'i64':
      return new BigInt64Array(n);
    case 'u64':
      return new BigUint64Array(n);
    case 'string':
      return new Array<string>(n).fill('');
    case 'unknown':
      throw new Error('allocData: a tensor of unknown element type');
  }
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
