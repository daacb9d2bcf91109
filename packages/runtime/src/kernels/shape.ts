import { defineKernel } from './kernel.js';

/** ONNX Shape (opset 15 start/end slicing, clamped). Output is i64. */
export const shapeKernel = defineKernel({
  name: 'Shape',
  summary: 'ONNX Shape with start/end',
  inputs: [1, 1],
  requiredInputs: 1,
  outputs: [1, 1],
  attrs: { start: { type: 'int', default: 0 }, end: { type: 'int' } },
  check: (_a, node) => (node.outputs[0] && node.outputs[0].dtype !== 'i64' ? 'Shape output must be i64' : undefined),
  run: ({ attrs, inputs }) => {
    const s = inputs[0]!.shape;
    const r = s.length;
    const clampIdx = (v: number) => Math.min(r, Math.max(0, v < 0 ? v + r : v));
    const start = clampIdx(attrs.start);
    const end = attrs.end === undefined ? r : clampIdx(attrs.end);
    const dims = s.slice(start, Math.max(start, end));
    return [{ dtype: 'i64', shape: [dims.length], data: BigInt64Array.from(dims, (d) => BigInt(d)) }];
  },
});
