import { type DType, type Location, type Tensor, fail, makeTensor } from '@lstmc/ir';
import type { RtDType, RtTensor } from '@lstmc/runtime';

/** IR element type -> runtime element type; the IR types the runtime cannot hold map to undefined. */
const RT_OF_IR = {
  unknown: undefined,
  f32: 'f32',
  f64: 'f64',
  i8: 'i8',
  u8: 'u8',
  i16: 'i16',
  u16: 'u16',
  i32: 'i32',
  u32: 'u32',
  i64: 'i64',
  bool: 'bool',
  // f16/bf16 are widened to f32 storage at import, but an op on them must round like half floats.
  f16: undefined,
  bf16: undefined,
  u64: undefined,
  string: undefined,
} as const satisfies Record<DType, RtDType | undefined>;

export function rtDTypeOf(dtype: DType): RtDType | undefined {
  return RT_OF_IR[dtype];
}

/** The runtime element type of an IR type, or a diagnostic naming where it was met. */
export function requireRtDType(dtype: DType, loc: Location): RtDType {
  const rt = RT_OF_IR[dtype];
  if (!rt) fail('E-JS-DTYPE', `the JS runtime has no ${dtype} tensors`, loc);
  return rt;
}

/** IR constant -> runtime tensor (the typed arrays are shared: both sides treat them as immutable). */
export function irToRtTensor(t: Tensor, loc: Location): RtTensor {
  const dtype = requireRtDType(t.dtype, loc);
  return { dtype, shape: [...t.dims], data: t.data } as RtTensor;
}

/** Runtime tensor -> IR tensor (for TensorProto files). */
export function rtToIrTensor(t: RtTensor): Tensor {
  return makeTensor(t.dtype, t.shape, t.data);
}
