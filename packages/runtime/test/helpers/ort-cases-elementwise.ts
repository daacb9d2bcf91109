/** kernels-ort cases of the element-wise ops: broadcasting, integer and bool variants, attribute and opset forms. */
import { type Inputs, type OpCase, b8, f32, i64, scalar } from './ort-case.js';

const unaryFloat = ['Exp', 'Erf', 'Floor', 'Ceil', 'Sin', 'Cos', 'Neg', 'Abs', 'Sign', 'Softsign', 'Softplus', 'LeakyRelu', 'Elu', 'Selu', 'HardSigmoid', 'HardSwish'];

export function elementwiseCases(x: Inputs): OpCase[] {
  const f = (...s: number[]) => x.f(s);
  const cmp = (op: string): OpCase[] => [
    { name: `${op} f32 ties, broadcast`, op, inputs: [x.fInts([2, 3, 4], -2, 2), x.fInts([3, 1], -2, 2)], outputs: ['bool'] },
    { name: `${op} f32 scalar`, op, inputs: [f(2, 3), scalar(0.5)], outputs: ['bool'] },
    { name: `${op} i64 broadcast`, op, inputs: [x.i64r([2, 3], -2, 2), x.i64r([3], -2, 2)], outputs: ['bool'] },
    { name: `${op} i32 two-sided broadcast`, op, inputs: [x.i32r([4, 1], -2, 2), x.i32r([1, 3], -2, 2)], outputs: ['bool'] },
  ];
  const logic = (op: string): OpCase[] => [
    { name: `${op} same shape`, op, inputs: [x.boolr([3, 4]), x.boolr([3, 4])] },
    { name: `${op} broadcast`, op, inputs: [x.boolr([2, 3, 4]), x.boolr([4])] },
    { name: `${op} two-sided broadcast`, op, inputs: [x.boolr([2, 1, 4]), x.boolr([3, 1])] },
  ];
  const minmax = (op: string): OpCase[] => [
    { name: `${op} one input`, op, inputs: [f(3, 4)] },
    { name: `${op} two, broadcast`, op, inputs: [f(2, 3, 4), f(4)] },
    { name: `${op} three, two-sided broadcast`, op, inputs: [f(2, 1, 4), f(3, 1), f()] },
    { name: `${op} i64`, op, inputs: [x.i64r([2, 3]), x.i64r([3])] },
    { name: `${op} i32 opset 12`, op, inputs: [x.i32r([2, 3]), x.i32r([2, 1])], opset: 12 },
    { name: `${op} same shapes (opset 7)`, op, inputs: [f(2, 3), f(2, 3)], opset: 7 },
    { name: `${op} broadcast (opset 8)`, op, inputs: [f(2, 3), f(3)], opset: 8 },
  ];
  return [
    ...cmp('Equal'),
    { name: 'Equal bool', op: 'Equal', inputs: [x.boolr([2, 3]), x.boolr([3])], outputs: ['bool'] },
    ...cmp('Less'),
    ...cmp('Greater'),
    ...cmp('LessOrEqual'),
    ...cmp('GreaterOrEqual'),
    ...logic('And'),
    ...logic('Or'),
    ...logic('Xor'),
    { name: 'Not', op: 'Not', inputs: [x.boolr([3, 5])] },
    { name: 'Where f32 broadcast over all three', op: 'Where', inputs: [x.boolr([3, 1]), f(2, 3, 4), f(4)], outputs: ['f32'] },
    { name: 'Where i64 scalar branch', op: 'Where', inputs: [x.boolr([2, 3]), x.i64r([2, 3]), i64([], [-7])], outputs: ['i64'] },
    { name: 'Where i32, condition broadcast', op: 'Where', inputs: [x.boolr([4]), x.i32r([3, 4]), x.i32r([3, 1])], outputs: ['i32'] },
    ...minmax('Max'),
    ...minmax('Min'),
    { name: 'Pow f32 positive base, broadcast', op: 'Pow', inputs: [x.f([2, 3, 4], 0.1, 3), f(4)] },
    { name: 'Pow f32 integer exponents, negative base', op: 'Pow', inputs: [f(3, 4), x.fInts([4], -3, 3)] },
    { name: 'Pow f32 base, i64 exponent', op: 'Pow', inputs: [f(2, 3), i64([3], [0, 2, 3])] },
    { name: 'Pow i64', op: 'Pow', inputs: [x.i64r([2, 3], -4, 4), i64([3], [0, 1, 3])] },
    { name: 'Pow f32 (opset 7)', op: 'Pow', inputs: [x.f([2, 3], 0.1, 3), f(3)], opset: 7 },
    { name: 'Pow f32 squares (a scalar exponent 2)', op: 'Pow', inputs: [x.f([3, 50], -1e3, 1e3), f32([], [2])] },
    { name: 'Pow f32 exponent [2] of one element, negative and tiny bases', op: 'Pow', inputs: [f32([6], [-3.5, -1e-20, 0, 1e-30, 7e18, -2e19]), f32([1], [2])] },
    { name: 'Pow i32 base, f32 exponent', op: 'Pow', inputs: [x.i32r([2, 3], 0, 5), f32([1], [2])] },
    ...unaryFloat.map((op) => ({ name: `${op}`, op, inputs: [f(3, 4, 5)] })),
    { name: 'Log', op: 'Log', inputs: [x.f([3, 4], 0.01, 9)] },
    { name: 'Log of 1,032 floats (Silero v4\'s log-spectrum; the runtime kernel\'s vectors)', op: 'Log', inputs: [x.f([1, 129, 8], 1e-6, 50)] },
    { name: 'Log near 1, 7 floats (a vector and a tail)', op: 'Log', inputs: [x.f([7], 0.99, 1.01)] },
    { name: 'Sqrt', op: 'Sqrt', inputs: [x.f([3, 4], 0, 9)] },
    { name: 'Reciprocal', op: 'Reciprocal', inputs: [x.f([3, 4], 0.5, 3)] },
    { name: 'Round ties to even', op: 'Round', inputs: [f32([10], [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.4999, 2.6, -3.2, 7])] },
    { name: 'Round random', op: 'Round', inputs: [x.f([4, 5], -9, 9)] },
    { name: 'Sign with zeros', op: 'Sign', inputs: [f32([5], [0, -0, 2, -3, 1e-30])] },
    { name: 'Neg i64', op: 'Neg', inputs: [x.i64r([2, 3])] },
    { name: 'Neg i32', op: 'Neg', inputs: [x.i32r([4])] },
    { name: 'Abs i64', op: 'Abs', inputs: [x.i64r([2, 3])] },
    { name: 'Abs i32', op: 'Abs', inputs: [x.i32r([4])] },
    { name: 'Sign i64', op: 'Sign', inputs: [x.i64r([2, 3], -2, 2)] },
    { name: 'LeakyRelu alpha', op: 'LeakyRelu', inputs: [f(3, 4)], attrs: { alpha: { f: 0.3 } } },
    { name: 'Elu alpha', op: 'Elu', inputs: [f(3, 4)], attrs: { alpha: { f: 0.7 } } },
    { name: 'Selu alpha gamma', op: 'Selu', inputs: [f(3, 4)], attrs: { alpha: { f: 2 }, gamma: { f: 0.5 } } },
    { name: 'HardSigmoid alpha beta', op: 'HardSigmoid', inputs: [f(3, 4)], attrs: { alpha: { f: 0.3 }, beta: { f: 0.4 } } },
    { name: 'Softplus large inputs', op: 'Softplus', inputs: [x.f([10], -40, 40)] },
    { name: 'Gelu (opset 20)', op: 'Gelu', inputs: [f(3, 4)], opset: 20 },
    { name: 'Gelu tanh (opset 20)', op: 'Gelu', inputs: [f(3, 4)], attrs: { approximate: { s: 'tanh' } }, opset: 20 },
    { name: 'Clip attributes (opset 6)', op: 'Clip', inputs: [f(3, 4)], attrs: { min: { f: -1 }, max: { f: 0.5 } }, opset: 6 },
    { name: 'Clip attribute min only (opset 6)', op: 'Clip', inputs: [f(3, 4)], attrs: { min: { f: -1 } }, opset: 6 },
    { name: 'Clip inputs (opset 11)', op: 'Clip', inputs: [f(3, 4), scalar(-1), scalar(0.5)], opset: 11 },
    { name: 'Clip max only (opset 13)', op: 'Clip', inputs: [f(3, 4), null, scalar(0.5)], opset: 13 },
    { name: 'Clip min only (opset 13)', op: 'Clip', inputs: [f(3, 4), scalar(0)], opset: 13 },
    { name: 'Clip no bounds (opset 13)', op: 'Clip', inputs: [f(3, 4)], opset: 13 },
    { name: 'Clip min > max (opset 13)', op: 'Clip', inputs: [f(3, 4), scalar(1), scalar(-1)], opset: 13 },
    { name: 'Clip i64 (opset 13)', op: 'Clip', inputs: [x.i64r([3, 4]), scalar(-2, 'i64'), scalar(3, 'i64')], opset: 13 },
    { name: 'Clip i32 (opset 13)', op: 'Clip', inputs: [x.i32r([3, 4]), scalar(-2, 'i32'), scalar(3, 'i32')], opset: 13 },
    { name: 'Dropout (opset 13) with mask', op: 'Dropout', inputs: [f(3, 4)], outputs: ['f32', 'bool'], opset: 13 },
    { name: 'Dropout ratio input (opset 12)', op: 'Dropout', inputs: [f(3, 4), scalar(0.3)], opset: 12 },
    { name: 'Dropout training_mode false (opset 13)', op: 'Dropout', inputs: [f(3, 4), scalar(0.3), b8([], [0])], outputs: ['f32', 'bool'], opset: 13 },
    // Not the mask of Dropout 7-10: onnxruntime writes it all false there, its choice where the spec
    // said nothing (Dropout-12's spec: all true in inference, as lstmc does at every opset).
    { name: 'Dropout ratio attribute (opset 10)', op: 'Dropout', inputs: [f(3, 4)], attrs: { ratio: { f: 0.2 } }, opset: 10 },
    { name: 'Dropout (opset 7)', op: 'Dropout', inputs: [f(3, 4)], opset: 7 },
  ];
}
