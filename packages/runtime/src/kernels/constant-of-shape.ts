import { rtFail } from '../errors.js';
import { allocData } from '../dtype.js';
import { toNumbers, type RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';
import { dtypeIs } from './shape-util.js';
import { copyElem } from './typed-copy.js';

/** ONNX ConstantOfShape: value is a one-element tensor (default f32 0). */
export const constantOfShapeKernel = defineKernel({
  name: 'ConstantOfShape',
  summary: 'ONNX ConstantOfShape',
  inputs: [1, 1],
  requiredInputs: 1,
  outputs: [1, 1],
  attrs: { value: { type: 'tensor' } },
  check: (a, node) => {
    if (!dtypeIs(node.inputs[0] ?? null, 'i64')) return 'shape input must be i64';
    if (a.value && a.value.data.length !== 1) return 'value must have exactly one element';
    return undefined;
  },
  run: ({ attrs, inputs }) => {
    const shape = toNumbers(inputs[0]!);
    for (const d of shape) if (!Number.isInteger(d) || d < 0) rtFail('E-RT-EXEC', `ConstantOfShape: bad dimension ${d}`);
    const value: RtTensor = attrs.value ?? { dtype: 'f32', shape: [1], data: new Float32Array(1) };
    let n = 1;
    for (const d of shape) n *= d;
    const out = allocData(value.dtype, n);
    for (let i = 0; i < n; i++) copyElem(out, i, value.data, 0);
    return [{ dtype: value.dtype, shape, data: out } as RtTensor];
  },
});
