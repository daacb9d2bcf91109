import type { AnyKernel } from './kernel.js';
import { lstmFixedKernel } from './lstm/fixed/index.js';
import { lstmDenseF32Kernel, lstmPackF32Kernel, lstmSparseF32Kernel, lstmSparsePackF32Kernel } from './lstm/index.js';
import { OP_KERNELS } from './op-kernel.js';

/**
 * Every built-in kernel, keyed by the name nodes use in the manifest (equal to the kernel's `name`):
 * the LSTM kernels (dense, sparse, packed, fixed-point), and one kernel per op of the @lstmc/ops
 * table, named by the op, that runs the op's reference evaluation. Embedders can pass an extended
 * registry to `loadModel`.
 */
export const BUILTIN_KERNELS: Readonly<Record<string, AnyKernel>> = {
  'lstm.dense.f32': lstmDenseF32Kernel,
  'lstm.pack.f32': lstmPackF32Kernel,
  'lstm.sparse.f32': lstmSparseF32Kernel,
  'lstm.sparse.pack.f32': lstmSparsePackF32Kernel,
  'lstm.fixed': lstmFixedKernel,
  ...OP_KERNELS,
};

export type BuiltinKernelName = string;
