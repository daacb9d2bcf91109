import type { Location } from '../diagnostic.js';
import { fail } from '../diagnostic.js';
import type { Tensor } from '../tensor.js';
import { allocData, elemAsNumber, makeTensor } from '../tensor.js';
import type { SparseTensorProtoMsg } from './messages.js';
import type { TensorSource } from './tensor-from-proto.js';
import { checkDims, tensorFromProto } from './tensor-from-proto.js';

/**
 * Dense size a sparse tensor may expand to. Dense tensors are bounded by the
 * bytes in the file; a sparse one is not, so a corrupt `dims` could ask for
 * gigabytes.
 */
export const MAX_SPARSE_DENSE_ELEMENTS = 2 ** 28;

/**
 * A SparseTensorProto (COO: values [NNZ], indices [NNZ] linearized or
 * [NNZ, rank]) expanded to a dense tensor; lstmc tracks sparsity itself.
 */
export function denseFromSparseProto(p: SparseTensorProtoMsg, src: TensorSource): Tensor {
  const loc: Location = src.loc;
  if (!p.values || !p.indices) fail('E-ONNX-SPARSE', 'sparse tensor needs values and indices', loc);
  const dims = checkDims(p.dims, loc);
  const values = tensorFromProto(p.values, src);
  const indices = tensorFromProto(p.indices, src);
  if (values.dims.length !== 1) fail('E-ONNX-SPARSE', 'sparse tensor values must be 1-D', loc);
  const nnz = values.dims[0];
  const rank = dims.length;
  const linear = indices.dims.length === 1;
  if (!(indices.dtype === 'i64' || indices.dtype === 'i32')) fail('E-ONNX-SPARSE', 'sparse tensor indices must be integers', loc);
  if (linear ? indices.dims[0] !== nnz : indices.dims.length !== 2 || indices.dims[0] !== nnz || indices.dims[1] !== rank)
    fail('E-ONNX-SPARSE', `sparse tensor indices have shape [${indices.dims.join(', ')}] for ${nnz} values of rank ${rank}`, loc);
  const total = dims.reduce((a, b) => a * b, 1);
  if (total > MAX_SPARSE_DENSE_ELEMENTS)
    fail('E-ONNX-DIMS', `sparse tensor of dims [${dims.join(', ')}] would expand to ${total} elements (limit ${MAX_SPARSE_DENSE_ELEMENTS})`, loc);
  const out = allocData(values.dtype, total) as unknown as { [i: number]: unknown };
  const src1 = values.data as unknown as ArrayLike<unknown>;
  for (let k = 0; k < nnz; k++) {
    let pos = 0;
    if (linear) pos = elemAsNumber(indices, k);
    else
      for (let r = 0; r < rank; r++) {
        const ix = elemAsNumber(indices, k * rank + r);
        if (!(ix >= 0 && ix < dims[r])) fail('E-ONNX-SPARSE', `sparse index ${ix} out of range for dim ${r} (${dims[r]})`, loc);
        pos = pos * dims[r] + ix;
      }
    if (!(Number.isInteger(pos) && pos >= 0 && pos < total)) fail('E-ONNX-SPARSE', `sparse index ${pos} out of range [0, ${total})`, loc);
    out[pos] = src1[k];
  }
  return makeTensor(values.dtype, dims, out as unknown as ReturnType<typeof allocData>);
}
