import { addKernel } from './add.js';
import { castKernel } from './cast.js';
import { concatKernel } from './concat.js';
import { constantOfShapeKernel } from './constant-of-shape.js';
import { constantKernel } from './constant.js';
import { divKernel } from './div.js';
import { gatherKernel } from './gather.js';
import { gemmKernel } from './gemm.js';
import { identityKernel } from './identity.js';
import type { AnyKernel } from './kernel.js';
import { lstmFixedKernel } from './lstm/fixed/index.js';
import { lstmDenseF32Kernel, lstmPackF32Kernel, lstmSparseF32Kernel, lstmSparsePackF32Kernel } from './lstm/index.js';
import { matmulKernel } from './matmul.js';
import { mulKernel } from './mul.js';
import { reluKernel } from './relu.js';
import { reshapeKernel } from './reshape.js';
import { shapeKernel } from './shape.js';
import { sigmoidKernel } from './sigmoid.js';
import { sliceKernel } from './slice.js';
import { softmaxKernel } from './softmax.js';
import { squeezeKernel } from './squeeze.js';
import { subKernel } from './sub.js';
import { tanhKernel } from './tanh.js';
import { transposeKernel } from './transpose.js';
import { unsqueezeKernel } from './unsqueeze.js';

/**
 * Every built-in kernel, keyed by the name nodes use in the manifest (equal to the kernel's `name`).
 * Sparse and fixed-point variants add entries here (e.g. `lstm.sparse.f32`, `lstm.fixed.q16`);
 * embedders can also pass an extended registry to `loadModel`.
 */
export const BUILTIN_KERNELS = {
  'lstm.dense.f32': lstmDenseF32Kernel,
  'lstm.pack.f32': lstmPackF32Kernel,
  'lstm.sparse.f32': lstmSparseF32Kernel,
  'lstm.sparse.pack.f32': lstmSparsePackF32Kernel,
  'lstm.fixed': lstmFixedKernel,
  Constant: constantKernel,
  Shape: shapeKernel,
  Gather: gatherKernel,
  Unsqueeze: unsqueezeKernel,
  Squeeze: squeezeKernel,
  Concat: concatKernel,
  Slice: sliceKernel,
  ConstantOfShape: constantOfShapeKernel,
  Reshape: reshapeKernel,
  Transpose: transposeKernel,
  MatMul: matmulKernel,
  Gemm: gemmKernel,
  Add: addKernel,
  Sub: subKernel,
  Mul: mulKernel,
  Div: divKernel,
  Relu: reluKernel,
  Sigmoid: sigmoidKernel,
  Tanh: tanhKernel,
  Softmax: softmaxKernel,
  Identity: identityKernel,
  Cast: castKernel,
} as const satisfies Record<string, AnyKernel>;

export type BuiltinKernelName = keyof typeof BUILTIN_KERNELS;
