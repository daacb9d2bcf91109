import { EVALUATED_OPS, type OpDef } from '@lstmc/ops';
import type { AnyKernel } from './kernel.js';
import { lstmFixedKernel } from './lstm/fixed/index.js';
import { lstmDenseF32Kernel, lstmPackF32Kernel, lstmSparseF32Kernel, lstmSparsePackF32Kernel } from './lstm/index.js';
import { opKernel } from './op-kernel.js';
import { convKernel } from './conv-kernel.js';
import { gemmKernel, matmulKernel } from './matmul-kernel.js';
import { absKernel, addKernel, divKernel, logKernel, mulKernel, negKernel, powKernel, reluKernel, sqrtKernel, subKernel } from './vector-kernels.js';

/**
 * The kernels that are more than an op's reference evaluation, keyed by the name `@lstmc/runtime`
 * exports each as: the LSTM kernels (dense, packed, sparse, fixed-point), Conv's, Gemm's and
 * MatMul's, which run float32 products with constant weights on the matvec engine (conv-kernel.ts,
 * matmul-kernel.ts), and the element-wise ops' and Log's, which run float32 data on its SIMD
 * (vector-kernels.ts).
 */
const NAMED_KERNELS = {
  lstmDenseF32Kernel, lstmPackF32Kernel, lstmSparseF32Kernel, lstmSparsePackF32Kernel, lstmFixedKernel, convKernel, gemmKernel, matmulKernel, logKernel,
  addKernel, subKernel, mulKernel, divKernel, powKernel, reluKernel, sqrtKernel, negKernel, absKernel,
};

/**
 * A kernel for every op of the table that has a reference evaluation, keyed by op name: built from
 * EVALUATED_OPS, not the whole table, so a bundle leaves out LSTM's and If's definitions (their
 * kernels are the LSTM kernels and the graph's control flow).
 */
export const OP_KERNELS: Readonly<Record<string, AnyKernel>> = /* @__PURE__ */ Object.fromEntries(
  Object.entries(EVALUATED_OPS as Readonly<Record<string, OpDef>>).flatMap(([k, def]) => (def.eval ? [[k, opKernel(k, def)]] : [])),
);

/**
 * Every built-in kernel, keyed by the name nodes use in the manifest (equal to the kernel's `name`):
 * one kernel per op of the @lstmc/ops table, named by the op, that runs the op's reference
 * evaluation, except where NAMED_KERNELS has one of that name (Conv, Gemm, MatMul, Log and the element-wise ops of vector-kernels.ts), and the LSTM kernels (dense,
 * sparse, packed, fixed-point). Embedders can pass an extended registry to `loadModel`;
 * `createRuntime` builds a runtime from a registry of its own, without this one.
 */
export const BUILTIN_KERNELS: Readonly<Record<string, AnyKernel>> = /* @__PURE__ */ (() => ({
  ...OP_KERNELS,
  ...Object.fromEntries(Object.values(NAMED_KERNELS).map((k) => [k.name, k])),
}))();

/**
 * The export of `@lstmc/runtime` that is each named kernel of BUILTIN_KERNELS, by kernel name: what a
 * module of only some kernels imports (`lstmc runtime-entry`). Every other built-in kernel is an op's,
 * `opKernel(op, def)` with the definition from `@lstmc/runtime/ops`.
 */
export const KERNEL_EXPORTS: Readonly<Record<string, string>> = /* @__PURE__ */ (() =>
  Object.fromEntries(Object.entries(NAMED_KERNELS).map(([exported, k]) => [k.name, exported])))();

export type BuiltinKernelName = string;
