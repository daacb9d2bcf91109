/**
 * Element types of runtime tensors, described once.
 * i64 tensors are held in BigInt64Array (exact, and what onnxruntime and TensorProto use);
 * kernels that use i64 values as indices or shapes convert element by element with Number().
 * bool tensors are held in Uint8Array (0 or 1).
 */
export const RT_DTYPES = {
  f32: { bytes: 4, ctor: Float32Array, float: true },
  f64: { bytes: 8, ctor: Float64Array, float: true },
  i8: { bytes: 1, ctor: Int8Array, float: false },
  u8: { bytes: 1, ctor: Uint8Array, float: false },
  i16: { bytes: 2, ctor: Int16Array, float: false },
  u16: { bytes: 2, ctor: Uint16Array, float: false },
  i32: { bytes: 4, ctor: Int32Array, float: false },
  u32: { bytes: 4, ctor: Uint32Array, float: false },
  i64: { bytes: 8, ctor: BigInt64Array, float: false },
  bool: { bytes: 1, ctor: Uint8Array, float: false },
} as const satisfies Record<string, { bytes: number; ctor: unknown; float: boolean }>;

export type RtDType = keyof typeof RT_DTYPES;

export const RT_DTYPE_NAMES = Object.keys(RT_DTYPES) as RtDType[];

export function isRtDType(s: unknown): s is RtDType {
  return typeof s === 'string' && Object.hasOwn(RT_DTYPES, s);
}

/** The typed array class that holds each dtype. */
export interface RtDataMap {
  f32: Float32Array;
  f64: Float64Array;
  i8: Int8Array;
  u8: Uint8Array;
  i16: Int16Array;
  u16: Uint16Array;
  i32: Int32Array;
  u32: Uint32Array;
  i64: BigInt64Array;
  bool: Uint8Array;
}

export type RtData = RtDataMap[RtDType];
/** Typed arrays whose elements are JS numbers (everything but i64). */
export type RtNumberData = Exclude<RtData, BigInt64Array>;

export function allocData<D extends RtDType>(dtype: D, length: number): RtDataMap[D] {
  return new RT_DTYPES[dtype].ctor(length) as RtDataMap[D];
}

/** True when `data` is held in the typed array class `dtype` prescribes. */
export function dataMatchesDType(dtype: RtDType, data: unknown): boolean {
  return data instanceof RT_DTYPES[dtype].ctor;
}

/** View `byteLength` bytes at `byteOffset` of `buffer` as `dtype` elements (offset must be aligned). */
export function viewData(dtype: RtDType, buffer: ArrayBuffer, byteOffset: number, length: number): RtData {
  const Ctor = RT_DTYPES[dtype].ctor as unknown as new (b: ArrayBuffer, o: number, l: number) => RtData;
  return new Ctor(buffer, byteOffset, length);
}
