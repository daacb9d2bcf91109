import type { EvalContext, InferContext } from '../def.js';
import type { OpDef } from '../def.js';
import type { Dim } from '../types.js';
import { broadcastShapesOrUndefined, broadcastStrides } from '../broadcast.js';
import { FLOAT_TYPES, NUMERIC_TYPES, broadcast, expectDType, req, sameAs, sameDType } from '../infer-util.js';
import { allocatorOf, isBigData, type NumberData } from '../tensor.js';

/**
 * C[M,N] = A[M,K] * B[K,N] over row-major blocks, accumulating in float64 (i-k-j order:
 * the inner loop streams a row of B and of the accumulator).
 */
export function matmulBlock(a: NumberData, aOff: number, b: NumberData, bOff: number, c: NumberData, cOff: number, M: number, K: number, N: number, acc: Float64Array): void {
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

/** Numpy matmul: batched, broadcasting over leading dims. */
export const MatMul: OpDef = {
  inputs: [{ name: 'A' }, { name: 'B' }],
  outputs: [{ name: 'Y' }],
  attrs: {},
  infer(ctx: InferContext) {
    const a = expectDType(ctx, 0, NUMERIC_TYPES);
    const b = expectDType(ctx, 1, NUMERIC_TYPES);
    sameDType(ctx, [0, 1]);
    if (!a.shape || !b.shape) return [sameAs(a, undefined)];
    if (a.shape.length === 0 || b.shape.length === 0) ctx.fail('E-IR-SHAPE', 'MatMul operands must have rank >= 1');
    const as = a.shape.length === 1 ? [1, a.shape[0]] : [...a.shape];
    const bs = b.shape.length === 1 ? [b.shape[0], 1] : [...b.shape];
    const k1 = as[as.length - 1];
    const k2 = bs[bs.length - 2];
    if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2)
      ctx.fail('E-IR-SHAPE', `MatMul inner dims differ: [${a.shape.join(', ')}] x [${b.shape.join(', ')}]`);
    const batch = broadcast(ctx, [as.slice(0, -2), bs.slice(0, -2)])!;
    const out: Dim[] = [...batch];
    if (a.shape.length !== 1) out.push(as[as.length - 2]);
    if (b.shape.length !== 1) out.push(bs[bs.length - 1]);
    return [sameAs(a, out)];
  },
  eval(ctx: EvalContext) {
    const A = ctx.inputs[0]!;
    const B = ctx.inputs[1]!;
    if (isBigData(A.data) || isBigData(B.data)) ctx.fail('MatMul on 64-bit integers is not supported');
    if (A.shape.length === 0 || B.shape.length === 0) ctx.fail('MatMul operands must have rank >= 1');
    const aS = A.shape.length === 1 ? [1, A.shape[0]!] : [...A.shape];
    const bS = B.shape.length === 1 ? [B.shape[0]!, 1] : [...B.shape];
    const M = aS[aS.length - 2]!;
    const K = aS[aS.length - 1]!;
    const N = bS[bS.length - 1]!;
    if (bS[bS.length - 2] !== K) ctx.fail(`MatMul inner dimensions differ: [${A.shape.join(',')}] x [${B.shape.join(',')}]`);
    const batch = broadcastShapesOrUndefined([aS.slice(0, -2), bS.slice(0, -2)]) ?? ctx.fail(`MatMul batch dims of [${A.shape.join(',')}] and [${B.shape.join(',')}] do not broadcast`);
    const aBs = broadcastStrides(aS.slice(0, -2), batch);
    const bBs = broadcastStrides(bS.slice(0, -2), batch);
    let nb = 1;
    for (const d of batch) nb *= d;
    const out = allocatorOf(ctx)(A.dtype, nb * M * N) as NumberData;
    const acc = new Float64Array(N);
    const idx = new Array<number>(batch.length).fill(0);
    for (let t = 0; t < nb; t++) {
      let ai = 0;
      let bi = 0;
      for (let k = 0; k < batch.length; k++) {
        ai += idx[k]! * aBs[k]!;
        bi += idx[k]! * bBs[k]!;
      }
      matmulBlock(A.data as NumberData, ai * M * K, B.data as NumberData, bi * K * N, out, t * M * N, M, K, N, acc);
      for (let k = batch.length - 1; k >= 0; k--) {
        if (++idx[k]! < batch[k]!) break;
        idx[k] = 0;
      }
    }
    const shape = [...batch];
    if (A.shape.length > 1) shape.push(M);
    if (B.shape.length > 1) shape.push(N);
    return [{ dtype: A.dtype, shape, data: out }];
  },
};

