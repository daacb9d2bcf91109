import type { Location } from '../diagnostic.js';
import { fail } from '../diagnostic.js';
import type { DType } from '../dtype.js';
import { DTYPES, dtypeFromOnnx } from '../dtype.js';
import type { Tensor, TensorData } from '../tensor.js';
import { allocData, makeTensor } from '../tensor.js';
import { bf16BitsToNumber, f16BitsToNumber } from './half.js';
import { LE_CODECS, bytesOf, copiesAsBytes, isByteDType } from './le-codec.js';
import type { Int64, TensorProtoMsg } from './messages.js';
import { has, int64ToBigInt, int64ToNumber } from './messages.js';

/** Largest dimension and element count lstmc accepts; anything above is a corrupt file. */
export const MAX_DIM = 2 ** 31 - 1;
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Where a tensor comes from, for diagnostics and external data. */
export interface TensorSource {
  readonly loc: Location;
  /** Resolves TensorProto external data; absent when the model has no directory. */
  readonly readExternal?: (location: string, offset: number, length: number | undefined, loc: Location) => Uint8Array;
}

const decoder = new TextDecoder('utf-8');

/** ONNX element type code -> IR dtype, or a located E-ONNX-DTYPE. */
export function dtypeOrFail(code: number, loc: Location): DType {
  const d = dtypeFromOnnx(code);
  if (d === undefined || d === 'unknown') fail('E-ONNX-DTYPE', `unsupported ONNX element type ${code}`, loc);
  return d;
}

/** Validates wire dims: each in [0, MAX_DIM] and their product at most MAX_ELEMENTS. */
export function checkDims(dims: readonly Int64[], loc: Location): number[] {
  const out: number[] = [];
  let n = 1;
  for (const raw of dims) {
    const d = int64ToNumber(raw);
    if (!Number.isInteger(d) || d < 0 || d > MAX_DIM)
      fail('E-ONNX-DIMS', `dimension ${d} is out of range [0, ${MAX_DIM}]`, loc);
    n *= d;
    out.push(d);
  }
  if (n > MAX_ELEMENTS) fail('E-ONNX-DIMS', `dims [${out.join(', ')}] hold ${n} elements, more than ${MAX_ELEMENTS}`, loc);
  return out;
}

/** Little-endian bytes (raw_data or external data) -> tensor storage. */
export function dataFromBytes(dtype: DType, n: number, bytes: Uint8Array, loc: Location, code = 'E-ONNX-RAW-SIZE'): TensorData {
  if (!isByteDType(dtype)) fail('E-ONNX-DATA', `${dtype} tensors cannot use raw or external data`, loc);
  const width = DTYPES[dtype].bytes;
  if (bytes.length !== n * width)
    fail(code, `${bytes.length} data bytes for ${n} elements of ${dtype} (expected ${n * width})`, loc);
  if (copiesAsBytes(dtype)) {
    const data = allocData(dtype, n);
    bytesOf(data as ArrayBufferView).set(bytes);
    return data;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = allocData(dtype, n) as unknown as { [i: number]: number | bigint };
  const codec = LE_CODECS[dtype];
  for (let i = 0; i < n; i++) out[i] = codec.read(view, i * width);
  return out as unknown as TensorData;
}

/** Which typed field of TensorProto holds each dtype (onnx.proto's rules). */
const TYPED_FIELD = {
  f32: 'float_data',
  f64: 'double_data',
  f16: 'int32_data',
  bf16: 'int32_data',
  i8: 'int32_data',
  u8: 'int32_data',
  bool: 'int32_data',
  i16: 'int32_data',
  u16: 'int32_data',
  i32: 'int32_data',
  u32: 'uint64_data',
  u64: 'uint64_data',
  i64: 'int64_data',
  string: 'string_data',
  unknown: 'raw_data',
} as const satisfies Record<DType, keyof TensorProtoMsg>;

function dataFromTypedField(p: TensorProtoMsg, dtype: DType, n: number, loc: Location): TensorData {
  const field = TYPED_FIELD[dtype];
  const src = p[field] as readonly (number | Int64 | Uint8Array)[];
  if (src.length !== n) fail('E-ONNX-DATA-SIZE', `${field} holds ${src.length} values for ${n} elements of ${dtype}`, loc);
  if (dtype === 'string') return (src as readonly Uint8Array[]).map((b) => decoder.decode(b));
  const out = allocData(dtype, n);
  const scratch = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < n; i++) {
    const v = src[i] as number | Int64;
    switch (dtype) {
      case 'i64':
        (out as BigInt64Array)[i] = int64ToBigInt(v, false);
        break;
      case 'u64':
        (out as BigUint64Array)[i] = int64ToBigInt(v, true);
        break;
      case 'u32':
        (out as Uint32Array)[i] = Number(int64ToBigInt(v, true) & 0xffffffffn);
        break;
      case 'f16':
        (out as Float32Array)[i] = f16BitsToNumber((v as number) & 0xffff);
        break;
      case 'bf16':
        (out as Float32Array)[i] = bf16BitsToNumber((v as number) & 0xffff, scratch);
        break;
      case 'bool':
        (out as Uint8Array)[i] = v ? 1 : 0;
        break;
      default:
        // Typed arrays wrap/convert on store: int32_data values for i8/u8/i16/u16
        // are truncated to the element width as ONNX's readers do.
        (out as Float32Array)[i] = v as number;
    }
  }
  return out;
}

function externalBytes(p: TensorProtoMsg, src: TensorSource): Uint8Array {
  const entries = new Map(p.external_data.map((e) => [e.key, e.value]));
  const location = entries.get('location');
  if (!location) fail('E-ONNX-EXTERNAL', 'external data without a location', src.loc);
  const num = (key: string): number | undefined => {
    const s = entries.get(key);
    if (s === undefined || s === '') return undefined;
    const v = Number(s);
    if (!Number.isSafeInteger(v) || v < 0) fail('E-ONNX-EXTERNAL', `external data ${key}='${s}' is not a byte count`, src.loc);
    return v;
  };
  if (!src.readExternal) fail('E-ONNX-EXTERNAL', `external data '${location}' cannot be resolved: the model has no directory`, src.loc);
  return src.readExternal(location, num('offset') ?? 0, num('length'), src.loc);
}

/**
 * Converts a decoded TensorProto to an IR tensor. Data comes from, in order:
 * external data (data_location = EXTERNAL), raw_data when present, else the
 * typed field for the dtype.
 */
export function tensorFromProto(p: TensorProtoMsg, src: TensorSource): Tensor {
  const loc = src.loc;
  if (!has(p, 'data_type')) fail('E-ONNX-DTYPE', 'tensor has no data_type', loc);
  const dtype = dtypeOrFail(p.data_type, loc);
  const dims = checkDims(p.dims, loc);
  if (p.segment) fail('E-ONNX-SEGMENT', 'segmented tensors are not supported', loc);
  const n = dims.reduce((a, b) => a * b, 1);
  let data: TensorData;
  if (p.data_location === 1) data = dataFromBytes(dtype, n, externalBytes(p, src), loc, 'E-ONNX-EXTERNAL-SIZE');
  else if (has(p, 'raw_data')) data = dataFromBytes(dtype, n, p.raw_data, loc);
  else data = dataFromTypedField(p, dtype, n, loc);
  return makeTensor(dtype, dims, data);
}
