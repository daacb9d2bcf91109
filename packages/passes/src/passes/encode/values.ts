import { type DType, type Tensor, makeTensor } from '@lstmc/ir';

/** A 1-D tensor of the matrix's value dtype holding `values`. */
export function valueTensor(dtype: DType, values: ArrayLike<number>, fixed?: { frac: number }): Tensor {
  return makeTensor(dtype, [values.length], Array.from(values), fixed);
}

export function asNumbers(t: Tensor): ArrayLike<number> {
  return t.data as ArrayLike<number>;
}
