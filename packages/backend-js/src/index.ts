/**
 * @lstmc/backend-js: lowers the lstmc IR into the runtime graph format of @lstmc/runtime, the
 * host-side tensor I/O (.npy, ONNX TensorProto files) that the CLI and tests use with it, and the
 * graph evaluator the CLI gives the pass manager (the graph run on the runtime).
 */
export * from './lower/index.js';
export * from './io/index.js';
export { compileToRuntimeGraph } from './compile.js';
export { makeRuntimeEvaluator } from './runtime-evaluator.js';
