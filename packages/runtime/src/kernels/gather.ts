import { rtFail } from '../errors.js';
import { allocData } from '../dtype.js';
import type { RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';
import { dtypeIs, INDEX_DTYPES, normAxis } from './shape-util.js';

/** ONNX Gather: out = data.shape[:axis] + indices.shape + data.shape[axis+1:]; negative indices count from the end. */
export const gatherKernel = defineKernel({
  name: 'Gather',
  summary: 'ONNX Gather',
  inputs: [2, 2],
  requiredInputs: 2,
  outputs: [1, 1],
  attrs: { axis: { type: 'int', default: 0 } },
  check: (_a, node) => (dtypeIs(node.inputs[1] ?? null, ...INDEX_DTYPES) ? undefined : 'indices must be i32 or i64'),
  run: ({ attrs, inputs }) => {
    const data = inputs[0]!;
    const idx = inputs[1]!;
    const axis = normAxis(attrs.axis, data.shape.length);
    const dim = data.shape[axis]!;
    let outer = 1;
    for (let i = 0; i < axis; i++) outer *= data.shape[i]!;
    let inner = 1;
    for (let i = axis + 1; i < data.shape.length; i++) inner *= data.shape[i]!;
    const n = idx.data.length;
    const shape = [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)];
    const out = allocData(data.dtype, outer * n * inner);
    const src = data.data as unknown as { subarray(a: number, b: number): ArrayLike<number> };
    const dst = out as unknown as { set(a: ArrayLike<number>, o: number): void };
    for (let i = 0; i < n; i++) {
      let k = Number(idx.data[i]);
      if (k < -dim || k >= dim) rtFail('E-RT-EXEC', `Gather index ${k} is out of range for axis of size ${dim}`);
      if (k < 0) k += dim;
      for (let o = 0; o < outer; o++) {
        const from = (o * dim + k) * inner;
        dst.set(src.subarray(from, from + inner), (o * n + i) * inner);
      }
    }
    return [{ dtype: data.dtype, shape, data: out } as RtTensor];
  },
});
