import { DTYPES } from '../dtype.js';
import { type Tensor, allocData } from '../tensor.js';
import { LE_CODECS, bytesOf, copiesAsBytes, isByteDType } from './le-codec.js';

const encoder = new TextEncoder();

/** Tensor storage -> little-endian bytes as ONNX raw_data expects. */
export function tensorRawBytes(t: Tensor): Uint8Array {
  const dtype = t.dtype;
  if (!isByteDType(dtype)) throw new Error(`internal: ${dtype} tensors have no raw bytes`);
  const n = t.data.length;
  const width = DTYPES[dtype].bytes;
  // The dtype's own storage holds the wire's bits: one block copy (plain arrays and other storage go element by element).
  if (copiesAsBytes(dtype) && ArrayBuffer.isView(t.data) && t.data.constructor === allocData(dtype, 0).constructor) return bytesOf(t.data).slice();
  const out = new Uint8Array(n * width);
  const view = new DataView(out.buffer);
  const codec = LE_CODECS[dtype];
  const d = t.data as ArrayLike<number | bigint>;
  for (let i = 0; i < n; i++) codec.write(view, i * width, d[i]);
  return out;
}

/**
 * A plain TensorProto object (snake_case fields) for protobufjs `fromObject`.
 * Numbers go to raw_data, strings to string_data. A fixed-point annotation is
 * not representable in ONNX and is dropped: the integers are written as is.
 */
export function tensorToProtoObject(name: string, t: Tensor): Record<string, unknown> {
  const base = { name, dims: [...t.dims], data_type: DTYPES[t.dtype].onnx };
  if (t.dtype === 'string') return { ...base, string_data: (t.data as readonly string[]).map((s) => encoder.encode(s)) };
  return { ...base, raw_data: tensorRawBytes(t) };
}
