/**
 * Shapes of the decoded ONNX messages as protobufjs hands them out (parsed
 * with `keepCase`, so field names are onnx.proto's). Only what lstmc reads
 * is typed. proto2 `optional` fields read as their default when absent; use
 * `has()` to test presence. 64-bit integers arrive as numbers or as `long`
 * objects depending on whether protobufjs found the `long` package.
 */
export interface LongLike {
  readonly low: number;
  readonly high: number;
  readonly unsigned: boolean;
}
export type Int64 = number | LongLike;

export interface StringStringEntryMsg {
  readonly key: string;
  readonly value: string;
}

export interface OperatorSetIdMsg {
  readonly domain: string;
  readonly version: Int64;
}

export interface TensorProtoMsg {
  readonly dims: readonly Int64[];
  readonly data_type: number;
  readonly segment?: { readonly begin: Int64; readonly end: Int64 } | null;
  readonly float_data: readonly number[];
  readonly int32_data: readonly number[];
  readonly string_data: readonly Uint8Array[];
  readonly int64_data: readonly Int64[];
  readonly name: string;
  readonly raw_data: Uint8Array;
  readonly external_data: readonly StringStringEntryMsg[];
  readonly data_location: number;
  readonly double_data: readonly number[];
  readonly uint64_data: readonly Int64[];
}

export interface SparseTensorProtoMsg {
  readonly values?: TensorProtoMsg | null;
  readonly indices?: TensorProtoMsg | null;
  readonly dims: readonly Int64[];
}

export interface DimensionMsg {
  readonly dim_value?: Int64;
  readonly dim_param?: string;
  readonly value?: 'dim_value' | 'dim_param';
}

export interface TensorShapeMsg {
  readonly dim: readonly DimensionMsg[];
}

export interface TypeProtoMsg {
  readonly tensor_type?: { readonly elem_type: number; readonly shape?: TensorShapeMsg | null } | null;
  readonly sequence_type?: { readonly elem_type?: TypeProtoMsg | null } | null;
  readonly map_type?: unknown;
  readonly optional_type?: { readonly elem_type?: TypeProtoMsg | null } | null;
  readonly sparse_tensor_type?: unknown;
  readonly value?: string;
}

export interface ValueInfoMsg {
  readonly name: string;
  readonly type?: TypeProtoMsg | null;
}

/** AttributeProto.AttributeType codes (official numbering). */
export const ATTR_TYPE = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

export interface AttributeMsg {
  readonly name: string;
  readonly ref_attr_name: string;
  readonly type: number;
  readonly f: number;
  readonly i: Int64;
  readonly s: Uint8Array;
  readonly t?: TensorProtoMsg | null;
  readonly g?: GraphProtoMsg | null;
  readonly sparse_tensor?: SparseTensorProtoMsg | null;
  readonly tp?: TypeProtoMsg | null;
  readonly floats: readonly number[];
  readonly ints: readonly Int64[];
  readonly strings: readonly Uint8Array[];
  readonly tensors: readonly TensorProtoMsg[];
  readonly graphs: readonly GraphProtoMsg[];
  readonly sparse_tensors: readonly SparseTensorProtoMsg[];
  readonly type_protos: readonly TypeProtoMsg[];
}

export interface NodeProtoMsg {
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly name: string;
  readonly op_type: string;
  readonly domain: string;
  readonly attribute: readonly AttributeMsg[];
}

export interface GraphProtoMsg {
  readonly node: readonly NodeProtoMsg[];
  readonly name: string;
  readonly initializer: readonly TensorProtoMsg[];
  readonly sparse_initializer: readonly SparseTensorProtoMsg[];
  readonly input: readonly ValueInfoMsg[];
  readonly output: readonly ValueInfoMsg[];
  readonly value_info: readonly ValueInfoMsg[];
}

export interface ModelProtoMsg {
  readonly ir_version: Int64;
  readonly opset_import: readonly OperatorSetIdMsg[];
  readonly producer_name: string;
  readonly producer_version: string;
  readonly domain: string;
  readonly model_version: Int64;
  readonly doc_string: string;
  readonly graph?: GraphProtoMsg | null;
  readonly metadata_props: readonly StringStringEntryMsg[];
  readonly functions: readonly unknown[];
}

/** True when proto2 optional field `key` was present on the wire. */
export function has(msg: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(msg, key);
}

/** A 64-bit wire integer as a JS number (exact below 2^53; sign kept). */
export function int64ToNumber(v: Int64): number {
  if (typeof v === 'number') return v;
  return v.unsigned ? (v.high >>> 0) * 4294967296 + (v.low >>> 0) : v.high * 4294967296 + (v.low >>> 0);
}

/** A 64-bit wire integer as a bigint, interpreted signed or unsigned. */
export function int64ToBigInt(v: Int64, unsigned: boolean): bigint {
  const raw = typeof v === 'number' ? BigInt(Math.trunc(v)) : (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return unsigned ? BigInt.asUintN(64, raw) : BigInt.asIntN(64, raw);
}
