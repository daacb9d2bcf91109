import { rtFail } from '../errors.js';
import { allocData, type RtNumberData } from '../dtype.js';
import type { RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';
import { broadcastShapes, broadcastStrides, checkSameDType, FLOAT_DTYPES } from './shape-util.js';

/** ONNX Gemm: Y = alpha * A' * B' + beta * C, A' = transA ? A^T : A, C broadcast to [M, N]. */
export const gemmKernel = defineKernel({
  name: 'Gemm',
  summary: 'ONNX Gemm (alpha, beta, transA, transB, optional broadcast C)',
  inputs: [2, 3],
  requiredInputs: 2,
  outputs: [1, 1],
  attrs: {
    alpha: { type: 'float', default: 1 },
    beta: { type: 'float', default: 1 },
    transA: { type: 'int', default: 0 },
    transB: { type: 'int', default: 0 },
  },
  check: (_a, node) => checkSameDType([...node.inputs, ...node.outputs], FLOAT_DTYPES),
  run: ({ attrs, inputs }) => {
    const A = inputs[0]!;
    const B = inputs[1]!;
    const C = inputs[2] ?? null;
    if (A.shape.length !== 2 || B.shape.length !== 2) rtFail('E-RT-EXEC', 'Gemm A and B must be 2-D');
    const [M, K] = attrs.transA ? [A.shape[1]!, A.shape[0]!] : [A.shape[0]!, A.shape[1]!];
    const [K2, N] = attrs.transB ? [B.shape[1]!, B.shape[0]!] : [B.shape[0]!, B.shape[1]!];
    if (K !== K2) rtFail('E-RT-EXEC', `Gemm inner dimensions differ: ${K} vs ${K2}`);
    // A'[i,k] = a[i*sai + k*sak], B'[k,j] = b[k*sbk + j*sbj].
    const [sai, sak] = attrs.transA ? [1, M] : [K, 1];
    const [sbk, sbj] = attrs.transB ? [1, K] : [N, 1];
    const a = A.data as RtNumberData;
    const b = B.data as RtNumberData;
    const out = allocData(A.dtype, M * N) as RtNumberData;
    const acc = new Float64Array(N);
    let cs: number[] = [0, 0];
    if (C) {
      const bs = broadcastShapes(C.shape, [M, N]);
      if (bs.length !== 2 || bs[0] !== M || bs[1] !== N) rtFail('E-RT-EXEC', `Gemm C [${C.shape.join(',')}] does not broadcast to [${M},${N}]`);
      cs = broadcastStrides(C.shape, [M, N]);
    }
    const c = C ? (C.data as RtNumberData) : null;
    const { alpha, beta } = attrs;
    for (let i = 0; i < M; i++) {
      acc.fill(0);
      for (let k = 0; k < K; k++) {
        const av = a[i * sai + k * sak]!;
        if (av === 0) continue;
        const bo = k * sbk;
        for (let j = 0; j < N; j++) acc[j] += av * b[bo + j * sbj]!;
      }
      for (let j = 0; j < N; j++) out[i * N + j] = alpha * acc[j]! + (c ? beta * c[i * cs[0]! + j * cs[1]!]! : 0);
    }
    return [{ dtype: A.dtype, shape: [M, N], data: out } as RtTensor];
  },
});
