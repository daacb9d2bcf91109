/** kernels-ort cases of Conv, the normalizations, LogSoftmax and the reductions, across their opset forms. */
import { type Inputs, type OpCase, i64 } from './ort-case.js';

const REDUCE = ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL2', 'ReduceSumSquare'];

/** Reductions: axes as an attribute before `inputSince` (13 for ReduceSum, 18 for the others), as an input from then on. */
function reduceCases(x: Inputs, op: string): OpCase[] {
  const inputSince = op === 'ReduceSum' ? 13 : 18;
  const before = inputSince - 1;
  const f = () => x.f([2, 3, 4], -2, 2);
  return [
    { name: `${op} axes attribute (opset ${before})`, op, inputs: [f()], attrs: { axes: { ints: [1] } }, opset: before },
    { name: `${op} negative axes attribute, keepdims 0 (opset ${before})`, op, inputs: [f()], attrs: { axes: { ints: [-1, 0] }, keepdims: { i: 0 } }, opset: before },
    { name: `${op} all axes (opset ${before})`, op, inputs: [f()], opset: before },
    { name: `${op} all axes, keepdims 0 (opset ${before})`, op, inputs: [f()], attrs: { keepdims: { i: 0 } }, opset: before },
    { name: `${op} axes input (opset ${inputSince})`, op, inputs: [f(), i64([1], [2])], opset: inputSince },
    { name: `${op} negative axes input, keepdims 0 (opset ${inputSince})`, op, inputs: [f(), i64([2], [-3, -1])], attrs: { keepdims: { i: 0 } }, opset: inputSince },
    { name: `${op} no axes: all (opset ${inputSince})`, op, inputs: [f()], opset: inputSince },
    { name: `${op} empty axes, noop_with_empty_axes (opset ${inputSince})`, op, inputs: [f(), i64([0], [])], attrs: { noop_with_empty_axes: { i: 1 } }, opset: inputSince },
    { name: `${op} 1-D to a scalar (opset ${inputSince})`, op, inputs: [x.f([5], -2, 2), i64([1], [0])], attrs: { keepdims: { i: 0 } }, opset: inputSince },
    { name: `${op} i32 (opset ${inputSince})`, op, inputs: [x.i32r([3, 4], -3, 3), i64([1], [0])], opset: inputSince },
    { name: `${op} i64 (opset ${inputSince})`, op, inputs: [x.i64r([3, 4], -3, 3), i64([1], [-1])], opset: inputSince },
  ];
}

