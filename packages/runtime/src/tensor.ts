import { allocData, dataMatchesDType, type RtDType, type RtData, type RtDataMap } from './dtype.js';

/** A runtime tensor: dtype, concrete shape, and row-major data. */
export interface RtTensor<D extends RtDType = RtDType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: RtDataMap[D];
}

import { numel } from '@lstmc/ops';
export { numel, stridesOf, toNumbers } from '@lstmc/ops';

export function tensor<D extends RtDType>(dtype: D, shape: readonly number[], data?: RtDataMap[D] | ArrayLike<number> | ArrayLike<bigint>): RtTensor<D> {
  const n = numel(shape);
  let d: RtDataMap[D];
  if (data === undefined) d = allocData(dtype, n);
  else if (dataMatchesDType(dtype, data)) d = data as RtDataMap[D];
  else {
    d = allocData(dtype, n);
    const src = data as ArrayLike<number | bigint>;
    if (dtype === 'i64') for (let i = 0; i < src.length; i++) (d as BigInt64Array)[i] = BigInt(src[i]!);
    else for (let i = 0; i < src.length; i++) (d as Exclude<RtData, BigInt64Array>)[i] = Number(src[i]);
  }
  if (d.length !== n) throw new Error(`tensor: data length ${d.length} does not match shape [${shape.join(',')}]`);
  return { dtype, shape: [...shape], data: d };
}

/** Read element i of any tensor as a JS number (i64 converted with Number()). */
export function elemAsNumber(t: RtTensor, i: number): number {
  return Number(t.data[i]);
}


export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
