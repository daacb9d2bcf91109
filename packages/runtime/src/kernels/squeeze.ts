import { rtFail } from '../errors.js';
import { axesFrom } from './axes-input.js';
import { defineKernel } from './kernel.js';
import { normAxis } from './shape-util.js';

/** ONNX Squeeze; without axes every dimension of size 1 is removed. */
export const squeezeKernel = defineKernel({
  name: 'Squeeze',
  summary: 'ONNX Squeeze',
  inputs: [1, 2],
  requiredInputs: 1,
  outputs: [1, 1],
  attrs: { axes: { type: 'ints' } },
  run: ({ attrs, inputs }) => {
    const x = inputs[0]!;
    const axes = axesFrom(attrs.axes, inputs[1]);
    const r = x.shape.length;
    const drop = axes ? axes.map((a) => normAxis(a, r, 'Squeeze axis')) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    for (const a of drop) if (x.shape[a] !== 1) rtFail('E-RT-EXEC', `cannot squeeze axis ${a} of size ${x.shape[a]}`);
    return [{ ...x, shape: x.shape.filter((_d, i) => !drop.includes(i)) }];
  },
});