export function nnCases(x: Inputs): OpCase[] {
  const f = (...s: number[]) => x.f(s);
  const convCases: OpCase[] = [];
  // Each case twice: weights as an input (the reference evaluation) and as constants (the Conv
  // kernel's matvec engine, conv-kernel.ts), on the same data.
  const conv = (name: string, xs: number[], ws: number[], attrs: OpCase['attrs'] = {}, bias = false): OpCase => {
    const c: OpCase = { name: `Conv ${name}`, op: 'Conv', inputs: [f(...xs), f(...ws), ...(bias ? [f(ws[0]!)] : [])], attrs, opset: 11 };
    convCases.push({ ...c, name: `${c.name}, constant weights`, constInputs: bias ? [1, 2] : [1] });
    return c;
  };
  return [
    conv('1-D plain', [1, 2, 9], [3, 2, 3]),
    conv('1-D pads, stride, bias', [2, 3, 10], [4, 3, 3], { pads: { ints: [1, 2] }, strides: { ints: [2] } }, true),
    conv('1-D dilation', [1, 2, 12], [2, 2, 3], { dilations: { ints: [3] } }),
    conv('1-D groups (depthwise)', [1, 4, 8], [4, 1, 3], { group: { i: 4 }, pads: { ints: [1, 1] } }, true),
    conv('2-D depthwise, two output channels per input channel, batch 2', [2, 3, 5, 4], [6, 1, 3, 2], { group: { i: 3 }, pads: { ints: [1, 0, 1, 1] }, strides: { ints: [1, 2] } }, true),
    conv('1-D SAME_UPPER stride 2', [1, 2, 9], [3, 2, 4], { auto_pad: { s: 'SAME_UPPER' }, strides: { ints: [2] } }),
    conv('1-D SAME_LOWER stride 2', [1, 2, 9], [3, 2, 4], { auto_pad: { s: 'SAME_LOWER' }, strides: { ints: [2] } }),
    conv('1-D VALID', [1, 2, 9], [3, 2, 4], { auto_pad: { s: 'VALID' }, strides: { ints: [3] } }),
    conv('1-D kernel_shape attribute', [1, 1, 6], [2, 1, 2], { kernel_shape: { ints: [2] } }),
    conv('2-D plain', [1, 2, 5, 6], [3, 2, 3, 3]),
    conv('2-D pads, strides, bias', [2, 3, 7, 6], [4, 3, 3, 2], { pads: { ints: [1, 0, 2, 1] }, strides: { ints: [2, 1] } }, true),
    conv('2-D dilations', [1, 2, 8, 8], [2, 2, 3, 2], { dilations: { ints: [2, 3] } }),
    conv('2-D groups 2', [1, 4, 5, 5], [6, 2, 3, 3], { group: { i: 2 }, pads: { ints: [1, 1, 1, 1] } }, true),
    conv('2-D SAME_UPPER', [1, 2, 6, 7], [2, 2, 3, 4], { auto_pad: { s: 'SAME_UPPER' }, strides: { ints: [2, 2] } }),
    conv('2-D SAME_LOWER', [1, 2, 6, 7], [2, 2, 3, 4], { auto_pad: { s: 'SAME_LOWER' }, strides: { ints: [2, 2] } }),
    conv('2-D kernel_shape, groups, strides, no bias', [2, 6, 6, 5], [3, 2, 2, 3], { kernel_shape: { ints: [2, 3] }, group: { i: 3 }, strides: { ints: [2, 2] } }),
    conv('2-D VALID dilated', [1, 1, 7, 7], [1, 1, 2, 2], { auto_pad: { s: 'VALID' }, dilations: { ints: [2, 2] } }),
    // output channels in blocks of four per group and a tail (Conv's eval runs four at a time)
    conv('1-D 9 output channels, pads, bias', [2, 3, 7], [9, 3, 3], { pads: { ints: [1, 1] } }, true),
    conv('2-D groups 2, 5 output channels each, strides', [1, 4, 6, 5], [10, 2, 3, 2], { group: { i: 2 }, strides: { ints: [2, 1] }, pads: { ints: [1, 0, 1, 1] } }, true),
    conv('3-D pads, strides, dilations, bias', [1, 2, 5, 4, 6], [5, 2, 2, 3, 2], { pads: { ints: [1, 0, 1, 0, 1, 1] }, strides: { ints: [2, 1, 2] }, dilations: { ints: [1, 2, 1] } }, true),
    conv('1-D 13 output channels, 7 taps, 5 positions', [1, 6, 11], [13, 6, 7], { pads: { ints: [0, 1] } }, true),
    // an STFT's frames (Silero VAD): long tap runs inside the signal copied as blocks, the padded edges gathered
    conv('1-D 40 taps, stride 12, pads, 2 channels', [2, 2, 150], [10, 2, 40], { pads: { ints: [20, 20] }, strides: { ints: [12] } }, true),
    // depthwise 1-D of stride 1 with constant weights: the Conv kernel's dwc path (Silero VAD v4's front end), lengths off a multiple of four
    conv('1-D depthwise 5 taps, pads 2, 258 channels (Silero v4)', [1, 258, 11], [258, 1, 5], { group: { i: 258 }, pads: { ints: [2, 2] } }, true),
    conv('1-D depthwise dilation 2, uneven pads, batch 2, no bias', [2, 5, 13], [5, 1, 3], { group: { i: 5 }, pads: { ints: [0, 3] }, dilations: { ints: [2] } }),
    conv('1-D depthwise SAME_LOWER', [1, 3, 6], [3, 1, 4], { group: { i: 3 }, auto_pad: { s: 'SAME_LOWER' } }, true),
    ...convCases,
    { name: 'LogSoftmax axis 1 (opset 13)', op: 'LogSoftmax', inputs: [f(2, 3, 4)], attrs: { axis: { i: 1 } }, opset: 13 },
    { name: 'LogSoftmax default axis (opset 13)', op: 'LogSoftmax', inputs: [f(2, 3, 4)], opset: 13 },
    { name: 'LogSoftmax axis -3 (opset 13)', op: 'LogSoftmax', inputs: [f(2, 3, 4)], attrs: { axis: { i: -3 } }, opset: 13 },
    { name: 'LogSoftmax axis 1 (opset 11, flatten)', op: 'LogSoftmax', inputs: [f(2, 3, 4)], attrs: { axis: { i: 1 } }, opset: 11 },
    { name: 'LogSoftmax default axis (opset 11, flatten)', op: 'LogSoftmax', inputs: [f(2, 3, 4)], opset: 11 },
    { name: 'LogSoftmax axis -1 (opset 11, flatten)', op: 'LogSoftmax', inputs: [f(2, 3, 4)], attrs: { axis: { i: -1 } }, opset: 11 },
    { name: 'LogSoftmax axis 0 (opset 11, flatten)', op: 'LogSoftmax', inputs: [f(2, 3, 4)], attrs: { axis: { i: 0 } }, opset: 11 },
    { name: 'Softmax axis -2 (opset 11, flatten)', op: 'Softmax', inputs: [f(2, 3, 4)], attrs: { axis: { i: -2 } }, opset: 11 },
    { name: 'LogSoftmax large values (opset 13)', op: 'LogSoftmax', inputs: [x.f([2, 5], -80, 80)], opset: 13 },
    { name: 'Softmax axis -2 (opset 13)', op: 'Softmax', inputs: [f(2, 3, 4)], attrs: { axis: { i: -2 } }, opset: 13 },
    { name: 'Softmax axis 0 (opset 11, flatten)', op: 'Softmax', inputs: [f(2, 3, 4)], attrs: { axis: { i: 0 } }, opset: 11 },
    { name: 'BatchNormalization 4-D (opset 15)', op: 'BatchNormalization', inputs: [f(2, 3, 4, 5), f(3), f(3), f(3), x.f([3], 0.1, 2)], opset: 15 },
    { name: 'BatchNormalization 2-D epsilon (opset 14)', op: 'BatchNormalization', inputs: [f(4, 3), f(3), f(3), f(3), x.f([3], 0.1, 2)], attrs: { epsilon: { f: 0.01 } }, opset: 14 },
    { name: 'BatchNormalization 3-D (opset 9)', op: 'BatchNormalization', inputs: [f(2, 3, 6), f(3), f(3), f(3), x.f([3], 0.1, 2)], opset: 9 },
    { name: 'LayerNormalization last axis', op: 'LayerNormalization', inputs: [f(2, 3, 4), f(4), f(4)], opset: 17 },
    { name: 'LayerNormalization axis 0', op: 'LayerNormalization', inputs: [f(2, 3), f(2, 3), f(2, 3)], attrs: { axis: { i: 0 } }, opset: 17 },
    { name: 'LayerNormalization axis 1, no bias', op: 'LayerNormalization', inputs: [f(2, 3, 4), f(3, 4)], attrs: { axis: { i: 1 } }, opset: 17 },
    { name: 'LayerNormalization mean and inverse std outputs', op: 'LayerNormalization', inputs: [f(2, 3, 4), f(4), f(4)], attrs: { epsilon: { f: 0.1 } }, outputs: ['f32', 'f32', 'f32'], opset: 17 },
    { name: 'LayerNormalization axis -2, broadcast scale', op: 'LayerNormalization', inputs: [f(2, 3, 4), f(1, 4), f(4)], attrs: { axis: { i: -2 } }, opset: 17 },
    ...REDUCE.flatMap((op) => reduceCases(x, op)),
  ];
}
