import { readFileSync } from 'node:fs';
import { fail } from '@lstmc/ir';
import type { RtTensor } from '@lstmc/runtime';
import { isHostDType, type HostTensor } from './host-tensor.js';
import { readNpy, writeNpy } from './npy.js';
import { decodeRtTensorProto, encodeRtTensorProto, type NamedRtTensor } from './tensor-proto.js';

export const TENSOR_FILE_FORMATS = ['pb', 'npy'] as const;
export type TensorFileFormat = (typeof TENSOR_FILE_FORMATS)[number];

/** `.npy` by extension, anything else is read as a serialized TensorProto (ONNX test data). */
export function tensorFileFormat(path: string): TensorFileFormat {
  return path.toLowerCase().endsWith('.npy') ? 'npy' : 'pb';
}

/** Reads a tensor file; .npy files have no name (''). */
export function readTensorFile(path: string, shown: string = path): NamedRtTensor {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    fail('E-IO', `cannot read '${shown}': ${(e as Error).message}`, { file: shown });
  }
  return tensorFileFormat(path) === 'npy' ? { name: '', tensor: readNpy(bytes, shown) as RtTensor } : decodeRtTensorProto(bytes, shown);
}

/** Serializes a tensor; the name is kept in TensorProto files (npy has no place for it). */
export function tensorFileBytes(format: TensorFileFormat, name: string, t: RtTensor, what = name): Uint8Array {
  if (format === 'pb') return encodeRtTensorProto(name, t);
  if (!isHostDType(t.dtype))
    fail('E-NPY-DTYPE', `output '${what}' is ${t.dtype}, which lstmc does not write as .npy (use pb)`, { field: what });
  return writeNpy(t as HostTensor);
}

