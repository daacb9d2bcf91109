import { rtFail } from '../errors.js';
import { allocData } from '../dtype.js';
import { stridesOf, type RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';
import { copyElem } from './typed-copy.js';

/** ONNX Transpose; default perm reverses the dimensions. */
export const transposeKernel = defineKernel({
  name: 'Transpose',
  summary: 'ONNX Transpose',
  inputs: [1, 1],
  requiredInputs: 1,
  outputs: [1, 1],
  attrs: { perm: { type: 'ints' } },
  run: ({ attrs, inputs }) => {
    const x = inputs[0]!;
    const r = x.shape.length;
    const perm = attrs.perm ?? x.shape.map((_d, i) => r - 1 - i);
    if (perm.length !== r || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
      rtFail('E-RT-EXEC', `Transpose perm [${perm.join(',')}] is not a permutation of rank ${r}`);
    }
    const shape = perm.map((p) => x.shape[p]!);
    const xs = stridesOf(x.shape);
    const ps = perm.map((p) => xs[p]!);
    const n = x.data.length;
    const out = allocData(x.dtype, n);
    const idx = new Array<number>(r).fill(0);
    let src = 0;
    for (let o = 0; o < n; o++) {
      copyElem(out, o, x.data, src);
      for (let k = r - 1; k >= 0; k--) {
        src += ps[k]!;
        if (++idx[k]! < shape[k]!) break;
        src -= ps[k]! * shape[k]!;
        idx[k] = 0;
      }
    }
    return [{ dtype: x.dtype, shape, data: out } as RtTensor];
  },
});
