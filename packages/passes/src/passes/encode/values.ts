import { type DType, type Tensor, allocData, makeTensor } from '@lstmc/ir';

/** A 1-D tensor of the matrix's value dtype holding `values` (converted on store, as makeTensor does). */
export function valueTensor(dtype: DType, values: ArrayLike<number>, fixed?: { frac: number }): Tensor {
  const data = allocData(dtype, values.length);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]);
  else (data as Float64Array).set(values);
  return makeTensor(dtype, [values.length], data, fixed);
}

export function asNumbers(t: Tensor): ArrayLike<number> {
  return t.data as ArrayLike<number>;
}
