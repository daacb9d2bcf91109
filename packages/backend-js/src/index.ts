/**
 * @lstmc/backend-js: lowers the lstmc IR into the runtime graph format of @lstmc/runtime, and the
 * host-side tensor I/O (.npy, ONNX TensorProto files) that the CLI and tests use with it.
 */
export * from './lower/index.js';
export * from './io/index.js';
export { compileToRuntimeGraph } from './compile.js';
