import type { DType } from '../dtype.js';
import { bf16BitsToNumber, f16BitsToNumber, numberToBf16Bits, numberToF16Bits } from './half.js';

type Elem = number | bigint;

/** How one element of a dtype sits in little-endian bytes (ONNX raw_data and external data). */
interface ElemCodec {
  read(v: DataView, offset: number): Elem;
  write(v: DataView, offset: number, x: Elem): void;
}

/** bf16 conversion goes through a float32 bit pattern; this view is per call, never shared. */
const bf16Scratch = () => new DataView(new ArrayBuffer(4));

/** One codec per numeric dtype; `string` and `unknown` have no byte form. */
export const LE_CODECS = {
  f32: { read: (v, o) => v.getFloat32(o, true), write: (v, o, x) => v.setFloat32(o, x as number, true) },
  f64: { read: (v, o) => v.getFloat64(o, true), write: (v, o, x) => v.setFloat64(o, x as number, true) },
  f16: { read: (v, o) => f16BitsToNumber(v.getUint16(o, true)), write: (v, o, x) => v.setUint16(o, numberToF16Bits(x as number), true) },
  bf16: {
    read: (v, o) => bf16BitsToNumber(v.getUint16(o, true), bf16Scratch()),
    write: (v, o, x) => v.setUint16(o, numberToBf16Bits(x as number, bf16Scratch()), true),
  },
  i8: { read: (v, o) => v.getInt8(o), write: (v, o, x) => v.setInt8(o, x as number) },
  u8: { read: (v, o) => v.getUint8(o), write: (v, o, x) => v.setUint8(o, x as number) },
  bool: { read: (v, o) => (v.getUint8(o) ? 1 : 0), write: (v, o, x) => v.setUint8(o, x ? 1 : 0) },
  i16: { read: (v, o) => v.getInt16(o, true), write: (v, o, x) => v.setInt16(o, x as number, true) },
  u16: { read: (v, o) => v.getUint16(o, true), write: (v, o, x) => v.setUint16(o, x as number, true) },
  i32: { read: (v, o) => v.getInt32(o, true), write: (v, o, x) => v.setInt32(o, x as number, true) },
  u32: { read: (v, o) => v.getUint32(o, true), write: (v, o, x) => v.setUint32(o, x as number, true) },
  i64: { read: (v, o) => v.getBigInt64(o, true), write: (v, o, x) => v.setBigInt64(o, x as bigint, true) },
  u64: { read: (v, o) => v.getBigUint64(o, true), write: (v, o, x) => v.setBigUint64(o, x as bigint, true) },
} as const satisfies Record<Exclude<DType, 'string' | 'unknown'>, ElemCodec>;

export type ByteDType = keyof typeof LE_CODECS;

export function isByteDType(d: DType): d is ByteDType {
  return Object.prototype.hasOwnProperty.call(LE_CODECS, d);
}

/** True when this machine stores typed-array elements little-endian, as ONNX's bytes are. */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Dtypes whose storage is a typed array with exactly the wire element (same width, same bits):
 * on a little-endian host their bytes are copied as one block instead of element by element.
 * f16/bf16 (widened to float32) and bool (normalized to 0/1) are converted per element.
 */
const SAME_BITS = new Set<DType>(['f32', 'f64', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64']);

export function copiesAsBytes(d: DType): boolean {
  return HOST_LITTLE_ENDIAN && SAME_BITS.has(d);
}

/** The bytes of a typed array's elements (a view, not a copy). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
