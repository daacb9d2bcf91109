import { rtFail } from '../errors.js';
import { allocData, type RtNumberData } from '../dtype.js';
import type { RtTensor } from '../tensor.js';
import { defineKernel } from './kernel.js';
import { broadcastShapes, broadcastStrides, checkSameDType, FLOAT_DTYPES } from './shape-util.js';

/**
 * C[M,N] = A[M,K] * B[K,N] over row-major blocks, accumulating in float64 (i-k-j order:
 * the inner loop streams a row of B and of the accumulator).
 */
export function matmulBlock(
  a: RtNumberData, aOff: number, b: RtNumberData, bOff: number, c: RtNumberData, cOff: number,
  M: number, K: number, N: number, acc: Float64Array,
): void {
  for (let i = 0; i < M; i++) {
    acc.fill(0, 0, N);
    for (let k = 0; k < K; k++) {
      const av = a[aOff + i * K + k]!;
      if (av === 0) continue;
      const bo = bOff + k * N;
      for (let j = 0; j < N; j++) acc[j] += av * b[bo + j]!;
    }
    for (let j = 0; j < N; j++) c[cOff + i * N + j] = acc[j]!;
  }
}

/** ONNX MatMul with numpy semantics: 1-D operands promoted and the promoted axis removed, batch dims broadcast. */
export const matmulKernel = defineKernel({
  name: 'MatMul',
  summary: 'ONNX MatMul (numpy matmul, batched and broadcast)',
  inputs: [2, 2],
  requiredInputs: 2,
  outputs: [1, 1],
  attrs: {},
  check: (_a, node) => checkSameDType([...node.inputs, ...node.outputs], FLOAT_DTYPES),
  run: ({ inputs }) => {
    const A = inputs[0]!;
    const B = inputs[1]!;
    if (A.shape.length === 0 || B.shape.length === 0) rtFail('E-RT-EXEC', 'MatMul operands must have rank >= 1');
    const aS = A.shape.length === 1 ? [1, A.shape[0]!] : [...A.shape];
    const bS = B.shape.length === 1 ? [B.shape[0]!, 1] : [...B.shape];
    const M = aS[aS.length - 2]!;
    const K = aS[aS.length - 1]!;
    const N = bS[bS.length - 1]!;
    if (bS[bS.length - 2] !== K) rtFail('E-RT-EXEC', `MatMul inner dimensions differ: [${A.shape.join(',')}] x [${B.shape.join(',')}]`);
    const batch = broadcastShapes(aS.slice(0, -2), bS.slice(0, -2));
    const aBs = broadcastStrides(aS.slice(0, -2), batch);
    const bBs = broadcastStrides(bS.slice(0, -2), batch);
    let nb = 1;
    for (const d of batch) nb *= d;
    const out = allocData(A.dtype, nb * M * N) as RtNumberData;
    const acc = new Float64Array(N);
    const idx = new Array<number>(batch.length).fill(0);
    for (let t = 0; t < nb; t++) {
      let ai = 0;
      let bi = 0;
      for (let k = 0; k < batch.length; k++) {
        ai += idx[k]! * aBs[k]!;
        bi += idx[k]! * bBs[k]!;
      }
      matmulBlock(A.data as RtNumberData, ai * M * K, B.data as RtNumberData, bi * K * N, out, t * M * N, M, K, N, acc);
      for (let k = batch.length - 1; k >= 0; k--) {
        if (++idx[k]! < batch[k]!) break;
        idx[k] = 0;
      }
    }
    const shape = [...batch];
    if (A.shape.length > 1) shape.push(M);
    if (B.shape.length > 1) shape.push(N);
    return [{ dtype: A.dtype, shape, data: out } as RtTensor];
  },
});
