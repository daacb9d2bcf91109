import { rtFail } from '../errors.js';
import type { RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';

/** ONNX Constant: exactly one of value (tensor), value_float(s), value_int(s). */
export const constantKernel = defineKernel({
  name: 'Constant',
  summary: 'ONNX Constant (value, value_float, value_floats, value_int, value_ints)',
  inputs: [0, 0],
  requiredInputs: 0,
  outputs: [1, 1],
  attrs: {
    value: { type: 'tensor' },
    value_float: { type: 'float' },
    value_floats: { type: 'floats' },
    value_int: { type: 'int' },
    value_ints: { type: 'ints' },
  },
  check: (a) => {
    const n = [a.value, a.value_float, a.value_floats, a.value_int, a.value_ints].filter((v) => v !== undefined).length;
    return n === 1 ? undefined : `Constant needs exactly one value attribute, got ${n}`;
  },
  run: ({ attrs: a }) => {
    let t: RtTensor;
    if (a.value) t = a.value;
    else if (a.value_float !== undefined) t = { dtype: 'f32', shape: [], data: Float32Array.of(a.value_float) };
    else if (a.value_floats) t = { dtype: 'f32', shape: [a.value_floats.length], data: Float32Array.from(a.value_floats) };
    else if (a.value_int !== undefined) t = { dtype: 'i64', shape: [], data: BigInt64Array.of(BigInt(a.value_int)) };
    else if (a.value_ints) t = { dtype: 'i64', shape: [a.value_ints.length], data: BigInt64Array.from(a.value_ints, (v) => BigInt(v)) };
    else rtFail('E-RT-EXEC', 'Constant has no value');
    return [t];
  },
});
