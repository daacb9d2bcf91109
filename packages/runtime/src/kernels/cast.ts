import { allocData, RT_DTYPE_NAMES, RT_DTYPES, type RtNumberData } from '../dtype.js';
import type { RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';

/**
 * ONNX Cast; `to` is a runtime dtype name (f32, i64, bool, ...). Float to integer truncates toward
 * zero; integer types wrap as C casts do; anything to bool is (x != 0).
 */
export const castKernel = defineKernel({
  name: 'Cast',
  summary: 'ONNX Cast (to = runtime dtype name)',
  inputs: [1, 1],
  requiredInputs: 1,
  outputs: [1, 1],
  attrs: { to: { type: 'string', required: true, oneOf: RT_DTYPE_NAMES } },
  check: (a, node) => (node.outputs[0] && node.outputs[0].dtype !== a.to ? `output dtype ${node.outputs[0].dtype} differs from to=${a.to}` : undefined),
  run: ({ attrs, inputs }) => {
    const x = inputs[0]!;
    const to = attrs.to as keyof typeof RT_DTYPES;
    const n = x.data.length;
    const out = allocData(to, n);
    if (to === 'i64') {
      const o = out as BigInt64Array;
      if (x.dtype === 'i64') o.set(x.data as BigInt64Array);
      else {
        const s = x.data as RtNumberData;
        for (let i = 0; i < n; i++) {
          const v = Math.trunc(s[i]!);
          o[i] = Number.isFinite(v) ? BigInt.asIntN(64, BigInt(v)) : 0n;
        }
      }
    } else {
      const o = out as RtNumberData;
      const toInt = !RT_DTYPES[to].float;
      const fromBig = x.dtype === 'i64';
      for (let i = 0; i < n; i++) {
        const raw = x.data[i]!;
        if (to === 'bool') o[i] = fromBig ? (raw !== 0n ? 1 : 0) : raw !== 0 ? 1 : 0;
        else if (fromBig) o[i] = toInt ? Number(BigInt.asIntN(32, raw as bigint)) : Number(raw);
        else o[i] = toInt ? Math.trunc(raw as number) : (raw as number);
      }
    }
    return [{ dtype: to, shape: x.shape, data: out } as RtTensor];
  },
});
