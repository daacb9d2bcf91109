/**
 * Fixed-point semantics of the accelerator (TARGET.md), shared by the JS
 * runtime's `--numerics fixed` mode and the cycle simulator in backend-accel.
 * Rounding: nearest, ties to even. Saturation: to actBits / accBits.
 */
export * from './round.js';
export * from './lut.js';
export * from './vector-ops.js';
export * from './product-loops.js';
export * from './lstm-step.js';
export * from './lstm-layer.js';
export * from './quantize-lstm.js';
export * from './saturation.js';
