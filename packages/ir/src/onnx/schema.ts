import protobuf from 'protobufjs';
import { fail } from '../diagnostic.js';
import { ONNX_PROTO } from './onnx-proto.js';
import type { ModelProtoMsg, TensorProtoMsg } from './messages.js';

/** The ONNX schema, parsed once; protobufjs types are immutable after lookup. */
const ROOT = protobuf.parse(ONNX_PROTO, { keepCase: true }).root;

export const MODEL_PROTO = ROOT.lookupType('onnx.ModelProto');
export const TENSOR_PROTO = ROOT.lookupType('onnx.TensorProto');

function decodeWith<T>(type: protobuf.Type, bytes: Uint8Array, file: string, what: string): T {
  const reader = protobuf.Reader.create(bytes);
  try {
    return type.decode(reader) as unknown as T;
  } catch (e) {
    // Any failure inside protobufjs (truncation, bad wire type, runaway
    // nesting) means the bytes are not a well-formed message of this type.
    // The reader has stopped at (or just past) the offending bytes.
    const msg = e instanceof Error ? e.message : String(e);
    fail('E-ONNX-DECODE', `not a valid ONNX ${what} (truncated or not protobuf): ${msg}`, { file, offset: Math.min(reader.pos, bytes.length) });
  }
}

export function decodeModelProto(bytes: Uint8Array, file: string): ModelProtoMsg {
  return decodeWith<ModelProtoMsg>(MODEL_PROTO, bytes, file, 'model');
}

export function decodeTensorProtoMsg(bytes: Uint8Array, file: string): TensorProtoMsg {
  return decodeWith<TensorProtoMsg>(TENSOR_PROTO, bytes, file, 'TensorProto');
}

/** Serialize a plain object shaped like the message (snake_case fields). */
export function encodeMessage(type: protobuf.Type, obj: object): Uint8Array {
  const err = type.verify(obj);
  if (err) throw new Error(`internal: ${type.name} does not verify: ${err}`);
  return type.encode(type.fromObject(obj)).finish();
}
