import { rtFail } from '../errors.js';
import { axesFrom } from './axes-input.js';
import { defineKernel } from './kernel.js';
import { normAxis } from './shape-util.js';

/** ONNX Unsqueeze; axes from the attribute (opset < 13) or the second input; output shares the input's data. */
export const unsqueezeKernel = defineKernel({
  name: 'Unsqueeze',
  summary: 'ONNX Unsqueeze',
  inputs: [1, 2],
  requiredInputs: 1,
  outputs: [1, 1],
  attrs: { axes: { type: 'ints' } },
  run: ({ attrs, inputs }) => {
    const x = inputs[0]!;
    const axes = axesFrom(attrs.axes, inputs[1]);
    if (!axes) rtFail('E-RT-EXEC', 'Unsqueeze needs axes');
    const r = x.shape.length + axes.length;
    const norm = axes.map((a) => normAxis(a, r, 'Unsqueeze axis'));
    if (new Set(norm).size !== norm.length) rtFail('E-RT-EXEC', 'Unsqueeze axes repeat');
    const shape: number[] = [];
    let k = 0;
    for (let i = 0; i < r; i++) shape.push(norm.includes(i) ? 1 : x.shape[k++]!);
    return [{ ...x, shape }];
  },
});
