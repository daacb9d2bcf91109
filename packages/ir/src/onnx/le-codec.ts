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
