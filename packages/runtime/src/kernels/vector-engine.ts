/**
 * The engine that element-wise float32 kernels run on (vector-kernels.ts, Log among them): a matvec
 * engine without weights, whose scratch a kernel fills with its operands for the length of a call.
 * A model's kernels share one (KernelEnv.shared), each using its scratch only during a call; a kernel
 * prepared outside a model gets its own.
 */
import { simdEngine, type MatvecEngine, type SimdKernels } from './lstm/matvec-engine.js';
import type { KernelEnv } from './kernel.js';

/** A new engine for `matvec`, or undefined where it would not be WebAssembly SIMD ('js', or a host without it). */
export const newVectorEngine = (matvec: KernelEnv['matvec']): VectorEngine | undefined => simdEngine(new Float32Array(4), matvec);

/** An engine with the element-wise kernels. */
export type VectorEngine = MatvecEngine & SimdKernels;

/** The model's shared engine, or a new one where the environment has none. */
export const vectorEngine = (env: KernelEnv): VectorEngine | undefined =>
  env.shared ? env.shared('vector-engine', () => newVectorEngine(env.matvec)) : newVectorEngine(env.matvec);
