import { allocData, type RtNumberData } from '../dtype.js';
import type { RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';
import { checkSameDType, FLOAT_DTYPES } from './shape-util.js';

/** Declares a float unary elementwise kernel. */
export function unaryFloatKernel(name: string, summary: string, f: (x: number) => number) {
  return defineKernel({
    name,
    summary,
    inputs: [1, 1],
    requiredInputs: 1,
    outputs: [1, 1],
    attrs: {},
    check: (_a, node) => checkSameDType([...node.inputs, ...node.outputs], FLOAT_DTYPES),
    run: ({ inputs }) => {
      const x = inputs[0]!;
      const src = x.data as RtNumberData;
      const out = allocData(x.dtype, src.length) as RtNumberData;
      for (let i = 0; i < src.length; i++) out[i] = f(src[i]!);
      return [{ dtype: x.dtype, shape: x.shape, data: out } as RtTensor];
    },
  });
}
