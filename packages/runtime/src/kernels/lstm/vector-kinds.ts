/**
 * The element-wise operations of the WebAssembly module (wasm/vector-module.ts), in the order of the
 * `kind` index that MatvecEngine.vbin and vun take. Apart from the generator, so that the kernels
 * (vector-kernels.ts) name them without bundling the module's encoder.
 */
export const VECTOR_BINARY = ['add', 'sub', 'mul', 'div'] as const;
export const VECTOR_UNARY = ['relu', 'sqrt', 'neg', 'abs'] as const;
