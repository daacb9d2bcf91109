import { decodeTensorProto, encodeTensorProto } from '@lstmc/ir';
import type { RtTensor } from '@lstmc/runtime';
import { irToRtTensor, rtToIrTensor } from '../lower/tensors.js';

export interface NamedRtTensor {
  /** The TensorProto's name (may be empty). */
  readonly name: string;
  readonly tensor: RtTensor;
}

/** A serialized ONNX TensorProto (`input_0.pb`) as a runtime tensor. */
export function decodeRtTensorProto(bytes: Uint8Array, file: string): NamedRtTensor {
  const { name, tensor } = decodeTensorProto(bytes, file);
  return { name, tensor: irToRtTensor(tensor, { file, ...(name ? { field: name } : {}) }) };
}

export function encodeRtTensorProto(name: string, t: RtTensor): Uint8Array {
  return encodeTensorProto(name, rtToIrTensor(t));
}
