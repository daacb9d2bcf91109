/**
 * kernels-ort cases that use an op's form at an opset that lacks it: onnxruntime-node and lstmc must
 * both refuse them. (onnxruntime-node also accepts LayerNormalization before opset 17, Pad's
 * 'wrap' before 19 and Max/Min broadcasting before 8, which lstmc refuses as the ONNX spec has them; packages/ops/test/opset-forms.test.ts.)
 */
import { type Inputs, type OpCase, i64, scalar } from './ort-case.js';

export function refusedForms(x: Inputs): OpCase[] {
  const f = (...s: number[]) => x.f(s);
  return [
    { name: 'Gelu before opset 20', op: 'Gelu', inputs: [f(3)], opset: 19 },
    { name: 'HardSwish before opset 14', op: 'HardSwish', inputs: [f(3)], opset: 13 },
    { name: 'Range before opset 11', op: 'Range', inputs: [scalar(0), scalar(3), scalar(1)], opset: 10 },
    { name: 'Clip bound inputs at opset 10', op: 'Clip', inputs: [f(3), scalar(0), scalar(1)], opset: 10 },
    { name: 'Clip bound attributes at opset 12', op: 'Clip', inputs: [f(3)], attrs: { min: { f: 0 } }, opset: 12 },
    { name: 'Split sizes attribute at opset 13', op: 'Split', inputs: [f(4)], attrs: { split: { ints: [1, 3] } }, outputs: ['f32', 'f32'], opset: 13 },
    { name: 'Split sizes input at opset 12', op: 'Split', inputs: [f(4), i64([2], [1, 3])], outputs: ['f32', 'f32'], opset: 12 },
    { name: 'Split unequal parts without sizes at opset 13', op: 'Split', inputs: [f(5)], outputs: ['f32', 'f32'], opset: 13 },
    { name: 'Split without sizes or num_outputs at opset 18', op: 'Split', inputs: [f(4)], outputs: ['f32', 'f32'], opset: 18 },
    { name: 'Split num_outputs at opset 17', op: 'Split', inputs: [f(4)], attrs: { num_outputs: { i: 2 } }, outputs: ['f32', 'f32'], opset: 17 },
    { name: 'Pad pads input at opset 10', op: 'Pad', inputs: [f(2), i64([2], [1, 1])], opset: 10 },
    { name: 'Pad pads attribute at opset 11', op: 'Pad', inputs: [f(2)], attrs: { pads: { ints: [1, 1] } }, opset: 11 },
    { name: 'Pad axes input at opset 17', op: 'Pad', inputs: [f(2, 2), i64([2], [1, 1]), null, i64([1], [0])], opset: 17 },
    { name: 'ReduceMean axes input at opset 17', op: 'ReduceMean', inputs: [f(2, 3), i64([1], [0])], opset: 17 },
    { name: 'ReduceSum axes input at opset 12', op: 'ReduceSum', inputs: [f(2, 3), i64([1], [0])], opset: 12 },
    { name: 'ReduceMax axes attribute at opset 18', op: 'ReduceMax', inputs: [f(2, 3)], attrs: { axes: { ints: [0] } }, opset: 18 },
    { name: 'Min on i64 at opset 11', op: 'Min', inputs: [x.i64r([3]), x.i64r([3])], opset: 11 },
    { name: 'Pow i64 at opset 11', op: 'Pow', inputs: [x.i64r([3]), x.i64r([3])], opset: 11 },
    { name: 'Pow f32 base, i64 exponent at opset 11', op: 'Pow', inputs: [f(3), x.i64r([3])], opset: 11 },
    { name: 'Dropout ratio input at opset 11', op: 'Dropout', inputs: [f(3), scalar(0.5)], opset: 11 },
  ];
}
