/**
 * The runtime's Gemm and MatMul kernels: the ops' kernels (opKernel: attributes, load-time check,
 * reference evaluation) with a product engine for float32 products whose weight matrix B is a
 * constant, as a model's linear layers are (torch's nn.Linear exports as Gemm with transB=1, or as
 * MatMul then Add). At load, B's columns go into a WebAssembly matvec engine as the rows of a
 * ChannelRows (channel-rows.ts); a run multiplies every row of A with them in one call and adds each
 * output's float32 sum, in the order of k, to its start (C, or zero): the order of a GEMM whose inner
 * loop is k, as onnxruntime's CPU MatMul and Gemm sum.
 * Gemm takes the engine for alpha = 1, transA = 0 and, with C, beta = 1 (C broadcast to [M, N] as the
 * op says); MatMul for any A of float32 rows [..., K]. Everything else (other dtypes, B not a
 * constant, other attributes, `matvec: 'js'`, hosts without WebAssembly SIMD) runs the reference.
 */
import { broadcastShapesOrUndefined, broadcastStrides } from '@lstmc/ops';
import { Gemm, MatMul } from '@lstmc/ops/defs';
import type { RtTensor } from '../tensor.js';
import { channelOutRow, channelProduct, packChannelRows, type ChannelRows } from './channel-rows.js';
import { align4 } from './lstm/matvec-engine.js';
import { type AnyKernel, defineKernel, outputF32, type KernelCall, type KernelEnv } from './kernel.js';
import { opKernel } from './op-kernel.js';

/** B [K, N] (or [N, K] with `transposed`) as N rows of K weights; undefined where it is not a 2-D float32 constant. */
function packB(B: RtTensor | null | undefined, transposed: boolean, env: KernelEnv): ChannelRows | undefined {
  if (!B || B.dtype !== 'f32' || B.shape.length !== 2) return undefined;
  const [K, N] = transposed ? [B.shape[1]!, B.shape[0]!] : [B.shape[0]!, B.shape[1]!];
  const b = B.data as Float32Array;
  return packChannelRows(1, N, K, transposed ? (_g, j, k) => b[j * K + k]! : (_g, j, k) => b[k * N + j]!, env);
}

/**
 * y[i] = W a[i] + its start value, for the `rows` rows of K floats of `a`: `start(i, at)` writes the
 * start of output row i at float offset `at` of engine memory (its N floats; the row's padding up to
 * channelOutRow is zeroed after it). Every row in one product call.
 */
function productRows(call: KernelCall<unknown>, p: ChannelRows, a: Float32Array, rows: number, start: (i: number, at: number, m: Float32Array) => void): Float32Array {
  const { engine: e, K, rows: N } = p;
  const outLen = channelOutRow(p);
  e.scratch(align4(rows * K) + rows * outLen);
  const m = e.mem;
  const colOff = e.scratchOff;
  const outOff = colOff + align4(rows * K);
  m.set(a.subarray(0, rows * K), colOff);
  for (let i = 0, at = outOff; i < rows; i++, at += outLen) {
    start(i, at, m);
    m.fill(0, at + N, at + outLen);
  }
  channelProduct(p, 0, colOff, outOff, rows);
  const y = outputF32(call, rows * N);
  for (let i = 0, at = outOff; i < rows; i++, at += outLen) y.set(m.subarray(at, at + N), i * N);
  return y;
}

const gemmReference = opKernel('Gemm', Gemm);

/** Gemm: the reference kernel's attributes and checks; the engine where B is a float32 constant and alpha = 1, transA = 0, beta = 1 (or no C). */
export const gemmKernel: AnyKernel = defineKernel({
  ...gemmReference,
  prepare: (attrs, consts, env) => (attrs.alpha === 1 ? packB(consts[1], attrs.transB === 1, env) : undefined),
  run: (call) => {
    const p = call.prepared as ChannelRows | undefined;
    const a = call.attrs as { readonly beta: number; readonly transA: number };
    const [A, , C] = call.inputs;
    if (!p || !A || A.dtype !== 'f32' || A.shape.length !== 2 || A.shape[1] !== p.K || a.transA !== 0 || (C && (C.dtype !== 'f32' || a.beta !== 1))) return gemmReference.run(call);
    const [M, N] = [A.shape[0]!, p.rows];
    // C broadcast to [M, N] as the reference does it (a shape that does not broadcast: the reference's diagnostic).
    const bs = C && broadcastShapesOrUndefined([C.shape, [M, N]]);
    if (C && (!bs || bs.length !== 2 || bs[0] !== M || bs[1] !== N)) return gemmReference.run(call);
    const cs = C ? broadcastStrides(C.shape, [M, N]) : [0, 0];
    const c = C?.data as Float32Array | undefined;
    const y = productRows(call, p, A.data as Float32Array, M, (i, at, m) => {
      for (let j = 0; j < N; j++) m[at + j] = c ? c[i * cs[0]! + j * cs[1]!]! : 0;
    });
    return [{ dtype: 'f32', shape: [M, N], data: y }];
  },
});

const matmulReference = opKernel('MatMul', MatMul);

/** MatMul: the reference kernel's attributes and checks; the engine where B is a 2-D float32 constant and A float32 [..., K]. */
export const matmulKernel: AnyKernel = defineKernel({
  ...matmulReference,
  prepare: (_attrs, consts, env) => packB(consts[1], false, env),
  run: (call) => {
    const p = call.prepared as ChannelRows | undefined;
    const A = call.inputs[0];
    if (!p || !A || A.dtype !== 'f32' || A.shape.length === 0 || A.shape[A.shape.length - 1] !== p.K) return matmulReference.run(call);
    const y = productRows(call, p, A.data as Float32Array, A.data.length / p.K, (_i, at, m) => m.fill(0, at, at + p.rows));
    return [{ dtype: 'f32', shape: A.shape.length === 1 ? [p.rows] : [...A.shape.slice(0, -1), p.rows], data: y }];
  },
});
