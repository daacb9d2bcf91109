import { rtFail } from '../errors.js';
import { allocData, type RtNumberData } from '../dtype.js';
import type { RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';
import { broadcastRuns, broadcastShapes, broadcastStrides, checkSameDType, NUMERIC_DTYPES } from './shape-util.js';

/** Element operations of one binary op: on JS numbers (float and small int dtypes) and on bigint (i64). */
export interface BinaryOps {
  readonly num: (a: number, b: number) => number;
  /** Integer dtypes other than i64, when they differ from `num` (truncating division, exact 32-bit product). */
  readonly int?: (a: number, b: number) => number;
  readonly big: (a: bigint, b: bigint) => bigint;
}

/** Applies a binary op with numpy broadcasting; output dtype is the input dtype. */
export function binaryBroadcast(a: RtTensor, b: RtTensor, ops: BinaryOps): RtTensor {
  const shape = broadcastShapes(a.shape, b.shape);
  let n = 1;
  for (const d of shape) n *= d;
  const out = allocData(a.dtype, n);
  const as = broadcastStrides(a.shape, shape);
  const bs = broadcastStrides(b.shape, shape);
  if (a.dtype === 'i64') {
    const x = a.data as BigInt64Array;
    const y = b.data as BigInt64Array;
    const o = out as BigInt64Array;
    const f = ops.big;
    broadcastRuns(shape, as, bs, (oo, ao, bo, len, sa, sb) => {
      for (let i = 0; i < len; i++) o[oo + i] = f(x[ao + i * sa]!, y[bo + i * sb]!);
    });
  } else {
    const x = a.data as RtNumberData;
    const y = b.data as RtNumberData;
    const o = out as RtNumberData;
    const f = a.dtype === 'f32' || a.dtype === 'f64' ? ops.num : (ops.int ?? ops.num);
    broadcastRuns(shape, as, bs, (oo, ao, bo, len, sa, sb) => {
      for (let i = 0; i < len; i++) o[oo + i] = f(x[ao + i * sa]!, y[bo + i * sb]!);
    });
  }
  return { dtype: a.dtype, shape, data: out };
}

/** Declares an ONNX binary elementwise kernel (Add, Sub, Mul, Div). */
export function binaryKernel(name: string, summary: string, ops: BinaryOps) {
  return defineKernel({
    name,
    summary,
    inputs: [2, 2],
    requiredInputs: 2,
    outputs: [1, 1],
    attrs: {},
    check: (_a, node) => checkSameDType(node.inputs, NUMERIC_DTYPES),
    run: ({ inputs }) => [binaryBroadcast(inputs[0]!, inputs[1]!, ops)],
  });
}

export function intDivByZero(): never {
  rtFail('E-RT-EXEC', 'integer division by zero');
}
