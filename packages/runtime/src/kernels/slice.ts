import { rtFail } from '../errors.js';
import { allocData } from '../dtype.js';
import { stridesOf, toNumbers, type RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';
import { dtypeIs, INDEX_DTYPES, normAxis } from './shape-util.js';
import { copyElem } from './typed-copy.js';

/** ONNX Slice (opset >= 10 input form: data, starts, ends, axes?, steps?), with ONNX clamping. */
export const sliceKernel = defineKernel({
  name: 'Slice',
  summary: 'ONNX Slice (starts/ends/axes/steps as inputs)',
  inputs: [3, 5],
  requiredInputs: 3,
  outputs: [1, 1],
  attrs: {},
  check: (_a, node) => (node.inputs.slice(1).every((v) => dtypeIs(v ?? null, ...INDEX_DTYPES)) ? undefined : 'starts/ends/axes/steps must be i32 or i64'),
  run: ({ inputs }) => {
    const x = inputs[0]!;
    const r = x.shape.length;
    const starts = toNumbers(inputs[1]!);
    const ends = toNumbers(inputs[2]!);
    const axes = inputs[3] ? toNumbers(inputs[3]) : starts.map((_s, i) => i);
    const steps = inputs[4] ? toNumbers(inputs[4]) : starts.map(() => 1);
    if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
      rtFail('E-RT-EXEC', 'Slice starts, ends, axes and steps must have the same length');
    }
    const begin = new Array<number>(r).fill(0);
    const step = new Array<number>(r).fill(1);
    const shape = [...x.shape];
    const seen = new Set<number>();
    for (let i = 0; i < starts.length; i++) {
      const ax = normAxis(axes[i]!, r, 'Slice axis');
      if (seen.has(ax)) rtFail('E-RT-EXEC', `Slice axis ${ax} repeats`);
      seen.add(ax);
      const dim = x.shape[ax]!;
      const st = steps[i]!;
      if (st === 0) rtFail('E-RT-EXEC', 'Slice step cannot be 0');
      let s = starts[i]! < 0 ? starts[i]! + dim : starts[i]!;
      let e = ends[i]! < 0 ? ends[i]! + dim : ends[i]!;
      if (st > 0) {
        s = Math.min(Math.max(s, 0), dim);
        e = Math.min(Math.max(e, 0), dim);
        shape[ax] = Math.max(0, Math.ceil((e - s) / st));
      } else {
        s = Math.min(Math.max(s, 0), dim - 1);
        e = Math.min(Math.max(e, -1), dim - 1);
        shape[ax] = Math.max(0, Math.ceil((s - e) / -st));
      }
      begin[ax] = s;
      step[ax] = st;
    }
    let n = 1;
    for (const d of shape) n *= d;
    const out = allocData(x.dtype, n);
    const xs = stridesOf(x.shape);
    const idx = new Array<number>(r).fill(0);
    for (let o = 0; o < n; o++) {
      let src = 0;
      for (let k = 0; k < r; k++) src += (begin[k]! + idx[k]! * step[k]!) * xs[k]!;
      copyElem(out, o, x.data, src);
      for (let k = r - 1; k >= 0; k--) {
        if (++idx[k]! < shape[k]!) break;
        idx[k] = 0;
      }
    }
    return [{ dtype: x.dtype, shape, data: out } as RtTensor];
  },
});
