import type { Location } from '../diagnostic.js';
import { fail } from '../diagnostic.js';
import type { Dim, TensorType } from '../types.js';
import { tensorType } from '../types.js';
import type { TypeProtoMsg } from './messages.js';
import { has, int64ToNumber } from './messages.js';
import { MAX_DIM, dtypeOrFail } from './tensor-from-proto.js';

/**
 * ONNX TypeProto -> IR tensor type. Shapes: dim_value -> number, dim_param ->
 * its name, neither -> '?'; a missing shape is an unknown rank. Only tensor
 * types are representable; sequences, maps and optionals fail E-ONNX-TYPE.
 */
export function typeFromProto(t: TypeProtoMsg | null | undefined, loc: Location): TensorType {
  if (!t) fail('E-ONNX-TYPE', 'value has no type', loc);
  const tt = t.tensor_type;
  if (!tt) {
    const kind = t.sequence_type ? 'sequence' : t.optional_type ? 'optional' : t.map_type ? 'map' : t.sparse_tensor_type ? 'sparse tensor' : 'unset';
    fail('E-ONNX-TYPE', `only tensor values are supported, this one is of ${kind} type`, loc);
  }
  const dtype = dtypeOrFail(tt.elem_type, loc);
  if (!tt.shape) return tensorType(dtype, undefined);
  const shape: Dim[] = tt.shape.dim.map((d) => {
    if (has(d, 'dim_value') && d.dim_value !== undefined) {
      const v = int64ToNumber(d.dim_value);
      if (!Number.isInteger(v) || v < 0 || v > MAX_DIM) fail('E-ONNX-DIMS', `dimension ${v} is out of range [0, ${MAX_DIM}]`, loc);
      return v;
    }
    if (has(d, 'dim_param') && d.dim_param) return d.dim_param;
    return '?';
  });
  return tensorType(dtype, shape);
}
