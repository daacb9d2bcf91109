import { rtFail } from '../errors.js';
import { allocData } from '../dtype.js';
import type { RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';
import { checkSameDType, normAxis, NUMERIC_DTYPES } from './shape-util.js';
import { copyRange } from './typed-copy.js';

export const concatKernel = defineKernel({
  name: 'Concat',
  summary: 'ONNX Concat',
  inputs: [1, 1 << 16],
  requiredInputs: 1,
  outputs: [1, 1],
  attrs: { axis: { type: 'int', required: true } },
  check: (_a, node) => checkSameDType([...node.inputs, ...node.outputs], [...NUMERIC_DTYPES, 'bool']),
  run: ({ attrs, inputs }) => {
    const xs = inputs.filter((t): t is RtTensor => t !== null);
    const first = xs[0]!;
    const r = first.shape.length;
    const axis = normAxis(attrs.axis, r);
    let total = 0;
    for (const t of xs) {
      if (t.shape.length !== r || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
        rtFail('E-RT-EXEC', `Concat inputs [${first.shape.join(',')}] and [${t.shape.join(',')}] differ outside axis ${axis}`);
      }
      total += t.shape[axis]!;
    }
    const shape = first.shape.map((d, i) => (i === axis ? total : d));
    let outer = 1;
    for (let i = 0; i < axis; i++) outer *= shape[i]!;
    let inner = 1;
    for (let i = axis + 1; i < r; i++) inner *= shape[i]!;
    const out = allocData(first.dtype, outer * total * inner);
    let at = 0;
    for (const t of xs) {
      const run = t.shape[axis]! * inner;
      for (let o = 0; o < outer; o++) copyRange(out, o * total * inner + at, t.data, o * run, run);
      at += run;
    }
    return [{ dtype: first.dtype, shape, data: out } as RtTensor];
  },
});
