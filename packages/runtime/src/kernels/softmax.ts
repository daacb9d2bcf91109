import { allocData, type RtNumberData } from '../dtype.js';
import type { RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';
import { checkSameDType, FLOAT_DTYPES, normAxis } from './shape-util.js';

/**
 * ONNX Softmax. flatten=0 (opset >= 13): normalizes along `axis` alone (default -1).
 * flatten=1 (opsets 1..12): the input is viewed as 2-D [prod(shape[:axis]), prod(shape[axis:])] and each
 * row is normalized; the lowering sets it (and axis, whose old default is 1) for older opsets.
 */
export const softmaxKernel = defineKernel({
  name: 'Softmax',
  summary: 'ONNX Softmax (opset >= 13 axis semantics, or flatten=1 for opsets < 13)',
  inputs: [1, 1],
  requiredInputs: 1,
  outputs: [1, 1],
  attrs: { axis: { type: 'int', default: -1 }, flatten: { type: 'int', default: 0 } },
  check: (a, node) => (a.flatten !== 0 && a.flatten !== 1 ? 'flatten must be 0 or 1' : checkSameDType([...node.inputs, ...node.outputs], FLOAT_DTYPES)),
  run: ({ attrs, inputs }) => {
    const x = inputs[0]!;
    const r = x.shape.length;
    const src = x.data as RtNumberData;
    const out = allocData(x.dtype, src.length) as RtNumberData;
    if (r === 0) {
      out[0] = 1;
      return [{ dtype: x.dtype, shape: x.shape, data: out } as RtTensor];
    }
    const axis = normAxis(attrs.axis, r);
    let outer = 1;
    for (let i = 0; i < axis; i++) outer *= x.shape[i]!;
    // flatten: one row of prod(shape[axis:]) contiguous elements; otherwise stride `inner` along axis.
    let len: number;
    let inner: number;
    if (attrs.flatten) {
      len = src.length / Math.max(outer, 1);
      inner = 1;
    } else {
      len = x.shape[axis]!;
      inner = 1;
      for (let i = axis + 1; i < r; i++) inner *= x.shape[i]!;
    }
    if (len === 0 || outer === 0) return [{ dtype: x.dtype, shape: x.shape, data: out } as RtTensor];
    for (let o = 0; o < outer; o++) {
      for (let q = 0; q < inner; q++) {
        const base = o * len * inner + q;
        let m = -Infinity;
        for (let k = 0; k < len; k++) m = Math.max(m, src[base + k * inner]!);
        let s = 0;
        for (let k = 0; k < len; k++) s += Math.exp(src[base + k * inner]! - m);
        for (let k = 0; k < len; k++) out[base + k * inner] = Math.exp(src[base + k * inner]! - m) / s;
      }
    }
    return [{ dtype: x.dtype, shape: x.shape, data: out } as RtTensor];
  },
});