/** Alpha * op(A) @ op(B) + beta * C, 2-D. */
export const Gemm: OpDef = {
  inputs: [{ name: 'A' }, { name: 'B' }, { name: 'C', optional: true }],
  outputs: [{ name: 'Y' }],
  attrs: {
    alpha: { kind: 'float', default: 1 },
    beta: { kind: 'float', default: 1 },
    transA: { kind: 'int', default: 0, min: 0, max: 1 },
    transB: { kind: 'int', default: 0, min: 0, max: 1 },
  },
  infer(ctx: InferContext) {
    const a = expectDType(ctx, 0, FLOAT_TYPES.concat(['i32', 'i64', 'u32', 'u64']));
    const b = req(ctx, 1);
    sameDType(ctx, [0, 1, 2]);
    if (!a.shape || !b.shape) return [sameAs(a, undefined)];
    if (a.shape.length !== 2 || b.shape.length !== 2) ctx.fail('E-IR-SHAPE', 'Gemm operands A and B must be 2-D');
    const [m, k1] = ctx.attrs.transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [k2, n] = ctx.attrs.transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2)
      ctx.fail('E-IR-SHAPE', `Gemm inner dims differ (${k1} vs ${k2})`);
    const c = ctx.inputs[2];
    if (c?.shape) broadcast(ctx, [[m, n], c.shape]);
    return [sameAs(a, [m, n])];
  },
  eval(ctx: EvalContext) {
    const A = ctx.inputs[0]!;
    const B = ctx.inputs[1]!;
    const C = ctx.inputs[2];
    if (A.shape.length !== 2 || B.shape.length !== 2) ctx.fail('Gemm A and B must be 2-D');
    if (isBigData(A.data)) ctx.fail('Gemm on 64-bit integers is not supported');
    const { alpha, beta, transA, transB } = ctx.attrs as { alpha: number; beta: number; transA: number; transB: number };
    const [M, K] = transA ? [A.shape[1]!, A.shape[0]!] : [A.shape[0]!, A.shape[1]!];
    const [K2, N] = transB ? [B.shape[1]!, B.shape[0]!] : [B.shape[0]!, B.shape[1]!];
    if (K !== K2) ctx.fail(`Gemm inner dimensions differ: ${K} vs ${K2}`);
    // A'[i,k] = a[i*sai + k*sak], B'[k,j] = b[k*sbk + j*sbj].
    const [sai, sak] = transA ? [1, M] : [K, 1];
    const [sbk, sbj] = transB ? [1, K] : [N, 1];
    const a = A.data as NumberData;
    const b = B.data as NumberData;
    const out = allocatorOf(ctx)(A.dtype, M * N) as NumberData;
    const acc = new Float64Array(N);
    let cs: number[] = [0, 0];
    if (C) {
      const bs = broadcastShapesOrUndefined([C.shape, [M, N]]);
      if (!bs || bs.length !== 2 || bs[0] !== M || bs[1] !== N) ctx.fail(`Gemm C [${C.shape.join(',')}] does not broadcast to [${M},${N}]`);
      cs = broadcastStrides(C.shape, [M, N]);
    }
    const c = C ? (C.data as NumberData) : null;
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
    return [{ dtype: A.dtype, shape: [M, N], data: out }];
  },
};

/** The ops of this file, as the op table takes them: adding an op here is the whole change. */
export const LINALG_OPS = { MatMul, Gemm } as const satisfies Record<string, OpDef>;
