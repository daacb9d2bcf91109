import type { Tensor } from '../tensor.js';
import { decodeTensorProtoMsg, encodeMessage, TENSOR_PROTO } from './schema.js';
import { tensorFromProto } from './tensor-from-proto.js';
import { tensorToProtoObject } from './tensor-to-proto.js';

export interface NamedTensor {
  readonly name: string;
  readonly tensor: Tensor;
}

/**
 * A serialized TensorProto, as in ONNX test data (`input_0.pb`). External
 * data is not resolved for these files (ONNX test data never uses it).
 */
export function decodeTensorProto(bytes: Uint8Array, file: string): NamedTensor {
  const p = decodeTensorProtoMsg(bytes, file);
  return { name: p.name, tensor: tensorFromProto(p, { loc: { file, ...(p.name ? { field: p.name } : {}) } }) };
}

export function encodeTensorProto(name: string, tensor: Tensor): Uint8Array {
  return encodeMessage(TENSOR_PROTO, tensorToProtoObject(name, tensor));
}
